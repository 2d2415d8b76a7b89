"""What a key costs in frames: the guards behind the `f` and filter figures (issue 14).

Each check is about work Textual would otherwise do on every key: a layout of the whole
screen, or a frame left pending for the next key. They read Textual's own state where
no public view of it exists, so a Textual upgrade that changes it fails here, by name,
rather than quietly slowing every key.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from netbalance.app import make_app
from netbalance.ui.widgets.contact_list import ContactList
from netbalance.ui.widgets.contacts_pane import ContactsPane
from tests.ui.conftest import NOW, settle


async def test_a_layout_of_the_screen_leaves_the_scrollbars_alone(demo_path: Path) -> None:
    """Every layout used to ask both scrollbars to repaint (the compositor reports a scroll
    view's own size as its virtual size); the request waited for the next key and cost
    that key an extra frame. The scrollbars still follow the list when it changes."""
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(app, pilot)
        contacts = app.screen.query_one(ContactList)
        table = app.screen.query_one("#events-table", DataTable)
        updates: list[str] = []
        for name, view in (("contacts", contacts), ("events", table)):
            update = type(view)._scroll_update

            def noting(
                size: object, name: str = name, view: object = view, update: object = update
            ) -> None:
                updates.append(name)
                update(view, size)  # type: ignore[operator]

            view._scroll_update = noting  # type: ignore[method-assign, assignment]
        followed = contacts.highlighted
        assert followed is not None
        await pilot.press("f")  # a toast comes and goes: layouts of the screen
        await settle(app, pilot)
        app.clear_notifications()
        await pilot.pause(0.05)
        app.screen.refresh(layout=True)
        await pilot.pause(0.05)
        assert updates == []
        assert app.store is not None and app.store.last_interaction_at(followed.contact_id) == NOW
        # Fewer rows than the list is tall: the scrollbar goes, through a layout.
        await pilot.press("slash", "z", "z", "z", "q")
        await settle(app, pilot)
        assert len(contacts.rows) == 0 and not contacts.show_vertical_scrollbar
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(contacts.rows) == 500 and contacts.show_vertical_scrollbar
        assert contacts.vertical_scrollbar.window_virtual_size == 501


async def test_filter_keys_and_follow_ups_need_no_layout_of_the_screen(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(app, pilot)
        screen = app.screen
        pane = screen.query_one(ContactsPane)
        await pilot.press("slash")
        await settle(app, pilot)
        await pilot.pause(0.05)
        laid_out: list[str] = []
        layout = type(screen)._refresh_layout

        def noting(*args: object, **kwargs: object) -> None:
            laid_out.append(pane.query_text)
            layout(screen, *args, **kwargs)  # type: ignore[arg-type]

        screen._refresh_layout = noting  # type: ignore[method-assign]
        # "ana" then "an": the matches change in number, the list's scrollbar stays.
        for key in ("a", "n", "a", "backspace"):
            await pilot.press(key)
            await pilot.pause()
        assert pane.query_text == "an"
        rows = screen.query_one(ContactList).rows
        assert rows and all("an" in r.haystack for r in rows)
        assert len(rows) < 500
        assert laid_out == [], f"a layout after typing {laid_out}"


async def test_a_write_is_taken_in_when_its_screen_goes_before_the_next_frame(
    demo_path: Path,
) -> None:
    """A stored write's result waits for the frame showing its preview; when the user has
    already gone to another screen, it still reaches every screen, within 0.1 s."""
    import asyncio

    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(app, pilot)
        contacts = app.screen.query_one(ContactList)
        followed = contacts.highlighted
        assert followed is not None
        await pilot.press("f", "E")
        await asyncio.wait_for(app.settle(), 5)
        assert app.session.taking_in == 0
        assert app.store is not None
        assert app.store.last_interaction_at(followed.contact_id) == NOW
        core = app.session.core
        assert core is not None and core.model is not None
        assert core.model.due_item(followed.contact_id).last_at == NOW  # type: ignore[union-attr]
        await pilot.press("escape")
        await settle(app, pilot)
        row = next(r for r in contacts.rows if r.contact_id == followed.contact_id)
        assert row.last_text == "today"

"""Undo history with redo, and the contact screen's timeline (issue 15), black-box through
`make_app` and keys: each test asserts on the stored data and on what the screen shows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from netbalance.app import NetbalanceApp, make_app
from netbalance.store import Store
from netbalance.ui.screens.confirm import ConfirmDialog
from netbalance.ui.screens.contact import ContactScreen
from netbalance.ui.screens.history import HistoryScreen
from netbalance.ui.screens.interaction_form import InteractionEditForm
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


def toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def highlighted(app: NetbalanceApp) -> int:
    row = app.screen.query_one(ContactList).highlighted
    assert row is not None
    return row.contact_id


def store_of(app: NetbalanceApp) -> Store:
    assert app.store is not None
    return app.store


async def test_u_undoes_U_redoes_and_a_new_change_drops_the_redo(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        name = store_of(app).contact(first).name
        count = store_of(app).interaction_count(first)
        await pilot.press("f")
        await settle(app, pilot)
        second = highlighted(app)
        assert second != first, "the cursor moved on to the next contact"
        await pilot.press("d")  # archive the next one
        await settle(app, pilot)
        assert store_of(app).contact(second).archived

        await pilot.press("u")
        await settle(app, pilot)
        assert not store_of(app).contact(second).archived
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert store_of(app).interaction_count(first) == count
        assert f"Undid: follow up with {name}" in toasts(app)

        await pilot.press("U")
        await settle(app, pilot)
        assert store_of(app).interaction_count(first) == count + 1
        assert f"Redid: follow up with {name}" in toasts(app)

        # A new change after the undo: the archive can no longer be redone.
        app.screen.query_one(ContactList).select(first)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("1")
        await settle(app, pilot)
        assert store_of(app).contact(first).snoozed_until is not None
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert not store_of(app).contact(second).archived
        assert "Nothing to redo." in toasts(app)
        # u takes back the snooze, then the (redone) follow-up.
        await pilot.press("u")
        await settle(app, pilot)
        assert store_of(app).contact(first).snoozed_until is None
        await pilot.press("u")
        await settle(app, pilot)
        assert store_of(app).interaction_count(first) == count


async def test_a_refused_undo_is_said_and_the_history_stays(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        target = highlighted(app)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("1")
        await settle(app, pilot)
        mine = store_of(app).contact(target).snoozed_until
        other = Store.open(demo_path)
        other.snooze(target, NOW + timedelta(days=30))
        other.close()
        await pilot.press("u")
        await settle(app, pilot)
        assert store_of(app).contact(target).snoozed_until == NOW + timedelta(days=30)
        refusal = [t for t in toasts(app) if t.startswith("Could not undo: snoozed")]
        assert refusal and "Nothing was undone" in refusal[0]
        core = app.session.core
        assert core is not None
        step = core.history.next_undo()
        assert step is not None and step.name.startswith("snoozed"), "still next to undo"
        assert core.history.next_redo() is None
        # Put back elsewhere as this run left it: the same step now undoes.
        other = Store.open(demo_path)
        other.snooze(target, mine)
        other.close()
        await pilot.press("u")
        await settle(app, pilot)
        assert store_of(app).contact(target).snoozed_until is None


async def test_the_history_view_names_the_steps(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        name = store_of(app).contact(highlighted(app)).name
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        from netbalance.ui.commands import history_commands, show_history

        titles = [c.title for c in history_commands(app)]
        assert f"Edit: redo follow up with {name}" in titles
        show_history(app)
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = str(app.screen.query_one("#history-body", Static).render())
        assert f"U ▸ follow up with {name}" in text
        assert "nothing changed yet" in text


async def open_contact_with_timeline(app: NetbalanceApp, pilot: object) -> int:
    """The highlighted contact's screen, tabbed to its timeline; the contact's id."""
    await settle(app, pilot)
    store = store_of(app)
    busy = max(
        (c for c in store.contacts() if not c.archived), key=lambda c: store.interaction_count(c.id)
    )
    app.screen.query_one(ContactList).select(busy.id)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert isinstance(app.screen, ContactScreen)
    await pilot.press("tab")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert app.focused is app.screen.query_one("#timeline")
    return busy.id


def timeline(app: NetbalanceApp) -> OptionList:
    return app.screen.query_one("#timeline", OptionList)


def chosen_id(app: NetbalanceApp) -> int:
    t = timeline(app)
    assert t.highlighted is not None
    option_id = t.get_option_at_index(t.highlighted).id
    assert option_id is not None
    return int(option_id)


async def test_timeline_select_edit_and_undo(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        who = await open_contact_with_timeline(app, pilot)
        await pilot.press("down")
        await pilot.pause()
        assert timeline(app).highlighted == 1
        picked = chosen_id(app)
        before = store_of(app).interaction(picked)
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, InteractionEditForm)
        assert form.query_one("#note", Input).value == before.note
        form.query_one("#note", Input).value = "Edited in the timeline"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactScreen)
        after = store_of(app).interaction(picked)
        # Only the note changed; the time (seconds and all), kind and people are kept.
        assert after == before.edit(note="Edited in the timeline")
        assert chosen_id(app) == picked, "the cursor stays on the edited interaction"
        shown = str(timeline(app).get_option_at_index(timeline(app).highlighted or 0).prompt)
        assert "Edited in the timeline" in shown
        await pilot.press("u")
        await settle(app, pilot)
        assert store_of(app).interaction(picked) == before
        assert store_of(app).interaction_count(who) >= 2


async def test_timeline_delete_asks_redraws_and_undo_brings_it_back(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        who = await open_contact_with_timeline(app, pilot)
        screen = app.screen
        count = store_of(app).interaction_count(who)
        newest = chosen_id(app)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert store_of(app).interaction_count(who) == count, "n keeps it"
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen
        assert store_of(app).interaction_count(who) == count - 1
        assert timeline(app).option_count == count - 1
        title = str(screen.query_one("#timeline-title", Static).render())
        assert title == f"Timeline · {count - 1} interaction{'s' if count - 1 != 1 else ''}"
        last = store_of(app).last_interaction_at(who)
        due = str(screen.query_one("#due", Static).render())
        assert "Last contact" in due
        await pilot.press("u")
        await settle(app, pilot)
        assert store_of(app).interaction_count(who) == count
        assert timeline(app).option_count == count
        back = store_of(app).last_interaction_at(who)
        assert back is not None and (last is None or back >= last)
        assert any(t.startswith("Undid: delete the ") for t in toasts(app))
        assert newest in [
            int(timeline(app).get_option_at_index(i).id or 0)
            for i in range(timeline(app).option_count)
        ]


async def test_an_interaction_edit_that_clashes_keeps_the_form_open(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_contact_with_timeline(app, pilot)
        picked = chosen_id(app)
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, InteractionEditForm)
        other = Store.open(demo_path)
        other.edit_interaction(picked, {"note": "From elsewhere"})
        other.close()
        form.query_one("#note", Input).value = "Mine"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form, "the form stays open"
        assert form.query_one("#note", Input).value == "Mine"
        assert store_of(app).interaction(picked).note == "From elsewhere"

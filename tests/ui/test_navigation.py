"""Pilot tests of moving around: screen keys switch rather than stack, escape, `o`, `n`, focus."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, TextArea

from netbalance.app import make_app
from netbalance.ui.screens.events import EventsScreen
from netbalance.ui.screens.goals import GoalsScreen
from netbalance.ui.screens.import_screen import ImportScreen
from netbalance.ui.screens.main import MainScreen
from netbalance.ui.screens.review import ReviewScreen
from netbalance.ui.widgets.contact_list import ContactList
from netbalance.ui.widgets.contacts_pane import ContactsPane
from tests.ui.conftest import NOW, settle


def stack(app: object) -> list[str]:
    """The screens above the main screen, by class name."""
    screens = app.screen_stack  # type: ignore[attr-defined]
    names = [type(s).__name__ for s in screens]
    return names[names.index("MainScreen") + 1 :]


async def test_screen_keys_switch_to_their_screen_instead_of_stacking(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        for key in "EGEG":
            await pilot.press(key)
            await settle(app, pilot)
        assert stack(app) == ["GoalsScreen"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        # From the events, the review and settings replace it too; `E` again is one screen.
        await pilot.press("E", "r")
        await settle(app, pilot)
        assert stack(app) == ["ReviewScreen"] and isinstance(app.screen, ReviewScreen)
        await pilot.press("E", "E")
        await settle(app, pilot)
        assert stack(app) == ["EventsScreen"] and isinstance(app.screen, EventsScreen)
        await pilot.press("G")
        await settle(app, pilot)
        assert stack(app) == ["GoalsScreen"] and isinstance(app.screen, GoalsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert stack(app) == []


async def test_the_duplicates_and_the_picture_switch_too(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        for key in "DNEDN":
            await pilot.press(key)
            await settle(app, pilot)
        assert stack(app) == ["NetworkPictureScreen"]
        await pilot.press("D")
        await settle(app, pilot)
        assert stack(app) == ["DuplicatesScreen"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_contact_screen_gives_way_to_a_screen_key(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert stack(app) == ["ContactScreen"]
        await pilot.press("G")
        await settle(app, pilot)
        assert stack(app) == ["GoalsScreen"]


async def test_letters_on_the_import_screen_open_no_other_screen(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("tab")  # off the path field
        await pilot.press(*"EGri,")
        await pilot.press("comma")
        await pilot.pause()
        assert stack(app) == ["ImportScreen"]


async def test_escape_in_the_list_clears_the_filter_first(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"lena kim", "enter")
        await pilot.pause()
        contacts = app.screen.query_one(ContactList)
        assert app.focused is contacts
        assert [r.name for r in contacts.rows] == ["Lena Kim"]
        await pilot.press("escape")
        await pilot.pause()
        pane = app.screen.query_one(ContactsPane)
        assert pane.query_text == "" and len(contacts.rows) == 500
        assert contacts.highlighted is not None and contacts.highlighted.name == "Lena Kim"
        assert "filter" not in str(app.screen.query_one("#contacts-status").render())
        assert isinstance(app.screen, MainScreen)


async def test_o_puts_the_cursor_on_the_first_due_contact(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        contacts = app.screen.query_one(ContactList)
        await pilot.press("end")  # the last row, a contact who is not due
        await pilot.press("o")
        await pilot.pause()
        assert contacts.rows and contacts.cursor == 0
        assert contacts.highlighted == contacts.rows[0]
        assert contacts.highlighted.due_text.endswith("late")


async def test_n_in_the_review_writes_after_the_note(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("n", *"Coffee paid off", "ctrl+s", "escape")
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("n", *" twice")
        await pilot.pause()
        assert app.screen.query_one("#review-note", TextArea).text == "Coffee paid off twice"


# --- focus (issue 9 item 6) ---------------------------------------------------------------


def title_colors(app: object) -> dict[str, object]:
    """Each main-screen pane's title background, by the pane's id."""
    screen = app.screen  # type: ignore[attr-defined]
    return {t.parent.id: t.styles.background for t in screen.query(".pane-title")}


async def test_the_focused_pane_shows_and_a_tabbed_to_list_has_a_highlight(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        for expected in ("gauge-box", "events-box", "contacts-column"):
            await pilot.press("tab")
            await pilot.pause()
            colors = title_colors(app)
            others = {colors[k] for k in colors if k != expected}
            assert len(others) == 1 and colors[expected] not in others, (expected, colors)
            box = app.screen.query_one(f"#{expected}")
            assert box.styles.border_left[1] == colors[expected]
            assert app.focused is not None and box in app.focused.ancestors
            if expected == "gauge-box":
                signals = app.screen.query_one("#signals", OptionList)
                assert app.focused is signals and signals.highlighted is not None


async def test_tab_after_a_forms_last_field_goes_to_a_field_that_takes_typing(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        for opener, last in (("n", "notes"), ("F", "who-filter")):
            await pilot.press(opener)
            await pilot.pause()
            form = app.screen
            for _ in range(30):
                if app.focused is not None and app.focused.id == last:
                    break
                await pilot.press("tab")
            assert app.focused is not None and app.focused.id == last
            await pilot.press("tab")
            assert isinstance(app.focused, Input | TextArea), app.focused
            field = app.focused
            before = field.value if isinstance(field, Input) else field.text
            await pilot.press(*"Zed")
            after = field.value if isinstance(field, Input) else field.text
            assert after != before and "Zed" in after
            form.dismiss(None)
            await pilot.pause()

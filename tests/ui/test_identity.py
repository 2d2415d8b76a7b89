"""The app acts on what the user sees (issue 9 items 1-5, issue 10 item 1 in the app).

Black-box through `make_app` and keys: each test asserts on the stored data and on the
highlighted row. The cursor follows a record, not a row number.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from netbalance.app import NetbalanceApp, make_app
from netbalance.domain import Circle, Contact, Event, EventStatus, Interaction, InteractionKind
from netbalance.store import Store
from netbalance.ui.screens.confirm import ConfirmDialog
from netbalance.ui.screens.contact import ContactScreen
from netbalance.ui.screens.contact_form import ContactForm
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


def toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def contacts(app: NetbalanceApp) -> ContactList:
    return app.screen.query_one(ContactList)


def highlighted(app: NetbalanceApp) -> int:
    row = contacts(app).highlighted
    assert row is not None
    return row.contact_id


def on_screen(app: NetbalanceApp) -> bool:
    """The highlighted row is inside the list's visible rows."""
    lst = contacts(app)
    top = lst.scroll_offset.y
    return top <= lst.cursor < top + lst.size.height - 1


async def type_text(pilot: object, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])  # type: ignore[attr-defined]


def table_key(table: DataTable[object]) -> int:
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    assert key is not None
    return int(key)


async def test_filter_then_escape_keeps_the_found_contact_highlighted_and_f_acts_on_it(
    demo_path: Path,
) -> None:
    # Item 1: `/`, a name far down the list, `esc`: the cursor stays on that person, in
    # view, and `f` follows up with them, not with someone off screen.
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        target = contacts(app).rows[-40]
        await pilot.press("slash")
        await type_text(pilot, target.name.casefold())
        await pilot.pause()
        assert highlighted(app) == target.contact_id
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(contacts(app).rows) == 500, "the filter is cleared"
        assert highlighted(app) == target.contact_id
        assert on_screen(app), "the highlighted row is in view"
        await pilot.press("f")
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.last_interaction_at(target.contact_id) == NOW
        assert any(f"Followed up with {target.name}" in t for t in toasts(app))


async def test_another_process_writing_leaves_the_cursor_on_the_same_contact(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "down")
        chosen = highlighted(app)
        rows = contacts(app).rows
        # The top contact is followed up elsewhere: it leaves the top, the rows shift.
        other = Store.open(demo_path)
        other.log_interaction(Interaction((rows[0].contact_id,), NOW - timedelta(minutes=1)), NOW)
        other.close()
        app.session.poll()
        await settle(app, pilot)
        assert contacts(app).rows[0].contact_id != rows[0].contact_id
        assert highlighted(app) == chosen
        # Re-sorting by name re-ranks everything: still the same person.
        await pilot.press("S")
        await pilot.pause()
        assert highlighted(app) == chosen
        assert on_screen(app)


async def test_archive_moves_the_cursor_to_the_next_contact_and_undo_keeps_it(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("down")
        rows = contacts(app).rows
        gone, after = rows[1].contact_id, rows[2].contact_id
        await pilot.press("d")
        await settle(app, pilot)
        assert app.store is not None and app.store.contact(gone).archived
        assert highlighted(app) == after
        await pilot.press("u")
        await settle(app, pilot)
        assert not app.store.contact(gone).archived
        assert gone in [r.contact_id for r in contacts(app).rows]
        assert highlighted(app) == after, "undo leaves the cursor where the user is"


async def test_events_pane_decline_keeps_the_cursor_on_a_neighbour_not_row_one(
    demo_path: Path,
) -> None:
    # Item 2: down, `x`: the declined event leaves the pane; the cursor goes to the event
    # that was after it, and the next key acts on that one.
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table: DataTable[object] = app.screen.query_one("#events-table", DataTable)
        assert table.row_count >= 4
        await pilot.press("tab")  # to the gauge's signals
        while not table.has_focus:
            await pilot.press("tab")
        await pilot.press("down", "down")
        keys = [int(str(k.value)) for k in table.rows]
        declined, after = keys[2], keys[3]
        await pilot.press("x")
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.event(declined).status is EventStatus.DECLINED
        assert table_key(table) == after
        await pilot.press("g")
        await pilot.pause()
        if isinstance(app.screen, ConfirmDialog):  # over budget: asked first
            await pilot.press("y")
        await settle(app, pilot)
        assert app.store.event(after).status is EventStatus.GOING
        assert table_key(table) == after


async def test_events_screen_decline_then_undo_shows_the_old_status_in_place(
    demo_path: Path,
) -> None:
    # Item 5: `x` then `u` on the events screen: the row shows the status back at once.
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        table: DataTable[object] = app.screen.query_one("#all-events", DataTable)
        await pilot.press("down")
        event_id = table_key(table)
        assert app.store is not None
        before = app.store.event(event_id).status
        assert before is not EventStatus.DECLINED
        await pilot.press("x")
        await settle(app, pilot)
        assert app.store.event(event_id).status is EventStatus.DECLINED
        assert "✗ no" in str(table.get_cell(str(event_id), "status"))
        assert table_key(table) == event_id
        await pilot.press("u")
        await settle(app, pilot)
        assert app.store.event(event_id).status is before
        assert "✗ no" not in str(table.get_cell(str(event_id), "status"))
        assert table_key(table) == event_id


async def test_goals_retire_then_undo_shows_active_again_in_place(demo_path: Path) -> None:
    # Item 5: retire a goal then `u`: the row says active again without reopening.
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")
        await settle(app, pilot)
        table: DataTable[object] = app.screen.query_one("#goals-table", DataTable)
        await pilot.press("down")
        goal_id = table_key(table)
        assert app.store is not None and app.store.goal(goal_id).active
        await pilot.press("d")
        await settle(app, pilot)
        assert not app.store.goal(goal_id).active
        assert str(table.get_cell(str(goal_id), "status")) == "retired"
        await pilot.press("u")
        await settle(app, pilot)
        assert app.store.goal(goal_id).active
        assert str(table.get_cell(str(goal_id), "status")) == "active"
        assert table_key(table) == goal_id


async def test_marking_a_future_event_attended_is_refused_with_the_reason(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        assert app.store is not None
        ahead = next(
            e for e in app.store.events() if e.start > NOW and e.status is EventStatus.CONSIDERING
        )
        table: DataTable[object] = app.screen.query_one("#all-events", DataTable)
        table.move_cursor(row=table.get_row_index(str(ahead.id)))
        await pilot.press("a")
        await settle(app, pilot)
        assert app.store.event(ahead.id).status is EventStatus.CONSIDERING
        assert any("has not started yet" in t for t in toasts(app))


async def test_contact_screen_says_the_same_next_due_as_the_list_and_met_once(
    demo_path: Path,
) -> None:
    # Item 3: an event acquaintance with a pending next step (no cadence) is "in N days"
    # in the list; the contact screen says the same, and "Met" once.
    with Store.open(demo_path) as store:
        event = store.add_event(Event("Design meetup", NOW - timedelta(days=2)))
        person = store.add_contact(
            Contact(
                "Vera Acquaintance",
                circle=Circle.ACQUAINTANCE,
                how_met="met at Design meetup",
                met_at_event_id=event.id,
            ),
            NOW - timedelta(days=2),
        )
        store.log_interaction(
            Interaction(
                (person.id,),
                NOW - timedelta(days=2),
                kind=InteractionKind.EVENT_CHAT,
                next_step="First follow-up",
                next_step_on=(NOW + timedelta(days=8)).date(),
                event_id=event.id,
            ),
            NOW,
        )
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        contacts(app).select(person.id)
        row = contacts(app).highlighted
        assert row is not None and row.contact_id == person.id
        assert row.due_text == "in 8 days"
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        due = str(screen.query_one("#due", Static).render())
        assert row.due_text in due
        assert "never" not in due
        profile = str(screen.query_one("#profile", Static).render())
        met = [line for line in profile.splitlines() if line.startswith("Met")]
        assert len(met) == 1
        assert profile.count("Design meetup") == 1, "how they met says the event once"
        strength = str(screen.query_one("#strength", Static).render())
        assert "/100" in strength and "time" in strength


async def test_an_edit_that_clashes_with_another_process_keeps_the_form_open(
    demo_path: Path,
) -> None:
    # Issue 10 item 1 in the app: the form stays open with the user's input and says why.
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        target = highlighted(app)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        other = Store.open(demo_path)
        other.edit_contact(target, {"company": "Elsewhere Ltd"})
        other.close()
        company = form.query_one("#company", Input)
        company.value = "Mine Inc"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form, "the form stays open"
        assert company.value == "Mine Inc", "with what the user typed"
        message = str(form.query_one("#name-message", Static).render())
        assert "was changed elsewhere" in message and "Elsewhere Ltd" in message
        assert app.store is not None
        assert app.store.contact(target).company == "Elsewhere Ltd"
        # A field nobody else changed saves, and keeps the other process's change.
        company.value = "Elsewhere Ltd"
        form.query_one("#notes").load_text("Met at the fair")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
        stored = app.store.contact(target)
        assert stored.company == "Elsewhere Ltd" and stored.notes == "Met at the fair"


async def test_undo_refused_when_another_process_changed_the_field_says_so(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        target = highlighted(app)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("1")
        await settle(app, pilot)
        assert app.store is not None
        mine = app.store.contact(target).snoozed_until
        assert mine is not None
        other = Store.open(demo_path)
        other.snooze(target, NOW + timedelta(days=30))
        other.close()
        await pilot.press("u")
        await settle(app, pilot)
        assert app.store.contact(target).snoozed_until == NOW + timedelta(days=30)
        assert any("changed elsewhere" in t and "Nothing was undone" in t for t in toasts(app))


async def test_undo_and_redo_keys_act_in_the_order_they_were_pressed(demo_path: Path) -> None:
    """`f u f U`: the second follow-up drops what could be redone, so `U` has nothing to
    redo, however fast the keys come. A pane's key reaches the Session through messages
    up to its screen; `U` (the App's key) used to act at once, ahead of them."""
    from netbalance.ui.widgets.contacts_pane import ContactsPane

    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert app.store is not None and app.store.last_interaction_at(first) != NOW
        second = highlighted(app)
        assert second != first  # the cursor went on to the next contact
        # The second `f` and `U` in one turn of the event loop, as on a busy screen.
        app.screen.query_one(ContactsPane).action_follow_up()
        app.action_redo()
        await settle(app, pilot)
        assert app.store.last_interaction_at(second) == NOW
        assert app.store.last_interaction_at(first) != NOW, "the undone follow-up came back"
        assert any("Nothing to redo" in t for t in toasts(app))

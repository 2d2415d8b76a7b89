"""Pilot tests of the events and goals screens: each flow asserts on the store and the screen."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, OptionList, Static

from netbalance.app import NetbalanceApp, make_app
from netbalance.domain import EventStatus, InteractionKind
from netbalance.domain.circles import Circle
from netbalance.domain.model import Event, Goal
from netbalance.store import Store
from netbalance.ui.screens.confirm import ConfirmDialog
from netbalance.ui.screens.event_form import EventForm
from netbalance.ui.screens.events import EventScreen, EventsScreen
from netbalance.ui.screens.goals import GoalForm, GoalPicker, GoalScreen, GoalsScreen
from netbalance.ui.screens.who_met import WhoMetDialog
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


def toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def text_of(app: NetbalanceApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def events_table(app: NetbalanceApp) -> DataTable[object]:
    return app.screen.query_one("#all-events", DataTable)


async def type_text(pilot: object, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])  # type: ignore[attr-defined]


def cursor_on(app: NetbalanceApp, event_id: int) -> None:
    table = events_table(app)
    table.move_cursor(row=table.get_row_index(str(event_id)))


def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.json"
    with Store.open(path) as store:
        store.add_goal(Goal("Learn Rust"), NOW)
        from netbalance.domain import Contact

        store.add_contact(Contact("Ana Silva"), NOW)
    return path


async def test_events_screen_lists_every_event_with_triage_and_return(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        assert isinstance(app.screen, EventsScreen)
        assert app.store is not None
        table = events_table(app)
        assert table.row_count == len(app.store.events()) == 40
        attended = next(e for e in app.store.events() if e.status is EventStatus.ATTENDED)
        health = str(table.get_cell(str(attended.id), "health"))
        assert health.startswith(f"{len(attended.met_contact_ids)} → ")
        # The cursor starts on the first event ahead, and its triage reason is explained.
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key is not None and app.store.event(int(key)).start >= NOW - timedelta(days=1)
        assert any(w in text_of(app, "#events-explain") for w in ("Worth", "Fine to skip"))
        # s cycles the status filter: considering only.
        await pilot.press("s")
        await pilot.pause()
        shown = [app.store.event(int(str(k.value))) for k in table.rows]
        assert shown and all(e.status is EventStatus.CONSIDERING for e in shown)
        await pilot.press("s", "s", "s", "s", "s")  # back to all
        await pilot.press("o", "o")  # goal filter: "no goal", then the first goal
        await pilot.pause()
        shown = [app.store.event(int(str(k.value))) for k in table.rows]
        assert shown and all(1 in e.goal_ids for e in shown)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EventsScreen)


async def test_add_and_edit_an_event(tmp_path: Path) -> None:
    app = make_app(empty_db(tmp_path), now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        assert "No events yet" in text_of(app, "#all-events-empty")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EventForm)
        await type_text(pilot, "Rust meetup")
        await pilot.press("tab")
        await type_text(pilot, "next friday 18:30")
        await pilot.pause()
        assert "Fri 4 Dec 2026, 18:30" in text_of(app, "#start-preview")
        await pilot.press("tab")
        await type_text(pilot, "3h")
        await pilot.pause()
        assert "(3 h)" in text_of(app, "#end-preview")
        app.screen.query_one("#hours", Input).value = "4.5"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store is not None
        (event,) = app.store.events()
        assert event.title == "Rust meetup"
        assert event.start.astimezone(NOW.tzinfo).strftime("%Y-%m-%d %H:%M") == "2026-12-04 18:30"
        assert event.end is not None and event.end - event.start == timedelta(hours=3)
        assert event.hours == 4.5
        assert isinstance(app.screen, EventsScreen)
        assert events_table(app).row_count == 1
        # Edit: a bad start is reported next to its field, then fixed.
        await pilot.press("e")
        await pilot.pause()
        start = app.screen.query_one("#start", Input)
        start.value = "someday"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not a date I understand" in text_of(app, "#start-message")
        start.value = "2026-12-05 19:00"
        app.screen.query_one("#tags", Input).value = "rust, meetup"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        edited = app.store.event(event.id)
        assert edited.tags == ("rust", "meetup")
        assert edited.start.astimezone(NOW.tzinfo).day == 5
        assert edited.hours == 4.5, "fields the user did not touch survive"
        assert edited.end is not None and edited.end - edited.start == timedelta(
            hours=2, minutes=30
        )


async def test_going_over_budget_asks_first(tmp_path: Path) -> None:
    path = empty_db(tmp_path)
    with Store.open(path) as store:
        start = NOW + timedelta(days=2)
        store.add_event(Event("Big conference", start, hours=4, status=EventStatus.GOING))
        small = store.add_event(Event("Rust meetup", start + timedelta(hours=26), hours=3))
    app = make_app(path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        cursor_on(app, small.id)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        body = text_of(app, "#confirm-body")
        assert "7 hours that week, budget 5 (over)" in body
        assert app.store is not None
        assert app.store.event(small.id).status is EventStatus.CONSIDERING, "asked before changing"
        await pilot.press("n")
        await settle(app, pilot)
        assert app.store.event(small.id).status is EventStatus.CONSIDERING
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert app.store.event(small.id).status is EventStatus.GOING
        assert "✓ going" in str(events_table(app).get_cell(str(small.id), "status"))
        # Declined and missed need no question.
        await pilot.press("x")
        await settle(app, pilot)
        assert app.store.event(small.id).status is EventStatus.DECLINED
        # Missed (or attended) only once the event has started: refused with the reason.
        await pilot.press("m")
        await settle(app, pilot)
        assert app.store.event(small.id).status is EventStatus.DECLINED
        assert any("has not started yet" in t for t in toasts(app))
        assert "✗ no" in str(events_table(app).get_cell(str(small.id), "status"))


async def test_attended_then_who_i_met_new_and_existing(demo_path: Path) -> None:
    with Store.open(demo_path) as store:
        # This morning's meetup, marked going: attended once it has started.
        event = store.add_event(
            Event("Design meetup", NOW - timedelta(hours=2), status=EventStatus.GOING)
        )
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        before_contacts = app.store.contact_count()
        existing = next(c for c in app.store.contacts() if c.name.startswith("Ana "))
        await pilot.press("E")
        await settle(app, pilot)
        cursor_on(app, event.id)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, WhoMetDialog)
        # An existing contact: type part of the name, the first match is highlighted.
        await type_text(pilot, existing.name)
        await pilot.press("enter")
        # Five new people, one after the other.
        for n in range(5):
            await type_text(pilot, f"Zed Newperson{n}")
            await pilot.press("enter")
        await pilot.pause()
        capacity = text_of(app, "#who-met-capacity")
        assert "more than your follow-up capacity of 5" in capacity
        assert "Nobody can follow up with everyone" in capacity
        await pilot.press("enter")  # empty name: done
        await settle(app, pilot)
        stored = app.store.event(event.id)
        assert stored.status is EventStatus.ATTENDED
        assert app.store.contact_count() == before_contacts + 5
        new = [c for c in app.store.contacts() if c.name.startswith("Zed Newperson")]
        assert len(new) == 5
        assert all(c.circle is Circle.ACQUAINTANCE and c.met_at_event_id == event.id for c in new)
        assert set(stored.met_contact_ids) == {existing.id, *(c.id for c in new)}
        chats = app.store.interactions_of(existing.id)
        chat = next(i for i in chats if i.event_id == event.id)
        assert chat.kind is InteractionKind.EVENT_CHAT
        assert chat.next_step_on is not None
        first = chat.next_step_on
        event_day = event.start.astimezone(NOW.tzinfo).date()
        assert first == event_day + timedelta(days=3)
        days = sorted(
            i.next_step_on
            for c in new
            for i in app.store.interactions_of(c.id)
            if i.next_step_on is not None
        )
        assert days[-1] == event_day + timedelta(days=8), "the sixth person gets a later day"
        assert any("Met at" in t for t in toasts(app))


async def test_who_met_from_w_and_the_event_page(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        event = next(e for e in app.store.events() if e.status is EventStatus.ATTENDED)
        await pilot.press("E")
        await settle(app, pilot)
        cursor_on(app, event.id)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        met = app.screen.query_one("#event-met", OptionList)
        assert met.option_count == len(event.met_contact_ids)
        await pilot.press("w")
        await pilot.pause()
        await type_text(pilot, "Quinn Example")
        await pilot.press("down")  # no match: the only option is "new contact"
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert met.option_count == len(event.met_contact_ids) + 1
        assert "Quinn Example" in str(met.get_option_at_index(met.option_count - 1).prompt) or any(
            "Quinn Example" in str(met.get_option_at_index(i).prompt)
            for i in range(met.option_count)
        )
        # Escape in the name field with nothing typed cancels without writing.
        before = app.store.contact_count()
        await pilot.press("w")
        await pilot.pause()
        await type_text(pilot, "Nobody")
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert app.store.contact_count() == before


async def test_goals_add_edit_retire_and_page(tmp_path: Path) -> None:
    app = make_app(empty_db(tmp_path), now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")
        await settle(app, pilot)
        assert isinstance(app.screen, GoalsScreen)
        table = app.screen.query_one("#goals-table", DataTable)
        assert table.row_count == 1
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, GoalForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Must not be blank" in text_of(app, "#title-message")
        await type_text(pilot, "Find a design job")
        app.screen.query_one("#target", Input).value = "2027-06-01"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store is not None
        goal = app.store.goals()[-1]
        assert goal.title == "Find a design job" and goal.target_date == date(2027, 6, 1)
        assert goal.created_at == NOW
        assert table.row_count == 2
        table.move_cursor(row=table.get_row_index(str(goal.id)))
        await pilot.press("d")
        await settle(app, pilot)
        assert not app.store.goal(goal.id).active
        assert "retired" in str(table.get_cell(str(goal.id), "status"))
        await pilot.press("u")
        await settle(app, pilot)
        assert app.store.goal(goal.id).active
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "Find a product design job"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store.goal(goal.id).title == "Find a product design job"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GoalScreen)
        assert "none yet" in text_of(app, "#goal-contacts-title")


async def test_l_links_the_highlighted_contact_to_a_goal(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        row = app.screen.query_one(ContactList).highlighted
        assert row is not None
        contact = app.store.contact(row.contact_id)
        goal = next(g for g in app.store.goals() if g.active and g.id not in contact.goal_ids)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, GoalPicker)
        choices = app.screen.query_one("#goal-choices", OptionList)
        index = next(
            i
            for i in range(choices.option_count)
            if choices.get_option_at_index(i).id == str(goal.id)
        )
        choices.highlighted = index
        await pilot.press("enter")
        await settle(app, pilot)
        assert goal.id in app.store.contact(contact.id).goal_ids
        assert any(f"Linked {contact.name}" in t for t in toasts(app))
        # The goal's page lists the contact, with when it was last touched.
        await pilot.press("G")
        await settle(app, pilot)
        table = app.screen.query_one("#goals-table", DataTable)
        table.move_cursor(row=table.get_row_index(str(goal.id)))
        await pilot.press("enter")
        await settle(app, pilot)
        contacts = app.screen.query_one("#goal-contacts", OptionList)
        prompts = [
            str(contacts.get_option_at_index(i).prompt) for i in range(contacts.option_count)
        ]
        assert any(contact.name in p and "last touched" in p for p in prompts)
        # l again on a linked goal unlinks it.
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        app.screen.query_one("#goal-choices", OptionList).highlighted = index
        await pilot.press("enter")
        await settle(app, pilot)
        assert goal.id not in app.store.contact(contact.id).goal_ids


async def test_main_screen_g_checks_the_budget_too(tmp_path: Path) -> None:
    path = empty_db(tmp_path)
    with Store.open(path) as store:
        start = NOW + timedelta(days=2)
        store.add_event(Event("Summit", start, hours=6, status=EventStatus.CONSIDERING))
    app = make_app(path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#events-table", DataTable).focus()
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "6 hours that week, budget 5 (over)" in text_of(app, "#confirm-body")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.events()[0].status is EventStatus.CONSIDERING

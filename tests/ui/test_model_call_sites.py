"""The screens call the model's rules, so they answer as the command line does.

Black-box through `make_app` and keys: each test asserts on what was stored (or
not) and on the words shown.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from netbalance.app import make_app
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


def message(screen: Any, key: str) -> str:
    """The validation message shown under field `key` ('' when hidden)."""
    line = screen.query_one(f"#{key}-message", Static)
    return str(line.render()) if line.has_class("-shown") else ""


def shown(widget: Static) -> str:
    return str(widget.render())


# --- 1. the log form: when_happened / next_step_day ------------------------------------


async def test_log_form_refuses_in_3_days_and_keeps_yesterday_at_15(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        top = app.screen.query_one(ContactList).highlighted
        before = len(app.store.interactions_of(top.contact_id))
        await pilot.press("F")
        await pilot.pause()
        form = app.screen
        form.query_one("#when", Input).value = "in 3 days"
        await pilot.pause()
        assert "is in the future" in shown(form.query_one("#when-preview", Static))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not logged
        assert message(form, "when") == (
            "“in 3 days” is in the future; log an interaction once it has happened"
        )
        assert len(app.store.interactions_of(top.contact_id)) == before

        form.query_one("#when", Input).value = "yesterday 15:00"
        await pilot.pause()
        assert "(yesterday)" in shown(form.query_one("#when-preview", Static))
        form.query_one("#note", Input).value = "Coffee at three"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        (logged,) = [
            i for i in app.store.interactions_of(top.contact_id) if i.note == "Coffee at three"
        ]
        local = logged.at.astimezone(NOW.tzinfo)
        assert (local.date(), local.hour, local.minute) == (
            (NOW - timedelta(days=1)).date(),
            15,
            0,
        )


async def test_log_form_refuses_a_next_step_in_the_past(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        top = app.screen.query_one(ContactList).highlighted
        before = len(app.store.interactions_of(top.contact_id))
        await pilot.press("F")
        await pilot.pause()
        form = app.screen
        form.query_one("#next-step", Input).value = "send the deck"
        form.query_one("#next-step-on", Input).value = "yesterday"
        await pilot.pause()
        preview = shown(form.query_one("#next-step-on-preview", Static))
        assert "is in the past; a next step is still to do" in preview
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert message(form, "next-step-on") == (
            "“yesterday” is in the past; a next step is still to do"
        )
        assert len(app.store.interactions_of(top.contact_id)) == before
        form.query_one("#next-step-on", Input).value = "friday"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        (logged,) = [
            i for i in app.store.interactions_of(top.contact_id) if i.next_step == "send the deck"
        ]
        assert logged.next_step_on is not None and logged.next_step_on >= NOW.date()


# --- 2. who I met: check_event_started, met_at_event_time, first_follow_up_day ----------


def _events_table(app: Any) -> Any:
    from textual.widgets import DataTable

    return app.screen.query_one("#all-events", DataTable)


async def _open_events_at(app: Any, pilot: Any, event_id: int) -> None:
    await pilot.press("E")
    await settle(app, pilot)
    table = _events_table(app)
    table.move_cursor(row=table.get_row_index(str(event_id)))


async def _type(pilot: Any, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


async def test_who_met_refuses_an_event_that_has_not_started(demo_path: Path) -> None:
    from netbalance.domain import EventStatus
    from netbalance.ui.screens.who_met import WhoMetDialog

    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        event = next(e for e in app.store.events() if e.start > NOW)
        before = (app.store.contact_count(), app.store.interaction_count())
        await _open_events_at(app, pilot, event.id)
        await pilot.press("w")
        await settle(app, pilot)
        # Refused before the dialog opens, with the rule's own words.
        assert not isinstance(app.screen, WhoMetDialog)
        said = [str(n.message) for n in app._notifications]
        assert any("the event has not started yet (it starts" in t for t in said), said
        assert (app.store.contact_count(), app.store.interaction_count()) == before
        assert app.store.event(event.id).status is not EventStatus.ATTENDED


async def test_who_met_dates_chats_on_the_event_and_suggests_days_in_the_window(
    demo_path: Path,
) -> None:
    from netbalance.domain import EventStatus
    from netbalance.domain.health.triage import follow_up_window
    from netbalance.ui.screens.who_met import WhoMetDialog

    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        store = app.store
        assert store is not None
        # Attended 13 days ago: for someone known before it, the window closes tomorrow.
        event = next(
            e
            for e in store.events()
            if e.status is EventStatus.ATTENDED
            and (NOW.date() - e.start.astimezone(NOW.tzinfo).date()).days == 13
        )
        window = store.settings().thresholds.followup_window_days
        known = next(
            c
            for c in store.contacts()
            if c.created_at < event.start and c.id not in event.met_contact_ids
        )
        last = follow_up_window(event, NOW.tzinfo, window, known.created_at)[1]
        assert last == NOW.date() + timedelta(days=1)
        await _open_events_at(app, pilot, event.id)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WhoMetDialog)
        await _type(pilot, known.name)
        await pilot.press("enter")
        await _type(pilot, "Zed Newcomer")
        await pilot.press("down", "enter")
        await pilot.pause()
        listing = app.screen.query_one("#who-met-list")
        lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any(
            known.name in line and f"follow up {last:%a} {last.day} {last:%b}" in line
            for line in lines
        ), lines
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        chat = next(i for i in store.interactions_of(known.id) if i.event_id == event.id)
        # Dated on the event's day, not now; the suggestion inside the model's window.
        assert chat.at == event.start
        assert chat.next_step_on == last
        (newcomer,) = [c for c in store.contacts() if c.name == "Zed Newcomer"]
        new_chat = next(i for i in store.interactions_of(newcomer.id) if i.event_id == event.id)
        assert new_chat.at == event.start
        new_last = follow_up_window(event, NOW.tzinfo, window, newcomer.created_at)[1]
        assert new_chat.next_step_on is not None
        assert NOW.date() <= new_chat.next_step_on <= new_last


# --- 3. the contact form: closeness and parse_birthday ------------------------------------


async def test_contact_form_rates_closeness_and_reads_birthdays_as_the_cli(
    demo_path: Path,
) -> None:
    from netbalance.domain.model import Birthday

    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        store = app.store
        assert store is not None
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#name", Input).value = "Zora Quist"
        form.query_one("#closeness", Input).value = "9"
        form.query_one("#birthday", Input).value = "1990-02-31"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert message(form, "birthday") == (
            "“1990-02-31” is not a real date: February 1990 has 28 days"
        )
        form.query_one("#birthday", Input).value = "12 mar 1986"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert message(form, "closeness") == "Must be 1 (distant) to 7 (very close)"
        assert not [c for c in store.contacts() if c.name == "Zora Quist"]
        form.query_one("#closeness", Input).value = "6"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        (zora,) = [c for c in store.contacts() if c.name == "Zora Quist"]
        assert zora.closeness == 6
        assert zora.birthday == Birthday(3, 12, 1986)
        # Editing shows the rating, and clearing it stores "not said".
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#closeness", Input).value == "6"
        app.screen.query_one("#closeness", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.contact(zora.id).closeness is None
        assert store.contact(zora.id).birthday == Birthday(3, 12, 1986)


# --- 4. the main screen: held zone in words, today's list, birthdays ----------------------


def _neglecter_db(tmp_path: Path) -> Path:
    """Nate (tests/model/personas.py): deepening by the numbers, held at balanced by
    his overdue inner circle; plus a birthday next week."""
    from netbalance.domain.model import Birthday
    from netbalance.store import Store
    from tests.model import personas

    path = tmp_path / "nate.json"
    with Store.open(path) as store:
        personas.neglecter(store)
        first = store.contacts()[0]
        day = personas.NOW.date() + timedelta(days=5)
        store.update_contact(first.edit(birthday=Birthday(day.month, day.day, 1990)))
    return path


async def test_main_screen_says_why_the_zone_is_held_and_shows_todays_list(
    tmp_path: Path,
) -> None:
    from netbalance.domain.health import NetworkModel
    from netbalance.ui.widgets.gauge import GaugeBar
    from tests.model import personas

    path = _neglecter_db(tmp_path)
    app = make_app(path, now=personas.NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        store = app.store
        assert store is not None
        model = NetworkModel.build(
            store.contacts(),
            store.interactions_by_contact(),
            store.events(),
            store.goals(),
            store.settings(),
            personas.NOW,
        )
        gauge, today = model.gauge(), model.today_list()
        assert gauge.held_by == ("backlog",)
        bar = app.screen.query_one(GaugeBar)
        assert "balanced (held)" in str(bar.render())
        held = shown(app.screen.query_one("#gauge-held", Static))
        assert held == gauge.lead
        assert held == "Balanced: not spread thin, but 13 close ties are waiting."
        # Today's list, not the whole backlog: the model's few, in its order.
        title = shown(app.screen.query_one("#today-title", Static))
        assert title == f"Today · {len(today.items)} of {today.due} due"
        assert len(today.items) < today.due
        body = shown(app.screen.query_one("#today-body", Static))
        lines = body.splitlines()
        assert [line.split(" · ")[0].removeprefix("• ") for line in lines[: len(today.items)]] == [
            i.name for i in today.items
        ]
        assert today.line() in " ".join(body.split("\n"))
        assert "Birthday: Nate's inner 1's birthday" in body
        assert "(in 5 days, turns" in body


async def test_todays_list_redraws_after_a_follow_up(tmp_path: Path) -> None:
    """`f` on someone in today's list: the pane redraws from the core (one DataChanged),
    as a model built afresh from the store says it."""
    from netbalance.domain.health import NetworkModel
    from tests.model import personas

    path = _neglecter_db(tmp_path)
    app = make_app(path, now=personas.NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        store = app.store
        assert store is not None
        before = shown(app.screen.query_one("#today-body", Static))
        first = before.splitlines()[0].split(" · ")[0].removeprefix("• ")
        listed = app.screen.query_one(ContactList)
        listed.select(next(r.contact_id for r in listed.rows if r.name == first))
        await pilot.press("f")
        await settle(app, pilot)
        model = NetworkModel.build(
            store.contacts(),
            store.interactions_by_contact(),
            store.events(),
            store.goals(),
            store.settings(),
            personas.NOW,
        )
        today = model.today_list()
        assert first not in [i.name for i in today.items]
        title = shown(app.screen.query_one("#today-title", Static))
        assert title == f"Today · {len(today.items)} of {today.due} due"
        body = shown(app.screen.query_one("#today-body", Static))
        assert body != before
        names = [line.split(" · ")[0].removeprefix("• ") for line in body.splitlines()]
        assert names[: len(today.items)] == [i.name for i in today.items]
        assert today.line() in " ".join(body.split("\n"))


# --- 5. the review: care overdue days, held zone, birthdays, as `netbalance review` ------


def cli_json(db: Path, *args: str) -> Any:
    """`netbalance --db DB ARGS --json` at the personas' clock, parsed."""
    import contextlib
    import io
    import json
    import os

    import pendulum

    from netbalance.cli import main
    from tests.model import personas

    out = io.StringIO()
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Paris"
    try:
        with pendulum.travel_to(personas.NOW, freeze=True), contextlib.redirect_stdout(out):
            code = main(["--db", str(db), *args, "--json"])
    finally:
        if old_tz is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old_tz
    assert code == 0
    return json.loads(out.getvalue())


async def test_review_says_what_the_cli_review_says(tmp_path: Path) -> None:
    from netbalance.ui.screens.review import ReviewScreen
    from tests.model import personas

    path = _neglecter_db(tmp_path)
    cli = cli_json(path, "review")
    cli_gauge = cli_json(path, "gauge")
    reconnect = cli["prompts"]["reconnect"]
    assert reconnect and cli["upcoming_dates"]
    app = make_app(path, now=personas.NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.pause(0.2)
        await settle(app, pilot)
        prompts = shown(screen.query_one("#review-prompts", Static))
        # Snoozed or not, the days past the care the circle asks: the CLI's numbers.
        for p in reconnect:
            days = p["overdue_days"]
            assert days > 0
            word = "day" if days == 1 else "days"
            assert f"{p['name']} ({p['circle']}, {days} {word} late)" in prompts
        gauge = shown(screen.query_one("#review-gauge", Static))
        assert f"{cli['gauge']['balance']:+.2f} {cli['gauge']['zone']}" in gauge
        assert cli_gauge["held_by"] == ["backlog"]
        assert cli_gauge["explanation"].split(". ")[0] in gauge
        dates = shown(screen.query_one("#review-dates", Static))
        assert "Coming up (next 14 days)" in dates
        for d in cli["upcoming_dates"]:
            assert d["name"] in dates and f"in {d['days_until']} days" in dates
        follow = shown(screen.query_one("#review-activity", Static))
        assert f"{cli['followups']['done']} of {cli['followups']['due']} due done" in follow


async def test_editing_a_logged_chat_keeps_its_past_next_step_and_refuses_a_new_one(
    demo_path: Path,
) -> None:
    """The edit form keeps a stored next-step day that has since passed (shown, not
    refused); a day the user types is read as `log --next-step-on` reads it."""
    from netbalance.domain import Contact, Interaction
    from netbalance.store import Store
    from netbalance.ui.screens.interaction_form import InteractionEditForm

    past = NOW.date() - timedelta(days=3)
    with Store.open(demo_path) as store:
        who = store.add_contact(Contact("Quinn Pastday"), NOW - timedelta(days=30))
        chat = store.log_interaction(
            Interaction((who.id,), NOW - timedelta(days=10), next_step="call", next_step_on=past),
            NOW - timedelta(days=10),
        )
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.screen.query_one(ContactList).select(who.id)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("tab")
        await pilot.pause()
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, InteractionEditForm)
        preview = form.query_one("#next-step-on-preview", Static)
        assert not preview.has_class("-bad")
        assert f"{past:%a} {past.day} {past:%b %Y} (passed)" == shown(preview)
        form.query_one("#note", Input).value = "kept the day"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.interaction(chat.id).next_step_on == past
        assert app.store.interaction(chat.id).note == "kept the day"
        # A past day typed anew is refused, as on the command line.
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, InteractionEditForm)
        form.query_one("#next-step-on", Input).value = f"{past - timedelta(days=1):%Y-%m-%d}"
        await pilot.pause()
        assert form.query_one("#next-step-on-preview", Static).has_class("-bad")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert message(form, "next-step-on")
        assert app.store.interaction(chat.id).next_step_on == past

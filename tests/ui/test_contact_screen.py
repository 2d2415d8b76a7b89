"""Pilot tests for the contact screen: what it shows from the core, and what its keys do."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from textual.app import App
from textual.widgets import OptionList, Static

from netbalance.core import Core
from netbalance.domain.circles import Circle
from netbalance.domain.model import Contact, Event, Goal, Initiator, Interaction, InteractionKind
from netbalance.store import Store
from netbalance.ui.screens.contact import ContactScreen, cut_middle
from netbalance.ui.session import Session

NOW = datetime(2025, 12, 18, 14, 30, tzinfo=UTC)


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def timeline_lines(screen: Any) -> list[str]:
    timeline = screen.query_one("#timeline", OptionList)
    return [str(timeline.get_option_at_index(i).prompt) for i in range(timeline.option_count)]


class Host(App[None]):
    """Opens the core on `store` (health model built) and pushes the contact screen."""

    def __init__(self, store: Store, contact_id: int) -> None:
        super().__init__()
        self.store = store
        self.contact_id = contact_id
        self.session = Session(self, lambda: NOW)
        self.closed = False

    def on_mount(self) -> None:
        core = Core.open(self.store, lambda: NOW)
        core.install_health(core.build_health(NOW))
        self.session.core = core
        self.run_worker(self.session.writer.run(), group="writer")
        self.push_screen(ContactScreen(self.contact_id), self.on_closed)

    def on_closed(self, _: None) -> None:
        self.closed = True


@pytest.fixture
def store() -> Store:
    s = Store.in_memory()
    goal = s.add_goal(Goal("Find a design job"), NOW)
    event = s.add_event(Event("PyCon UK", datetime(2025, 9, 20, 9, tzinfo=UTC)))
    ana = s.add_contact(
        Contact(
            "Ana Silva",
            circle=Circle.CLOSE,
            emails=("ana@example.com",),
            company="Acme",
            role="Designer",
            tags=("design",),
            goal_ids=(goal.id,),
            how_met="talk on typography",
            met_at_event_id=event.id,
            notes="Likes long walks",
        ),
        datetime(2025, 9, 20, tzinfo=UTC),
    )
    bo = s.add_contact(Contact("Bo Li"), datetime(2025, 9, 20, tzinfo=UTC))
    s.log_interaction(
        Interaction(
            (ana.id,),
            datetime(2025, 10, 1, 18, 0, tzinfo=UTC),
            kind=InteractionKind.COFFEE,
            depth=3,
            initiated_by=Initiator.THEM,
            minutes=60,
            note="Talked about her new team",
            next_step="send the portfolio",
            next_step_on=date(2025, 10, 8),
        ),
        NOW,
    )
    s.log_interaction(
        Interaction((ana.id, bo.id), datetime(2025, 11, 20, 12, 0, tzinfo=UTC), depth=1),
        NOW,
    )
    return s


async def test_profile_strength_and_timeline_newest_first(store: Store) -> None:
    app = Host(store, 1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        profile = text_of(screen, "#profile")
        for expected in (
            "Ana Silva",
            "Close",
            "every 30 days (Close default)",
            "ana@example.com",
            "Designer · Acme",
            "design",
            "Find a design job",
            "talk on typography · PyCon UK",
            "Likes long walks",
        ):
            assert expected in profile
        health = text_of(screen, "#strength")
        assert "Strength" in health
        assert "/100" in health or "—" in health
        # Last interaction 20 Nov + 30 days: due 20 Dec, two days from "now".
        due = text_of(screen, "#due")
        assert "in 2 days · Sat 20 Dec 2025" in due
        assert "4 weeks ago" in due
        lines = timeline_lines(screen)
        assert len(lines) == 2
        assert lines[0].startswith("Thu 20 Nov 2025 12:00 · Message · ping · I reached out")
        assert "with Bo Li" in lines[0]
        assert lines[1].startswith(
            "Wed 1 Oct 2025 18:00 · Coffee / meal · deep · they reached out · 60 min"
        )
        assert "Talked about her new team" in lines[1]
        assert "→ send the portfolio (by Wed 8 Oct 2025)" in lines[1]
        assert text_of(screen, "#timeline-title") == "Timeline · 2 interactions"


async def test_strength_components_are_explained(store: Store) -> None:
    pytest.importorskip("netbalance.domain.health.strength")
    app = Host(store, 1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        health = text_of(app.screen, "#strength")
        for key in ("time", "days", "intimacy", "reciprocity", "steadiness"):
            assert key in health
        assert "█" in health


async def test_f_logs_a_follow_up_and_the_screen_shows_it(store: Store) -> None:
    before = store.interaction_count()
    app = Host(store, 1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await app.session.writer.join()
        await pilot.pause()
        assert store.interaction_count() == before + 1
        assert store.last_interaction_at(1) == NOW
        assert timeline_lines(app.screen)[0].startswith("Thu 18 Dec 2025 14:30 · Message")
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed
        assert not isinstance(app.screen, ContactScreen)


async def test_refresh_shows_what_the_app_changed(store: Store) -> None:
    app = Host(store, 2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        assert len(timeline_lines(screen)) == 1
        store.log_interaction(Interaction((2,), NOW, note="followed up"), NOW)
        store.update_contact(store.contact(2).edit(circle=Circle.INNER))
        app.session.reload()
        await pilot.pause()
        lines = timeline_lines(screen)
        assert len(lines) == 2 and "followed up" in lines[0]
        assert "every 7 days (Inner default)" in text_of(screen, "#profile")
        assert "Last contact today" in " ".join(text_of(screen, "#due").split())


async def test_snoozed_contact_shows_until_when(store: Store) -> None:
    store.snooze(2, NOW + timedelta(days=10))
    app = Host(store, 2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Snoozed  until Sun 28 Dec 2025" in text_of(app.screen, "#profile")


async def test_empty_timeline_says_so() -> None:
    s = Store.in_memory()
    s.add_contact(Contact("Cy New"), NOW)
    app = Host(s, 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text_of(app.screen, "#timeline-title") == "Timeline · nothing logged yet"
        assert "never" in text_of(app.screen, "#due")


async def test_a_contact_that_disappears_is_reported_not_crashed(store: Store) -> None:
    app = Host(store, 999)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-missing")
        assert "no longer in the database" in text_of(app.screen, "#missing")


async def test_hundreds_of_interactions_open_and_scroll() -> None:
    s = Store.in_memory()
    s.add_contact(Contact("Busy Person", circle=Circle.INNER), NOW - timedelta(days=900))
    for n in range(600):
        s.log_interaction(
            Interaction((1,), NOW - timedelta(days=n, hours=1), note=f"note {n}"), NOW
        )
    app = Host(s, 1)
    async with app.run_test(size=(100, 30)) as pilot:
        started = time.perf_counter()
        await pilot.pause()
        timeline = app.screen.query_one("#timeline", OptionList)
        assert timeline.option_count == 600
        await pilot.press("tab", "end")
        await pilot.pause()
        assert timeline.highlighted == 599
        assert "note 599" in str(timeline.get_option_at_index(599).prompt)
        elapsed = time.perf_counter() - started
    # Not a timing test: a generous bound that only catches building every row as a widget.
    assert elapsed < 10


def test_cut_middle_keeps_the_domain_of_an_address() -> None:
    assert cut_middle("ana@example.com", 20) == "ana@example.com"
    assert cut_middle("alexandra.konstantinopoulou@example.com", 24) == "alexandra.k…@example.com"
    assert len(cut_middle("alexandra.konstantinopoulou@example.com", 24)) == 24
    # A domain too long to keep whole: both ends, cut in the middle.
    cut = cut_middle("a@very-long-subdomain.of.some.example.org", 12)
    assert len(cut) == 12 and cut.startswith("a@very") and cut.endswith("e.org")
    assert cut_middle("abc", 1) == "…"


@pytest.mark.parametrize("width", [80, 120])
async def test_emails_are_never_wrapped_mid_address(width: int) -> None:
    emails = (
        "alexandra.konstantinopoulou@university-of-somewhere.example.com",
        "alex.k@example.com",
        "work.address.that.is.long@bigcorp.example",
    )
    store = Store.in_memory()
    store.add_contact(Contact("Alex K", emails=emails), NOW)
    app = Host(store, 1)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        profile = app.screen.query_one("#profile", Static)
        room = profile.size.width
        lines = text_of(app.screen, "#profile").split("\n")
        first = next(n for n, line in enumerate(lines) if line.startswith("Email    "))
        shown = lines[first : first + len(emails)]
        # One address a line, each on the line in full or with its middle cut.
        assert all(line.startswith(" " * 9) for line in shown[1:]), lines
        for line, email in zip(shown, emails, strict=True):
            value = line[9:]
            assert len(line) <= room, (line, room)
            assert value == email or ("…" in value and email.endswith(value.split("…")[1]))
        assert "alex.k@example.com" in shown[1]


async def test_a_far_next_due_day_is_said_in_days_and_the_day_once() -> None:
    # The list shows "17 Jan" for want of room; the contact screen gives the full day
    # after the words, so the words say how far it is (a tester saw the date twice).
    s = Store.in_memory()
    ana = s.add_contact(Contact("Ana Silva", circle=Circle.CLOSE), datetime(2025, 9, 1, tzinfo=UTC))
    s.log_interaction(Interaction((ana.id,), NOW - timedelta(days=1)), NOW)
    app = Host(s, ana.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        due = text_of(app.screen, "#due")
        assert "in 29 days · Fri 16 Jan 2026" in due, due

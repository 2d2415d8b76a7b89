"""Pilot tests of the weekly review (`r`) and the settings (`,`): stored data and the screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Input, Sparkline, Static, TextArea

from netbalance.app import make_app
from netbalance.domain import Circle
from netbalance.domain.health import week_of
from netbalance.store import Store
from netbalance.ui.screens.review import ReviewScreen
from netbalance.ui.screens.settings import SettingsScreen
from tests.ui.conftest import NOW, settle

THIS_WEEK = date(2026, 11, 23)


def toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def text(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_r_opens_this_weeks_review_and_keeps_its_snapshot(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.review is not None
        review = screen.review
        assert review.week_start == THIS_WEEK == week_of(NOW) and review.current
        assert "Week of Mon 23 Nov – Sun 29 Nov 2026 · this week" in text(app, "#review-week")
        activity = text(app, "#review-activity")
        assert f"{review.snapshot.interactions} interactions with {len(review.people)} people" in (
            activity
        )
        assert review.people[0][1] in activity
        assert "of 5 h" in text(app, "#review-budget")
        assert "Who to reconnect with?" in text(app, "#review-prompts")
        for item in review.reconnect:
            assert item.name in text(app, "#review-prompts")
            assert item.circle in (Circle.INNER, Circle.CLOSE)
        trend = screen.query_one("#review-trend", Sparkline)
        assert list(trend.data or []) == [p.balance for p in review.trend]
        assert len(review.trend) == 12 and review.trend[-1].source == "live"
        assert app.store is not None
        (snap,) = app.store.snapshots()
        assert snap.week_start == THIS_WEEK
        assert snap.interactions == review.snapshot.interactions
        assert snap.zone == review.gauge.zone.value and snap.balance == round(
            review.gauge.balance, 3
        )
        # A second `r` on the review does not stack another one.
        await pilot.press("r")
        await settle(app, pilot)
        assert sum(isinstance(s, ReviewScreen) for s in app.screen_stack) == 1


async def test_brackets_move_between_weeks_not_past_this_one(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert screen.review is not None and screen.review.week_start == date(2026, 11, 9)
        assert "2 weeks ago" in text(app, "#review-week")
        assert screen.review.trend[-1].week_start == date(2026, 11, 9)
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await settle(app, pilot)
        assert screen.review is not None and screen.review.week_start == THIS_WEEK
        assert any("current week" in t for t in toasts(app))


async def test_a_note_is_saved_in_the_weeks_snapshot(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("n")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"Coffee paid off")
        assert "Not saved yet" in text(app, "#review-note-status")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store is not None
        notes = {s.week_start: s.note for s in app.store.snapshots()}
        assert notes == {THIS_WEEK: "Coffee paid off"}
        assert "Saved" in text(app, "#review-note-status")
        assert any("Note saved for the week of 23 Nov" in t for t in toasts(app))
        # A past week: its note is saved when leaving it, and this week's shows as a past note.
        app.screen.query_one("#review-facts").focus()
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert "23 Nov 2026" in text(app, "#review-past-notes")
        assert "Coffee paid off" in text(app, "#review-past-notes")
        await pilot.press("n", *"Too many dinners", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReviewScreen)
        notes = {s.week_start: s.note for s in app.store.snapshots()}
        assert notes == {THIS_WEEK: "Coffee paid off", date(2026, 11, 16): "Too many dinners"}
        last_week = next(s for s in app.store.snapshots() if s.week_start == date(2026, 11, 16))
        assert last_week.interactions > 0, "the note is stored with the week's figures"
    # On disk, and the current week's figures kept their note.
    with Store.open(demo_path) as store:
        assert {s.week_start: s.note for s in store.snapshots()}[THIS_WEEK] == "Coffee paid off"


async def test_reopening_the_review_keeps_the_note(demo_path: Path) -> None:
    with Store.open(demo_path) as store:
        from netbalance.domain import WeeklySnapshot

        store.put_snapshot(WeeklySnapshot(THIS_WEEK, note="Written earlier"))
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.query_one("#review-note", TextArea).text == "Written earlier"
        assert app.store is not None
        (snap,) = app.store.snapshots()
        assert snap.note == "Written earlier" and snap.interactions > 0 and snap.zone


async def test_settings_are_validated_saved_and_followed(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("comma")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert screen.query_one("#weekly_hours", Input).value == "5"
        assert screen.query_one("#capacity-acquaintance", Input).value == ""
        screen.query_one("#weekly_hours", Input).value = "100"
        screen.query_one("#cadence-inner", Input).value = "abc"
        screen.query_one("#th-zone_spreading_below", Input).value = "0.5"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen, "invalid settings keep the screen open"
        assert "Must be 0 to 80 hours" in text(app, "#weekly_hours-message")
        assert "is not a whole number" in text(app, "#cadence-inner-message")
        assert "spreading <= deepening" in text(app, "#th-zone_spreading_below-message")
        assert app.store is not None and app.store.settings().weekly_hours == 5.0
        screen.query_one("#weekly_hours", Input).value = "8"
        screen.query_one("#cadence-inner", Input).value = "10"
        screen.query_one("#th-zone_spreading_below", Input).value = "-0.3"
        screen.query_one("#capacity-wider", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, SettingsScreen)
        saved = app.store.settings()
        assert saved.weekly_hours == 8.0 and saved.cadence[Circle.INNER] == 10
        assert saved.capacity[Circle.WIDER] is None
        assert saved.thresholds.zone_spreading_below == -0.3
        # The view reloaded: the main screen's budget line follows the new budget.
        assert "of 8 h budget" in str(app.screen.query_one("#budget", Static).render())
        assert app.session.core is not None and app.session.core.settings == saved
        assert any("Settings saved" in t for t in toasts(app))
    with Store.open(demo_path) as store:
        assert store.settings().weekly_hours == 8.0


async def test_settings_escape_and_defaults(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("comma")
        await settle(app, pilot)
        app.screen.query_one("#events_per_month", Input).value = "9"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.store is not None and app.store.settings().events_per_month == 4
        await pilot.press("comma")
        await settle(app, pilot)
        app.screen.query_one("#events_per_month", Input).value = "9"
        await pilot.press("ctrl+r")
        assert app.screen.query_one("#events_per_month", Input).value == "4"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert any("Nothing changed" in t for t in toasts(app))
        assert app.store.settings().events_per_month == 4


async def test_the_review_follows_a_write_from_another_process_and_keeps_a_typed_note(
    demo_path: Path,
) -> None:
    from datetime import timedelta

    from netbalance.domain import Interaction

    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.review is not None
        before = screen.review.snapshot.interactions
        assert f"{before} interactions" in text(app, "#review-activity")
        await pilot.press("n", *"Half a thought")
        # Another process logs a chat this week with someone.
        assert app.store is not None
        someone = app.store.contacts()[0]
        other = Store.open(demo_path)
        other.log_interaction(Interaction((someone.id,), NOW - timedelta(hours=1)), NOW)
        other.close()
        app.session.poll()
        await settle(app, pilot)
        assert screen.review is not None
        assert screen.review.snapshot.interactions == before + 1
        assert f"{before + 1} interactions" in text(app, "#review-activity")
        # The note being typed is still there, still unsaved.
        assert screen.query_one("#review-note", TextArea).text == "Half a thought"
        assert "Not saved yet" in text(app, "#review-note-status")
        # The current week's stored figures followed the new count.
        (snap,) = app.store.snapshots()
        assert snap.interactions == before + 1 and snap.note == ""

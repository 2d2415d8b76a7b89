"""Unit tests for the budget check before going and the first follow-up days."""

from __future__ import annotations

from datetime import date, timedelta

import pendulum

from netbalance.domain import Event, EventStatus, Settings
from netbalance.domain.health.budget import budget_if_going
from netbalance.domain.selective import (
    first_follow_up_day,
    over_capacity_message,
    parse_event_end,
    parse_event_when,
)

NOW = pendulum.datetime(2026, 11, 29, 10, 30, tz="Europe/Lisbon")  # a Sunday


def test_going_counts_the_week_and_month_with_the_event() -> None:
    monday = NOW + timedelta(days=1)
    going = Event("A", monday, id=1, hours=4, status=EventStatus.GOING)
    candidate = Event("B", monday + timedelta(days=1), id=2, hours=2)
    check = budget_if_going(candidate, [going, candidate], Settings(), NOW)
    assert check.week_hours == 6 and check.week_over
    # Monday is 30 Nov, the candidate 1 Dec: one week, two months.
    assert check.month_events == 1 and not check.month_over
    assert "6 hours that week, budget 5 (over)" in check.lines()[0]
    # Sunday 23:30 local belongs to the week that ends that Sunday, not the next.
    sunday_late = Event("C", NOW.replace(hour=23, minute=30), id=3, hours=2)
    assert budget_if_going(sunday_late, [going, sunday_late], Settings(), NOW).week_hours == 2


def test_first_follow_ups_spread_then_later_past_capacity() -> None:
    event = Event("A", NOW + timedelta(days=2), id=1)
    day = date(2026, 12, 1)
    days = [first_follow_up_day(i, 5, event, NOW) for i in range(7)]
    assert [(d - day).days for d in days] == [3, 4, 5, 6, 7, 8, 9]
    old = Event("B", NOW - timedelta(days=60), id=2)
    # Someone added now for an old event: their window opens today, the suggestion is inside it.
    assert first_follow_up_day(0, 5, old, NOW) == date(2026, 12, 2), "from today, not the past"
    assert first_follow_up_day(0, 5, old, NOW, known_since=NOW) == date(2026, 12, 2)
    # Someone known before it, linked after their window closed: today, the best left.
    known = NOW - timedelta(days=400)
    assert first_follow_up_day(0, 5, old, NOW, known_since=known) == date(2026, 11, 29)
    assert first_follow_up_day(0, 1, event, NOW) == day + timedelta(days=3)
    assert over_capacity_message(5, 5) == ""
    assert "Nobody can follow up with everyone" in over_capacity_message(6, 5)


def test_event_times_in_words() -> None:
    start = parse_event_when("next friday 18:30", NOW)
    assert (start.day, start.hour, start.minute) == (4, 18, 30)
    assert parse_event_end("3h", start, NOW) == start + timedelta(hours=3)
    end = parse_event_end("21:00", start, NOW)
    assert end is not None and (end.day, end.hour) == (4, 21)
    assert parse_event_end("", start, NOW) is None

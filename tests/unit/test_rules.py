"""Times judged by what they mean (issue 11, items 4 and 5): the rules the app and the CLI call."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pendulum
import pytest

from netbalance.domain import (
    Birthday,
    Circle,
    Contact,
    DomainError,
    Event,
    EventStatus,
    Interaction,
    Settings,
)
from netbalance.domain.health import NetworkModel
from netbalance.domain.rules import (
    check_event_status,
    met_at_event_time,
    next_step_day,
    when_happened,
)
from netbalance.domain.selective import first_follow_up_day

NOW = pendulum.datetime(2026, 12, 2, 10, 0, tz="Europe/Paris")


def test_an_interaction_has_happened() -> None:
    assert when_happened("yesterday 15:00", NOW) == pendulum.datetime(
        2026, 12, 1, 15, tz="Europe/Paris"
    )
    assert when_happened("3d", NOW).date() == date(2026, 11, 29)
    for text in ("in 3 days", "tomorrow", "today 23:00"):
        with pytest.raises(DomainError, match="is in the future"):
            when_happened(text, NOW)


def test_a_next_step_is_still_to_do() -> None:
    assert next_step_day("friday", NOW) == date(2026, 12, 4)
    assert next_step_day("today", NOW) == date(2026, 12, 2)
    with pytest.raises(DomainError, match="is in the past"):
        next_step_day("yesterday", NOW)


def test_an_event_is_attended_or_missed_and_people_met_only_once_it_started() -> None:
    ahead = Event("Hack night", NOW.add(days=4))
    begun = Event("Breakfast", NOW.subtract(hours=1))
    for status in (EventStatus.ATTENDED, EventStatus.MISSED):
        with pytest.raises(DomainError, match="has not started yet"):
            check_event_status(ahead, status, NOW)
        check_event_status(begun, status, NOW)
    check_event_status(ahead, EventStatus.GOING, NOW)
    with pytest.raises(DomainError, match="has not started yet"):
        met_at_event_time(ahead, NOW)
    # "Who I met" days later dates the chats on the event's day, not today.
    old = Event("Meetup", NOW.subtract(days=13))
    assert met_at_event_time(old, NOW) == old.start


def test_a_birthday_that_is_not_on_the_calendar_says_so() -> None:
    with pytest.raises(DomainError, match="is not a real date"):
        Birthday.from_iso("1990-02-31")
    with pytest.raises(DomainError, match="must be YYYY-MM-DD"):
        Birthday.from_iso("31/02/1990")


def test_a_follow_up_made_as_suggested_counts() -> None:
    """Issue 11, item 5: an event on 19 Nov entered on 2 Dec; its people were suggested days
    after the model's 14-day window had closed (3 Dec), so following up as suggested counted
    as no follow-up."""
    entered = datetime(2026, 12, 2, 9, tzinfo=UTC)
    event = Event("Meetup", datetime(2026, 11, 19, 18, tzinfo=UTC), id=1,
                  status=EventStatus.ATTENDED, met_contact_ids=(1, 2, 3, 4))  # fmt: skip
    people = [
        Contact(f"Met {k}", id=k, circle=Circle.ACQUAINTANCE, met_at_event_id=1, created_at=entered)
        for k in (1, 2, 3, 4)
    ]
    days = [
        first_follow_up_day(k, 5, event, entered, known_since=entered) for k in range(len(people))
    ]
    assert days == [date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7), date(2026, 12, 8)]
    history = {
        c.id: [
            Interaction((c.id,), datetime(2026, 11, 19, 19, tzinfo=UTC), id=c.id, event_id=1),
            Interaction((c.id,), datetime.combine(day, datetime.min.time(), UTC)
                        + timedelta(hours=12), id=10 + c.id),
        ]
        for c, day in zip(people, days, strict=True)
    }  # fmt: skip
    later = pendulum.datetime(2026, 12, 20, 10, tz="Europe/Paris")  # the windows have closed
    facts = NetworkModel.build(people, history, [event], [], Settings(), later).facts()
    assert (facts.met_recent, facts.met_followed_up) == (4, 4)

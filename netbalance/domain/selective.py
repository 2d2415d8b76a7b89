"""Being selective about events: first follow-ups after an event, and event times in words.

The article's "Follow up": after an event, suggest a first follow-up day for
each person met, spread over the days after it, and say plainly when there are
more people than anyone can follow up with. (The budget check before going is
`health.budget.budget_if_going`.)
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from netbalance.domain.dates import parse_duration, parse_when
from netbalance.domain.errors import DomainError
from netbalance.domain.health.calendar import local_day, zone_of
from netbalance.domain.health.triage import follow_up_window
from netbalance.domain.model import Event
from netbalance.domain.thresholds import Thresholds

# First follow-ups fall this many days after the window opens (or after today, for an old event).
FIRST_FOLLOW_UP_DAYS = (3, 7)


def first_follow_up_day(
    index: int,
    capacity: int,
    event: Event,
    now: datetime,
    *,
    known_since: datetime | None = None,
    thresholds: Thresholds | None = None,
) -> date:
    """The suggested first follow-up day for the `index`-th person met (0-based).

    The first `capacity` people are spread evenly from 3 to 7 days after the
    window opens (the event's day, or today when that is later); people beyond
    the capacity get a day each after that: allowed, but later, since nobody can
    follow up with everyone at once. Every suggestion falls inside the follow-up
    window the model judges by (`follow_up_window`, from when the user learned of
    the person: `known_since`, an existing contact's creation; by default now, for
    someone being added), so a follow-up made as suggested counts; only when that
    window has already closed is the suggestion today.
    """
    tz = zone_of(now)
    today = local_day(now, tz)
    window = (thresholds or Thresholds()).followup_window_days
    learned = now if known_since is None else known_since
    first, last = follow_up_window(event, tz, window, learned)
    if last < today:
        return today
    base = max(first, today)
    low, high = FIRST_FOLLOW_UP_DAYS
    if index < capacity:
        span = high - low
        offset = low + (round(index * span / (capacity - 1)) if capacity > 1 else 0)
    else:
        offset = high + (index - capacity + 1)
    return min(base + timedelta(days=offset), last)


def over_capacity_message(count: int, capacity: int) -> str:
    """What to say when more people were met than the follow-up capacity; '' otherwise."""
    if count <= capacity:
        return ""
    return (
        f"{count} people is more than your follow-up capacity of {capacity} per event. "
        "Nobody can follow up with everyone: the first "
        f"{capacity} get the early days, the rest later. Keep the ones that matter most."
    )


def parse_event_when(text: str, now: datetime) -> datetime:
    """When an event starts, in words or ISO, with an optional time: 'next friday 18:30'.

    The one date reader (`parse_when`), forward in time; kept under this name for
    the event form.
    """
    return parse_when(text, now)


def parse_event_end(text: str, start: datetime, now: datetime) -> datetime | None:
    """When an event ends: blank (None), a length ("3h"), a time that day, or a day."""
    t = text.strip()
    if not t:
        return None
    span = parse_duration(t)
    if span is not None:
        return start + span
    if re.fullmatch(r"\d{1,2}:\d{2}", t):
        hour, minute = (int(x) for x in t.split(":"))
        if hour > 23 or minute > 59:
            raise DomainError("date", text, "has a time that does not exist")
        local = start.astimezone(now.tzinfo)
        return local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return parse_when(t, now)

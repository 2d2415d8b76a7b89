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
from netbalance.domain.model import Event

# First follow-ups fall this many days after the event (or after today, for an old event).
FIRST_FOLLOW_UP_DAYS = (3, 7)


def first_follow_up_day(index: int, capacity: int, event: Event, now: datetime) -> date:
    """The suggested first follow-up day for the `index`-th person met (0-based).

    The first `capacity` people are spread evenly from 3 to 7 days after the
    event (after today when the event is long past). People beyond the
    capacity get a day each after that: allowed, but later, since nobody can
    follow up with everyone at once.
    """
    tz = zone_of(now)
    base = max(local_day(event.start, tz), local_day(now, tz))
    first, last = FIRST_FOLLOW_UP_DAYS
    if index < capacity:
        span = last - first
        offset = first + (round(index * span / (capacity - 1)) if capacity > 1 else 0)
    else:
        offset = last + (index - capacity + 1)
    return base + timedelta(days=offset)


def over_capacity_message(count: int, capacity: int) -> str:
    """What to say when more people were met than the follow-up capacity; '' otherwise."""
    if count <= capacity:
        return ""
    return (
        f"{count} people is more than your follow-up capacity of {capacity} per event. "
        "Nobody can follow up with everyone: the first "
        f"{capacity} get the early days, the rest later. Keep the ones that matter most."
    )


_TIME = re.compile(r"^(?P<rest>.*?)\s*(?:\bat\s+)?(?P<h>\d{1,2}):(?P<m>\d{2})$")


def parse_event_when(text: str, now: datetime) -> datetime:
    """When an event starts, in words or ISO, with an optional time: 'next friday 18:30'.

    The day goes through `parse_when` (forward in time); a trailing HH:MM
    sets the local time. A day without a time keeps parse_when's default.
    """
    t = text.strip()
    m = _TIME.match(t)
    if m is None or "T" in t or re.match(r"^\d{4}-\d{2}-\d{2} \d", t):
        return parse_when(t, now)
    hour, minute = int(m.group("h")), int(m.group("m"))
    if hour > 23 or minute > 59:
        raise DomainError("date", text, "has a time that does not exist")
    rest = m.group("rest").strip() or "today"
    day = parse_when(rest, now)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


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
    return parse_event_when(t, now)

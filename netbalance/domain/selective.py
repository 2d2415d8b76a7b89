"""Being selective about events: the budget check before going, and first follow-ups.

Two rules from the article. "Balance your time": before the user commits to
an event, say whether it would push its week's hours or its month's events
past the budget. "Follow up": after an event, suggest a first follow-up day
for each person met, spread over the days after it, and say plainly when
there are more people than anyone can follow up with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from netbalance.domain.dates import parse_duration, parse_when
from netbalance.domain.errors import DomainError
from netbalance.domain.health.calendar import local_day, zone_of
from netbalance.domain.health.triage import triage
from netbalance.domain.model import Event
from netbalance.domain.settings import Settings

# First follow-ups fall this many days after the event (or after today, for an old event).
FIRST_FOLLOW_UP_DAYS = (3, 7)


@dataclass(frozen=True, slots=True)
class BudgetCheck:
    """The week and month an event falls in, with the event counted as going."""

    week_hours: float
    weekly_hours: float
    month_events: int
    events_per_month: int
    week_over: bool
    month_over: bool

    @property
    def exceeded(self) -> bool:
        """Whether going would put the week or the month over budget."""
        return self.week_over or self.month_over

    def lines(self) -> list[str]:
        """The numbers, one line each for the week and the month."""
        week = f"{self.week_hours:g} hours that week, budget {self.weekly_hours:g}"
        month = f"event {self.month_events} that month, budget {self.events_per_month}"
        return [
            week + (" (over)" if self.week_over else ""),
            month + (" (over)" if self.month_over else ""),
        ]


def check_going(
    event: Event, events: Iterable[Event], settings: Settings, now: datetime
) -> BudgetCheck:
    """The budget of `event`'s week and month if the user went to it.

    Counts going and attended events as triage does (the event itself once),
    with the same budget factor, so the warning and the triage hint agree.
    """
    t = triage(event, events, (), settings, now)
    week_hours = float(t.figures["week_hours"])
    month_events = int(t.figures["month_events"])
    factor = settings.thresholds.burnout_budget_factor
    return BudgetCheck(
        week_hours=round(week_hours, 2),
        weekly_hours=settings.weekly_hours,
        month_events=month_events,
        events_per_month=settings.events_per_month,
        week_over=week_hours > settings.weekly_hours * factor,
        month_over=month_events > settings.events_per_month * factor,
    )


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

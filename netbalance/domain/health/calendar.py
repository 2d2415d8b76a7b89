"""Calendar helpers of the health model: local days of stored times, and the
committed events of a week and a month.

Stored times are aware datetimes in UTC; the user thinks in days of their own
time zone. Every health figure is counted in those local days, so a result
depends on the date of `now`, never on its time of day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from netbalance.domain.circles import Circle
from netbalance.domain.model import EARLIEST, Event, EventStatus
from netbalance.domain.thresholds import Thresholds


def zone_of(tz_or_now: datetime | tzinfo) -> tzinfo:
    """The user's time zone, from `now` or given directly."""
    if isinstance(tz_or_now, datetime):
        if tz_or_now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return tz_or_now.tzinfo
    return tz_or_now


def local_day(moment: datetime, tz: tzinfo) -> date:
    """The calendar day `moment` falls on in the user's zone (a plain `date`).

    Plain dates, not pendulum's subclass: their arithmetic is many times faster.
    """
    return date.fromordinal(moment.astimezone(tz).toordinal())


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """The first instant of `day` in the user's zone, as an aware datetime in UTC.

    Comparing stored times against it (aware comparisons are exact) tells
    which local day they fall on without converting every one of them; in UTC
    because comparing two UTC times is twenty times cheaper than across zones.
    """
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def known_since(created_at: datetime) -> datetime | None:
    """The creation time, or None when it is the 'unknown' placeholder (1900)."""
    return None if created_at <= EARLIEST else created_at


def due_weight(circle: Circle, th: Thresholds) -> float:
    """How much lateness weighs in the due ranking for a contact of `circle`."""
    weight: float = getattr(th, "due_weight_" + circle.value)
    return weight


def depth_weight(circle: Circle, th: Thresholds) -> float:
    """How much a contact of `circle` weighs in the depth half of the gauge (0: not at all)."""
    weight: float = getattr(th, "depth_weight_" + circle.value, 0.0)
    return weight


class LocalDays:
    """Reads the user's local day of stored times (one zone, many times)."""

    __slots__ = ("tz",)

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz

    def __call__(self, moment: datetime) -> date:
        """The local day of `moment`."""
        return date.fromordinal(moment.astimezone(self.tz).toordinal())


# Events that take time from the budget: the ones the user goes to or went to.
COMMITTED = (EventStatus.GOING, EventStatus.ATTENDED)


def committed_load(day: date, events: Iterable[Event], tz: tzinfo) -> tuple[float, int]:
    """Hours of committed events in `day`'s week (Monday to Sunday) and their count in its month.

    One definition for triage, the budget check and the review, so they always agree.
    """
    week = week_start(day)
    month = month_start(day)
    hours = 0.0
    count = 0
    for e in events:
        if e.status not in COMMITTED:
            continue
        d = local_day(e.start, tz)
        if week_start(d) == week:
            hours += e.cost_hours
        if month_start(d) == month:
            count += 1
    return round(hours, 2), count

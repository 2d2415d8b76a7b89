"""The networking budget: hours a week and events a month, and what going would do to it.

The article's "Balance your time": set aside a specific time for networking.
An event counts against the week and the month of its local start day (an
event at 23:30 on a Sunday belongs to that Sunday's week), and only while it
is committed (going or attended).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from netbalance.domain.health.calendar import (
    committed_load,
    local_day,
    month_start,
    week_start,
    zone_of,
)
from netbalance.domain.model import Event
from netbalance.domain.settings import Settings


@dataclass(frozen=True, slots=True)
class BudgetCheck:
    """The committed load of one event's week and month, with the budget beside it."""

    week_start: date
    month_start: date
    week_hours: float
    weekly_hours: float
    month_events: int
    events_per_month: int
    factor: float = 1.0

    @property
    def week_over(self) -> bool:
        return self.week_hours > self.weekly_hours * self.factor

    @property
    def month_over(self) -> bool:
        return self.month_events > self.events_per_month * self.factor

    @property
    def over(self) -> bool:
        return self.week_over or self.month_over

    def lines(self) -> list[str]:
        """The numbers, one line each for the week and the month."""
        week = f"{self.week_hours:g} hours that week, budget {self.weekly_hours:g}"
        month = f"event {self.month_events} that month, budget {self.events_per_month}"
        return [
            week + (" (over)" if self.week_over else ""),
            month + (" (over)" if self.month_over else ""),
        ]

    def message(self) -> str:
        """Plain words for the load, kind rather than scolding."""
        week = (
            f"{self.week_hours:g} of {self.weekly_hours:g} hours "
            f"the week of {self.week_start:%d %b}"
        )
        month = f"{self.month_events} of {self.events_per_month} events in {self.month_start:%B}"
        if not self.over:
            return f"Within your budget: {week}; {month}."
        over = []
        if self.week_over:
            over.append(week)
        if self.month_over:
            over.append(month)
        return "Over your budget: " + "; ".join(over) + "."

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "week_start": self.week_start.isoformat(),
            "month_start": self.month_start.isoformat(),
            "week_hours": round(self.week_hours, 2),
            "weekly_hours": self.weekly_hours,
            "month_events": self.month_events,
            "events_per_month": self.events_per_month,
            "week_over": self.week_over,
            "month_over": self.month_over,
        }


def budget_if_going(
    event: Event, events: Iterable[Event], settings: Settings, now: datetime
) -> BudgetCheck:
    """The week's hours and the month's events of `event`, counting it as going.

    `events` may include `event` itself (matched by id, or identity when unsaved):
    it is counted once, whatever its stored status.
    """
    tz = zone_of(now)
    day = local_day(event.start, tz)
    others = [e for e in events if not (e is event or (event.id and e.id == event.id))]
    hours, count = committed_load(day, others, tz)
    return BudgetCheck(
        week_start=week_start(day),
        month_start=month_start(day),
        week_hours=round(hours + event.cost_hours, 2),
        weekly_hours=settings.weekly_hours,
        month_events=count + 1,
        events_per_month=settings.events_per_month,
        factor=settings.thresholds.burnout_budget_factor,
    )

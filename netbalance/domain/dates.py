"""Human dates and durations: "today", "2w", "next friday", "26 dec", ISO.

`now` is always a parameter (the domain never reads the clock). Results are
timezone-aware; dates are read in `now`'s time zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from netbalance.domain.errors import DomainError
from netbalance.domain.model import EARLIEST

if TYPE_CHECKING:
    import pendulum

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "year": "years", "years": "years",
    "h": "hours", "hr": "hours", "hour": "hours", "hours": "hours",
}  # fmt: skip
# The last year a human date may name: far enough for any plan, and far enough from
# year 9999 that adding a cadence or a week to it never overflows.
LATEST_YEAR = 9000
_DURATION = re.compile(r"^(?:in\s+)?(\d{1,4})\s*([a-z]+)(\s+ago)?$")


def _weekday(word: str) -> int | None:
    w = word.lower()
    for i, name in enumerate(_WEEKDAYS):
        if len(w) >= 3 and name.startswith(w):
            return i
    return None


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for i, name in enumerate(_MONTHS):
        if len(w) >= 3 and name.startswith(w):
            return i + 1
    return None


def parse_duration(text: str) -> timedelta | None:
    """'3d', '2 weeks', '1m' as a length of time; None when `text` is not a duration.

    Months count as 30 days and years as 365: a snooze does not need calendar months.
    """
    m = _DURATION.match(text.strip().lower())
    if not m or m.group(3):
        return None
    unit = _UNITS.get(m.group(2))
    if unit is None:
        return None
    n = int(m.group(1))
    days = {"days": 1, "weeks": 7, "months": 30, "years": 365}.get(unit)
    if days is None:
        return timedelta(hours=n)
    return timedelta(days=n * days)


def parse_when(text: str, now: datetime, *, past: bool = False) -> datetime:
    """Read a point in time from words.

    Relative durations go forward ("2w" is two weeks from now) unless `past`
    is set (for "when did it happen": "2d" then means two days ago). A bare date
    means that day at the time of `now` when it is today, else at 09:00 local,
    so "yesterday" keeps ordering sensible. Raises DomainError naming the text,
    also for a time before 1900 (what the records accept) or past the year 9000
    (date arithmetic near the calendar's end, year 9999, would overflow).
    """
    try:
        when = _parse_when(text, now, past)
    except (OverflowError, ValueError) as err:
        if isinstance(err, DomainError):
            raise
        raise DomainError("date", text, "is too far from today") from None
    if when < EARLIEST:
        raise DomainError("date", text, "is before 1900")
    if when.year > LATEST_YEAR:
        raise DomainError("date", text, f"is after the year {LATEST_YEAR}")
    return when


def _parse_when(text: str, now: datetime, past: bool) -> datetime:
    # Imported here: pendulum costs ~40 ms to import, and `netbalance due` never parses a date.
    import pendulum

    raw = text
    t = " ".join(text.strip().lower().split())
    if not t:
        raise DomainError("date", raw, "is empty")
    local = pendulum.instance(now)
    today = local.start_of("day")

    def at_day(d: pendulum.DateTime) -> datetime:
        if d.date() == local.date():
            return local
        return d.set(hour=9, minute=0, second=0, microsecond=0)

    if t == "now":
        return local
    if t == "today":
        return local
    if t == "yesterday":
        return at_day(today.subtract(days=1))
    if t == "tomorrow":
        return at_day(today.add(days=1))
    m = _DURATION.match(t)
    if m and _UNITS.get(m.group(2)):
        unit = _UNITS[m.group(2)]
        n = int(m.group(1))
        backwards = past or bool(m.group(3))
        moved = local.subtract(**{unit: n}) if backwards else local.add(**{unit: n})
        return moved
    words = t.split()
    if len(words) == 2 and words[0] in ("next", "last", "this") and _weekday(words[1]) is not None:
        wd = _weekday(words[1])
        assert wd is not None
        delta = (wd - local.weekday()) % 7
        if words[0] == "next":
            delta = delta or 7
        elif words[0] == "last":
            delta = delta - 7 if delta else -7
        return at_day(today.add(days=delta))
    if len(words) == 2 and words[0] in ("next", "last") and words[1] in ("week", "month", "year"):
        unit = words[1] + "s"
        moved = local.add(**{unit: 1}) if words[0] == "next" else local.subtract(**{unit: 1})
        return at_day(moved.start_of("day"))
    if len(words) == 1 and _weekday(words[0]) is not None:
        wd = _weekday(words[0])
        assert wd is not None
        delta = (wd - local.weekday()) % 7
        if past:
            delta = delta - 7 if delta else 0
        return at_day(today.add(days=delta))
    day_month = _day_month(words, local, past)
    if day_month is not None:
        return at_day(day_month)
    try:
        parsed = pendulum.parse(text.strip(), tz=local.timezone, strict=False)
    except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
        parsed = None
    if isinstance(parsed, pendulum.DateTime):
        if len(text.strip()) <= 10:  # a date alone
            return at_day(parsed)
        return parsed
    if isinstance(parsed, pendulum.Date):
        return at_day(pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=local.timezone))
    raise DomainError(
        "date", raw, "is not a date I understand (try today, 3d, 2w, next friday, 2026-12-24)"
    )


def _day_month(words: list[str], local: pendulum.DateTime, past: bool) -> pendulum.DateTime | None:
    """'26 dec', 'dec 26', '26 dec 2025': the next such day (or last, when `past`)."""
    import pendulum

    if len(words) not in (2, 3):
        return None
    a, b = words[0], words[1]
    if a.isdigit() and _month(b):
        day, month = int(a), _month(b)
    elif b.rstrip(",").isdigit() and _month(a):
        day, month = int(b.rstrip(",")), _month(a)
    else:
        return None
    assert month is not None
    year: int | None = None
    if len(words) == 3:
        if not words[2].isdigit():
            return None
        year = int(words[2])
    try:
        y = year if year is not None else local.year
        d = pendulum.datetime(y, month, day, tz=local.timezone)
        if year is None:
            if not past and d.date() < local.date():
                d = d.add(years=1)
            elif past and d.date() > local.date():
                d = d.subtract(years=1)
    except ValueError:
        raise DomainError("date", " ".join(words), "is not a real day") from None
    return d


def parse_day(text: str, now: datetime, *, past: bool = False) -> date:
    """Like parse_when, for a calendar day."""
    when = parse_when(text, now, past=past)
    return date(when.year, when.month, when.day)


def human_ago(then: datetime | None, now: datetime) -> str:
    """'today', '3 days ago', '3 weeks ago', 'never': how long since `then`, in `now`'s zone."""
    if then is None:
        return "never"
    days = (now.date() - then.astimezone(now.tzinfo).date()).days
    if days < 0:
        return "in the future"
    return _span(days, "ago")


def human_until(day: date | None, today: date) -> str:
    """'today', 'in 3 days', '5 days late': how far a due day is."""
    if day is None:
        return "—"
    days = (day - today).days
    if days == 0:
        return "today"
    if days < 0:
        return _span(-days, "late")
    return "in " + _span(days, "").strip()


def _span(days: int, suffix: str) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday" if suffix == "ago" else f"1 day {suffix}"
    if days < 14:
        return f"{days} days {suffix}"
    if days < 60:
        return f"{days // 7} weeks {suffix}"
    if days < 730:
        return f"{days // 30} months {suffix}"
    return f"{days // 365} years {suffix}"

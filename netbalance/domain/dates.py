"""Human dates and durations: the one reader of times for every field and command.

"today", "yesterday 15:00", "3d", "in 3 days", "2w ago", "next thursday 18:30",
"26 dec", "2026-12-24 09:30", ISO with an offset. `now` is always a parameter (the
domain never reads the clock); results are timezone-aware, read in `now`'s zone.

Direction: words that say it win ("in 3 days", "3 days ago", "+2w", "-2w", "next",
"last"). A bare duration or weekday ("3d", "friday") goes the way of the field it is
typed into: `past=True` for when something happened (log --when), forward for
everything else (a snooze, a next step, an event, a range's ends). The parser reads
text; whether a time may be in the past or the future is a rule of its own
(`netbalance.domain.rules`), checked by what the time means.
"""

from __future__ import annotations

import re
from calendar import monthrange
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
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
}  # fmt: skip
# The last year a human date may name: far enough for any plan, and far enough from
# year 9999 that adding a cadence or a week to it never overflows.
LATEST_YEAR = 9000
# "3d", "in 3 days", "3 days ago", "3 days from now", "+3d", "-3d".
_DURATION = re.compile(
    r"^(?P<sign>[+-])?(?P<in>in\s+)?(?P<n>\d{1,4})\s*(?P<unit>[a-z]+)"
    r"(?P<ago>\s+ago)?(?P<later>\s+from\s+now|\s+later)?$"
)
# A time of day at the end: "18:30", "at 18:30", "6pm", "6:30 pm", "noon".
_TIME = re.compile(
    r"^(?P<rest>.*?)\s*(?:\bat\s+)?"
    r"(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)|(?P<h24>\d{1,2}):(?P<m24>\d{2})"
    r"|(?P<noon>noon|midnight))$"
)
_ISO_DAY = re.compile(r"^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})$")
_ISO_TIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[t ]\d")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?,?$")
_HINT = "is not a date I understand (try today, yesterday 15:00, 3d, next friday 18:30, 2026-12-24)"


def _weekday(word: str) -> int | None:
    w = word.lower()
    for i, name in enumerate(_WEEKDAYS):
        if len(w) >= 3 and name.startswith(w):
            return i
    return None


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".,")
    for i, name in enumerate(_MONTHS):
        if len(w) >= 3 and name.startswith(w):
            return i + 1
    return None


def parse_duration(text: str) -> timedelta | None:
    """'3d', '2 weeks', '1m' as a length of time; None when `text` is not a bare duration.

    Months count as 30 days and years as 365: a snooze does not need calendar months.
    A duration with a direction ("3 days ago", "in 3 days") is a point in time, not a
    length: None.
    """
    m = _DURATION.match(" ".join(text.strip().lower().split()))
    if not m or m.group("ago") or m.group("sign") or m.group("in") or m.group("later"):
        return None
    unit = _UNITS.get(m.group("unit"))
    if unit is None:
        return None
    n = int(m.group("n"))
    days = {"days": 1, "weeks": 7, "months": 30, "years": 365}.get(unit)
    if days is not None:
        return timedelta(days=n * days)
    return timedelta(hours=n) if unit == "hours" else timedelta(minutes=n)


def parse_when(text: str, now: datetime, *, past: bool = False) -> datetime:
    """Read a point in time from words, with an optional time of day.

    A bare duration or weekday goes forward unless `past` is set (for "when did it
    happen": "2d" is then two days ago); explicit words ("in", "ago", "next",
    "last", "+", "-") always win. A day without a time is that day at the time of
    `now` when it is today, else at 09:00 local, so "yesterday" keeps ordering
    sensible. Raises DomainError (field "date") naming the text and what is wrong,
    also for a time before 1900 (what the records accept) or past the year 9000
    (date arithmetic near the calendar's end, year 9999, would overflow).
    """
    if text.strip().lower() == "now":
        # `log NAME` says "now" unless told otherwise: no need to load pendulum (~20 ms
        # of the command) to read it.
        return now
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
    if _ISO_TIME.match(t):
        return _iso_moment(raw, t, local)
    clock = _TIME.match(t)
    if clock is not None and not _is_duration(t):
        hour, minute = _clock(raw, clock)
        rest = clock.group("rest").strip() or "today"
        day = _day_part(raw, rest, local, past)
        if day is None:
            raise DomainError("date", raw, _HINT)
        return day.set(hour=hour, minute=minute, second=0, microsecond=0)
    moment = _moment(t, local, past)
    if moment is not None:
        return moment
    day = _day_part(raw, t, local, past)
    if day is None:
        raise DomainError("date", raw, _HINT)
    return day


def _is_duration(t: str) -> bool:
    """Whether `t` is a duration with a known unit ("3d", "in 2 hours", "2w ago")."""
    m = _DURATION.match(t)
    return m is not None and m.group("unit") in _UNITS


def parse_day(text: str, now: datetime, *, past: bool = False) -> date:
    """Like parse_when, for a calendar day (local to `now`)."""
    when = parse_when(text, now, past=past)
    return date(when.year, when.month, when.day)


def _clock(raw: str, m: re.Match[str]) -> tuple[int, int]:
    """Hour and minute of a matched time of day; a time that does not exist is an error."""
    if m.group("noon"):
        return (12, 0) if m.group("noon") == "noon" else (0, 0)
    if m.group("h24") is not None:
        hour, minute = int(m.group("h24")), int(m.group("m24"))
        if hour > 23 or minute > 59:
            raise DomainError("date", raw, "has a time that does not exist")
        return hour, minute
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    if not 1 <= hour <= 12 or minute > 59:
        raise DomainError("date", raw, "has a time that does not exist")
    if m.group("ampm") == "am":
        return (0 if hour == 12 else hour), minute
    return (12 if hour == 12 else hour + 12), minute


def _moment(t: str, local: pendulum.DateTime, past: bool) -> pendulum.DateTime | None:
    """'now' and durations: an exact moment relative to `local` (None: not one of those)."""
    if t == "now":
        return local
    m = _DURATION.match(t)
    if m is None:
        return None
    unit = _UNITS.get(m.group("unit"))
    if unit is None:
        return None
    n = int(m.group("n"))
    explicit_back = bool(m.group("ago")) or m.group("sign") == "-"
    explicit_ahead = bool(m.group("in")) or bool(m.group("later")) or m.group("sign") == "+"
    if explicit_back and explicit_ahead:
        return None
    backwards = explicit_back or (past and not explicit_ahead)
    return local.subtract(**{unit: n}) if backwards else local.add(**{unit: n})


def _day_part(raw: str, t: str, local: pendulum.DateTime, past: bool) -> pendulum.DateTime | None:
    """A day in words ('yesterday', 'next friday', '26 dec', '2026-12-24'), as a moment
    on it (see parse_when); None when the words are not a day."""
    import pendulum

    today = local.start_of("day")

    def at_day(d: pendulum.DateTime) -> pendulum.DateTime:
        if d.date() == local.date():
            return local
        return d.set(hour=9, minute=0, second=0, microsecond=0)

    if t in ("today", "tonight"):
        return local
    if t == "yesterday":
        return at_day(today.subtract(days=1))
    if t == "tomorrow":
        return at_day(today.add(days=1))
    moment = _moment(t, local, past)
    if moment is not None:
        return moment if moment.date() == local.date() else at_day(moment.start_of("day"))
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
    day_month = _day_month(raw, words, local, past)
    if day_month is not None:
        return at_day(day_month)
    iso = _ISO_DAY.match(t)
    if iso is not None:
        y, mo, d = int(iso.group("y")), int(iso.group("mo")), int(iso.group("d"))
        _check_real_day(raw, y, mo, d)
        return at_day(pendulum.datetime(y, mo, d, tz=local.timezone))
    try:
        parsed = pendulum.parse(raw.strip(), tz=local.timezone, strict=False)
    except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
        return None
    if isinstance(parsed, pendulum.DateTime):
        return at_day(parsed) if len(raw.strip()) <= 10 else parsed
    if isinstance(parsed, pendulum.Date):
        return at_day(pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=local.timezone))
    return None


def _iso_moment(raw: str, t: str, local: pendulum.DateTime) -> pendulum.DateTime:
    """'2026-12-03T19:00', '2026-12-03 19:00+01:00': a date and time; naive ones are local."""
    import pendulum

    day = _ISO_DAY.match(re.split(r"[t ]", t, maxsplit=1)[0])
    if day is not None:
        _check_real_day(raw, int(day.group("y")), int(day.group("mo")), int(day.group("d")))
    try:
        parsed = datetime.fromisoformat(raw.strip().replace(" ", "T", 1).upper())
    except ValueError:
        raise DomainError("date", raw, "has a time that does not exist") from None
    if parsed.tzinfo is None:
        return pendulum.instance(parsed, tz=local.timezone)
    return pendulum.instance(parsed)


def _check_real_day(raw: str, year: int, month: int, day: int) -> None:
    """Refuse a day that is not on the calendar, saying why ('February 1990 has 28 days')."""
    if not 1 <= month <= 12:
        raise DomainError("date", raw, f"is not a real date: there is no month {month}")
    if year < 1:
        raise DomainError("date", raw, "is not a real date")
    last = monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = _MONTHS[month - 1].capitalize()
        raise DomainError("date", raw, f"is not a real date: {name} {year} has {last} days")


def _day_month(
    raw: str, words: list[str], local: pendulum.DateTime, past: bool
) -> pendulum.DateTime | None:
    """'26 dec', 'dec 26', '26th december 2025', 'dec 26, 2025': the next such day
    (or the last, when `past`)."""
    import pendulum

    if len(words) not in (2, 3):
        return None
    a, b = words[0], words[1]
    first, second = _ORDINAL.match(a), _ORDINAL.match(b)
    if first is not None and _month(b):
        day, month = int(first.group(1)), _month(b)
    elif second is not None and _month(a):
        day, month = int(second.group(1)), _month(a)
    else:
        return None
    assert month is not None
    year: int | None = None
    if len(words) == 3:
        if not words[2].isdigit() or len(words[2]) != 4:
            return None
        year = int(words[2])
    y = year if year is not None else local.year
    if year is not None or not (month == 2 and day == 29):
        _check_real_day(raw, y, month, day)
    elif day > monthrange(y, month)[1]:
        # 29 Feb without a year: the next (or last) leap year's.
        step = -1 if past else 1
        while monthrange(y, 2)[1] < 29:
            y += step
        year = y
    d = pendulum.datetime(y, month, day, tz=local.timezone)
    if year is None:
        if not past and d.date() < local.date():
            d = _same_day_other_year(d, 1)
        elif past and d.date() > local.date():
            d = _same_day_other_year(d, -1)
    return d


def _same_day_other_year(d: pendulum.DateTime, step: int) -> pendulum.DateTime:
    """`d` moved by a year (to the next leap year for 29 February)."""
    y = d.year + step
    while d.month == 2 and d.day == 29 and monthrange(y, 2)[1] < 29:
        y += step
    return d.set(year=y)


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

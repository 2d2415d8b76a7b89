"""How much of a recurring calendar series is expanded: bounded in count and time.

dateutil (under recurring-ical-events) walks a rule from its DTSTART, caching every
occurrence, so `DTSTART:19900101T000000Z` with `RRULE:FREQ=SECONDLY` means a billion
steps and gigabytes before the import window is even reached; a rule that can never
match (`BYMONTH=2;BYMONTHDAY=30`, `FREQ=HOURLY;BYSETPOS=3`) spins to the year 9999
without yielding once. So before a series is expanded:

- its RDATE and EXDATE lists are counted (`MAX_LISTED_DATES`);
- each RRULE is walked here, without a cache, from DTSTART to the window's end, and
  left out past `MAX_RULE_STEPS` occurrences; the walk finds where the window holds
  more occurrences than are imported, and the expansion stops there;
- the walk and the expansion run under a time limit per series (`MAX_SERIES_SECONDS`)
  and for the whole file (`MAX_FILE_SECONDS`): a watchdog interrupts dateutil even
  inside a loop that never yields.

Each series left out or cut gets a message in the import report saying why.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from dateutil.rrule import rrulestr

# Occurrences walked from a series' start to the end of the import window: a weekly
# meeting since 1990 is under 2,000, a daily one under 14,000.
MAX_RULE_STEPS = 20_000
# Dates one series may list in RDATE and EXDATE together.
MAX_LISTED_DATES = 2_000
# Time one series may take to expand, and all the series of one file together.
MAX_SERIES_SECONDS = 1.0
MAX_FILE_SECONDS = 10.0

_FREQ_WORDS = {
    "SECONDLY": "every second",
    "MINUTELY": "every minute",
    "HOURLY": "every hour",
    "DAILY": "every day",
    "WEEKLY": "every week",
    "MONTHLY": "every month",
    "YEARLY": "every year",
}


class ExpansionTooSlow(BaseException):
    """Raised inside a series' expansion when its time is up.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` inside a
    library swallows it and carries on.
    """


@dataclass(frozen=True, slots=True)
class Window:
    """What to expand of one series: occurrences from the window's start up to `stop`.

    `refused` says why the series is left out; `cut` that the window held more
    occurrences than are imported, so `stop` is earlier than the window's end.
    """

    stop: datetime
    cut: bool = False
    refused: str = ""


class ExpansionBudget:
    """The time the recurring series of one file may take, shared between them."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = MAX_FILE_SECONDS if seconds is None else seconds
        self.used = 0.0

    @contextlib.contextmanager
    def series(self) -> Iterator[None]:
        """Run one series' expansion; raises ExpansionTooSlow when it, or the file, is
        out of time (at once when the file's budget is already spent)."""
        left = min(MAX_SERIES_SECONDS, self.seconds - self.used)
        if left <= 0:
            raise ExpansionTooSlow
        started = time.monotonic()
        try:
            with time_limit(left):
                yield
        finally:
            self.used += time.monotonic() - started

    @property
    def spent(self) -> bool:
        return self.used >= self.seconds


def too_slow_reason(budget: ExpansionBudget) -> str:
    """The report's words for a series stopped by the time limit."""
    if budget.spent:
        return (
            f"left out: the file's recurring events took more than {budget.seconds:g} s "
            "to expand, the limit for one file"
        )
    return f"left out: the recurrence took more than {MAX_SERIES_SECONDS:g} s to expand"


def window_of(parts: list[Any], lo: datetime, hi: datetime, default_tz: tzinfo, cap: int) -> Window:
    """How far to expand the series made of `parts` inside [lo, hi] (aware datetimes),
    importing at most `cap` occurrences; see the module docstring."""
    listed = sum(_count_dates(part.get(key)) for part in parts for key in ("RDATE", "EXDATE"))
    if listed > MAX_LISTED_DATES:
        return Window(
            hi,
            refused=f"lists {listed:,} dates (RDATE, EXDATE); netbalance reads up to "
            f"{MAX_LISTED_DATES:,} per series, so it is left out",
        )
    stop, cut = hi, False
    for part in parts:
        if part.get("RECURRENCE-ID") is not None or part.get("DTSTART") is None:
            continue  # a moved occurrence: its series' rule is walked on its own part
        start = _naive_or_aware(part["DTSTART"].dt)
        for rule in _rules(part):
            walked = _walk(rule, start, lo, stop, default_tz, cap)
            if isinstance(walked, str):
                return Window(hi, refused=walked)
            if walked is not None:
                stop, cut = walked, True
    return Window(stop, cut=cut)


def _walk(
    rule: str, start: datetime, lo: datetime, hi: datetime, default_tz: tzinfo, cap: int
) -> datetime | str | None:
    """Walk one RRULE: the start of its occurrence number `cap + 1` inside [lo, hi] if it
    has that many, a reason to leave the series out, or None (it fits)."""
    parsed = _parse_rule(rule, start)
    if isinstance(parsed, str):
        return parsed
    low, high = _like(lo, start, default_tz), _like(hi, start, default_tz)
    inside = 0
    for steps, occurrence in enumerate(parsed, start=1):
        if occurrence > high:
            return None
        if steps > MAX_RULE_STEPS:
            return (
                f"repeats {_FREQ_WORDS.get(_freq(rule), 'often')} from {start:%Y-%m-%d}: "
                f"more than {MAX_RULE_STEPS:,} occurrences before {hi:%Y-%m-%d}, the "
                "limit for one series, so it is left out"
            )
        if occurrence >= low:
            inside += 1
            if inside > cap:
                return _utc(occurrence, default_tz)
    return None


def _parse_rule(rule: str, start: datetime) -> Any:
    """The rule as a dateutil iterator without a cache, or a reason it cannot be read.

    dateutil wants UNTIL in UTC exactly when DTSTART has a zone; files get that wrong
    both ways, so UNTIL is next read the other way round, and last dropped with COUNT:
    the walk then covers at least as many occurrences as the real series.
    """
    parts = rule.split(";")
    kept = [p for p in parts if not p.upper().startswith(("UNTIL=", "COUNT="))]
    candidates = [rule, ";".join(_until_like(p, start) for p in parts), ";".join(kept)]
    problem: Exception | None = None
    for text in candidates:
        try:
            return rrulestr(text, dtstart=start, cache=False)
        except (ValueError, TypeError, OverflowError) as err:
            problem = err
    return f"its rule {rule!r} cannot be read ({problem})"


def _until_like(part: str, start: datetime) -> str:
    """An UNTIL=... part in UTC when `start` has a zone, in floating time when not."""
    if not part.upper().startswith("UNTIL="):
        return part
    value = part[6:].rstrip("Zz")
    if start.tzinfo is None:
        return f"UNTIL={value}"
    return f"UNTIL={value if 'T' in value.upper() else value + 'T000000'}Z"


def _rules(part: Any) -> list[str]:
    value = part.get("RRULE")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [v.to_ical().decode("utf-8", "replace") for v in values]


def _freq(rule: str) -> str:
    for piece in rule.upper().split(";"):
        if piece.startswith("FREQ="):
            return piece[5:]
    return ""


def _count_dates(value: Any) -> int:
    if value is None:
        return 0
    values = value if isinstance(value, list) else [value]
    return sum(len(getattr(v, "dts", ())) or 1 for v in values)


def _naive_or_aware(value: date | datetime) -> datetime:
    """DTSTART as dateutil walks it: a date becomes midnight, floating time stays naive."""
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _like(moment: datetime, start: datetime, default_tz: tzinfo) -> datetime:
    """`moment` (aware) comparable with occurrences of a series starting at `start`."""
    if start.tzinfo is not None:
        return moment
    return moment.astimezone(default_tz).replace(tzinfo=None)


def _utc(moment: datetime, default_tz: tzinfo) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_tz)
    return moment.astimezone(UTC)


# --- the watchdog --------------------------------------------------------------------------

_set_async_exc = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ExpansionTooSlow in this thread once the block has run `seconds`.

    A timer thread asks the interpreter to raise it in this thread at its next
    instruction (CPython's PyThreadState_SetAsyncExc): it stops a pure-Python loop that
    never yields, which no check between iterations can. Interpreters without that call
    keep only the step and count limits.
    """
    if _set_async_exc is None:
        yield
        return
    thread_id = threading.get_ident()
    guard = threading.Lock()
    running = [True]

    def interrupt() -> None:
        with guard:
            if running[0]:
                _set_async_exc(ctypes.c_ulong(thread_id), ctypes.py_object(ExpansionTooSlow))

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        # Raised, if at all, before this lock is taken back: never after the block.
        with guard:
            running[0] = False
        timer.cancel()

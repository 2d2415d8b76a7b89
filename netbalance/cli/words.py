"""How the command line writes times and days, and reads whole numbers.

"Mon  2 Mar 2026 18:30" for a moment, "Fri 6 Mar" for a day this year, "Fri 6 Mar
2027" for another year, always in `now`'s zone (the command line's one clock).
"""

from __future__ import annotations

from datetime import date, datetime

from netbalance.cli.common import CliError


def moment(at: datetime, now: datetime) -> str:
    """'Mon  2 Mar 2026 18:30', in `now`'s zone (columns line up)."""
    local = at.astimezone(now.tzinfo)
    return f"{local:%a} {local.day:>2} {local:%b %Y %H:%M}"


def day(value: date, now: datetime) -> str:
    """'Fri 6 Mar', with the year when it is not `now`'s year."""
    year = "" if value.year == now.year else f" {value.year}"
    return f"{value:%a} {value.day} {value:%b}{year}"


def local_day(at: datetime, now: datetime) -> date:
    """The calendar day of `at` in `now`'s zone."""
    local = at.astimezone(now.tzinfo)
    return date(local.year, local.month, local.day)


def plural(n: int, word: str) -> str:
    """'1 interaction', '3 interactions'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def month_name(month: int) -> str:
    """'Mar' for 3."""
    return date(2000, month, 1).strftime("%b")


def whole_number(field: str, text: str | None, low: int, high: int = 1_000_000) -> int | None:
    """A whole number low..high from an option; None when the option is absent or ''
    (an empty value clears a field)."""
    if text is None or not text.strip():
        return None
    try:
        value = int(text)
    except ValueError:
        raise CliError(f"{field}: {text!r} is not a whole number") from None
    if not low <= value <= high:
        raise CliError(f"{field}: must be {low} to {high} (got {value})")
    return value

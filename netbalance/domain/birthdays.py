"""Birthdays and the dates of the year that come back: when each is next, and who turns what.

A birthday may have no year (vCard `--MM-DD`); then the age is unknown and never
guessed. Someone born on 29 February is celebrated on 28 February in years
without one (the day stays in February, as most people born then do; the law of
some countries says 1 March). "Today" is always a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from netbalance.domain.errors import DomainError
from netbalance.domain.model import Birthday, Contact

# The furthest ahead an upcoming-dates list looks: a year and a day covers every date once.
MAX_WITHIN_DAYS = 366
# How far ahead the review and the main screen name birthdays ("coming up").
SOON_DAYS = 14

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def occurrence_in(birthday: Birthday, year: int) -> date:
    """The day `birthday` falls on in `year` (29 Feb is 28 Feb when `year` has none)."""
    if birthday.month == 2 and birthday.day == 29 and not _is_leap(year):
        return date(year, 2, 28)
    return date(year, birthday.month, birthday.day)


def next_occurrence(birthday: Birthday, today: date) -> date:
    """The next day `birthday` falls on, today included."""
    this_year = occurrence_in(birthday, today.year)
    if this_year >= today:
        return this_year
    return occurrence_in(birthday, today.year + 1)


def age_on(birthday: Birthday, day: date) -> int | None:
    """How old someone with this birthday is on `day`; None without a birth year (or
    before the birth)."""
    if birthday.year is None:
        return None
    had_it = day >= occurrence_in(birthday, day.year)
    age = day.year - birthday.year - (0 if had_it else 1)
    return age if age >= 0 else None


@dataclass(frozen=True, slots=True)
class UpcomingDate:
    """One date coming up for a contact: which, when, in how many days, and the age."""

    contact_id: int
    name: str
    kind: str  # "birthday" (the kind of date; others may join it)
    day: date
    days_until: int
    # The age reached that day; None when the year of birth is unknown.
    turns: int | None
    birthday: Birthday

    @property
    def when(self) -> str:
        """'today', 'tomorrow', 'in 5 days'."""
        if self.days_until == 0:
            return "today"
        if self.days_until == 1:
            return "tomorrow"
        return f"in {self.days_until} days"

    def line(self) -> str:
        """'Ana Silva's birthday, Fri 13 Mar (in 10 days, turns 40)'."""
        turns = f", turns {self.turns}" if self.turns is not None else ""
        return (
            f"{self.name}'s {self.kind}, {self.day:%a} {self.day.day} {self.day:%b} "
            f"({self.when}{turns})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (a stable contract: README, `netbalance dates --json`)."""
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "kind": self.kind,
            "date": self.day.isoformat(),
            "days_until": self.days_until,
            "turns": self.turns,
            "birthday": self.birthday.iso(),
        }


def upcoming_dates(
    contacts: Iterable[Contact], today: date, within_days: int = 30
) -> list[UpcomingDate]:
    """Birthdays from `today` to `within_days` days after it, soonest first.

    Archived contacts are left out (they are out of the network the app tends).
    Ties are ordered by name. `within_days` is 0 (today only) to 366.
    """
    if not 0 <= within_days <= MAX_WITHIN_DAYS:
        raise DomainError("within", within_days, f"must be 0 to {MAX_WITHIN_DAYS} days")
    last = today + timedelta(days=within_days)
    found: list[UpcomingDate] = []
    for c in contacts:
        if c.archived or c.birthday is None:
            continue
        day = next_occurrence(c.birthday, today)
        if day > last:
            continue
        found.append(
            UpcomingDate(
                contact_id=c.id,
                name=c.name,
                kind="birthday",
                day=day,
                days_until=(day - today).days,
                turns=age_on(c.birthday, day),
                birthday=c.birthday,
            )
        )
    found.sort(key=lambda u: (u.day, u.name.casefold(), u.contact_id))
    return found


def parse_birthday(text: str) -> Birthday:
    """Read a birthday as people write it: 1986-03-12, --03-12, 03-12, 12 mar, 12 March
    1986, March 12, mar 12 1986. A year is optional; days not on the calendar are refused."""
    t = " ".join(text.replace(",", " ").split()).lower()
    if not t:
        raise DomainError("birthday", text, "is empty")
    # Numbers first, then the calendar: a day not on it says "is not a real date".
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
        return Birthday(int(m.group(2)), int(m.group(3)), int(m.group(1)))
    if m := re.fullmatch(r"(?:--)?(\d{1,2})-(\d{1,2})", t):
        return Birthday(int(m.group(1)), int(m.group(2)))
    words = t.split()
    year = None
    if len(words) == 3 and words[2].isdigit() and len(words[2]) == 4:
        year = int(words.pop())
    if len(words) == 2:
        first, second = words
        if first.isdigit() and (month := _month(second)):
            return Birthday(month, int(first), year)
        if second.isdigit() and (month := _month(first)):
            return Birthday(month, int(second), year)
    raise DomainError(
        "birthday", text, "must be a day like 1986-03-12, 12 mar, 12 mar 1986 or --03-12"
    )


def _month(word: str) -> int | None:
    w = word.rstrip(".")
    if len(w) < 3:
        return None
    for i, name in enumerate(_MONTHS):
        if name.startswith(w):
            return i + 1
    return None

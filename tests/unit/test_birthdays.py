"""Upcoming birthdays: with or without a year, 29 February, the year's turn, archived people."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netbalance.domain import Birthday, Contact, DomainError
from netbalance.domain.birthdays import (
    age_on,
    next_occurrence,
    parse_birthday,
    upcoming_dates,
)


def _c(name: str, birthday: Birthday | None, cid: int, *, archived: bool = False) -> Contact:
    return Contact(name, id=cid, birthday=birthday, archived=archived)


def test_upcoming_dates_in_order_with_ages_when_the_year_is_known() -> None:
    today = date(2026, 3, 2)
    people = [
        _c("Ben", Birthday(3, 12), 2),  # no year: no age
        _c("Ana", Birthday(3, 2, 1986), 1),  # today
        _c("Cy", Birthday(4, 1, 1990), 3),  # in 30 days
        _c("Di", Birthday(4, 2, 1990), 4),  # in 31 days: out
        _c("Ed", Birthday(3, 5, 1970), 5, archived=True),
        _c("Fay", None, 6),
    ]
    found = upcoming_dates(people, today, 30)
    assert [(u.name, u.days_until, u.turns) for u in found] == [
        ("Ana", 0, 40),
        ("Ben", 10, None),
        ("Cy", 30, 36),
    ]
    assert found[0].when == "today" and found[1].when == "in 10 days"
    assert found[0].line() == "Ana's birthday, Mon 2 Mar (today, turns 40)"
    assert found[1].to_dict() == {
        "contact_id": 2,
        "name": "Ben",
        "kind": "birthday",
        "date": "2026-03-12",
        "days_until": 10,
        "turns": None,
        "birthday": "--03-12",
    }
    assert [u.name for u in upcoming_dates(people, today, 0)] == ["Ana"]


def test_the_list_crosses_the_turn_of_the_year() -> None:
    today = date(2026, 12, 30)
    found = upcoming_dates([_c("Ana", Birthday(1, 2, 2000), 1)], today, 5)
    assert [(u.day, u.turns) for u in found] == [(date(2027, 1, 2), 27)]


def test_29_february_is_28_february_in_years_without_one() -> None:
    leapling = Birthday(2, 29, 2000)
    assert next_occurrence(leapling, date(2027, 2, 1)) == date(2027, 2, 28)
    assert next_occurrence(leapling, date(2028, 2, 1)) == date(2028, 2, 29)
    # On 28 Feb of a common year they have their birthday (and are a year older).
    assert age_on(leapling, date(2027, 2, 28)) == 27
    assert age_on(leapling, date(2027, 2, 27)) == 26
    # 1 March of a common year: past, so the next one is next year's.
    assert next_occurrence(leapling, date(2027, 3, 1)) == date(2028, 2, 29)
    assert next_occurrence(Birthday(2, 29), date(2100, 1, 1)) == date(2100, 2, 28)


@given(
    st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)),
    st.integers(1, 12),
    st.integers(1, 31),
)
def test_the_next_occurrence_is_within_a_year_and_on_the_day(
    today: date, month: int, day: int
) -> None:
    try:
        birthday = Birthday(month, day)
    except DomainError:
        return
    nxt = next_occurrence(birthday, today)
    assert today <= nxt < today + timedelta(days=367)
    assert nxt.month == month
    assert nxt.day == day or (month, day, nxt.day) == (2, 29, 28)


def test_within_is_bounded() -> None:
    with pytest.raises(DomainError, match="within"):
        upcoming_dates([], date(2026, 1, 1), 367)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1986-03-12", Birthday(3, 12, 1986)),
        ("1986-3-2", Birthday(3, 2, 1986)),
        ("--03-12", Birthday(3, 12)),
        ("03-12", Birthday(3, 12)),
        ("12 mar", Birthday(3, 12)),
        ("12 March 1986", Birthday(3, 12, 1986)),
        ("March 12", Birthday(3, 12)),
        ("mar 12, 1986", Birthday(3, 12, 1986)),
        ("29 feb", Birthday(2, 29)),
    ],
)
def test_birthdays_are_read_as_people_write_them(text: str, expected: Birthday) -> None:
    assert parse_birthday(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30 feb", "is not a real date"),
        ("1990-02-29", "is not a real date"),
        ("someday", "must be a day like"),
        ("", "is empty"),
        ("13-40", "is not a real date"),
    ],
)
def test_impossible_birthdays_are_refused(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_birthday(text)

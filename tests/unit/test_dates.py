"""Human dates: the words people type, read against a given `now`."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from netbalance.domain import DomainError
from netbalance.domain.dates import human_until, parse_day, parse_duration, parse_when

# A Sunday.
NOW = pendulum.datetime(2026, 11, 29, 15, 0, tz="Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "past", "expected"),
    [
        ("today", False, "2026-11-29"),
        ("yesterday", False, "2026-11-28"),
        ("tomorrow", False, "2026-11-30"),
        ("3d", False, "2026-12-02"),
        ("3d", True, "2026-11-26"),
        ("2w", False, "2026-12-13"),
        ("3 days ago", False, "2026-11-26"),
        ("in 3 days", False, "2026-12-02"),
        ("next friday", False, "2026-12-04"),
        ("last friday", False, "2026-11-27"),
        ("friday", True, "2026-11-27"),
        ("26 dec", False, "2026-12-26"),
        ("dec 26", True, "2025-12-26"),
        ("2027-01-15", False, "2027-01-15"),
    ],
)
def test_parse_when(text: str, past: bool, expected: str) -> None:
    assert parse_day(text, NOW, past=past).isoformat() == expected


def test_a_bare_date_keeps_the_local_zone() -> None:
    when = parse_when("2026-12-24", NOW)
    assert when.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("text", ["", "soonish", "32 dec", "next blursday", "2026-13-01"])
def test_nonsense_is_a_domain_error_naming_the_text(text: str) -> None:
    with pytest.raises(DomainError) as info:
        parse_when(text, NOW)
    assert info.value.field == "date"


def test_durations() -> None:
    assert parse_duration("3d") == timedelta(days=3)
    assert parse_duration("2 weeks") == timedelta(days=14)
    assert parse_duration("1m") == timedelta(days=30)
    assert parse_duration("next friday") is None
    assert parse_duration("3 days ago") is None


def test_human_until() -> None:
    today = NOW.date()
    assert human_until(today, today) == "today"
    assert human_until(today + timedelta(days=3), today) == "in 3 days"
    assert human_until(today - timedelta(days=20), today) == "2 weeks late"
    assert human_until(None, today) == "—"


@given(st.text(max_size=30))
def test_parse_when_never_crashes(text: str) -> None:
    try:
        result = parse_when(text, NOW)
    except DomainError:
        return
    assert result.tzinfo is not None

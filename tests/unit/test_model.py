"""Validation of the domain records: one error type naming the field and the value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from netbalance.domain import (
    Birthday,
    Circle,
    Contact,
    DomainError,
    Event,
    Goal,
    Interaction,
    Settings,
)

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def test_contact_cleans_and_keeps_values() -> None:
    c = Contact("  Ana   Silva ", emails=("Ana@X.org", "ana@x.org", " "), tags=("Mentor", "mentor"))
    assert c.name == "Ana Silva"
    assert c.emails == ("ana@x.org",)
    assert c.tags == ("mentor",)
    assert c.edit(circle=Circle.INNER).circle is Circle.INNER
    assert c.edit(circle=Circle.INNER).name == "Ana Silva"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "A", "cadence_days": 0}, "cadence"),
        ({"name": "A", "cadence_days": -5}, "cadence"),
        ({"name": "A", "cadence_days": True}, "cadence"),
        ({"name": "A", "emails": ("nope",)}, "email"),
        ({"name": "A", "snoozed_until": datetime(2026, 1, 1)}, "snoozed_until"),
    ],
)
def test_contact_rejects_bad_values(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as info:
        Contact(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert field in str(info.value) and repr(info.value.value) in str(info.value)


def test_edit_validates_too() -> None:
    with pytest.raises(DomainError, match="name"):
        Contact("Ana").edit(name="")


def test_interaction_rules() -> None:
    i = Interaction((1, 2, 1), NOW)
    assert i.contact_ids == (1, 2)
    with pytest.raises(DomainError, match="contacts"):
        Interaction((), NOW)
    with pytest.raises(DomainError, match="depth"):
        Interaction((1,), NOW, depth=4)
    with pytest.raises(DomainError, match="before 1900"):
        Interaction((1,), datetime(1899, 12, 31, tzinfo=UTC))
    with pytest.raises(DomainError, match="future"):
        Interaction((1,), NOW + timedelta(days=2)).check_not_future(NOW)
    Interaction((1,), NOW + timedelta(hours=20)).check_not_future(NOW)


def test_event_end_after_start_and_cost() -> None:
    with pytest.raises(DomainError, match="end"):
        Event("Meetup", NOW, end=NOW)
    assert Event("Meetup", NOW, end=NOW + timedelta(hours=3)).cost_hours == 3
    assert Event("Meetup", NOW, hours=5).cost_hours == 5
    assert Event("Meetup", NOW).cost_hours == 2


def test_goal_and_birthday() -> None:
    with pytest.raises(DomainError, match="title"):
        Goal(" ")
    assert Birthday.from_iso("--02-29").iso() == "--02-29"
    assert Birthday.from_iso("1980-03-22") == Birthday(3, 22, 1980)
    with pytest.raises(DomainError, match="birthday"):
        Birthday(2, 30)
    with pytest.raises(DomainError, match="birthday"):
        Birthday.from_iso("spring")


def test_settings_validate_and_fill_defaults() -> None:
    s = Settings(cadence={Circle.INNER: 10})
    assert s.cadence[Circle.INNER] == 10 and s.cadence[Circle.CLOSE] == 30
    assert s.cadence_for(Circle.CLOSE, 12) == 12
    with pytest.raises(DomainError, match="weekly_hours"):
        Settings(weekly_hours=-1)
    with pytest.raises(DomainError, match=r"cadence\.inner"):
        Settings(cadence={Circle.INNER: 0})

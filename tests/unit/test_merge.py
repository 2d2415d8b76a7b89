"""Merging two contacts field by field: the rules, the user's choices, the differences shown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from netbalance.domain import Birthday, Circle, Contact, DomainError, Event, Interaction
from netbalance.domain.merge import absorb, plan_merge, relink_event, relink_interaction

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
EARLY = datetime(2020, 5, 1, tzinfo=UTC)
LATE = datetime(2025, 5, 1, tzinfo=UTC)


def _pair() -> tuple[Contact, Contact]:
    keep = Contact(
        "Ana Silva",
        id=1,
        uid="u-keep",
        circle=Circle.ACTIVE,
        emails=("ana@x.org",),
        phones=("+351 912 345 678",),
        company="Northwind",
        tags=("python",),
        notes="Met at PyCon",
        created_at=LATE,
    )
    other = Contact(
        "Ana M. Silva",
        id=2,
        uid="u-other",
        aliases=("u-older",),
        circle=Circle.CLOSE,
        emails=("ana@home.example", "ana@x.org"),
        phones=("912345678", "+351 213 000 111"),
        company="Helix",
        role="CTO",
        tags=("mentor", "python"),
        goal_ids=(3,),
        birthday=Birthday(4, 2),
        notes="Loves climbing",
        created_at=EARLY,
    )
    return keep, other


def test_merge_joins_lists_keeps_both_notes_and_the_other_uid() -> None:
    keep, other = _pair()
    merged = plan_merge(keep, other, NOW).merged
    assert (merged.id, merged.uid, merged.name) == (1, "u-keep", "Ana Silva")
    assert merged.emails == ("ana@x.org", "ana@home.example")
    assert merged.phones == ("+351 912 345 678", "+351 213 000 111")  # one number once
    assert merged.tags == ("python", "mentor") and merged.goal_ids == (3,)
    assert merged.aliases == ("u-other", "u-older")
    assert merged.notes == "Met at PyCon\n\n[From Ana M. Silva, merged 2026-01-15]\nLoves climbing"
    assert merged.circle is Circle.CLOSE  # the closer circle
    assert merged.created_at == EARLY  # known since the earlier
    assert merged.company == "Northwind"  # both filled: keep's, unless chosen
    assert merged.role == "CTO" and merged.birthday == Birthday(4, 2)  # only the other has it


def test_differences_are_listed_with_the_side_taken() -> None:
    keep, other = _pair()
    plan = plan_merge(keep, other, NOW)
    shown = {d.field: d.chosen for d in plan.differences}
    assert shown["name"] == "keep" and shown["company"] == "keep"
    assert shown["role"] == "other" and shown["circle"] == "other"
    assert shown["emails"] == "both" and shown["notes"] == "both"
    assert "uid" not in shown and "id" not in shown and "aliases" not in shown
    company = plan.difference("company")
    assert company is not None and (company.keep, company.other) == ("Northwind", "Helix")
    assert company.choosable and not plan.difference("emails").choosable  # type: ignore[union-attr]


def test_choices_and_prefer_other() -> None:
    keep, other = _pair()
    chosen = plan_merge(keep, other, NOW, choices={"name": "other", "circle": "keep"}).merged
    assert chosen.name == "Ana M. Silva" and chosen.circle is Circle.ACTIVE
    preferred = plan_merge(keep, other, NOW, prefer="other").merged
    assert preferred.company == "Helix" and preferred.name == "Ana M. Silva"
    assert preferred.uid == "u-keep"  # identity never follows a preference
    with pytest.raises(DomainError, match="can only choose"):
        plan_merge(keep, other, NOW, choices={"emails": "other"})


def test_archived_and_snoozed_only_when_both_were() -> None:
    keep, other = _pair()
    later = datetime(2026, 3, 1, tzinfo=UTC)
    merged = plan_merge(keep, other.edit(archived=True, snoozed_until=later), NOW).merged
    assert not merged.archived and merged.snoozed_until is None
    sooner = datetime(2026, 2, 1, tzinfo=UTC)
    both = plan_merge(
        keep.edit(archived=True, snoozed_until=later),
        other.edit(archived=True, snoozed_until=sooner),
        NOW,
    ).merged
    assert both.archived and both.snoozed_until == sooner


def test_a_contact_cannot_merge_with_itself() -> None:
    keep, _ = _pair()
    with pytest.raises(DomainError, match="itself"):
        plan_merge(keep, keep, NOW)


def test_relinking_keeps_each_person_once() -> None:
    group = Interaction((1, 2, 5), NOW, id=9)
    assert relink_interaction(group, 1, 2).contact_ids == (1, 5)
    assert relink_interaction(Interaction((2, 5), NOW), 1, 2).contact_ids == (1, 5)
    event = Event("Meetup", NOW, met_contact_ids=(2, 7, 1))
    assert relink_event(event, 1, 2).met_contact_ids == (1, 7)


def test_absorb_adds_a_real_uid_as_alias_but_not_a_content_one() -> None:
    base = Contact("Ana", id=1, uid="mine")
    assert absorb(base, Contact("Ana", uid="phone-1")).aliases == ("phone-1",)
    assert absorb(base, Contact("Ana", uid="nouid-vcard-123")).aliases == ()
    assert absorb(base, Contact("Ana", uid="mine")) == base

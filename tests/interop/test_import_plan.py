"""Planning and applying: dedupe, merge, idempotence, one write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netbalance.domain import Contact, Event, Goal, Interaction
from netbalance.domain.identity import name_key, phone_key
from netbalance.domain.merge import absorb
from netbalance.interop import apply_import, preview_import
from netbalance.interop.common import IncomingContact, ReadResult
from netbalance.interop.import_plan import plan_import
from netbalance.store import Store

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _result(*contacts: Contact, at: datetime | None = None) -> ReadResult:
    result = ReadResult(kind="test", source="t")
    for n, c in enumerate(contacts, 1):
        result.contacts.append(IncomingContact(c, f"t line {n}", first_interaction_at=at))
    return result


def _plan(result: ReadResult, contacts: Sequence[Contact] = ()) -> Any:
    return plan_import(result, contacts=contacts, events=[], interactions=[], goals=[], now=NOW)


def test_keys() -> None:
    assert name_key("Doe, John") == name_key("john  DOE") == name_key("Jöhn Doe".replace("ö", "o"))
    assert name_key("José") == name_key("Jose")
    assert phone_key("+49 171 1234567") == phone_key("0171 1234567")
    assert phone_key("123") == ""


def test_duplicates_in_one_file_are_merged_not_doubled() -> None:
    plan = _plan(
        _result(
            Contact("Ann Lee", emails=("ann@x.org",)),
            Contact("Ann B. Lee", emails=("ANN@x.org",), phones=("555 0100 123",)),
            Contact("Lee, Ann", company="Acme", phones=("+1 555 0100 123",)),
            Contact("Ann Lee", company="Globex"),
        )
    )
    assert len(plan.add_contacts) == 2
    merged = plan.add_contacts[0]
    assert merged.phones == ("555 0100 123",) and merged.company == "Acme"
    assert plan.counts() == {"new": 2, "merged": 2, "unchanged": 0, "skipped": 0}
    # The last Ann Lee shares only a name: new, and the preview says who she might be.
    last = plan.entries[-1]
    assert last.outcome == "new" and "possibly the same person" in last.detail
    assert "same name" in last.detail and plan.possible_duplicates == 1
    assert "1 of the new may be someone already here" in plan.summary()


def test_merge_keeps_what_the_user_has() -> None:
    base = Contact("Ann", id=4, company="Mine", notes="met at PyCon", tags=("friend",))
    merged = absorb(base, Contact("Ann Lee", company="Theirs", notes="met at PyCon", tags=("x",)))
    assert merged.name == "Ann" and merged.company == "Mine" and merged.notes == "met at PyCon"
    assert merged.tags == ("friend", "x")


def test_connection_date_becomes_first_interaction_once() -> None:
    at = datetime(2025, 12, 22, 12, tzinfo=UTC)
    same = Contact("Ann Lee", emails=("ann@x.org",))
    plan = _plan(_result(same, same.edit(name="ann lee"), at=at))
    assert len(plan.add_interactions) == 1
    assert plan.add_interactions[0].contact_ids == (-1,)


class FakeStore:
    """The store's import surface, in memory, to test applying without the real store."""

    def __init__(self) -> None:
        self._contacts: list[Contact] = []
        self._events: list[Event] = []
        self._interactions: list[Interaction] = []
        self.batches = 0

    def contacts(self, *, include_archived: bool = False) -> list[Contact]:
        return list(self._contacts)

    def events(self) -> list[Event]:
        return list(self._events)

    def goals(self) -> list[Goal]:
        return []

    def all_interactions(self) -> list[Interaction]:
        return list(self._interactions)

    def import_batch(
        self,
        add_contacts: Sequence[Contact] = (),
        update_contacts: Sequence[Contact] = (),
        add_events: Sequence[Event] = (),
        update_events: Sequence[Event] = (),
        add_interactions: Sequence[Interaction] = (),
        *,
        add_goals: Sequence[Goal] = (),
        merge_into: Sequence[Contact] = (),
        event_changes: Sequence[tuple[int, Any]] = (),
    ) -> None:
        self.batches += 1
        for c in merge_into:
            self._contacts = [absorb(x, c) if x.id == c.id else x for x in self._contacts]
        new_ids = []
        for c in add_contacts:
            new_ids.append(len(self._contacts) + 1)
            self._contacts.append(c.edit(id=new_ids[-1]))
        for c in update_contacts:
            self._contacts = [c if x.id == c.id else x for x in self._contacts]
        for e in add_events:
            self._events.append(e.edit(id=len(self._events) + 1))
        for i in add_interactions:
            ids = tuple(new_ids[-cid - 1] if cid < 0 else cid for cid in i.contact_ids)
            self._interactions.append(i.edit(contact_ids=ids, id=len(self._interactions) + 1))


LINKEDIN = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Lovelace,https://l.in/ada,ada@x.org,Engines,Analyst,22 Dec 2025\n"
    "Bo,Chen,https://l.in/bo,,Acme,CTO,6-Feb-25\n"
    "Ada,Lovelace,https://l.in/ada,,Engines,Analyst,22 Dec 2025\n"
)


@pytest.mark.parametrize("make", [FakeStore, Store.in_memory], ids=["fake", "store"])
def test_second_run_changes_nothing(tmp_path: Path, make: Any) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN)
    target = make()
    first = preview_import("linkedin", path, target, NOW)
    assert first.counts() == {"new": 2, "merged": 0, "unchanged": 1, "skipped": 0}
    apply_import(target, first)
    assert len(target.contacts()) == 2
    assert len(target.all_interactions()) == 2
    second = preview_import("linkedin", path, target, NOW)
    assert second.counts() == {"new": 0, "merged": 0, "unchanged": 3, "skipped": 0}
    assert not second.changes_anything


def test_existing_contact_gets_merged_and_the_write_is_one_batch(tmp_path: Path) -> None:
    target = FakeStore()
    target._contacts.append(
        Contact("Ada Lovelace", id=1, emails=("ada@x.org",), phones=("+44 20 7946 0000",))
    )
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN)
    plan = preview_import("linkedin", path, target, NOW)
    assert [c.id for c in plan.update_contacts] == [1]
    apply_import(target, plan)
    assert target.batches == 1
    ada = target.contacts()[0]
    assert ada.emails == ("ada@x.org",) and ada.company == "Engines"

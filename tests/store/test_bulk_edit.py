"""Bulk edits: `Store.edit_contacts` changes many contacts in one transaction, field by
field, conflict-safe like `edit_contact`, and one `undo` takes all of it back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.domain import Circle, Contact
from netbalance.store import Store, StoreConflict
from tests.store.conftest import NOW, Reopen

DEC_16 = datetime(2026, 12, 16, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("utc")


def _people(store: Store, n: int = 4) -> list[Contact]:
    return [
        store.add_contact(Contact(f"Person {i}", circle=Circle.ACQUAINTANCE, tags=("x",)), NOW)
        for i in range(n)
    ]


def test_one_transaction_one_change_undone_at_once(store: Store, reopen: Reopen) -> None:
    people = _people(store)
    marked = people[:3]
    before = store.revision
    stored = store.edit_contacts(
        {c.id: {"circle": Circle.ACTIVE} for c in marked},
        "move 3 contacts to the active circle",
        bases={c.id: c for c in marked},
    )
    assert [c.circle for c in stored] == [Circle.ACTIVE] * 3
    assert store.revision == before + 1  # one write
    change = store.last_change
    assert change is not None and change.description == "move 3 contacts to the active circle"
    assert {r.doc_id for r in change.records} == {c.id for c in marked}
    assert all(set(r.after or {}) == {"circle"} for r in change.records)
    again = reopen()
    assert [again.contact(c.id).circle for c in people] == [Circle.ACTIVE] * 3 + [
        Circle.ACQUAINTANCE
    ]
    store.undo(change)
    assert [store.contact(c.id).circle for c in people] == [Circle.ACQUAINTANCE] * 4


def test_changes_may_be_read_under_the_lock(store: Store) -> None:
    people = _people(store, 2)
    store.edit_contact(people[0].id, {"tags": ("x", "mentor")})

    def add_tag(current: Contact) -> dict[str, object]:
        return {"tags": (*current.tags, "pydata")}

    store.edit_contacts({c.id: add_tag for c in people}, "tag 2 contacts pydata")
    assert store.contact(people[0].id).tags == ("x", "mentor", "pydata")
    assert store.contact(people[1].id).tags == ("x", "pydata")


def test_a_conflict_with_another_process_writes_nothing(db_path: Path) -> None:
    with Store.open(db_path) as app, Store.open(db_path) as other:
        people = _people(app, 3)
        shown = {c.id: app.contact(c.id) for c in people}
        other.refresh()
        # Another process moves one of them, and changes another's company (a field the
        # bulk edit does not name: no conflict for that one).
        other.edit_contact(people[1].id, {"circle": Circle.INNER})
        other.edit_contact(people[2].id, {"company": "Acme"})
        with pytest.raises(StoreConflict, match="Person 1"):
            app.edit_contacts(
                {cid: {"circle": Circle.ACTIVE} for cid in shown},
                "move 3 contacts to the active circle",
                bases=shown,
            )
        with Store.open(db_path) as fresh:
            circles = [fresh.contact(c.id).circle for c in people]
            assert fresh.contact(people[2].id).company == "Acme"
    # All or nothing: the two that could have moved did not.
    assert circles == [Circle.ACQUAINTANCE, Circle.INNER, Circle.ACQUAINTANCE]


def test_undo_refuses_when_another_process_changed_one_since(db_path: Path) -> None:
    with Store.open(db_path) as app, Store.open(db_path) as other:
        people = _people(app, 2)
        app.edit_contacts({c.id: {"snoozed_until": DEC_16} for c in people}, "snooze 2")
        change = app.last_change
        assert change is not None
        other.refresh()
        other.edit_contact(people[0].id, {"snoozed_until": DEC_16.replace(day=20)})
        with pytest.raises(StoreConflict, match="Nothing was undone"):
            app.undo(change)
        assert app.contact(people[1].id).snoozed_until == DEC_16

"""edit_interaction: a field-level write like edit_contact, on memory and on a real file.

It names the fields it changes, lands on the interaction as it is under the lock,
keeps the indexes (last contact, next step) right, refuses a field changed since
`base`, and is undone as the inverse change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from netbalance.domain import Contact, DomainError, Interaction, InteractionKind
from netbalance.store import Store, StoreConflict
from tests.store.conftest import NOW, Reopen, memory_tables

pytestmark = pytest.mark.usefixtures("utc")


def _coffee(store: Store) -> tuple[Contact, Contact, Interaction]:
    ana = store.add_contact(Contact("Ana Silva"), NOW - timedelta(days=30))
    ben = store.add_contact(Contact("Ben Okafor"), NOW - timedelta(days=30))
    logged = store.log_interaction(
        Interaction((ana.id,), NOW - timedelta(days=2), kind=InteractionKind.COFFEE, note="x"),
        NOW,
    )
    return ana, ben, logged


def test_edit_interaction_changes_only_the_named_fields(store: Store, reopen: Reopen) -> None:
    _ana, _ben, logged = _coffee(store)
    edited = store.edit_interaction(logged.id, {"depth": 3, "note": "  long talk "})
    assert (edited.depth, edited.note, edited.kind) == (3, "  long talk ", InteractionKind.COFFEE)
    assert store.interaction(logged.id) == edited
    assert reopen().interaction(logged.id) == edited
    change = store.last_change
    assert change is not None and change.description == "edit interaction"
    (record,) = change.records
    assert (record.table, record.doc_id) == ("interactions", logged.id)
    assert set(record.before) == {"depth", "note"}


def test_moving_an_interaction_moves_the_last_contact_and_next_step(
    store: Store, reopen: Reopen
) -> None:
    ana, ben, logged = _coffee(store)
    earlier = NOW - timedelta(days=20)
    store.edit_interaction(
        logged.id,
        {"at": earlier, "contact_ids": (ben.id,), "next_step_on": date(2026, 3, 9)},
    )
    for s in (store, reopen()):
        assert s.last_interaction_at(ana.id) is None
        assert s.last_interaction_at(ben.id) == earlier
        assert s.next_steps() == {ben.id: date(2026, 3, 9)}
        assert [i.id for i in s.interactions_of(ben.id)] == [logged.id]
        assert s.interactions_of(ana.id) == []


def test_a_field_changed_since_the_base_is_refused(store: Store, reopen: Reopen) -> None:
    _ana, _ben, logged = _coffee(store)
    shown = store.interaction(logged.id)
    store.edit_interaction(logged.id, {"kind": InteractionKind.CALL})  # elsewhere, meanwhile
    before = memory_tables(store)
    with pytest.raises(StoreConflict) as refused:
        store.edit_interaction(logged.id, {"kind": InteractionKind.VIDEO, "depth": 1}, base=shown)
    assert str(refused.value) == (
        "The interaction of 28 Feb 2026 was changed elsewhere: kind set to call."
    )
    assert memory_tables(store) == before
    # Another field of the same form is no conflict.
    store.edit_interaction(logged.id, {"depth": 1}, base=shown)
    stored = reopen().interaction(logged.id)
    assert (stored.kind, stored.depth) == (InteractionKind.CALL, 1)


def test_bad_edits_are_refused_and_write_nothing(store: Store) -> None:
    _ana, _ben, logged = _coffee(store)
    store.events()  # the (empty) events table, read by the event check
    before = memory_tables(store)
    with pytest.raises(DomainError, match="depth"):
        store.edit_interaction(logged.id, {"depth": 4})
    with pytest.raises(DomainError, match="no such contact"):
        store.edit_interaction(logged.id, {"contact_ids": (999,)})
    with pytest.raises(DomainError, match="no such event"):
        store.edit_interaction(logged.id, {"event_id": 5})
    with pytest.raises(DomainError, match="is not a field of an interaction"):
        store.edit_interaction(logged.id, {"mood": "good"})
    with pytest.raises(DomainError, match="no such interaction"):
        store.edit_interaction(999, {"depth": 1})
    assert memory_tables(store) == before


def test_undo_puts_the_fields_back(store: Store, reopen: Reopen) -> None:
    ana, _ben, logged = _coffee(store)
    store.edit_interaction(logged.id, {"at": NOW - timedelta(days=9), "note": "y"})
    change = store.last_change
    assert change is not None
    store.undo(change)
    assert reopen().interaction(logged.id) == logged
    assert store.last_interaction_at(ana.id) == logged.at


def test_an_interaction_deleted_elsewhere_is_a_conflict(db_path: Path) -> None:
    at = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
    with Store.open(db_path) as app, Store.open(db_path) as other:
        ana = app.add_contact(Contact("Ana"), NOW - timedelta(days=30))
        logged = app.log_interaction(Interaction((ana.id,), at), NOW)
        shown = app.interaction(logged.id)
        other.refresh()
        other.delete_interaction(logged.id)
        with pytest.raises(StoreConflict, match=r"^The interaction of 20 Feb 2026 was removed"):
            app.edit_interaction(logged.id, {"note": "hello"}, base=shown)

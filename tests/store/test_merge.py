"""Merging two stored contacts: every interaction and link kept, one transaction, one undo;
"not the same person" decisions stored and undoable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from netbalance.domain import Circle, Contact, DomainError, Event, Interaction
from netbalance.domain.duplicates import find_duplicates
from netbalance.store import Store
from tests.store.conftest import NOW, Reopen, memory_tables


def _network(store: Store) -> tuple[int, int, int, int]:
    """Ana twice (1 and 2), Bo; talks alone and in groups; events that met them."""
    ana = store.add_contact(Contact("Ana Silva", emails=("ana@x.org",), notes="PyCon"), NOW)
    dup = store.add_contact(
        Contact(
            "Ana M. Silva",
            emails=("ana@home.example",),
            circle=Circle.CLOSE,
            notes="Climbs",
            created_at=NOW - timedelta(days=400),
        ),
        NOW,
    )
    bo = store.add_contact(Contact("Bo Chen"), NOW)
    event = store.add_event(
        Event("Meetup", NOW - timedelta(days=9), met_contact_ids=(dup.id, bo.id, ana.id))
    )
    store.update_contact(store.contact(dup.id).edit(met_at_event_id=event.id))
    for days, ids in (
        (30, (ana.id,)),
        (20, (dup.id,)),
        (10, (dup.id,)),
        (9, (ana.id, dup.id, bo.id)),  # a group with both records of Ana
        (5, (dup.id, bo.id)),
        (2, (bo.id,)),
    ):
        store.log_interaction(Interaction(ids, NOW - timedelta(days=days)), NOW)
    return ana.id, dup.id, bo.id, event.id


def test_merge_keeps_every_interaction_and_link(store: Store, reopen: Reopen) -> None:
    ana, dup, bo, event = _network(store)
    total = store.interaction_count()
    outcome = store.merge_contacts(ana, dup, NOW)
    assert (outcome.interactions_moved, outcome.events_relinked) == (4, 1)

    again = reopen()
    assert again.interaction_count() == total
    assert [c.id for c in again.contacts()] == [ana, bo]
    with pytest.raises(KeyError):
        again.contact(dup)
    merged = again.contact(ana)
    assert merged.emails == ("ana@x.org", "ana@home.example")
    assert merged.circle is Circle.CLOSE and merged.created_at == NOW - timedelta(days=400)
    assert merged.met_at_event_id == event
    assert (
        "PyCon" in merged.notes
        and "Climbs" in merged.notes
        and "[From Ana M. Silva" in merged.notes
    )
    assert merged.aliases == (outcome.removed.uid,)
    assert again.interaction_count(ana) == 5
    assert all(dup not in i.contact_ids for i in again.all_interactions())
    group = [i for i in again.all_interactions() if len(i.contact_ids) > 1]
    assert sorted(i.contact_ids for i in group) == [(ana, bo), (ana, bo)]  # no double ids
    assert again.event(event).met_contact_ids == (ana, bo)
    assert again.last_interaction_at(ana) == NOW - timedelta(days=5)
    assert again.contact_by_uid(outcome.removed.uid) == merged  # found by its old uid


def test_a_merge_is_undone_in_one_step(store: Store, reopen: Reopen) -> None:
    ana, dup, _bo, _event = _network(store)
    before = memory_tables(store)
    store.merge_contacts(ana, dup, NOW)
    change = store.last_change
    assert change is not None and change.description == "merge Ana M. Silva into Ana Silva"
    store.undo(change)
    assert memory_tables(store) == before
    again = reopen()
    assert memory_tables(again) == before
    assert again.interaction_count(dup) == 4 and again.contact(dup).name == "Ana M. Silva"
    redo = store.last_change
    assert redo is not None
    store.undo(redo)  # and undoing the undo merges again
    assert [c.name for c in store.contacts()] == ["Ana Silva", "Bo Chen"]
    assert store.interaction_count() == 6


def test_merge_with_choices(store: Store) -> None:
    ana, dup, _bo, _event = _network(store)
    merged = store.merge_contacts(ana, dup, NOW, choices={"name": "other", "circle": "keep"})
    assert merged.contact.name == "Ana M. Silva" and merged.contact.circle is Circle.ACTIVE
    assert store.contact(ana).name == "Ana M. Silva"


def test_merge_refuses_a_missing_contact_or_itself(store: Store) -> None:
    ana, _dup, _bo, _event = _network(store)
    before = memory_tables(store)
    with pytest.raises(DomainError, match="no such contact"):
        store.merge_contacts(ana, 999, NOW)
    with pytest.raises(DomainError, match="itself"):
        store.merge_contacts(ana, ana, NOW)
    assert memory_tables(store) == before


def test_merge_takes_what_another_process_wrote_meanwhile(db_path: Path) -> None:
    with Store.open(db_path) as app:
        ana, dup, _bo, _event = _network(app)
        with Store.open(db_path) as cli:  # a `netbalance log` in another terminal
            late = cli.log_interaction(Interaction((dup,), NOW - timedelta(hours=1)), NOW)
            cli.update_contact(cli.contact(dup).edit(role="CTO"))
        app.merge_contacts(ana, dup, NOW)
    with Store.open(db_path) as after:
        assert after.interaction(late.id).contact_ids == (ana,)
        assert after.contact(ana).role == "CTO"


def test_not_the_same_person_is_stored_and_undoable(store: Store, reopen: Reopen) -> None:
    a = store.add_contact(Contact("Sam Taylor", company="Acme"), NOW)
    b = store.add_contact(Contact("Sam Taylor", company="Globex"), NOW)
    assert [p.ids for p in find_duplicates(store.contacts())] == [(a.id, b.id)]
    store.keep_apart(a.id, b.id, NOW)
    store.keep_apart(b.id, a.id, NOW)  # said twice: stored once
    again = reopen()
    assert again.kept_apart() == {frozenset({a.uid, b.uid})}
    assert find_duplicates(again.contacts(), kept_apart=again.kept_apart()) == []
    change = store.last_change
    assert change is not None and change.description == "keep Sam Taylor and Sam Taylor apart"
    store.undo(change)
    assert reopen().kept_apart() == frozenset()
    undone = store.last_change
    assert undone is not None
    store.undo(undone)  # undoing the undo says it again
    assert reopen().kept_apart() == {frozenset({a.uid, b.uid})}
    store.undo(store.last_change)  # type: ignore[arg-type]
    # Merging them anyway drops the decision: one person cannot be kept apart from itself.
    store.keep_apart(a.id, b.id, NOW)
    store.merge_contacts(a.id, b.id, NOW)
    assert reopen().kept_apart() == frozenset()


def test_undoing_a_merge_refuses_when_the_merged_record_changed_since(db_path: Path) -> None:
    from netbalance.store import StoreConflict

    with Store.open(db_path) as app:
        ana, dup, _bo, _event = _network(app)
        app.merge_contacts(ana, dup, NOW)
        change = app.last_change
        with Store.open(db_path) as cli:  # the merged record's emails edited elsewhere
            cli.edit_contact(ana, {"emails": ("ana@new.example",)})
        with pytest.raises(StoreConflict, match="Nothing was undone"):
            app.undo(change)  # type: ignore[arg-type]
        assert app.interaction_count(ana) == 5
        assert app.contact(ana).emails == ("ana@new.example",)
        with pytest.raises(KeyError):
            app.contact(dup)

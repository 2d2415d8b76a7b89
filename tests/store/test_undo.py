"""Undo is the inverse change: it reverts only the fields a change set, all or nothing,
and refuses (nothing written) when someone changed them since or started using a
record the change added. On memory and on a real file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netbalance.domain import Circle, Contact, Event, Goal, Interaction, WeeklySnapshot
from netbalance.store import Change, Store, StoreConflict
from netbalance.store.changes import ABSENT, RecordChange
from tests.store.conftest import NOW, Reopen, memory_tables

DEC_16 = datetime(2026, 12, 16, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("utc")


def _last(store: Store) -> Change:
    assert store.last_change is not None
    return store.last_change


def _kim(store: Store) -> Contact:
    return store.add_contact(Contact("Kim Lost", company="Initech"), NOW)


def test_undo_reverts_only_the_fields_the_change_set(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    store.edit_contact(kim.id, {"company": "Acme"})
    edit = _last(store)
    store.edit_contact(kim.id, {"circle": Circle.INNER})  # a later, separate change
    store.undo(edit)
    stored = reopen().contact(kim.id)
    assert (stored.company, stored.circle) == ("Initech", Circle.INNER)
    assert _last(store).description == "undo edit Kim Lost"


def test_undo_is_refused_when_a_field_it_set_changed_since(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    store.snooze(kim.id, NOW + timedelta(days=7))
    week = _last(store)
    store.snooze(kim.id, DEC_16)  # another snooze, e.g. from the command line
    before, revision = memory_tables(store), store.revision
    with pytest.raises(StoreConflict) as refused:
        store.undo(week)
    assert str(refused.value) == (
        "Kim Lost was changed elsewhere: snoozed until 16 Dec 2026. Nothing was undone."
    )
    assert (memory_tables(store), store.revision) == (before, revision)
    assert reopen().contact(kim.id).snoozed_until == DEC_16


def test_a_field_already_back_at_its_old_value_is_no_conflict(store: Store) -> None:
    kim = _kim(store)
    store.edit_contact(kim.id, {"company": "Acme", "role": "CTO"})
    edit = _last(store)
    store.edit_contact(kim.id, {"company": "Initech"})
    store.undo(edit)
    assert (store.contact(kim.id).company, store.contact(kim.id).role) == ("Initech", "")


def test_undo_of_an_undo_redoes(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    store.snooze(kim.id, DEC_16)
    store.undo(_last(store))
    assert store.contact(kim.id).snoozed_until is None
    store.undo(_last(store))
    assert reopen().contact(kim.id).snoozed_until == DEC_16


def test_a_change_records_each_record_and_field(store: Store) -> None:
    kim = _kim(store)
    store.snooze(kim.id, DEC_16)
    logged = store.log_interaction(Interaction((kim.id,), NOW), NOW)
    change = _last(store)
    assert change.description == "log message with Kim Lost"
    by_table = {r.table: r for r in change.records}
    assert by_table["contacts"] == RecordChange(
        "contacts", kim.id, {"snoozed_until": "2026-12-16T09:00:00Z"}, {"snoozed_until": ABSENT}
    )
    added = by_table["interactions"]
    assert (added.doc_id, added.before) == (logged.id, None)
    assert added.after is not None and added.after["contacts"] == [kim.id]


def test_undo_of_an_added_contact_changed_since_is_refused(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    added = _last(store)
    store.snooze(kim.id, DEC_16)
    with pytest.raises(StoreConflict) as refused:
        store.undo(added)
    assert str(refused.value) == (
        "Kim Lost was changed elsewhere: snoozed until 16 Dec 2026. Nothing was undone."
    )
    assert reopen().contact(kim.id).snoozed_until == DEC_16


def test_undo_of_an_added_contact_used_since_is_refused(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    added = _last(store)
    store.log_interaction(Interaction((kim.id,), NOW, note="coffee"), NOW)
    event = store.add_event(Event("PyData", NOW, met_contact_ids=(kim.id,)))
    with pytest.raises(StoreConflict) as refused:
        store.undo(added)
    assert str(refused.value) == (
        "Kim Lost was used elsewhere since (1 interaction, the event PyData). Nothing was undone."
    )
    again = reopen()
    assert again.contact(kim.id).name == "Kim Lost"
    assert [i.note for i in again.interactions_of(kim.id)] == ["coffee"]
    assert again.event(event.id).met_contact_ids == (kim.id,)


def test_undo_of_an_added_goal_used_since_is_refused(store: Store) -> None:
    goal = store.add_goal(Goal("Find a mentor"), NOW)
    added = _last(store)
    kim = _kim(store)
    store.edit_contact(kim.id, {"goal_ids": (goal.id,)})
    with pytest.raises(StoreConflict, match="used elsewhere since \\(the contact Kim Lost\\)"):
        store.undo(added)
    assert store.goal(goal.id).title == "Find a mentor"


def test_undo_never_brings_back_a_link_to_a_removed_record(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    added = _last(store)
    logged = store.log_interaction(Interaction((kim.id,), NOW), NOW)
    store.delete_interaction(logged.id)
    deleted = _last(store)
    store.undo(added)  # nothing uses Kim any more: she goes
    with pytest.raises(StoreConflict) as refused:
        store.undo(deleted)
    assert str(refused.value) == (
        "The interaction of 2 Mar 2026 would point to a contact that was removed since. "
        "Nothing was undone."
    )
    again = reopen()
    assert again.interaction_count() == 0 and again.contact_count() == 0


def test_undo_of_a_delete_brings_the_record_back(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    logged = store.log_interaction(Interaction((kim.id,), NOW, note="coffee"), NOW)
    store.delete_interaction(logged.id)
    store.undo(_last(store))
    again = reopen()
    assert again.interaction(logged.id).note == "coffee"
    assert again.last_interaction_at(kim.id) == NOW


def test_undo_refuses_a_mix_that_would_be_invalid(store: Store, reopen: Reopen) -> None:
    start = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
    event = store.add_event(Event("PyData", start, end=start + timedelta(hours=2)))
    store.edit_event(event.id, {"end": start + timedelta(hours=6)})
    longer = _last(store)
    store.edit_event(event.id, {"start": start + timedelta(hours=3)})
    with pytest.raises(StoreConflict) as refused:
        store.undo(longer)
    assert str(refused.value).startswith(
        "PyData was changed elsewhere; undoing now would make it invalid (end: must be after"
    )
    assert str(refused.value).endswith("Nothing was undone.")
    assert reopen().event(event.id).end == start + timedelta(hours=6)


def test_who_i_met_is_undone_in_one_step_or_not_at_all(store: Store, reopen: Reopen) -> None:
    event = store.add_event(Event("Meetup", NOW - timedelta(days=1)))
    known = _kim(store)
    store.import_batch(
        add_contacts=[Contact("New Person", circle=Circle.ACQUAINTANCE)],
        add_interactions=[
            Interaction((-1,), NOW - timedelta(days=1), event_id=event.id),
            Interaction((known.id,), NOW - timedelta(days=1), event_id=event.id),
        ],
        now=NOW,
        met_at_event=event.id,
        description="who I met at Meetup",
    )
    met = _last(store)
    other = store.add_contact(Contact("Late Add"), NOW)
    store.edit_event(
        event.id, {"met_contact_ids": (*store.event(event.id).met_contact_ids, other.id)}
    )
    before = memory_tables(store)
    with pytest.raises(StoreConflict) as refused:
        store.undo(met)
    assert str(refused.value) == (
        "Meetup was changed elsewhere: people met changed. Nothing was undone."
    )
    assert memory_tables(store) == before
    again = reopen()
    assert again.interaction_count() == 2
    assert {c.name for c in again.contacts()} == {"Kim Lost", "New Person", "Late Add"}


def test_undo_of_an_import_keeps_later_edits_of_other_fields(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    store.import_batch(update_contacts=[kim.edit(emails=("kim@example.org",))])
    imported = _last(store)
    store.snooze(kim.id, DEC_16)
    store.undo(imported)
    stored = reopen().contact(kim.id)
    assert (stored.emails, stored.snoozed_until) == ((), DEC_16)


def test_undo_of_a_restore_changed_since_is_refused(store: Store, reopen: Reopen) -> None:
    store.restore(
        contacts=[Contact("Kim Lost", id=3, created_at=NOW)],
        interactions=[Interaction((3,), NOW, id=5)],
        snapshots=[WeeklySnapshot(NOW.date() - timedelta(days=NOW.weekday()), id=1)],
    )
    restored = _last(store)
    store.snooze(3, DEC_16)
    with pytest.raises(StoreConflict, match="Kim Lost was changed elsewhere: snoozed until"):
        store.undo(restored)
    assert reopen().interaction_count() == 1
    store.snooze(3, None)
    store.undo(restored)
    again = reopen()
    assert again.is_empty() and again.snapshots() == []


def test_undo_in_another_store_of_the_same_file(db_path: Path) -> None:
    """The lock and the catch-up: a change undone by one Store while another wrote."""
    with Store.open(db_path) as app, Store.open(db_path) as cli:
        kim = _kim(app)
        app.snooze(kim.id, NOW + timedelta(days=7))
        week = _last(app)
        cli.refresh()
        cli.edit_contact(kim.id, {"company": "Acme"})
        app.undo(week)  # a different field: allowed, and the company stays
        cli.snooze(kim.id, DEC_16)
        app.snooze(kim.id, NOW + timedelta(days=3))
        with pytest.raises(StoreConflict):
            cli.undo(_last(cli))
        with Store.open(db_path) as fresh:
            stored = fresh.contact(kim.id)
    assert (stored.company, stored.snoozed_until) == ("Acme", NOW + timedelta(days=3))

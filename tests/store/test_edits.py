"""Field-level writes: edit_contact, edit_event, edit_goal, on memory and on a real file.

A write names the fields it changes and lands on the record as it is under the
lock; with `base` it is refused when someone else changed one of those fields.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from netbalance.domain import (
    Circle,
    Contact,
    DomainError,
    Event,
    EventStatus,
    Goal,
    GoalKind,
)
from netbalance.store import Store, StoreConflict, StoreError
from netbalance.store.changes import ABSENT, RecordChange
from tests.store.conftest import NOW, Reopen, memory_tables

DEC_16 = datetime(2026, 12, 16, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("utc")


def _kim(store: Store) -> Contact:
    return store.add_contact(Contact("Kim Lost", company="Initech"), NOW)


def test_edit_contact_changes_only_the_named_fields(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    store.snooze(kim.id, DEC_16)
    edited = store.edit_contact(kim.id, {"company": " Acme ", "tags": ("Mentor",)})
    # Values are validated and cleaned like any edit; the snooze set before is kept.
    assert (edited.company, edited.tags, edited.snoozed_until) == ("Acme", ("mentor",), DEC_16)
    assert store.contact(kim.id) == edited
    assert reopen().contact(kim.id) == edited
    change = store.last_change
    assert change is not None and change.description == "edit Kim Lost"
    assert change.records == (
        RecordChange(
            "contacts",
            kim.id,
            {"company": "Initech", "tags": ABSENT},
            {"company": "Acme", "tags": ["mentor"]},
        ),
    )


def test_edit_with_a_base_keeps_what_others_changed_in_other_fields(
    store: Store, reopen: Reopen
) -> None:
    kim = _kim(store)
    form_opened = store.contact(kim.id)
    store.snooze(kim.id, DEC_16)  # meanwhile, elsewhere
    store.edit_contact(kim.id, {"circle": Circle.INNER}, base=form_opened)
    stored = reopen().contact(kim.id)
    assert (stored.circle, stored.snoozed_until) == (Circle.INNER, DEC_16)


def test_edit_of_a_field_changed_since_the_base_is_refused(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    form_opened = store.contact(kim.id)
    store.snooze(kim.id, DEC_16)
    before, revision, last = memory_tables(store), store.revision, store.last_change
    with pytest.raises(StoreConflict) as refused:
        store.edit_contact(kim.id, {"snoozed_until": None, "company": "Acme"}, base=form_opened)
    assert str(refused.value) == "Kim Lost was changed elsewhere: snoozed until 16 Dec 2026."
    assert isinstance(refused.value, StoreError)
    # Nothing written, not even the company that did not conflict.
    assert memory_tables(store) == before
    assert (store.revision, store.last_change) == (revision, last)
    assert reopen().contact(kim.id).snoozed_until == DEC_16


def test_conflict_message_names_every_field_in_product_words(store: Store) -> None:
    kim = _kim(store)
    form_opened = store.contact(kim.id)
    store.edit_contact(
        kim.id,
        {"circle": Circle.INNER, "cadence_days": 14, "archived": True, "notes": "long story"},
    )
    with pytest.raises(StoreConflict) as refused:
        store.edit_contact(
            kim.id,
            {"circle": Circle.WIDER, "cadence_days": 30, "archived": False, "notes": "x"},
            base=form_opened,
        )
    assert str(refused.value) == (
        "Kim Lost was changed elsewhere: moved to the inner circle; "
        "cadence set to every 14 days; archived; notes changed."
    )


def test_the_same_change_made_twice_is_no_conflict(store: Store) -> None:
    kim = _kim(store)
    form_opened = store.contact(kim.id)
    store.edit_contact(kim.id, {"company": "Acme"})
    assert store.edit_contact(kim.id, {"company": "Acme"}, base=form_opened).company == "Acme"


def test_an_edit_that_changes_nothing_writes_nothing(store: Store) -> None:
    kim = _kim(store)
    revision, last = store.revision, store.last_change
    assert store.edit_contact(kim.id, {"company": "Initech"}, base=kim) == kim
    assert store.edit_contact(kim.id, {}) == kim
    assert (store.revision, store.last_change) == (revision, last)


def test_a_form_sends_the_fields_it_changed(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    form_opened = store.contact(kim.id)
    store.snooze(kim.id, DEC_16)
    # The form returns a whole record; only what the user changed is written.
    in_form = form_opened.edit(role="CTO", emails=("kim@example.org",))
    assert form_opened.changed_fields(in_form) == {
        "role": "CTO",
        "emails": ("kim@example.org",),
    }
    store.edit_contact(kim.id, form_opened.changed_fields(in_form), base=form_opened)
    stored = reopen().contact(kim.id)
    assert (stored.role, stored.emails, stored.snoozed_until) == (
        "CTO",
        ("kim@example.org",),
        DEC_16,
    )


def test_invalid_edits_are_domain_errors_and_write_nothing(store: Store) -> None:
    kim = _kim(store)
    before = memory_tables(store)
    with pytest.raises(DomainError, match="cadence"):
        store.edit_contact(kim.id, {"cadence_days": 0})
    with pytest.raises(DomainError, match="is not a field of a contact"):
        store.edit_contact(kim.id, {"nickname": "K"})
    with pytest.raises(DomainError, match="is not a field of a contact"):
        store.edit_contact(kim.id, {"id": 7})
    with pytest.raises(DomainError, match="no such contact"):
        store.edit_contact(99, {"company": "Acme"})
    assert memory_tables(store) == before


def test_editing_a_contact_removed_elsewhere_is_a_conflict(store: Store) -> None:
    added = _kim(store)
    change = store.last_change
    assert change is not None
    store.undo(change)
    with pytest.raises(StoreConflict, match=r"^Kim Lost was removed elsewhere\.$"):
        store.edit_contact(added.id, {"company": "Acme"}, base=added)


def test_edit_event_and_its_conflicts(store: Store, reopen: Reopen) -> None:
    start = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
    event = store.add_event(Event("PyData", start, place="Berlin"))
    listed = store.event(event.id)
    store.set_event_status(event.id, EventStatus.GOING)
    moved = store.edit_event(event.id, {"place": "Hamburg"}, base=listed)
    assert (moved.place, moved.status) == ("Hamburg", EventStatus.GOING)
    with pytest.raises(StoreConflict) as refused:
        store.edit_event(
            event.id,
            {"status": EventStatus.DECLINED, "start": start + timedelta(days=1)},
            base=listed,
        )
    assert str(refused.value) == "PyData was changed elsewhere: marked going."
    with pytest.raises(DomainError, match="end"):
        store.edit_event(event.id, {"end": start - timedelta(hours=1)})
    with pytest.raises(DomainError, match="no such event"):
        store.edit_event(999, {"place": "x"})
    stored = reopen().event(event.id)
    assert (stored.place, stored.status, stored.start) == ("Hamburg", EventStatus.GOING, start)


def test_edit_goal_and_its_conflicts(store: Store, reopen: Reopen) -> None:
    goal = store.add_goal(Goal("Find a mentor", kind=GoalKind.CAREER), NOW)
    listed = store.goal(goal.id)
    store.edit_goal(goal.id, {"target_date": date(2026, 12, 16)})
    with pytest.raises(StoreConflict) as refused:
        store.edit_goal(goal.id, {"target_date": None}, base=listed)
    assert (
        str(refused.value) == "Find a mentor was changed elsewhere: target date set to 16 Dec 2026."
    )
    retired = store.edit_goal(goal.id, {"active": False}, base=listed)
    assert not retired.active and retired.target_date == date(2026, 12, 16)
    assert reopen().goal(goal.id) == retired
    with pytest.raises(DomainError, match="no such goal"):
        store.edit_goal(999, {"active": False})


def test_snooze_and_archive_act_on_the_contact_as_it_is_now(db_path: Path) -> None:
    with Store.open(db_path) as app, Store.open(db_path) as other:
        kim = _kim(app)
        other.refresh()
        other.edit_contact(kim.id, {"company": "Acme"})
        # `app` has not refreshed: its snooze and archive still keep the company.
        app.snooze(kim.id, DEC_16)
        app.archive_contact(kim.id)
        with Store.open(db_path) as fresh:
            stored = fresh.contact(kim.id)
    assert (stored.company, stored.snoozed_until, stored.archived) == ("Acme", DEC_16, True)


def test_old_whole_record_updates_still_work(store: Store, reopen: Reopen) -> None:
    kim = _kim(store)
    store.update_contact(kim.edit(company="Acme"))
    event = store.add_event(Event("PyData", NOW))
    store.update_event(event.edit(place="Berlin"))
    goal = store.add_goal(Goal("Mentor"), NOW)
    store.update_goal(goal.edit(active=False))
    again = reopen()
    assert again.contact(kim.id).company == "Acme"
    assert again.event(event.id).place == "Berlin"
    assert not again.goal(goal.id).active


def test_a_batch_can_merge_into_the_record_as_it_is_under_the_lock(db_path: Path) -> None:
    """The primitive an import uses inside its one transaction: changes computed from
    the current record (a union of emails), and a planned patch checked against the
    record it was planned from."""
    from netbalance.store.codec import CONTACTS

    with Store.open(db_path) as importer, Store.open(db_path) as app:
        kim = _kim(importer)
        planned_from = importer.contact(kim.id)
        app.refresh()
        app.edit_contact(kim.id, {"emails": ("kim@work.example",), "company": "Acme"})

        def union(current: Contact) -> dict[str, object]:
            return {"emails": (*current.emails, "kim@home.example")}

        importer._transact("import", lambda tx: importer._edit_record(tx, CONTACTS, kim.id, union))
        assert importer.contact(kim.id).emails == ("kim@work.example", "kim@home.example")
        with pytest.raises(StoreConflict, match="company set to Acme"):
            importer._transact(
                "import",
                lambda tx: importer._edit_record(
                    tx, CONTACTS, kim.id, {"company": "Initech Labs"}, planned_from
                ),
            )
        assert importer.contact(kim.id).company == "Acme"

"""The Store API, on memory and on a real file, checked against what is stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netbalance.domain import (
    Circle,
    Contact,
    DomainError,
    Event,
    EventStatus,
    Goal,
    GoalKind,
    Interaction,
    InteractionKind,
    Settings,
    WeeklySnapshot,
)
from netbalance.store import Store
from tests.store.conftest import NOW, Reopen, memory_tables


def _add(store: Store, name: str, **kw: object) -> Contact:
    return store.add_contact(Contact(name, **kw), NOW)  # type: ignore[arg-type]


def test_add_edit_archive_contact(store: Store, reopen: Reopen) -> None:
    ana = _add(store, "Ana Silva", circle=Circle.INNER, emails=("ana@example.com",))
    assert ana.id > 0 and ana.created_at == NOW
    store.update_contact(ana.edit(company="Northwind", cadence_days=10))
    store.archive_contact(ana.id)
    bo = _add(store, "Bo Kim")

    again = reopen()
    stored = again.contact(ana.id)
    assert (stored.name, stored.company, stored.cadence_days) == ("Ana Silva", "Northwind", 10)
    assert stored.circle is Circle.INNER and stored.emails == ("ana@example.com",)
    assert stored.archived
    assert [c.name for c in again.contacts()] == ["Bo Kim"]
    assert {c.id for c in again.contacts(include_archived=True)} == {ana.id, bo.id}
    again.archive_contact(ana.id, archived=False)
    assert not again.contact(ana.id).archived


def test_edit_unknown_contact_is_a_domain_error(store: Store) -> None:
    with pytest.raises(DomainError, match="contact"):
        store.update_contact(Contact("Ghost", id=99))


def test_log_with_several_contacts_restarts_cadence_and_ends_snooze(
    store: Store, reopen: Reopen
) -> None:
    ana, bo, cy = (_add(store, n) for n in ("Ana", "Bo", "Cy"))
    first = store.log_interaction(Interaction((ana.id,), NOW - timedelta(days=30)), NOW)
    store.snooze(bo.id, NOW + timedelta(days=5))
    assert store.contact(bo.id).snoozed_until == NOW + timedelta(days=5)

    later = NOW - timedelta(days=1)
    both = store.log_interaction(
        Interaction((ana.id, bo.id), later, kind=InteractionKind.COFFEE, depth=3, note="Lunch"), NOW
    )
    assert both.id != first.id

    again = reopen()
    assert again.last_interaction_at(ana.id) == later
    assert again.last_interaction_at(bo.id) == later
    assert again.last_interaction_at(cy.id) is None
    assert again.contact(bo.id).snoozed_until is None
    assert [i.id for i in again.interactions_of(ana.id)] == [first.id, both.id]
    stored = again.interaction(both.id)
    assert stored.contact_ids == (ana.id, bo.id)
    assert (stored.kind, stored.depth, stored.note) == (InteractionKind.COFFEE, 3, "Lunch")
    assert again.interaction_count() == 2 and again.interaction_count(bo.id) == 1


def test_log_rejects_future_and_unknown_contacts(store: Store) -> None:
    ana = _add(store, "Ana")
    with pytest.raises(DomainError, match="future"):
        store.log_interaction(Interaction((ana.id,), NOW + timedelta(days=3)), NOW)
    with pytest.raises(DomainError, match="contact"):
        store.log_interaction(Interaction((ana.id, 42), NOW), NOW)
    assert store.interaction_count() == 0


def test_delete_interaction_reindexes_last_interaction(store: Store, reopen: Reopen) -> None:
    ana = _add(store, "Ana")
    old = store.log_interaction(Interaction((ana.id,), NOW - timedelta(days=20)), NOW)
    new = store.log_interaction(Interaction((ana.id,), NOW - timedelta(days=2)), NOW)
    store.delete_interaction(new.id)
    assert store.last_interaction_at(ana.id) == old.at
    assert reopen().last_interaction_at(ana.id) == old.at
    store = reopen()
    store.delete_interaction(old.id)
    assert store.last_interaction_at(ana.id) is None
    assert store.interactions_of(ana.id) == []
    with pytest.raises(DomainError):
        store.delete_interaction(old.id)


def test_events(store: Store, reopen: Reopen) -> None:
    e = store.add_event(
        Event(
            "PyData meetup",
            NOW + timedelta(days=3),
            end=NOW + timedelta(days=3, hours=2),
            place="Lisbon",
            tags=("Python",),
        )
    )
    store.add_event(Event("Breakfast", NOW - timedelta(days=1)))
    store.set_event_status(e.id, EventStatus.GOING)
    again = reopen()
    assert [x.title for x in again.events()] == ["Breakfast", "PyData meetup"]
    stored = again.event(e.id)
    assert stored.status is EventStatus.GOING and stored.tags == ("python",)
    assert stored.cost_hours == 2.0
    with pytest.raises(DomainError):
        again.update_event(Event("Nope", NOW, id=999))


def test_goals(store: Store, reopen: Reopen) -> None:
    g = store.add_goal(
        Goal("Lead product", kind=GoalKind.CAREER, target_date=date(2026, 9, 1)), NOW
    )
    store.update_goal(g.edit(active=False))
    again = reopen()
    stored = again.goal(g.id)
    assert stored.created_at == NOW and stored.target_date == date(2026, 9, 1)
    assert not stored.active
    assert again.goals(include_retired=False) == []


def test_settings_round_trip(store: Store, reopen: Reopen) -> None:
    assert store.settings() == Settings()
    changed = Settings(weekly_hours=3.5, cadence={Circle.INNER: 5, Circle.WIDER: None})
    changed = changed.edit(thresholds=changed.thresholds.edit(upcoming_days=3))
    store.save_settings(changed)
    assert reopen().settings() == changed


def test_weekly_snapshots_one_per_week(store: Store, reopen: Reopen) -> None:
    monday = date(2026, 2, 23)
    store.put_snapshot(WeeklySnapshot(monday, interactions=3, figures={"depth": 0.4}))
    store.put_snapshot(WeeklySnapshot(monday, interactions=5, zone="deepening"))
    store.put_snapshot(WeeklySnapshot(monday - timedelta(days=7), interactions=1))
    snaps = reopen().snapshots()
    assert [(s.week_start, s.interactions) for s in snaps] == [
        (monday - timedelta(days=7), 1),
        (monday, 5),
    ]
    assert snaps[1].zone == "deepening" and snaps[1].figures == {}


def test_undo_last_change(store: Store, reopen: Reopen) -> None:
    ana = _add(store, "Ana")
    store.snooze(ana.id, NOW + timedelta(days=3))
    logged = store.log_interaction(Interaction((ana.id,), NOW), NOW)
    assert store.last_change is not None
    store.undo(store.last_change)
    # Undoing the follow-up removes it and brings the snooze back.
    assert store.interaction_count() == 0
    assert store.last_interaction_at(ana.id) is None
    again = reopen()
    assert again.contact(ana.id).snoozed_until == NOW + timedelta(days=3)
    assert str(logged.id) not in again.raw_tables().get("interactions", {})


def test_undo_of_an_import_with_two_interactions_of_one_contact(
    store: Store, reopen: Reopen
) -> None:
    ana = _add(store, "Ana")
    store.import_batch(
        add_interactions=[
            Interaction((ana.id,), NOW - timedelta(days=1)),
            Interaction((ana.id,), NOW - timedelta(days=5)),
        ]
    )
    assert store.last_change is not None
    store.undo(store.last_change)
    assert store.last_interaction_at(ana.id) is None
    assert store.interactions_of(ana.id) == []
    assert reopen().interaction_count() == 0


def test_import_batch_with_placeholder_ids(store: Store, reopen: Reopen) -> None:
    old = _add(store, "Existing")
    ids = store.import_batch(
        add_contacts=[Contact("New One"), Contact("New Two")],
        update_contacts=[old.edit(company="Acme")],
        add_events=[Event("Conf", NOW - timedelta(days=10))],
        add_interactions=[
            Interaction((-1, -2), NOW - timedelta(days=3)),
            Interaction((old.id, -2), NOW - timedelta(days=2)),
        ],
        now=NOW,
    )
    one, two = ids["contacts"]
    again = reopen()
    assert again.contact(one).name == "New One" and again.contact(one).created_at == NOW
    assert again.contact(old.id).company == "Acme"
    assert [again.interaction(i).contact_ids for i in ids["interactions"]] == [
        (one, two),
        (old.id, two),
    ]
    assert again.last_interaction_at(two) == NOW - timedelta(days=2)
    assert len(again.events()) == 1


@pytest.mark.parametrize("bad_id", [77, -3])
def test_import_batch_is_all_or_nothing(store: Store, reopen: Reopen, bad_id: int) -> None:
    old = _add(store, "Existing")
    before = {t: rows for t, rows in memory_tables(store).items() if rows}
    with pytest.raises(DomainError):
        store.import_batch(
            add_contacts=[Contact("New One")],
            update_contacts=[old.edit(company="Acme")],
            add_events=[Event("Conf", NOW)],
            add_interactions=[
                Interaction((-1,), NOW - timedelta(days=3)),
                Interaction((bad_id,), NOW - timedelta(days=2)),
            ],
        )
    assert {t: rows for t, rows in memory_tables(store).items() if rows} == before
    assert store.contact_count() == 1 and store.events() == []
    assert store.last_interaction_at(old.id) is None
    again = reopen()
    assert again.contact_count() == 1 and again.contact(old.id).company == ""
    assert again.interaction_count() == 0
    # Ids are not burnt by the failed import.
    assert _add(again, "Next").id == old.id + 1


def test_reopen_finds_everything(store: Store, reopen: Reopen) -> None:
    contacts = [_add(store, f"Person {n}", circle=Circle.CLOSE) for n in range(20)]
    for n, c in enumerate(contacts):
        store.log_interaction(Interaction((c.id,), NOW - timedelta(days=n)), NOW)
    store.add_goal(Goal("Grow"), NOW)
    store.close()
    again = reopen()
    assert [c.name for c in again.contacts()] == [c.name for c in contacts]
    assert again.interaction_count() == 20
    assert again.last_interactions() == {
        c.id: NOW - timedelta(days=n) for n, c in enumerate(contacts)
    }
    assert again.goals()[0].title == "Grow"


def test_next_steps_follow_the_last_interaction(store: Store, reopen: Reopen) -> None:
    ana = _add(store, "Ana")
    at = NOW - timedelta(days=3)
    first = store.log_interaction(
        Interaction((ana.id,), at, next_step="intro", next_step_on=date(2026, 12, 4)), NOW
    )
    assert store.next_steps() == {ana.id: date(2026, 12, 4)}
    assert reopen().next_step_of(ana.id) == date(2026, 12, 4)
    # Same second, logged later: the newer one is the last, and it set no next step.
    second = store.log_interaction(Interaction((ana.id,), at), NOW)
    assert store.next_steps() == {}
    store.delete_interaction(second.id)
    assert store.next_step_of(ana.id) == date(2026, 12, 4)
    store.delete_interaction(first.id)
    assert store.next_step_of(ana.id) is None


def test_restore_refuses_a_database_that_holds_data(store: Store, reopen: Reopen) -> None:
    from netbalance.store.store import StoreNotEmpty

    goal = Goal("Find a mentor", id=4, created_at=NOW, uid="g-1")
    ann = Contact("Ann", id=9, goal_ids=(4,), created_at=NOW, uid="c-1")
    talk = Interaction((9,), NOW - timedelta(days=1), id=3, uid="i-1")
    week = WeeklySnapshot(date(2026, 2, 23), id=2, note="kept")
    store.restore(contacts=[ann], interactions=[talk], goals=[goal], snapshots=[week])
    again = reopen()
    assert again.contacts() == [ann] and again.goals() == [goal]
    assert again.all_interactions() == [talk] and again.snapshots() == [week]
    with pytest.raises(StoreNotEmpty, match="already holds data"):
        again.restore(contacts=[Contact("Bo", id=1)])
    assert [c.name for c in reopen().contacts()] == ["Ann"]


def test_who_i_met_is_one_change(store: Store) -> None:
    from netbalance.domain import Event

    event = store.add_event(Event("Meetup", NOW - timedelta(days=1)))
    known = _add(store, "Known Person")
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
    (new,) = [c for c in store.contacts() if c.name == "New Person"]
    assert store.event(event.id).met_contact_ids == (new.id, known.id)
    change = store.last_change
    assert change is not None and change.description == "who I met at Meetup"
    store.undo(change)
    assert store.event(event.id).met_contact_ids == ()
    assert [c.name for c in store.contacts()] == ["Known Person"]
    assert store.interaction_count() == 0

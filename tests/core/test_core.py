"""The core on its own (no Textual): verbs, what they change, and the model kept current."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from netbalance.core import Core, keep_place
from netbalance.domain import Circle, Contact, DomainError, Event, EventStatus, Interaction
from netbalance.domain.health import NetworkModel
from netbalance.store import Store, StoreConflict

NOW = datetime(2026, 11, 29, 10, 30, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@pytest.fixture
def core() -> Core:
    store = Store.in_memory()
    start = NOW - timedelta(days=90)
    for n, circle in enumerate((Circle.CLOSE, Circle.ACTIVE, Circle.ACTIVE, Circle.INNER)):
        store.add_contact(Contact(f"Person {n}", circle=circle), start)
    store.log_interaction(Interaction((1, 2), NOW - timedelta(days=40)), NOW)
    store.add_event(Event("Later meetup", NOW + timedelta(days=3)))
    core = Core.open(store, clock)
    core.install_health(core.build_health(NOW))
    return core


def rebuilt(core: Core) -> NetworkModel:
    return core.build_health(NOW).model


def test_a_follow_up_of_a_snoozed_contact_ends_the_snooze_in_the_model_as_in_a_rebuild(
    core: Core,
) -> None:
    # Issue 9 item 4: the incremental model and a rebuild must agree after logging.
    core.snooze(2, NOW + timedelta(days=80)).now()
    assert core.model is not None and core.model.due_item(2) is not None
    assert core.model.due_item(2).snoozed  # type: ignore[union-attr]
    changed = core.follow_up(2).now()
    assert 2 in changed.contacts
    model = core.model
    fresh = rebuilt(core)
    assert core.store.contact(2).snoozed_until is None
    assert model.due_item(2) == fresh.due_item(2)
    assert not fresh.due_item(2).snoozed  # type: ignore[union-attr]
    assert model.strengths() == fresh.strengths()
    assert model.facts() == fresh.facts()
    assert [i.contact_id for i in model.ranked()] == [i.contact_id for i in fresh.ranked()]
    # The list agrees too: the same due day as the model.
    assert core.ranking.items[2].next_due == fresh.due_item(2).next_due  # type: ignore[union-attr]


def test_every_verb_keeps_the_model_equal_to_a_rebuild(core: Core) -> None:
    core.follow_up(1).now()
    core.snooze(3, NOW + timedelta(days=10)).now()
    core.archive(4).now()
    core.log(Interaction((1, 3), NOW - timedelta(hours=1), depth=3, minutes=60)).now()
    core.edit_contact(core.store.contact(1), core.store.contact(1).edit(circle=Circle.INNER)).now()
    assert core.model is not None
    fresh = rebuilt(core)
    assert core.model.strengths() == fresh.strengths()
    assert core.model.facts() == fresh.facts()
    assert [i.contact_id for i in core.model.ranked()] == [i.contact_id for i in fresh.ranked()]


def test_an_edit_keeps_what_others_wrote_and_refuses_a_clash(core: Core) -> None:
    base = core.store.contact(1)
    # Another process snoozes the contact, then renames it, after the form opened.
    core.store.snooze(1, NOW + timedelta(days=17))
    core.edit_contact(base, base.edit(notes="Met at the fair")).now()
    stored = core.store.contact(1)
    assert stored.notes == "Met at the fair" and stored.snoozed_until is not None
    core.store.edit_contact(1, {"company": "Acme"})
    write = core.edit_contact(base, base.edit(company="Initech"))
    with pytest.raises(StoreConflict, match=r"Person 0 was changed elsewhere: .*Acme"):
        write.run()
    assert core.store.contact(1).company == "Acme"


def test_undo_takes_back_only_its_fields_and_says_why_it_cannot(core: Core) -> None:
    core.snooze(1, NOW + timedelta(days=7)).now()
    core.store.edit_contact(1, {"snoozed_until": NOW + timedelta(days=30)})  # someone else
    # The last change is now that edit: undo it, then the snooze is next...
    core.undo().now()
    assert core.store.contact(1).snoozed_until == NOW + timedelta(days=7)


def test_undo_refused_when_the_field_changed_since() -> None:
    store = Store.in_memory()
    store.add_contact(Contact("Kim Lost"), NOW)
    core = Core.open(store, clock)
    core.snooze(1, NOW + timedelta(days=7)).now()
    # Another process (its own Store on the file) changes the same field: simulated by
    # writing around this run's undo history.
    hook, store.on_change = store.on_change, None
    store.snooze(1, NOW + timedelta(days=17))
    store.on_change = hook
    with pytest.raises(StoreConflict, match="Kim Lost"):
        core.undo().now()


def test_attended_before_the_event_starts_is_refused(core: Core) -> None:
    (event,) = core.events()
    with pytest.raises(DomainError, match="has not started yet"):
        core.set_event_status(event.id, EventStatus.ATTENDED)
    assert core.store.event(event.id).status is EventStatus.CONSIDERING
    core.set_event_status(event.id, EventStatus.GOING).now()
    assert core.store.event(event.id).status is EventStatus.GOING


def test_retire_and_undo_show_in_the_core_at_once(core: Core) -> None:
    from netbalance.domain import Goal

    core.store.add_goal(Goal("Learn Rust"), NOW)
    core.reload()
    (goal,) = core.goals()
    core.retire_goal(goal.id).now()
    assert core.goal(goal.id) is not None and not core.goal(goal.id).active  # type: ignore[union-attr]
    core.undo().now()
    assert core.goal(goal.id).active  # type: ignore[union-attr]


def test_keep_place_follows_identity_then_the_nearest_neighbour() -> None:
    assert keep_place(3, [1, 2, 3, 4], [4, 3, 2, 1]) == 1
    # 3 left: the one after it (4) first, else the one before it.
    assert keep_place(3, [1, 2, 3, 4], [1, 2, 4]) == 2
    assert keep_place(4, [1, 2, 3, 4], [1, 2]) == 1
    assert keep_place(9, [], [5, 6], fallback=7) == 1
    assert keep_place(1, [1], []) is None


def test_merge_contacts_moves_history_says_what_changed_and_undo_takes_it_back(
    core: Core,
) -> None:
    core.log(Interaction((3,), NOW - timedelta(days=2))).now()
    before = core.store.interaction_count(2)
    write = core.merge_contacts(2, 3, {"name": "other"})
    assert "Merged Person 2 into Person 1" in write.said and "1 interaction moved" in write.said
    changed = write.now()
    assert changed.everything and {2, 3} <= changed.contacts and changed.select == 2
    assert core.store.interaction_count(2) == before + 1
    assert core.contact(3) is None and core.contact(2) is not None
    assert core.contact(2).name == "Person 2"  # type: ignore[union-attr]
    assert [i.contact_id for i in core.due_items()] == [r.contact_id for r in core.rows()]
    assert core.needs_health  # interactions moved: the model is built again
    undone = core.undo().now()
    assert undone.everything
    assert core.contact(3) is not None and core.store.interaction_count(2) == before


def test_merge_contacts_refuses_one_record_with_itself(core: Core) -> None:
    with pytest.raises(DomainError):
        core.merge_contacts(2, 2)
    with pytest.raises(DomainError):
        core.merge_contacts(2, 99)


def test_keep_apart_names_the_pair_and_undo_forgets_it(core: Core) -> None:
    changed = core.keep_apart(1, 2).now()
    assert changed.contacts == {1, 2}
    assert len(core.store.kept_apart()) == 1
    core.undo().now()
    assert core.store.kept_apart() == frozenset()


def test_an_event_status_step_keeps_the_title_as_written() -> None:
    store = Store.in_memory()
    store.add_event(Event("PyData meetup", NOW + timedelta(days=3)))
    core = Core.open(store, clock)
    write = core.set_event_status(1, EventStatus.DECLINED)
    assert write.step_name == "PyData meetup: declined"
    with core.history.naming(write.step_name):  # as Session.perform runs a write
        write.now()
    step = core.history.next_undo()
    assert step is not None and step.name == "PyData meetup: declined"

"""The undo history of one run: named steps, undo, redo, a new change drops the redo side,
a refusal keeps everything as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from netbalance.core import Core, Write
from netbalance.domain import Contact, Interaction, InteractionKind
from netbalance.store import Store, StoreConflict

T = TypeVar("T")
NOW = datetime(2025, 12, 18, 14, 30, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@pytest.fixture
def core() -> Core:
    store = Store.in_memory()
    store.add_contact(Contact("Lena Kim"), NOW - timedelta(days=60))
    store.add_contact(Contact("Bo Li"), NOW - timedelta(days=60))
    return Core.open(store, clock)


def do(core: Core, write: Write[T]) -> T:
    """As the Session runs a write: named in the history by its step."""
    with core.history.naming(write.step_name):
        result = write.run()
    write.done(result)
    return result


def names(core: Core) -> tuple[list[str], list[str]]:
    undo, redo = core.history.steps()
    return [s.name for s in undo], [s.name for s in redo]


def test_changes_written_before_the_app_opened_are_not_steps(core: Core) -> None:
    assert names(core) == ([], [])
    assert do(core, core.undo()) is None
    assert do(core, core.redo()) is None


def test_undo_and_redo_walk_the_named_steps(core: Core) -> None:
    do(core, core.follow_up(1))
    do(core, core.snooze(2, NOW + timedelta(days=7)))
    assert names(core) == (["follow up with Lena Kim", "snoozed Bo Li until Thu 25 Dec"], [])

    step = do(core, core.undo())
    assert step is not None and step.name == "snoozed Bo Li until Thu 25 Dec"
    assert core.store.contact(2).snoozed_until is None
    step = do(core, core.undo())
    assert step is not None and step.name == "follow up with Lena Kim"
    assert core.store.interaction_count(1) == 0
    assert names(core) == ([], ["follow up with Lena Kim", "snoozed Bo Li until Thu 25 Dec"])
    assert do(core, core.undo()) is None, "nothing more to undo"

    step = do(core, core.redo())
    assert step is not None and step.name == "follow up with Lena Kim"
    assert core.store.interaction_count(1) == 1
    step = do(core, core.redo())
    assert step is not None and core.store.contact(2).snoozed_until == NOW + timedelta(days=7)
    assert do(core, core.redo()) is None
    # Redone steps undo again.
    do(core, core.undo())
    assert core.store.contact(2).snoozed_until is None


def test_a_new_change_after_undos_drops_the_redo_side(core: Core) -> None:
    do(core, core.follow_up(1))
    do(core, core.archive(2))
    do(core, core.undo())
    assert names(core)[1] == ["archive Bo Li"]
    do(core, core.snooze(1, NOW + timedelta(days=3)))
    assert names(core) == (["follow up with Lena Kim", "snoozed Lena Kim until Sun 21 Dec"], [])
    assert do(core, core.redo()) is None
    assert not core.store.contact(2).archived


def test_a_refused_undo_keeps_the_history_as_it_was(core: Core) -> None:
    do(core, core.snooze(1, NOW + timedelta(days=7)))
    # Another process changes the same field (unseen by this run's history).
    hook, core.store.on_change = core.store.on_change, None
    core.store.snooze(1, NOW + timedelta(days=17))
    core.store.on_change = hook
    with pytest.raises(StoreConflict, match="Lena Kim"):
        do(core, core.undo())
    assert names(core) == (["snoozed Lena Kim until Thu 25 Dec"], [])
    assert core.store.contact(1).snoozed_until == NOW + timedelta(days=17)
    # Put back (elsewhere) as this run left it, the same step undoes.
    core.store.on_change = None
    core.store.snooze(1, NOW + timedelta(days=7))
    core.store.on_change = hook
    step = do(core, core.undo())
    assert step is not None and step.name == "snoozed Lena Kim until Thu 25 Dec"
    assert core.store.contact(1).snoozed_until is None


def test_interaction_edit_and_delete_are_steps_that_undo(core: Core) -> None:
    logged = core.store.log_interaction(
        Interaction((1,), NOW - timedelta(days=3), kind=InteractionKind.COFFEE, note="old"), NOW
    )
    core.reload()
    do(core, core.edit_interaction(logged, logged.edit(note="new", depth=3)))
    assert core.store.interaction(logged.id).note == "new"
    do(core, core.delete_interaction(logged.id))
    assert core.store.interaction_count(1) == 0
    assert names(core)[0] == [
        "log coffee with Lena Kim",  # a store write of this process is a step too
        "edit the coffee / meal with Lena Kim of 15 Dec 2025",
        "delete the coffee / meal with Lena Kim of 15 Dec 2025",
    ]
    do(core, core.undo())
    assert core.store.interaction(logged.id).note == "new"
    do(core, core.undo())
    assert core.store.interaction(logged.id).note == "old"
    assert core.store.interaction(logged.id).depth == logged.depth


def test_an_interaction_edit_is_field_level_and_refused_when_changed_since(core: Core) -> None:
    logged = core.store.log_interaction(Interaction((1,), NOW - timedelta(days=3)), NOW)
    core.store.edit_interaction(logged.id, {"note": "someone else"})
    with pytest.raises(StoreConflict, match="changed elsewhere"):
        do(core, core.edit_interaction(logged, logged.edit(note="mine")))
    do(core, core.edit_interaction(logged, logged.edit(depth=3)))
    stored = core.store.interaction(logged.id)
    assert (stored.note, stored.depth) == ("someone else", 3)


def test_the_history_keeps_a_limited_number_of_steps(core: Core) -> None:
    core.history.limit = 3
    for days in range(1, 6):
        do(core, core.snooze(1, NOW + timedelta(days=days)))
    assert len(names(core)[0]) == 3

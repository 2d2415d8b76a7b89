"""Bulk verbs of the core: one write over the marked contacts, one undo for all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from netbalance.core import Core
from netbalance.domain import Circle, Contact, DomainError
from netbalance.store import Store
from tests.core.test_core import NOW, clock, rebuilt


@pytest.fixture
def core() -> Core:
    store = Store.in_memory()
    for n in range(5):
        store.add_contact(Contact(f"Person {n}", circle=Circle.WIDER, tags=("x",)), NOW)
    core = Core.open(store, clock)
    core.install_health(core.build_health(NOW))
    return core


def test_move_is_one_change_and_undo_takes_all_back(core: Core) -> None:
    write = core.move_contacts([1, 2, 3], Circle.ACTIVE)
    assert write.said == "Move 3 contacts to the active circle · press u to undo"
    assert [core.contact(i).circle for i in (1, 2, 3, 4)] == [Circle.ACTIVE] * 3 + [  # type: ignore[union-attr]
        Circle.WIDER
    ]
    changed = write.now()
    assert changed.contacts == {1, 2, 3}
    change = core.store.last_change
    assert change is not None and change.description == "move 3 contacts to the active circle"
    assert core.model is not None and core.model.strengths() == rebuilt(core).strengths()
    core.undo().now()
    assert [c.circle for c in core.store.contacts()] == [Circle.WIDER] * 5


def test_tag_untag_snooze_archive(core: Core) -> None:
    core.tag_contacts([1, 2], " PyData ").now()
    assert [c.tags for c in core.store.contacts()][:3] == [("x", "pydata"), ("x", "pydata"), ("x",)]
    core.tag_contacts([1, 2, 3], "x", add=False).now()
    assert core.store.contact(3).tags == ()
    until = NOW + timedelta(days=7)
    core.snooze_contacts([4, 5], until).now()
    assert core.store.contact(5).snoozed_until == until
    core.archive_contacts([1, 5]).now()
    assert core.contact(1) is None and core.store.contact(1).archived
    assert core.contact_count() == 3
    with pytest.raises(DomainError):
        core.archive_contacts([1, 5])  # none of them is listed any more

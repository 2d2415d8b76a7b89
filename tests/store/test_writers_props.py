"""Property: two writers on one file, interleaved at random, never lose an acknowledged change.

Two Store objects share a database file, like the app and a command in another
terminal. Each opens "forms" (takes a base), edits fields with or without that
base, snoozes, logs (which ends a snooze), deletes an interaction and undoes its
own last change. A model follows what the user was told: every acknowledged
write's values are what the file holds until a later acknowledged write replaces
them, and a write or undo may only replace a value its writer knew about (its
base, or what its change left).
Anything else must be refused with StoreConflict and change nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.domain import Circle, Contact, Interaction
from netbalance.store import Store, StoreConflict
from tests.store.conftest import NOW

# Few values, so writers often meet on a field; three for some, so an undo can find a
# value that is neither its before nor its after.
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "company": st.sampled_from(["Acme", "Initech", "Globex"]),
    "circle": st.sampled_from([Circle.INNER, Circle.WIDER, Circle.ACQUAINTANCE]),
    "cadence_days": st.sampled_from([None, 7]),
    "snoozed_until": st.sampled_from([None, NOW + timedelta(days=1), NOW + timedelta(days=7)]),
    "tags": st.sampled_from([(), ("mentor",)]),
}
writers = st.integers(0, 1)


@st.composite
def field_changes(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=3, unique=True))
    return {n: draw(VALUES[n]) for n in names}


operations = st.lists(
    st.one_of(
        st.tuples(st.just("open form"), writers),
        st.tuples(st.just("save form"), writers, field_changes()),
        st.tuples(st.just("save form"), writers, field_changes()),
        st.tuples(st.just("edit"), writers, field_changes()),
        st.tuples(st.just("snooze"), writers, VALUES["snoozed_until"]),
        st.tuples(st.just("log"), writers),
        st.tuples(st.just("delete"), writers, st.integers(0, 3)),
        st.tuples(st.just("undo"), writers),
        st.tuples(st.just("undo"), writers),
    ),
    min_size=8,
    max_size=40,
)


@dataclass
class Done:
    """The model of one acknowledged change: fields (before, after), and the
    interactions it added and removed (id: note)."""

    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    added: dict[int, str] = field(default_factory=dict)
    removed: dict[int, str] = field(default_factory=dict)


@dataclass
class Model:
    """What the user was told: the contact's fields and the interactions (id: note)."""

    truth: dict[str, Any]
    interactions: dict[int, str] = field(default_factory=dict)
    last: list[Done | None] = field(default_factory=lambda: [None, None])

    def set_fields(self, changes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        moved = {f: (self.truth[f], v) for f, v in changes.items() if self.truth[f] != v}
        self.truth.update(changes)
        return moved


def check_file(store: Store, model: Model) -> None:
    store.refresh()
    kim = store.contact(1)
    assert {f: getattr(kim, f) for f in VALUES} == model.truth
    assert {i.id: i.note for i in store.interactions_of(1)} == model.interactions


def run(db: Path, ops: list[tuple[Any, ...]]) -> None:
    with Store.open(db) as seed:
        seed.add_contact(Contact("Kim Lost"), NOW)
    stores = [Store.open(db), Store.open(db)]
    kim = stores[0].contact(1)
    model = Model({f: getattr(kim, f) for f in VALUES})
    forms: list[Contact] = [kim, kim]
    try:
        for n, op in enumerate(ops):
            kind, w = op[0], op[1]
            store = stores[w]
            if kind == "open form":
                store.refresh()
                forms[w] = store.contact(1)
            elif kind in ("save form", "edit"):
                changes: dict[str, Any] = op[2]
                base = forms[w] if kind == "save form" else None
                stale = base is not None and any(
                    model.truth[f] != getattr(base, f) and model.truth[f] != v
                    for f, v in changes.items()
                )
                try:
                    store.edit_contact(1, changes, base=base)
                except StoreConflict:
                    assert stale, f"refused without cause: {op}"
                else:
                    assert not stale, f"overwrote another writer's value: {op}"
                    moved = model.set_fields(changes)
                    if moved:
                        model.last[w] = Done(moved)
            elif kind == "snooze":
                store.snooze(1, op[2])
                moved = model.set_fields({"snoozed_until": op[2]})
                if moved:
                    model.last[w] = Done(moved)
            elif kind == "log":
                note = f"{w}-{n}"
                logged = store.log_interaction(Interaction((1,), NOW, note=note), NOW)
                assert logged.id not in model.interactions
                model.interactions[logged.id] = note
                moved = model.set_fields({"snoozed_until": None})
                model.last[w] = Done(moved, added={logged.id: note})
            elif kind == "delete" and model.interactions:
                store.refresh()  # the writer picks from the list it shows
                doc_id = sorted(model.interactions)[op[2] % len(model.interactions)]
                store.delete_interaction(doc_id)
                model.last[w] = Done(removed={doc_id: model.interactions.pop(doc_id)})
            elif kind == "undo":
                undo(store, model, w)
            check_file(stores[1 - w], model)
    finally:
        for s in stores:
            s.close()
    with Store.open(db) as fresh:
        check_file(fresh, model)


def undo(store: Store, model: Model, w: int) -> None:
    """Undo writer `w`'s last change; check it was refused exactly when it had to be."""
    done = model.last[w]
    change = store.last_change
    assert (done is None) == (change is None)
    if done is None or change is None:
        return
    now = model.interactions
    stale = any(model.truth[f] not in (after, before) for f, (before, after) in done.fields.items())
    # An id another writer's interaction took since (ids of removed records come back).
    taken = any(now.get(i, note) != note for i, note in {**done.added, **done.removed}.items())
    try:
        store.undo(change)
    except StoreConflict:
        assert stale or taken, f"undo refused without cause: {done}"
        return
    assert not (stale or taken), f"undo overwrote another writer's value: {done}"
    moved = model.set_fields({f: before for f, (before, _after) in done.fields.items()})
    gone = {i: note for i, note in done.added.items() if i in now}
    back = {i: note for i, note in done.removed.items() if i not in now}
    for i in gone:
        del now[i]
    now.update(back)
    if moved or gone or back:  # an undo that changes nothing writes nothing
        model.last[w] = Done(moved, added=back, removed=gone)


@settings(max_examples=200, deadline=None)
@given(operations)
def test_two_writers_never_lose_an_acknowledged_change(ops: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run(Path(folder) / "n.json", ops)

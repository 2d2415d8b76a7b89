"""The health model from the store's digests is the model from every interaction decoded.

The app builds its model from `Store.touches_by_contact` (per interaction, the fields the
model reads, kept beside the store's indexes and in its index file: store/codec.py
`interaction_digest`), not from `interactions_by_contact` (the whole file read and every
interaction decoded). These tests build both, on the demo network and on random ones,
after follow-ups, edits, deletions, merges and undos, through the live store (digests
updated change by change), a fresh open of the file and an open from the index file, and
require the same touches and the same model: every figure, item, strength and hint.
"""

from __future__ import annotations

import marshal
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netbalance import demo
from netbalance.core import Core
from netbalance.domain import (
    Circle,
    Contact,
    DomainError,
    Event,
    EventStatus,
    Goal,
    Initiator,
    Interaction,
)
from netbalance.domain.health import NetworkModel
from netbalance.domain.health.triage import triage_upcoming
from netbalance.domain.model import Logged, Touch
from netbalance.store import Store, codec
from netbalance.store.digests import Digests
from netbalance.store.errors import StoreError
from netbalance.store.index import index_path
from tests.store.test_codec_props import interactions

NOW = pendulum.datetime(2026, 3, 10, 15, 0, tz="Europe/Paris")
NOW_UTC = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def _touch(i: Interaction) -> Touch:
    return Touch(i.at, i.id, i.depth, i.initiated_by, i.minutes, i.event_id, i.next_step_on)


def _projected(store: Store) -> dict[int, list[Touch]]:
    """What the digests must give: every interaction decoded, cut down to its Touch."""
    return {
        cid: [_touch(i) for i in items] for cid, items in store.interactions_by_contact().items()
    }


def _model(
    store: Store, by: Mapping[int, Sequence[Logged]], now: datetime
) -> tuple[NetworkModel, dict[int, tuple[str, str]]]:
    """The model and the event hints, as Core.build_health builds them from `by`."""
    events, goals, s = store.events(), store.goals(), store.settings()
    model = NetworkModel.build(store.contacts(), by, events, goals, s, now, oldest_first=True)
    triages = triage_upcoming(events, goals, s, now, by)
    return model, {t.event_id: (t.recommendation.value, t.reason) for t in triages}


def picture(model: NetworkModel, hints: Mapping[int, tuple[str, str]]) -> tuple[Any, ...]:
    """Everything the app shows of a model (explained strengths included)."""
    ids = sorted(model._states)
    return (
        model.report(),
        model.facts(),
        model.ranked(),
        model.due(30),
        model.today_list(),
        model.overdue(),
        model.strengths(),
        [model.strength(cid) for cid in ids],
        [model.due_item(cid) for cid in ids],
        model.closeness_gaps(),
        dict(hints),
    )


def _read_whole(store: Store) -> Store:
    """The same data read whole from the file: a copy of its files without the index (the
    store itself stays as it is, partial or not)."""
    assert store.path is not None
    folder = Path(tempfile.mkdtemp())
    for f in store.path.parent.iterdir():
        if f.is_file() and f != index_path(store.path):
            shutil.copy2(f, folder / f.name)
    full = Store.open(folder / store.path.name)
    assert not full.engine.partial
    return full


def assert_same_model(store: Store, now: datetime = NOW) -> None:
    """The store's digests give the interactions' fields, as a fresh read of the whole
    file decodes them, and the model built from them is the model built from those
    interactions; the app's Core.build_health too."""
    partial = store.engine.partial
    touches = store.touches_by_contact()
    health = Core(store, lambda: now).build_health(now)
    assert store.engine.partial == partial, "building the model read no interactions"
    full = _read_whole(store)
    try:
        assert touches == _projected(full)
        expected = picture(*_model(full, full.interactions_by_contact(), now))
    finally:
        full.close()
        shutil.rmtree(full.path.parent if full.path else "", ignore_errors=True)
    assert picture(*_model(store, touches, now)) == expected
    assert picture(health.model, health.hints) == expected


def _aged(db: Path) -> None:
    past = time.time() - 60
    os.utime(db, (past, past))


def _reopened_from_index(db: Path) -> Store:
    """The file opened from a fresh index of it (as the app opens it)."""
    _aged(db)
    index_path(db).unlink(missing_ok=True)
    Store.open(db).close()  # reads the file whole, writes the index
    store = Store.open(db)
    assert store.engine.partial, "opened from the index"
    return store


# --- the digest of one interaction ------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(interactions)
def test_a_digest_decodes_to_the_fields_the_model_reads(i: Interaction) -> None:
    doc = codec.interaction_to_doc(i)
    assert codec.touch_from_digest(i.id, codec.interaction_digest(doc)) == _touch(
        codec.interaction_from_doc(i.id, doc)
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(interactions, max_size=20))
def test_digests_decode_alike_one_by_one_or_all_at_once(found: list[Interaction]) -> None:
    rows = [(i.id, *codec.interaction_digest(codec.interaction_to_doc(i))) for i in found]
    assert codec.touches_from_digests(rows) == {
        row[0]: codec.touch_from_digest(row[0], row[1:]) for row in rows
    }


def test_a_digest_gives_missing_fields_the_decoders_defaults() -> None:
    doc = {"contacts": [1], "at": "2026-03-01T10:00:00Z"}
    assert codec.touch_from_digest(5, codec.interaction_digest(doc)) == _touch(
        codec.interaction_from_doc(5, doc)
    )


def test_touch_has_exactly_the_fields_the_model_reads_with_their_names() -> None:
    """Touch is read in place of an Interaction: the same names, the same types."""
    hints = Interaction.__annotations__
    for name in Touch._fields:
        assert name in hints


# --- the demo network -------------------------------------------------------------------


def test_the_demo_network_gives_the_same_model_from_its_digests(tmp_path: Path) -> None:
    db = tmp_path / "netbalance.json"
    now = pendulum.instance(NOW_UTC).in_tz("Europe/Paris")
    with Store.open(db) as store:
        data = demo.write_demo(store, "small", 7, NOW_UTC)
        assert_same_model(store, now)
        # Follow-ups, an edit, a deletion, a merge and an undo, on the live store.
        people = [c for c in data.contacts if not c.archived][:6]
        for n, c in enumerate(people[:3]):
            store.log_interaction(
                Interaction(
                    (c.id, people[n + 3].id),
                    NOW_UTC - timedelta(hours=n),
                    depth=3,
                    minutes=45,
                    initiated_by=Initiator.THEM,
                    next_step_on=date(2026, 3, 20),
                ),
                NOW_UTC,
            )
        assert_same_model(store, now)
        some = store.interactions_of(people[0].id)
        store.edit_interaction(some[0].id, {"at": NOW_UTC - timedelta(days=2), "minutes": 90})
        store.delete_interaction(some[-1].id)
        assert_same_model(store, now)
        store.merge_contacts(people[1].id, people[2].id, NOW_UTC)
        assert_same_model(store, now)
        assert store.last_change is not None
        store.undo(store.last_change)
        assert_same_model(store, now)
    with _reopened_from_index(db) as store:
        assert_same_model(store, now)


# --- random networks, random changes ----------------------------------------------------

_TIMES = st.integers(0, 700 * 24 * 60).map(lambda m: NOW_UTC - timedelta(minutes=m))


@st.composite
def networks(draw: st.DrawFn) -> dict[str, Any]:
    """Contacts, events (past and upcoming, with people met and goals), goals and
    interactions with one or more people, ties in time, events and next steps."""
    n = draw(st.integers(1, 14))
    contacts = [
        Contact(
            f"P{k}",
            circle=draw(st.sampled_from(list(Circle))),
            cadence_days=draw(st.one_of(st.none(), st.integers(1, 120))),
            created_at=NOW_UTC - timedelta(days=draw(st.integers(0, 900))),
            archived=draw(st.integers(0, 9)) == 0,
            tags=tuple(draw(st.lists(st.sampled_from(["family", "work", "ai"]), max_size=2))),
            closeness=draw(st.one_of(st.none(), st.integers(1, 7))),
        )
        for k in range(n)
    ]
    events = []
    for k in range(draw(st.integers(0, 4))):
        ahead = draw(st.booleans())
        start = NOW_UTC + timedelta(days=draw(st.integers(1, 30))) if ahead else draw(_TIMES)
        events.append(
            (
                Event(
                    f"E{k}",
                    start,
                    status=EventStatus.CONSIDERING
                    if ahead
                    else draw(st.sampled_from([EventStatus.ATTENDED, EventStatus.MISSED])),
                    tags=("ai",),
                    hours=draw(st.sampled_from([None, 2.0])),
                ),
                draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True)),
            )
        )
    logs = []
    times = draw(st.lists(_TIMES, min_size=1, max_size=6))  # shared: ties in time
    for _ in range(draw(st.integers(0, 30))):
        logs.append(
            {
                "who": draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True)),
                "at": draw(st.one_of(st.sampled_from(times), _TIMES)),
                "depth": draw(st.integers(1, 3)),
                "by": draw(st.sampled_from(list(Initiator))),
                "minutes": draw(st.one_of(st.none(), st.integers(0, 240))),
                "event": draw(st.one_of(st.none(), st.integers(0, 5))),
                "next": draw(st.one_of(st.none(), st.integers(-10, 40))),
            }
        )
    return {"contacts": contacts, "events": events, "logs": logs, "goal": draw(st.booleans())}


Step = tuple[str, int, int, int]
changes = st.lists(
    st.tuples(
        st.sampled_from(["log", "edit", "delete", "merge", "undo", "archive"]),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
    ),
    max_size=8,
)


def _interaction(log: Mapping[str, Any], ids: list[int], events: list[int]) -> Interaction:
    event = log["event"]
    return Interaction(
        tuple(ids[w] for w in log["who"]),
        log["at"],
        depth=log["depth"],
        initiated_by=log["by"],
        minutes=log["minutes"],
        event_id=events[event] if event is not None and event < len(events) else None,
        next_step="call" if log["next"] is not None else "",
        next_step_on=None if log["next"] is None else NOW_UTC.date() + timedelta(log["next"]),
    )


def _fill(store: Store, net: Mapping[str, Any]) -> None:
    goal = store.add_goal(Goal("Find a mentor"), NOW_UTC) if net["goal"] else None
    ids = [store.add_contact(c, NOW_UTC).id for c in net["contacts"]]
    events = []
    for e, met in net["events"]:
        edited = e.edit(
            met_contact_ids=tuple(ids[m] for m in met),
            goal_ids=(goal.id,) if goal is not None else (),
        )
        events.append(store.add_event(edited).id)
    for log in net["logs"]:
        store.log_interaction(_interaction(log, ids, events), NOW_UTC)


def _change(store: Store, change: Step) -> None:
    kind, a, b, c = change
    ids = [x.id for x in store.contacts(include_archived=True)]
    # Read from the digests: only the changes that need the interactions read them.
    logged = sorted({t for ts in store.touches_by_contact().values() for t in ts})
    try:
        if kind == "log" and ids:
            who = tuple(dict.fromkeys(ids[x % len(ids)] for x in (a, b)))
            at = logged[c % len(logged)].at if logged and c % 2 else NOW_UTC - timedelta(hours=c)
            minutes = None if b % 3 else b % 200
            store.log_interaction(Interaction(who, at, depth=1 + a % 3, minutes=minutes), NOW_UTC)
        elif kind == "edit" and logged:
            i = logged[a % len(logged)]
            store.edit_interaction(
                i.id,
                {
                    "at": NOW_UTC - timedelta(hours=b % 5000),
                    "depth": 1 + c % 3,
                    "minutes": None if c % 2 else b % 300,
                    "next_step_on": None if b % 2 else NOW_UTC.date() + timedelta(c % 30),
                    "initiated_by": Initiator.THEM if a % 2 else Initiator.ME,
                },
            )
        elif kind == "delete" and logged:
            store.delete_interaction(logged[a % len(logged)].id)
        elif kind == "merge" and len(ids) > 1:
            keep, other = ids[a % len(ids)], ids[b % len(ids)]
            if keep != other:
                store.merge_contacts(keep, other, NOW_UTC)
        elif kind == "archive" and ids:
            store.archive_contact(ids[a % len(ids)], archived=bool(b % 2))
        elif kind == "undo" and store.last_change is not None:
            store.undo(store.last_change)
    except (DomainError, StoreError):
        pass  # refused (a rule, or nothing left to undo): nothing was written


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(networks(), changes)
def test_random_networks_give_the_same_model_from_their_digests(
    net: dict[str, Any], steps: list[Step]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "netbalance.json"
        with Store.open(db) as store:
            _fill(store, net)
            assert_same_model(store)
        with _reopened_from_index(db) as store:
            # Changes on a store opened from its index: follow-ups keep it partial (the
            # digests come from the index, updated change by change); the others read the
            # file whole first.
            for step in steps:
                _change(store, step)
                assert_same_model(store)
            if all(kind == "log" for kind, *_ in steps):
                assert store.engine.partial
        with Store.open(db) as store:
            assert_same_model(store)
        with _reopened_from_index(db) as store:
            assert_same_model(store)


def test_follow_ups_on_a_store_opened_from_its_index_keep_it_partial(tmp_path: Path) -> None:
    """The app's case: the model is built again after follow-ups, without the file read."""
    db = tmp_path / "netbalance.json"
    with Store.open(db) as store:
        ids = [store.add_contact(Contact(f"P{k}"), NOW_UTC).id for k in range(4)]
        for k in range(12):
            store.log_interaction(
                Interaction((ids[k % 4],), NOW_UTC - timedelta(days=k), minutes=k), NOW_UTC
            )
    store = _reopened_from_index(db)
    with store:
        touches = store.touches_by_contact()
        store.log_interaction(Interaction((ids[0], ids[1]), NOW_UTC, depth=3), NOW_UTC)
        after = store.touches_by_contact()
        assert sum(map(len, after.values())) == sum(map(len, touches.values())) + 2
        assert after[ids[0]][-1].depth == 3
        assert_same_model(store)
        assert store.engine.partial, "neither a build nor a follow-up read the interactions"


def test_the_index_written_after_changes_holds_every_interactions_digest(tmp_path: Path) -> None:
    """A store opened from its index keeps the index's digests and the changes since; the
    next index it writes holds them merged: the digests of the documents as they are."""
    db = tmp_path / "netbalance.json"
    with Store.open(db) as store:
        ids = [store.add_contact(Contact(f"P{k}"), NOW_UTC).id for k in range(3)]
        for k in range(9):
            store.log_interaction(
                Interaction((ids[k % 3],), NOW_UTC - timedelta(days=k), minutes=k), NOW_UTC
            )
    store = _reopened_from_index(db)
    logged = store.log_interaction(Interaction((ids[0], ids[2]), NOW_UTC, depth=1), NOW_UTC)
    assert store.engine.partial
    blob = store._payload()[6]
    store.edit_interaction(logged.id, {"minutes": 12})  # reads the rest of the file
    store.delete_interaction(1)
    changed = store._payload()[6]
    store.close(quick=True)
    full = _read_whole(store)
    expected = sorted(
        (int(k), *codec.interaction_digest(d)) for k, d in full.raw_tables()["interactions"].items()
    )
    full.close()
    assert sorted(Digests(changed).rows()) == expected
    assert (logged.id, "2026-03-10T14:00:00Z", 1, "me", None, None, None) in Digests(blob).rows()


def test_digests_that_do_not_decode_are_made_from_the_documents(tmp_path: Path) -> None:
    db = tmp_path / "netbalance.json"
    with Store.open(db) as store:
        who = store.add_contact(Contact("P"), NOW_UTC)
        store.log_interaction(Interaction((who.id,), NOW_UTC, minutes=5), NOW_UTC)
    store = _reopened_from_index(db)
    assert store._digests is not None
    for damaged in (b"\x00not columns", b"", marshal.dumps([[1], [2]])):
        store._digests.blob = damaged
        assert store.touches_by_contact() == _projected(store)
        assert store._digests is None  # made from the documents from now on
        store._digests = Digests(damaged)
    store.close()

"""Stable uids (schema 2): the v1 -> v2 migration on a real v1 file, and uids on insert."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from netbalance.demo import build_demo, write_demo
from netbalance.domain import Contact, Event, Goal, Interaction
from netbalance.store import Store
from netbalance.store.migrations import SCHEMA_VERSION, UID_TABLES
from tests.store.conftest import NOW, Reopen

TODAY = datetime.now(UTC).strftime("%Y-%m-%d")


def _line(record: dict[str, Any]) -> bytes:
    """One journal line as version 1 wrote it: CRC32 in hex, a space, the JSON record."""
    payload = orjson.dumps(record)
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


V1_TABLES: dict[str, Any] = {
    "_meta": {"1": {"schema_version": 1, "generation": 3}},
    "contacts": {
        "1": {"name": "Ana Silva", "circle": "inner", "created": "2025-01-01T00:00:00Z"},
        "2": {
            "name": "Bo Kim",
            "circle": "active",
            "created": "2025-02-01T00:00:00Z",
            "emails": ["bo@example.org"],
        },
    },
    "interactions": {
        "1": {"contacts": [1, 2], "at": "2025-03-01T10:00:00Z", "kind": "coffee", "depth": 3},
    },
    "events": {
        "1": {"title": "PyData", "start": "2025-04-01T18:00:00Z", "status": "attended"},
        # Calendar UIDs kept by version 1 under "uid" (then Event.source_uid).
        "2": {"title": "Standup", "start": "2025-04-02T09:00:00Z", "uid": "abc@cal"},
        "3": {"title": "Standup copy", "start": "2025-04-03T09:00:00Z", "uid": "abc@cal"},
    },
    "goals": {"1": {"title": "Find a mentor", "kind": "career", "active": True}},
    "weekly": {"1": {"week": "2025-03-31", "note": "good week", "figures": {}}},
    "settings": {"1": {"weekly_hours": 5}},
}
# A write version 1 made and had not folded into the file yet.
V1_JOURNAL_OPS = [
    ["p", "contacts", "3", {"name": "Cy Lee", "circle": "close", "created": "2025-05-01T00:00:00Z"}]
]


def _write_v1(db: Path) -> tuple[bytes, bytes]:
    db.parent.mkdir(parents=True)
    snapshot = orjson.dumps(V1_TABLES)
    journal = _line({"generation": 3}) + _line({"ops": V1_JOURNAL_OPS})
    db.write_bytes(snapshot)
    db.with_name(db.name + ".journal").write_bytes(journal)
    return snapshot, journal


def _without_uids(tables: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {k: {f: v for f, v in doc.items() if f != "uid"} for k, doc in rows.items()}
        for name, rows in tables.items()
        if name != "_meta"
    }


def test_v1_file_is_backed_up_byte_for_byte_then_given_uids(db_path: Path) -> None:
    snapshot, journal = _write_v1(db_path)
    with Store.open(db_path) as store:
        migrated = orjson.loads(orjson.dumps(store.raw_tables()))
    backup = db_path.parent / "backups" / f"netbalance-{TODAY}-before-migration-v1.json"
    assert backup.read_bytes() == snapshot
    assert backup.with_name(backup.name + ".journal").read_bytes() == journal

    on_disk = orjson.loads(db_path.read_bytes())
    assert on_disk["_meta"]["1"]["schema_version"] == SCHEMA_VERSION == 2
    expected = orjson.loads(orjson.dumps(V1_TABLES))
    expected["contacts"]["3"] = V1_JOURNAL_OPS[0][3]
    # Nothing but the uids changed, on disk as in memory.
    assert _without_uids(on_disk) == _without_uids(expected) == _without_uids(migrated)
    for name in UID_TABLES:
        uids = [doc["uid"] for doc in on_disk[name].values()]
        assert all(isinstance(u, str) and u for u in uids), name
        assert len(set(uids)) == len(uids), name
    # A calendar's UID stays; the second event that repeated it gets its own.
    assert on_disk["events"]["2"]["uid"] == "abc@cal"
    assert on_disk["events"]["3"]["uid"] not in ("abc@cal", "")
    assert "uid" not in on_disk["weekly"]["1"] and "uid" not in on_disk["settings"]["1"]

    with Store.open(db_path) as again:  # already version 2: the uids stay
        assert orjson.loads(orjson.dumps(again.raw_tables())) == migrated
        assert again.contact(3).uid == on_disk["contacts"]["3"]["uid"]
        assert again.event(2).uid == "abc@cal"


def test_v1_file_with_a_damaged_record_is_neither_migrated_nor_backed_up(db_path: Path) -> None:
    snapshot, _journal = _write_v1(db_path)
    damaged = orjson.loads(snapshot)
    del damaged["contacts"]["2"]["name"]
    db_path.write_bytes(orjson.dumps(damaged))
    from netbalance.store import StoreDamaged

    with pytest.raises(StoreDamaged):
        Store.open(db_path)
    assert db_path.read_bytes() == orjson.dumps(damaged)
    assert not list((db_path.parent / "backups").glob("*before-migration*"))


def test_every_new_record_gets_a_uid_and_keeps_it(store: Store, reopen: Reopen) -> None:
    ana = store.add_contact(Contact("Ana"), NOW)
    assert store.contact_by_uid(ana.uid) == ana
    given = store.add_contact(Contact("Bo", uid="from-a-phone-42"), NOW)
    assert store.contact_by_uid("from-a-phone-42") == given  # the index follows writes
    assert store.contact_by_uid(f"urn:uuid:{ana.uid.upper()}") == ana
    assert store.contact_by_uid("nobody") is None
    talk = store.log_interaction(Interaction((ana.id,), NOW), NOW)
    event = store.add_event(Event("Meetup", NOW + timedelta(days=3)))
    goal = store.add_goal(Goal("Find a mentor"), NOW)
    ids = store.import_batch(
        add_contacts=[Contact("Cy")], add_interactions=[Interaction((-1,), NOW)]
    )
    assert given.uid == "from-a-phone-42"
    made = [ana.uid, talk.uid, event.uid, goal.uid]
    assert all(len(u) == 36 for u in made) and len(set(made)) == 4
    # Editing with a record that has no uid (built by hand) keeps the stored one.
    store.update_contact(Contact("Ana Silva", id=ana.id, created_at=NOW))
    again = reopen()
    assert again.contact(ana.id).uid == ana.uid and again.contact(ana.id).name == "Ana Silva"
    assert again.interaction(talk.id).uid == talk.uid
    assert again.event(event.id).uid == event.uid and again.goal(goal.id).uid == goal.uid
    cy = again.contact(ids["contacts"][0])
    assert cy.uid and cy.uid not in made
    assert again.interaction(ids["interactions"][0]).uid


def test_demo_data_has_stable_distinct_uids(store: Store) -> None:
    data = write_demo(store, "small", 7, NOW)
    assert build_demo("small", 7, NOW) == data
    raw = store.raw_tables()
    for name in UID_TABLES:
        uids = [doc["uid"] for doc in raw[name].values()]
        assert len(set(uids)) == len(uids) == len(raw[name]), name
    assert store.contact(1).uid == data.contacts[0].uid


def test_doctor_reports_a_shared_or_missing_uid(db_path: Path) -> None:
    from netbalance.store.doctor import check

    with Store.open(db_path) as store:
        store.add_contact(Contact("Ana", uid="same"), NOW)
        store.add_contact(Contact("Bo"), NOW)
    assert not [p for p in check(db_path).problems if "uid" in p]
    data = orjson.loads(db_path.read_bytes())
    data["contacts"]["2"]["uid"] = "same"
    data["goals"] = {"1": {"title": "Find a mentor", "kind": "career", "active": True}}
    db_path.write_bytes(orjson.dumps(data))
    db_path.with_name(db_path.name + ".journal").unlink()
    problems = check(db_path).problems
    assert "contacts records 1 and 2 share the uid 'same'" in problems
    assert "goals record 1 has no uid" in problems

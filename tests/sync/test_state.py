"""The sync state lives beside the database, not in it; losing it loses nothing."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from netbalance.domain import Contact, Interaction
from netbalance.domain.sync import SyncEntry
from netbalance.store import Store
from netbalance.store.codec import SYNC, sync_entry_to_doc
from netbalance.store.sync_state import SyncStateFiles
from netbalance.sync import sync
from tests.sync.conftest import NOW, Replica, make_replica


def _state_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".sync-" in p.name)


def _settle(replica: Replica) -> None:
    replica.sync()
    replica.age()
    replica.sync()  # looks at every file once more, and records the marks


def _seed(replica: Replica, people: int = 3) -> None:
    for n in range(people):
        c = replica.store.add_contact(Contact(f"Person {n}", emails=(f"p{n}@x.org",)), NOW)
        replica.store.log_interaction(Interaction((c.id,), NOW, note=f"talk {n}"), NOW)


def _meta(replica: Replica) -> dict[str, Any]:
    (meta,) = replica.store.raw_tables()[SYNC].values()
    return dict(meta)


def _named(meta: dict[str, Any]) -> set[str]:
    return {f"netbalance.json.sync-{g}.{b}" for b, g in meta["parts"].items()}


def test_the_database_holds_one_small_document_and_the_state_is_beside_it(
    replica: Replica,
) -> None:
    _seed(replica)
    replica.sync()
    replica.store.close()
    tables = json.loads((replica.root / "netbalance.json").read_text())
    (meta,) = tables[SYNC].values()
    assert meta["generation"] == 1
    assert set(meta) == {"generation", "parts", "next_id", "tables", "buckets", "marks"}
    # One file per bucket that holds entries, each named by the document.
    assert set(_state_files(replica.root)) == _named(meta)
    assert set(meta["parts"].values()) == {1}
    with Store.open(replica.root / "netbalance.json") as store:
        assert len(store.sync_entries()) == 6


def test_each_sync_keeps_the_previous_state_and_removes_older_ones(replica: Replica) -> None:
    metas = []
    for n in range(4):
        replica.store.add_contact(Contact(f"New {n}"), NOW)
        replica.sync()
        metas.append(_meta(replica))
    assert metas[-1]["generation"] == 4
    # The parts the current and the previous documents name; no other.
    assert set(_state_files(replica.root)) == _named(metas[-1]) | _named(metas[-2])
    # Each sync wrote only the parts whose entries changed.
    assert len(_named(metas[-1]) - _named(metas[-2])) < len(_named(metas[-1]))


def test_a_sync_after_one_change_reads_and_writes_only_its_parts(
    replica: Replica, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(replica, 12)
    _settle(replica)
    before = _meta(replica)
    contact = replica.store.contacts()[0]
    replica.store.log_interaction(Interaction((contact.id,), NOW, note="again"), NOW)
    read: list[int] = []
    files = SyncStateFiles
    real = files._part

    def part(self: SyncStateFiles, bucket: int, generation: int) -> dict[int, SyncEntry]:
        read.append(bucket)
        return real(self, bucket, generation)

    monkeypatch.setattr(files, "_part", part)
    replica.store._sync_files()._parts.clear()  # as a new process finds it
    result = replica.sync()
    assert result.files_written >= 1  # the journal (and the follow-up to-do, if due)
    after = _meta(replica)
    assert 0 < len(set(read)) < len(before["parts"])
    rewritten = {b for b, g in after["parts"].items() if g == after["generation"]}
    assert 0 < len(rewritten) <= 2
    # The files it wrote are too recent to trust: their buckets are read again next time,
    # the others not.
    assert after["tables"] and after["marks"]["racy"]
    read.clear()
    replica.store._sync_files()._parts.clear()
    monkeypatch.setattr("netbalance.sync.run.RACY_NS", 1)  # as if 2 s later
    again = replica.sync()
    assert again.files_written == 0 and 0 < len(set(read)) <= 2
    assert "racy" not in _meta(replica)["marks"] or not _meta(replica)["marks"]["racy"]
    # And the other replica's view: the next sync has nothing to do.
    replica.age()
    assert replica.sync().summary() == "Synced: nothing to do"


def test_undoing_a_sync_names_the_previous_state_again(replica: Replica) -> None:
    _seed(replica, 1)
    replica.sync()
    card = next(replica.contacts.iterdir())
    card.write_text(card.read_text().replace("FN:Person 0", "FN:Person Zero"))
    result = replica.sync()
    assert result.records_changed == 1
    change = replica.store.last_change
    assert change is not None
    replica.store.undo(change)
    assert replica.store.contacts()[0].name == "Person 0"
    assert len(replica.store.sync_entries()) == 2
    replica.sync()  # the card still says Zero: the next sync brings it in again
    assert replica.store.contacts()[0].name == "Person Zero"


def test_a_lost_state_file_is_reported_and_the_next_sync_loses_nothing(tmp_path: Path) -> None:
    a = make_replica(tmp_path / "a")
    _seed(a)
    a.sync()
    a.store.close()
    for name in _state_files(a.root):
        (a.root / name).unlink()
    with Store.open(a.root / "netbalance.json") as store:
        a.store = store
        result = a.sync()
        assert any("the database names is missing" in line for line in result.report.broken)
        assert (result.files_written, result.records_changed) == (0, 0)
        notes = [i.note for c in store.contacts() for i in store.interactions_of(c.id)]
        assert sorted(notes) == ["talk 0", "talk 1", "talk 2"]
        again = a.sync()
        assert again.report.broken == [] and again.files_written == 0


def test_state_an_older_version_kept_inside_the_database_moves_out(replica: Replica) -> None:
    _seed(replica, 1)
    contact = replica.store.contacts()[0]
    # As an older version wrote it: one row per item in the sync table.
    legacy = SyncEntry("contact", contact.uid, "old.vcf", "x", 1, 1, {"name": "Person 0"})
    replica.store._transact(  # writing the old shape on purpose
        "legacy", lambda tx: tx.insert(SYNC, sync_entry_to_doc(legacy))
    )
    assert [e.file for e in replica.store.sync_entries()] == ["old.vcf"]
    result = replica.sync()
    # The old state was read: its card is gone while the contact differs from its base.
    assert result.report.recreated == [
        "Person 0: its file was deleted elsewhere, but it changed here since; written again"
    ]
    assert len(replica.store.sync_entries()) == 2
    (meta,) = replica.store.raw_tables()[SYNC].values()
    assert meta["generation"] == 1


def test_a_sync_with_nothing_changed_reads_no_state_and_no_file(
    replica: Replica, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(replica)
    _settle(replica)

    def no(*_args: object) -> None:
        raise AssertionError("read")

    monkeypatch.setattr(replica.store, "sync_entries", no)
    monkeypatch.setattr("netbalance.sync.vdir._read", no)
    result = replica.sync()
    assert result.summary() == "Synced: nothing to do"


def test_every_change_is_seen_after_a_sync_with_nothing_to_do(replica: Replica) -> None:
    _seed(replica)
    _settle(replica)
    # A card rewritten elsewhere in place, the same size, within the same clock tick.
    card = sorted(replica.contacts.iterdir())[0]
    card.write_text(card.read_text().replace("FN:Person ", "FN:Person-"))
    assert replica.sync().records_changed == 1
    # A record changed here.
    c = replica.store.contacts()[1]
    replica.store.edit_contact(c.id, {"company": "Acme"})
    assert replica.sync().files_written == 1
    # The next day: the follow-ups due are counted again.
    replica.sync(NOW + timedelta(days=1))
    # A card removed elsewhere, after a sync that had nothing to do.
    _settle(replica)
    card.unlink()
    assert replica.sync(NOW + timedelta(days=1)).report.archived


def test_a_record_another_process_changes_during_a_sync_is_synced_next_time(
    replica: Replica,
) -> None:
    _seed(replica)
    _settle(replica)
    ana = replica.store.add_contact(Contact("Ana Silva"), NOW)
    other = replica.store.contacts()[0]

    def meanwhile(_plan: object) -> None:
        # Not a record this sync writes: only the tables' mark can tell it changed.
        replica.store.edit_contact(other.id, {"company": "Globex"})

    result = sync(replica.store, replica.settings, NOW, before_apply=meanwhile)
    assert result.files_written == 1 and ana.uid
    again = replica.sync()
    assert again.files_written == 1 and again.report.to_files == [other.name]


def test_a_card_rewritten_within_the_same_clock_tick_is_read_again(replica: Replica) -> None:
    _seed(replica, 1)
    replica.sync()
    (card,) = replica.contacts.iterdir()
    before = card.stat()
    card.write_bytes(card.read_bytes().replace(b"FN:Person 0", b"FN:Person-0"))
    os.utime(card, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same tick, same size
    assert card.stat().st_size == before.st_size
    assert replica.sync().records_changed == 1
    assert replica.store.contacts()[0].name == "Person-0"


def test_a_lost_part_after_a_change_here_looks_at_every_file(replica: Replica) -> None:
    _seed(replica, 12)
    _settle(replica)
    card = sorted(replica.contacts.iterdir())[0]
    contact = replica.store.contacts()[0]
    replica.store.log_interaction(Interaction((contact.id,), NOW, note="again"), NOW)
    for name in _state_files(replica.root):
        (replica.root / name).unlink()
    replica.store._sync_files()._parts.clear()  # as a new process finds it
    result = replica.sync()
    assert any("the database names is missing" in line for line in result.report.broken)
    assert card.exists() and result.records_changed == 0
    notes = sorted(
        i.note for c in replica.store.contacts() for i in replica.store.interactions_of(c.id)
    )
    assert notes == sorted(["again", *(f"talk {n}" for n in range(12))])
    replica.age()
    replica.sync()
    replica.age()
    assert replica.sync().summary() == "Synced: nothing to do"

"""The sync state lives beside the database, not in it; losing it loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

from netbalance.domain import Contact, Interaction
from netbalance.domain.sync import SyncEntry
from netbalance.store import Store
from netbalance.store.codec import SYNC, sync_entry_to_doc
from tests.sync.conftest import NOW, Replica, make_replica


def _state_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".sync-" in p.name)


def _seed(replica: Replica, people: int = 3) -> None:
    for n in range(people):
        c = replica.store.add_contact(Contact(f"Person {n}", emails=(f"p{n}@x.org",)), NOW)
        replica.store.log_interaction(Interaction((c.id,), NOW, note=f"talk {n}"), NOW)


def test_the_database_holds_one_small_document_and_the_state_is_beside_it(
    replica: Replica,
) -> None:
    _seed(replica)
    replica.sync()
    replica.store.close()
    tables = json.loads((replica.root / "netbalance.json").read_text())
    assert list(tables[SYNC].values()) == [{"generation": 1}]
    assert _state_files(replica.root) == ["netbalance.json.sync-1"]
    with Store.open(replica.root / "netbalance.json") as store:
        assert len(store.sync_entries()) == 6


def test_each_sync_keeps_the_previous_state_and_removes_older_ones(replica: Replica) -> None:
    for n in range(4):
        replica.store.add_contact(Contact(f"New {n}"), NOW)
        replica.sync()
    assert _state_files(replica.root) == ["netbalance.json.sync-3", "netbalance.json.sync-4"]


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
    (a.root / "netbalance.json.sync-1").unlink()
    with Store.open(a.root / "netbalance.json") as store:
        a.store = store
        result = a.sync()
        assert any("sync-1 the database names is missing" in line for line in result.report.broken)
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
    assert list(replica.store.raw_tables()[SYNC].values()) == [{"generation": 1}]

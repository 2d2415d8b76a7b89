"""Backups belong to one database: named after its file, rotated per database, named in
its own messages only; a kill mid-backup leaves no temp file for good; a restore keeps
what it replaces and swaps the file atomically under the lock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from netbalance.domain import Contact, Interaction
from netbalance.store import Store, StoreDamaged
from netbalance.store.backups import BackupSet, describe
from netbalance.store.engine import FileEngine
from tests.store.conftest import NOW

TODAY = datetime.now(UTC).strftime("%Y-%m-%d")


def make(db: Path, *names: str) -> None:
    with Store.open(db) as store:
        for name in names:
            store.add_contact(Contact(name), NOW)


def contact_names(data: bytes) -> list[str]:
    return sorted(d["name"] for d in orjson.loads(data).get("contacts", {}).values())


def test_two_databases_in_one_folder_keep_their_own_backups(tmp_path: Path) -> None:
    work, home = tmp_path / "work.json", tmp_path / "home.json"
    make(work, "Ana")
    make(home, "Bo")
    backups = tmp_path / "backups"
    assert sorted(p.name for p in backups.iterdir()) == [
        f"home-{TODAY}.json",
        f"work-{TODAY}.json",
    ]
    assert BackupSet(work).all() == [backups / f"work-{TODAY}.json"]
    assert BackupSet(home).all() == [backups / f"home-{TODAY}.json"]


def test_the_default_database_keeps_its_backup_names(tmp_path: Path) -> None:
    db = tmp_path / "netbalance.json"
    make(db, "Ana")
    assert BackupSet(db).all() == [tmp_path / "backups" / f"netbalance-{TODAY}.json"]


def test_a_damaged_file_names_only_its_own_backups(tmp_path: Path) -> None:
    work, home = tmp_path / "work.json", tmp_path / "home.json"
    make(work, "Ana")
    own = tmp_path / "backups" / f"work-{TODAY}.json"
    own.rename(own.with_name("work-2026-01-05.json"))
    make(home, "Bo")  # a newer backup, of another database
    work.write_bytes(b"Dear diary,\n")
    with pytest.raises(StoreDamaged) as caught:
        Store.open(work)
    message = str(caught.value)
    assert str(tmp_path / "backups" / "work-2026-01-05.json") in message
    assert "home" not in message
    assert f"netbalance --db {work} restore" in message


def test_daily_rotation_keeps_seven_per_database(tmp_path: Path) -> None:
    work, home = tmp_path / "work.json", tmp_path / "home.json"
    make(home, "Bo")
    backups = tmp_path / "backups"
    for day in range(1, 11):
        (backups / f"work-2025-12-{day:02d}.json").write_bytes(b"{}")
    for day in range(1, 4):
        (backups / f"home-2025-11-{day:02d}.json").write_bytes(b"{}")
    (backups / "work-2025-11-01-before-migration-v0.json").write_bytes(b"{}")
    make(work, "Ana")
    assert len(BackupSet(work).daily()) == 7
    assert BackupSet(work).daily()[-1].name == f"work-{TODAY}.json"
    assert (backups / "work-2025-11-01-before-migration-v0.json").exists()
    assert len(BackupSet(home).daily()) == 4  # its three old ones and today's: untouched


def test_a_database_named_like_a_backup_is_not_taken_for_one(tmp_path: Path) -> None:
    make(tmp_path / "work.json", "Ana")
    make(tmp_path / "work-2026-01-01.json", "Bo")
    assert [p.name for p in BackupSet(tmp_path / "work.json").all()] == [f"work-{TODAY}.json"]


def test_a_temp_file_left_by_a_kill_during_a_backup_is_cleaned(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    make(db, "Ana")
    backups = tmp_path / "backups"
    mine = backups / f".d.json.tmp-4242-d-{TODAY}.json"
    theirs = backups / f".other.json.tmp-4242-other-{TODAY}.json"
    for p in (mine, theirs):
        p.write_bytes(b'{"half": ')
    Store.open(db).close()
    assert not mine.exists()
    assert theirs.exists()  # another database's: not ours to judge


def test_describe_reads_counts_and_problems(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    make(db, "Ana", "Bo")
    info = describe(BackupSet(db).all()[0])
    assert info.problem is None
    assert info.counts == {"contacts": 0, "interactions": 0, "events": 0, "goals": 0}
    bad = tmp_path / "backups" / "d-2026-01-01.json"
    bad.write_bytes(b"{nope")
    assert describe(bad).problem == "it is not valid JSON"
    export = tmp_path / "export.json"
    export.write_bytes(orjson.dumps({"format": "netbalance-export", "version": 1}))
    assert "netbalance export" in (describe(export).problem or "")


# --- restore -----------------------------------------------------------------------------


def backup_now(db: Path) -> Path:
    """A labelled backup of the database as it is now (the daily one was made at open)."""
    with Store.open(db) as store:
        store.engine.compact()  # type: ignore[union-attr]
        return store.engine.backup(label="manual")  # type: ignore[union-attr]


def backup_tables(path: Path) -> dict[str, dict[str, dict[str, object]]]:
    engine = FileEngine(path, read_only=True)
    return engine.tables


def test_restore_keeps_what_it_replaces_journal_included(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    make(db, "Ana")
    backup = BackupSet(db).all()[0]
    live = Store.open(db)
    live.add_contact(Contact("Bo"), NOW)  # pending in the journal, not yet folded
    generation = live.engine.generation  # type: ignore[union-attr]
    kept, kept_journal = FileEngine.restore(db, backup_tables(backup))
    assert kept is not None and kept_journal is None
    assert kept.name.startswith(f"d-{TODAY}-before-restore-")
    assert contact_names(kept.read_bytes()) == ["Ana", "Bo"]
    assert contact_names(db.read_bytes()) == []
    meta = orjson.loads(db.read_bytes())["_meta"]["1"]
    assert meta["generation"] > generation
    assert meta["database_id"] == live.engine.database_id  # type: ignore[union-attr]
    # A store that had the file open sees the restored data, and writes on top of it.
    assert live.refresh()
    assert [c.name for c in live.contacts()] == []
    live.add_contact(Contact("Cy"), NOW)
    with Store.open(db) as again:
        assert [c.name for c in again.contacts()] == ["Cy"]
    # Restoring the kept copy undoes the restore.
    FileEngine.restore(db, backup_tables(kept))
    assert [c.name for c in Store.open(db).contacts()] == ["Ana", "Bo"]


def test_restore_over_a_damaged_file_keeps_its_bytes_and_moves_its_journal(
    tmp_path: Path,
) -> None:
    db = tmp_path / "d.json"
    make(db, "Ana")
    backup = backup_now(db)
    store = Store.open(db)
    store.log_interaction(Interaction((1,), NOW), NOW)
    journal = db.with_name("d.json.journal")
    journal_bytes = journal.read_bytes()
    db.write_bytes(b"Dear diary,\n")
    kept, kept_journal = FileEngine.restore(db, backup_tables(backup))
    assert kept is not None and kept.read_bytes() == b"Dear diary,\n"
    assert kept_journal is not None and kept_journal.read_bytes() == journal_bytes
    with Store.open(db) as restored:
        assert [c.name for c in restored.contacts()] == ["Ana"]
        assert restored.interaction_count() == 0
    assert describe(kept).problem == "it is not valid JSON"  # listed, and why it won't do


def test_restore_moves_a_journal_that_is_not_the_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "n.json", tmp_path / "b" / "n.json"
    make(a, "Ana")
    backup = backup_now(a)
    make(b, "Bo")
    Store.open(b).add_contact(Contact("Cy"), NOW)
    stray = a.with_name("n.json.journal")
    stray.write_bytes(b.with_name("n.json.journal").read_bytes())
    _kept, kept_journal = FileEngine.restore(a, backup_tables(backup))
    assert kept_journal is not None and b'"Cy"' in kept_journal.read_bytes()
    assert [c.name for c in Store.open(a).contacts()] == ["Ana"]

"""The file itself: damage, newer schemas, migration, injected disk failures,
permissions, backups and leftovers. Every damaged file must stay byte for byte."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from netbalance.domain import Contact, Interaction
from netbalance.store import Store, StoreDamaged, StoreNewerVersion, StoreWriteError
from netbalance.store import engine as engine_mod
from netbalance.store.engine import FileEngine, FileOps
from netbalance.store.migrations import SCHEMA_VERSION
from tests.store.conftest import NOW, disk_tables, memory_tables

TODAY = datetime.now(UTC).strftime("%Y-%m-%d")


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (lock file aside: it never holds data) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def good_store(db: Path, interactions: int = 0) -> None:
    """A healthy file with one contact, whose only backup is from an earlier day."""
    with Store.open(db) as store:
        ana = store.add_contact(Contact("Ana"), NOW)
        for n in range(interactions):
            store.log_interaction(Interaction((ana.id,), NOW - timedelta(days=n)), NOW)
    backups = db.parent / "backups"
    (backups / f"netbalance-{TODAY}.json").rename(backups / "netbalance-2026-01-05.json")


def _truncated(db: Path) -> str:
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    return "not valid JSON"


def _not_json(db: Path) -> str:
    db.write_bytes(b"Dear diary,\n")
    return "not valid JSON"


def _empty(db: Path) -> str:
    db.write_bytes(b"")
    return "empty"


def _table_is_list(db: Path) -> str:
    data = orjson.loads(db.read_bytes())
    data["contacts"] = [data["contacts"]["1"]]
    db.write_bytes(orjson.dumps(data))
    return "table 'contacts' is a list"


def _record_not_object(db: Path) -> str:
    data = orjson.loads(db.read_bytes())
    data["contacts"]["2"] = "Bo"
    db.write_bytes(orjson.dumps(data))
    return "bad record '2'"


def _top_level_list(db: Path) -> str:
    db.write_bytes(b"[1, 2]")
    return "top level is a list"


def _contact_without_name(db: Path) -> str:
    data = orjson.loads(db.read_bytes())
    del data["contacts"]["1"]["name"]
    db.write_bytes(orjson.dumps(data))
    return "record 1 in 'contacts'"


def _interaction_without_time(db: Path) -> str:
    data = orjson.loads(db.read_bytes())
    data["interactions"] = {"1": {"contacts": [1], "kind": "call"}}
    db.write_bytes(orjson.dumps(data))
    return "record 1 in 'interactions'"


DAMAGES: list[Callable[[Path], str]] = [
    _truncated,
    _not_json,
    _empty,
    _table_is_list,
    _record_not_object,
    _top_level_list,
    _contact_without_name,
    _interaction_without_time,
]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__.strip("_"))
def test_damaged_file_is_refused_and_left_untouched(
    db_path: Path, damage: Callable[[Path], str]
) -> None:
    good_store(db_path)
    problem = damage(db_path)
    before = files_of(db_path.parent)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert str(db_path) in message
    assert problem in message
    assert str(db_path.parent / "backups" / "netbalance-2026-01-05.json") in message
    assert files_of(db_path.parent) == before


def test_journal_damaged_in_the_middle_is_refused(db_path: Path) -> None:
    good_store(db_path)
    store = Store.open(db_path)
    for n in range(3):
        store.log_interaction(Interaction((1,), NOW - timedelta(hours=n)), NOW)
    journal = db_path.with_name(db_path.name + ".journal")
    lines = journal.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'"depth":2', b'"depth":3')  # checksum no longer matches
    journal.write_bytes(b"\n".join(lines))
    before = files_of(db_path.parent)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert str(journal) in message and "damaged at byte" in message
    assert "netbalance-" in message  # the newest backup to restore
    assert files_of(db_path.parent) == before


@pytest.mark.parametrize(
    "tail",
    [b'1a2b3c4d {"ops":[["p","interactions","9",{"contacts":[1]', b"deadbeef {}\n"],
    ids=["torn", "bad-checksum-last-line"],
)
def test_unacknowledged_last_journal_line_is_dropped(db_path: Path, tail: bytes) -> None:
    good_store(db_path)
    store = Store.open(db_path)
    for n in range(2):
        store.log_interaction(Interaction((1,), NOW - timedelta(hours=n)), NOW)
    journal = db_path.with_name(db_path.name + ".journal")
    good = journal.read_bytes()
    with journal.open("ab") as f:
        f.write(tail)
    again = Store.open(db_path)
    assert again.interaction_count() == 2
    assert journal.read_bytes() == good
    again.log_interaction(Interaction((1,), NOW), NOW)
    assert Store.open(db_path).interaction_count() == 3


def test_newer_schema_is_refused_and_left_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(orjson.dumps({"_meta": {"1": {"schema_version": 99, "generation": 4}}}))
    before = files_of(db_path.parent)
    with pytest.raises(StoreNewerVersion, match="newer netbalance") as caught:
        Store.open(db_path)
    assert str(db_path) in str(caught.value) and "99" in str(caught.value)
    assert files_of(db_path.parent) == before


def test_plain_tinydb_file_is_migrated_after_a_backup(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with TinyDB(db_path) as old:
        old.table("contacts").insert(
            {"name": "Ana", "circle": "inner", "created": "2025-01-01T00:00:00Z"}
        )
    original = db_path.read_bytes()
    store = Store.open(db_path)
    assert store.contact(1).name == "Ana"
    backup = db_path.parent / "backups" / f"netbalance-{TODAY}-before-migration-v0.json"
    assert backup.read_bytes() == original
    assert orjson.loads(db_path.read_bytes())["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    store.log_interaction(Interaction((1,), NOW), NOW)
    assert Store.open(db_path).interaction_count() == 1


# --- injected failures ---------------------------------------------------------------


class Faults(FileOps):
    """FileOps whose calls fail on demand, the way a full disk or a broken rename would."""

    def __init__(self) -> None:
        self.write_error: int | None = None
        self.fsync_error: int | None = None
        self.replace_error: int | None = None

    def write(self, fd: int, data: bytes | memoryview) -> int:  # type: ignore[override]
        if self.write_error is not None:
            # Half the line reaches the file before the disk fills up.
            os.write(fd, bytes(data[: max(1, len(data) // 2)]))
            raise OSError(self.write_error, os.strerror(self.write_error))
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:  # type: ignore[override]
        if self.fsync_error is not None:
            raise OSError(self.fsync_error, os.strerror(self.fsync_error))
        os.fsync(fd)

    def replace(self, src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:  # type: ignore[override]
        if self.replace_error is not None:
            raise OSError(self.replace_error, os.strerror(self.replace_error))
        os.replace(src, dst)


def faulty_store(db: Path) -> tuple[Store, Faults]:
    faults = Faults()
    return Store(FileEngine(db, faults)), faults


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".tmp-" in p.name]


@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [
        ("write_error", errno.ENOSPC, "the disk is full"),
        ("write_error", errno.EDQUOT, "quota"),
        ("fsync_error", errno.EIO, "Input/output error"),
    ],
)
def test_failed_journal_write(db_path: Path, fault: str, code: int, words: str) -> None:
    good_store(db_path, interactions=2)
    store, faults = faulty_store(db_path)
    journal = db_path.with_name(db_path.name + ".journal")
    size = journal.stat().st_size
    setattr(faults, fault, code)
    with pytest.raises(StoreWriteError) as caught:
        store.log_interaction(Interaction((1,), NOW), NOW)
    assert words in str(caught.value) and str(journal) in str(caught.value)
    with pytest.raises(StoreWriteError):
        store.add_contact(Contact("Bo"), NOW)
    assert journal.stat().st_size == size
    assert not leftovers(db_path.parent)
    assert store.interaction_count() == 2 and store.contact_count() == 1
    assert memory_tables(store) == disk_tables(db_path)
    setattr(faults, fault, None)
    logged = store.log_interaction(Interaction((1,), NOW), NOW)
    assert Store.open(db_path).interaction(logged.id).at == NOW


def test_failed_rename_during_compaction_keeps_the_acknowledged_write(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good_store(db_path, interactions=2)
    store, faults = faulty_store(db_path)
    monkeypatch.setattr(engine_mod, "COMPACT_BYTES", 1)
    faults.replace_error = errno.EXDEV
    logged = store.log_interaction(Interaction((1,), NOW), NOW)  # durable in the journal
    assert not leftovers(db_path.parent)
    assert memory_tables(store) == disk_tables(db_path)
    assert Store.open(db_path).interaction(logged.id).at == NOW


def test_failed_compaction_reports_and_changes_nothing(db_path: Path) -> None:
    good_store(db_path, interactions=2)
    store, faults = faulty_store(db_path)
    store.log_interaction(Interaction((1,), NOW), NOW)
    before = files_of(db_path.parent)
    for fault, code in (("replace_error", errno.EACCES), ("write_error", errno.ENOSPC)):
        setattr(faults, fault, code)
        with pytest.raises(StoreWriteError, match="could not save"):
            store.engine.compact()  # type: ignore[union-attr]
        setattr(faults, fault, None)
        assert files_of(db_path.parent) == before
    assert memory_tables(store) == disk_tables(db_path)


def test_failure_creating_a_new_file_is_a_store_error(db_path: Path) -> None:
    faults = Faults()
    faults.replace_error = errno.EROFS
    with pytest.raises(StoreWriteError, match="read-only"):
        FileEngine(db_path, faults)
    assert not leftovers(db_path.parent)


def test_failure_backing_up_before_a_migration_leaves_the_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with TinyDB(db_path) as old:
        old.table("contacts").insert({"name": "Ana", "created": "2025-01-01T00:00:00Z"})
    before = files_of(db_path.parent)
    faults = Faults()
    faults.write_error = errno.ENOSPC
    with pytest.raises(StoreWriteError, match="disk is full"):
        FileEngine(db_path, faults)
    assert {
        k: v for k, v in files_of(db_path.parent).items() if not k.endswith("journal")
    } == before
    assert not leftovers(db_path.parent)


# --- permissions, backups, leftovers ----------------------------------------------------


def test_files_are_private(db_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        with Store.open(db_path) as store:
            store.add_contact(Contact("Ana"), NOW)
        Store.open(db_path).add_contact(Contact("Bo"), NOW)  # journal in use
    finally:
        os.umask(old_umask)
    paths = [
        db_path,
        db_path.with_name(db_path.name + ".journal"),
        db_path.with_name(db_path.name + ".lock"),
    ]
    paths += list((db_path.parent / "backups").iterdir())
    assert len(paths) >= 4
    for p in paths:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert stat.S_IMODE((db_path.parent / "backups").stat().st_mode) == 0o700


def test_daily_backups_rotate_keeping_seven(db_path: Path) -> None:
    good_store(db_path)
    backups = db_path.parent / "backups"
    for day in range(1, 11):
        (backups / f"netbalance-2025-12-{day:02d}.json").write_bytes(b"{}")
    (backups / "netbalance-2025-11-01-before-migration-v0.json").write_bytes(b"{}")
    Store.open(db_path).close()
    daily = sorted(p.name for p in backups.glob("netbalance-*.json") if "before" not in p.name)
    assert len(daily) == 7
    assert daily[-1] == f"netbalance-{TODAY}.json"
    assert (backups / "netbalance-2025-11-01-before-migration-v0.json").exists()
    assert orjson.loads((backups / daily[-1]).read_bytes())["contacts"]["1"]["name"] == "Ana"


def test_stale_temp_files_are_cleaned_at_open(db_path: Path) -> None:
    good_store(db_path)
    stale = [
        db_path.with_name(f".{db_path.name}.tmp-4242-{db_path.name}"),
        db_path.with_name(f".{db_path.name}.tmp-4242-{db_path.name}.journal"),
    ]
    for p in stale:
        p.write_bytes(b'{"half": ')
    unrelated = db_path.with_name("notes.txt")
    unrelated.write_text("mine")
    assert Store.open(db_path).contact(1).name == "Ana"
    assert not any(p.exists() for p in stale)
    assert unrelated.read_text() == "mine"

"""The file under the store: a JSON snapshot plus an append-only journal.

Why a journal: rewriting the whole file costs ~20 ms at 5,000 contacts and
50,000 interactions, and TinyDB's stock storage does it in place (a crash
mid-write leaves a corrupt file). Here a write appends one checksummed line to
`<db>.journal` and fsyncs it (about a millisecond); every so often the journal
is folded into the snapshot by writing a temp file, fsync, `os.replace`, fsync
of the folder. Nothing is ever written over the only good copy.

Several processes may write at once: each write takes `<db>.lock` (flock),
first reads what others appended (or reloads when the snapshot was replaced),
then appends its own line. Readers poll with `sync()` under a shared lock.

Memory holds the raw tables (the same shape as the JSON file, ids as text) so
TinyDB can work on them directly.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from netbalance.store.errors import (
    StoreDamaged,
    StoreError,
    StoreLocked,
    StoreNewerVersion,
    StoreWriteError,
)
from netbalance.store.migrations import SCHEMA_VERSION, migrate

Tables = dict[str, dict[str, dict[str, Any]]]
# One journal operation: ("p", table, id, doc) puts a document, ("d", table, id, None) deletes it.
Op = tuple[str, str, str, dict[str, Any] | None]
# What an operation changed: (table, id, old doc or None, new doc or None).
Applied = tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]

META = "_meta"
LOCK_TIMEOUT = 10.0
# Fold the journal into the snapshot once it holds this many bytes.
COMPACT_BYTES = 4 * 1024 * 1024
BACKUPS_KEPT = 7


class FileOps:
    """The system calls a write depends on; tests swap them to inject failures."""

    write = staticmethod(os.write)
    fsync = staticmethod(os.fsync)
    replace = staticmethod(os.replace)


def _now_text() -> str:
    # Only for backup names and journal headers: never a domain decision.
    return datetime.now(UTC).strftime("%Y-%m-%d")


@dataclass
class _Signature:
    """Enough of a file's stat to notice that someone changed it."""

    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> _Signature | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return cls(st.st_ino, st.st_size, st.st_mtime_ns)


class MemoryEngine:
    """No file: for tests and previews. Same interface as FileEngine."""

    path: Path | None = None

    def __init__(self, tables: Tables | None = None) -> None:
        self.tables: Tables = tables if tables is not None else {}
        self.tables.setdefault(META, {"1": {"schema_version": SCHEMA_VERSION, "generation": 1}})

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[list[Applied] | None]:
        yield []

    def commit(self, ops: list[Op]) -> None:
        """Nothing to persist in memory."""

    def sync(self) -> list[Applied] | None:
        return []

    def close(self) -> None:
        """Nothing to release."""


class FileEngine:
    """A JSON snapshot + journal on disk, safe against crashes and other processes."""

    def __init__(
        self,
        path: Path,
        ops: FileOps | None = None,
        validate: Callable[[Tables], str | None] | None = None,
    ) -> None:
        """Open (or create) the file. `validate` reads the tables once loaded and
        migrated, before anything is written; a problem it returns refuses the file."""
        self.path = path
        self._validate = validate
        self.journal_path = path.with_name(path.name + ".journal")
        self.lock_path = path.with_name(path.name + ".lock")
        self.backup_dir = path.parent / "backups"
        self.ops = ops or FileOps()
        self.tables: Tables = {}
        self.generation = 0
        self._main_sig: _Signature | None = None
        self._journal_sig: _Signature | None = None
        self._journal_offset = 0
        # The journal is from before the snapshot's generation (a compaction stopped
        # between its renames): it must be replaced before anything is appended to it.
        self._journal_stale = False
        self._lock_fd: int | None = None
        self._lock_depth = 0
        self._open()

    # --- opening ------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as err:
            raise StoreError(
                f"cannot create the folder {self.path.parent}: {err.strerror}"
            ) from err
        with self._locked(exclusive=True):
            self._clean_stale_temp_files()
            if not self.path.exists():
                if self.journal_path.exists() and self.journal_path.stat().st_size > 0:
                    raise StoreDamaged(
                        f"{self.path} is missing but its journal {self.journal_path} is there; "
                        f"restore the database from {self._newest_backup_hint()}"
                    )
                try:
                    self._create_empty()
                except OSError as err:
                    raise StoreWriteError(_write_failure(self.path, err)) from err
            self._load_all(repair_tail=True)
            version = self._schema_version()
            if version != SCHEMA_VERSION:
                migrate(self.tables, version)
            # Judge the content before writing anything: a damaged file must not be
            # migrated, compacted, or copied over the newest good backup.
            problem = self._validate(self.tables) if self._validate else None
            if problem is not None:
                raise StoreDamaged(
                    f"{self.path} cannot be read: {problem}. The file was left untouched. "
                    f"Restore it from {self._newest_backup_hint()}"
                )
            try:
                if version != SCHEMA_VERSION:
                    self._save_migration(version)
                if not self.journal_path.exists():
                    self._reset_journal()
            except OSError as err:
                raise StoreWriteError(_write_failure(self.path, err)) from err
            self._daily_backup()

    def _create_empty(self) -> None:
        self.generation = 1
        self.tables = {META: {"1": self._meta_doc()}}
        self._write_snapshot_file()
        self._reset_journal()

    def _meta_doc(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "generation": self.generation}

    def _clean_stale_temp_files(self) -> None:
        """Temp files left by a crash mid-compaction: never the real data."""
        prefix = f".{self.path.name}.tmp-"
        for leftover in self.path.parent.glob(prefix + "*"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _read_snapshot(self) -> Tables:
        try:
            raw = self.path.read_bytes()
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror}") from err
        problem = None
        data: Any = None
        if not raw.strip():
            problem = "the file is empty"
        else:
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as err:
                problem = f"it is not valid JSON ({err})"
        if problem is None:
            problem = _shape_problem(data)
        if problem is not None:
            raise StoreDamaged(
                f"{self.path} cannot be read: {problem}. The file was left untouched. "
                f"Restore it from {self._newest_backup_hint()}"
            )
        tables: Tables = data
        return tables

    def _load_all(self, *, repair_tail: bool) -> None:
        """Read the snapshot and replay the journal (the caller holds the lock)."""
        tables = self._read_snapshot()
        meta = tables.get(META, {}).get("1", {})
        version = meta.get("schema_version", 0)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise StoreNewerVersion(
                f"{self.path} was written by a newer netbalance (schema {version}; this version "
                f"reads up to {SCHEMA_VERSION}). Upgrade netbalance; the file was left untouched."
            )
        self.tables = tables
        self.generation = int(meta.get("generation", 0))
        self._main_sig = _Signature.of(self.path)
        self._journal_offset = 0
        self._journal_sig = None
        self._journal_stale = False
        self._replay_journal(repair_tail=repair_tail)

    def _replay_journal(self, *, repair_tail: bool) -> list[Applied]:
        """Apply journal lines past our offset; returns what they changed."""
        try:
            fd = os.open(self.journal_path, os.O_RDONLY)
        except FileNotFoundError:
            self._journal_sig = None
            self._journal_offset = 0
            return []
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            f.seek(self._journal_offset)
            data = f.read()
        start = self._journal_offset
        applied: list[Applied] = []
        pos = 0
        lines = data.split(b"\n")
        # The last piece has no newline: a write that never finished (torn).
        complete, tail = lines[:-1], lines[-1]
        for number, line in enumerate(complete):
            end = pos + len(line) + 1
            record = _decode_line(line)
            if record is None:
                if number == len(complete) - 1 and not tail:
                    tail = line  # a bad last line counts as torn, never acknowledged
                    break
                raise StoreDamaged(
                    f"{self.journal_path} is damaged at byte {start + pos}; the files were left "
                    f"untouched. Restore from {self._newest_backup_hint()}"
                )
            if "generation" in record:
                if int(record["generation"]) != self.generation:
                    # A journal from before the last compaction: its writes are in the
                    # snapshot already (the crash came between the two renames).
                    self._journal_offset = st.st_size
                    self._journal_sig = _Signature(st.st_ino, st.st_size, st.st_mtime_ns)
                    if repair_tail:
                        self._reset_journal()
                    else:
                        self._journal_stale = True
                    return applied
            else:
                applied.extend(self._apply(record["ops"]))
            pos = end
        self._journal_offset = start + pos
        if tail and repair_tail:
            # Only safe under the exclusive lock: the torn writer is gone.
            with open(self.journal_path, "r+b") as f:
                f.truncate(self._journal_offset)
                self.ops.fsync(f.fileno())
        self._journal_sig = _Signature.of(self.journal_path)
        return applied

    def _apply(self, ops: list[Any]) -> list[Applied]:
        applied: list[Applied] = []
        for op in ops:
            kind, table, doc_id = op[0], op[1], op[2]
            rows = self.tables.setdefault(table, {})
            old = rows.get(doc_id)
            if kind == "p":
                rows[doc_id] = op[3]
                applied.append((table, doc_id, old, op[3]))
            elif old is not None:
                del rows[doc_id]
                applied.append((table, doc_id, old, None))
        return applied

    # --- locking ------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, *, exclusive: bool, wait: bool = True) -> Iterator[bool]:
        """Hold the lock file; re-entrant within this engine."""
        if self._lock_fd is not None:
            self._lock_depth += 1
            try:
                yield True
            finally:
                self._lock_depth -= 1
            return
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + (LOCK_TIMEOUT if wait else 0)
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    if not wait:
                        yield False
                        return
                    raise StoreLocked(
                        f"{self.path} is locked by another netbalance process that has held it "
                        f"for over {LOCK_TIMEOUT:.0f} s; try again, or close the other program"
                    ) from None
                time.sleep(0.005)
        self._lock_fd = fd
        try:
            yield True
        finally:
            self._lock_fd = None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # --- keeping up with other writers -----------------------------------------

    def _catch_up(self, *, repair_tail: bool) -> list[Applied] | None:
        """Bring memory up to the files. None means "reloaded everything"."""
        if self._journal_stale and repair_tail:
            self._load_all(repair_tail=True)
            return None
        main = _Signature.of(self.path)
        if main is None:
            raise StoreDamaged(
                f"{self.path} disappeared while netbalance was using it; "
                f"restore it from {self._newest_backup_hint()}"
            )
        if main != self._main_sig:
            self._load_all(repair_tail=repair_tail)
            return None
        journal = _Signature.of(self.journal_path)
        if journal is None or (self._journal_sig and journal.ino != self._journal_sig.ino):
            self._load_all(repair_tail=repair_tail)
            return None
        if journal.size < self._journal_offset:
            self._load_all(repair_tail=repair_tail)
            return None
        if journal.size == self._journal_offset:
            return []
        return self._replay_journal(repair_tail=repair_tail)

    def sync(self) -> list[Applied] | None:
        """Pick up other processes' writes; [] when nothing changed, None after a reload."""
        with self._locked(exclusive=False, wait=False) as got:
            if not got:
                return []  # a writer is busy; the next poll will see its work
            return self._catch_up(repair_tail=False)

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[list[Applied] | None]:
        """Hold the write lock with memory up to date; yields what others changed."""
        with self._locked(exclusive=True):
            try:
                caught_up = self._catch_up(repair_tail=True)
            except OSError as err:
                raise StoreWriteError(_write_failure(self.journal_path, err)) from err
            yield caught_up

    # --- writing ------------------------------------------------------------

    def commit(self, ops: list[Op]) -> None:
        """Make `ops` (already applied in memory) durable. Call inside write_lock.

        On any failure the journal is cut back to where it was, memory is
        reloaded from disk, and StoreWriteError says what happened.
        """
        if not ops:
            return
        payload = orjson.dumps({"ops": ops})
        line = b"%08x %s\n" % (zlib.crc32(payload), payload)
        before = self._journal_offset
        try:
            fd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                written = 0
                while written < len(line):
                    written += self.ops.write(fd, line[written:])
                self.ops.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            self._undo_append(before)
            raise StoreWriteError(_write_failure(self.journal_path, err)) from err
        self._journal_offset = before + len(line)
        self._journal_sig = _Signature.of(self.journal_path)
        if self._journal_offset > COMPACT_BYTES:
            with contextlib.suppress(StoreWriteError):
                # The write is durable in the journal; a failed fold can wait.
                self.compact()

    def _undo_append(self, size: int) -> None:
        with contextlib.suppress(OSError), open(self.journal_path, "r+b") as f:
            f.truncate(size)
            os.fsync(f.fileno())
        self._load_all(repair_tail=True)

    def compact(self) -> None:
        """Fold the journal into a new snapshot, atomically."""
        with self._locked(exclusive=True):
            try:
                self._catch_up(repair_tail=True)
            except OSError as err:
                raise StoreWriteError(_write_failure(self.journal_path, err)) from err
            if self._journal_offset <= self._journal_header_size():
                return
            old_generation = self.generation
            self.generation += 1
            try:
                self._write_snapshot_file()
                self._reset_journal()
            except OSError as err:
                self.generation = old_generation
                # Whichever files were renamed, disk holds what memory held; reading it
                # back must not write (the disk just failed), so a stale journal waits
                # for the next write to be replaced.
                self._load_all(repair_tail=False)
                raise StoreWriteError(_write_failure(self.path, err)) from err

    def _journal_header_size(self) -> int:
        return len(_header_line(self.generation))

    def _write_snapshot_file(self) -> None:
        self.tables[META] = {"1": self._meta_doc()}
        data = orjson.dumps(self.tables)
        self._atomic_write(self.path, data)
        self._main_sig = _Signature.of(self.path)

    def _reset_journal(self) -> None:
        self._atomic_write(self.journal_path, _header_line(self.generation))
        self._journal_offset = self._journal_header_size()
        self._journal_sig = _Signature.of(self.journal_path)

    def _atomic_write(self, target: Path, data: bytes) -> None:
        """Temp file in the same folder, fsync, rename over, fsync the folder."""
        tmp = target.with_name(f".{self.path.name}.tmp-{os.getpid()}-{target.name}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[self.ops.write(fd, view) :]
                self.ops.fsync(fd)
            finally:
                os.close(fd)
            self.ops.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        _fsync_dir(target.parent)

    # --- schema and backups -----------------------------------------------------

    def _schema_version(self) -> int:
        version: int = self.tables.get(META, {}).get("1", {}).get("schema_version", 0)
        return version

    def _save_migration(self, version: int) -> None:
        """Write the migrated tables (already in memory), backing up the old file first.

        The old journal is copied beside the backup when it holds writes not yet folded
        into the file: the backup alone would lack them."""
        target = self.backup(label=f"before-migration-v{version}")
        if self.journal_path.exists() and self._journal_offset > self._journal_header_size():
            self._atomic_write(
                target.with_name(target.name + ".journal"), self.journal_path.read_bytes()
            )
        self.generation += 1
        self._write_snapshot_file()
        self._reset_journal()

    def _daily_backup(self) -> None:
        """One backup a day, the newest seven kept; the snapshot is folded first."""
        name = f"netbalance-{_now_text()}.json"
        if (self.backup_dir / name).exists():
            return
        try:
            self.compact()
            self.backup()
        except (OSError, StoreWriteError):
            pass  # a failed backup must not stop the user from working; doctor reports it

    def backup(self, label: str | None = None) -> Path:
        """Copy the snapshot into backups/ (0600) and drop the oldest daily ones."""
        self.backup_dir.mkdir(mode=0o700, exist_ok=True)
        name = f"netbalance-{_now_text()}{'-' + label if label else ''}.json"
        target = self.backup_dir / name
        self._atomic_write(target, self.path.read_bytes())
        daily = sorted(
            p
            for p in self.backup_dir.glob("netbalance-*.json")
            if len(p.stem) == len("netbalance-2026-01-01")
        )
        for old in daily[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()
        return target

    def backups(self) -> list[Path]:
        """Backups, newest first."""
        if not self.backup_dir.is_dir():
            return []
        return sorted(
            self.backup_dir.glob("netbalance-*.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )

    def _newest_backup_hint(self) -> str:
        found = self.backups()
        return str(found[0]) if found else "a backup (none found in " + str(self.backup_dir) + ")"

    def close(self) -> None:
        """Fold the journal so the JSON file alone holds everything."""
        with contextlib.suppress(StoreError, OSError):
            self.compact()


def _header_line(generation: int) -> bytes:
    payload = orjson.dumps({"generation": generation})
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def _decode_line(line: bytes) -> dict[str, Any] | None:
    """A journal line's record, or None when it is torn or fails its checksum."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    payload = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(payload):
            return None
        record = orjson.loads(payload)
    except (ValueError, orjson.JSONDecodeError):
        return None
    return record if isinstance(record, dict) else None


def _shape_problem(data: Any) -> str | None:
    """Why `data` is not a TinyDB database of documents, or None."""
    if not isinstance(data, dict):
        return f"the top level is a {type(data).__name__}, not an object of tables"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table {name!r} is a {type(table).__name__}, not an object"
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                return f"table {name!r} has a bad record {doc_id!r}"
    return None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_failure(path: Path, err: OSError) -> str:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
    }.get(err.errno or 0, err.strerror or str(err))
    return f"could not save to {path}: {reason}. Nothing was changed; your data on disk is intact"

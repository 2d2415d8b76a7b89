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

The snapshot's `_meta` record and the journal's first line carry the database's
id and generation. A journal is replayed only onto the file it belongs to: the
journal of another database, or one newer than the file (what copying an older
backup over the database leaves), is refused, and both files stay as they are.
Files from before ids get one at their first open, by a fold.

When the file, its journal or its folder cannot be written (or the caller asks
for it), the engine opens read-only: it reads without writing anything (no fold,
no backup, no repair) and refuses writes with a message that says why. A database
path that is a symlink is resolved once at open, so writes replace the link's
target and the link keeps pointing at the real data.

Memory holds the raw tables (the same shape as the JSON file, ids as text) so
TinyDB can work on them directly.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from netbalance.store import index
from netbalance.store.backups import BackupSet, describe
from netbalance.store.errors import (
    StoreDamaged,
    StoreError,
    StoreJournalMismatch,
    StoreLocked,
    StoreNewerVersion,
    StoreReadOnly,
    StoreWriteError,
)
from netbalance.store.files import (
    Signature,
    cannot_write_reason,
    fsync_dir,
    real_path,
    shape_problem,
    shell_quote,
    write_failure,
)
from netbalance.store.journal import META as META  # the store reads it from here
from netbalance.store.journal import (
    decode_line,
    header_line,
    keep_dropped,
    ops_line,
    record_problem,
)
from netbalance.store.migrations import SCHEMA_VERSION, migrate

Tables = dict[str, dict[str, dict[str, Any]]]
# One journal operation: ("p", table, id, doc) puts a document, ("d", table, id, None) deletes it.
Op = tuple[str, str, str, dict[str, Any] | None]
# What an operation changed: (table, id, old doc or None, new doc or None).
Applied = tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]

LOCK_TIMEOUT = 10.0
# Fold the journal into the snapshot once it holds this many bytes.
COMPACT_BYTES = 4 * 1024 * 1024
# ... and at close once it holds this many. Not at every close: a fold rewrites the whole
# file (~75 ms at 20,000 contacts / 200,000 interactions), which made every command-line
# write pay for it, while the journal alone is as durable. A journal this size (~7,500
# follow-ups) replays in well under a tenth of a second.
CLOSE_COMPACT_BYTES = 1024 * 1024
# A read-only open without a lock file reads again when a writer replaced the file meanwhile.
UNLOCKED_READ_ATTEMPTS = 5
# The one table an open from the index leaves on disk (see `FileEngine.partial`).
INTERACTIONS = "interactions"
# A close rewrites the index once the journal has grown this much past what it names:
# the next open replays what is past it (~400 follow-ups, a few ms), which is cheaper
# than writing the whole index after every command (~60 ms at 20k/200k).
INDEX_TAIL_BYTES = 64 * 1024


class PartialTable(dict[str, dict[str, Any]]):
    """The interactions table of an engine opened from its index: only the documents
    written since (the rest are on disk). Never folded, never read as the whole table."""

    partial = True


class FileOps:
    """The system calls a write depends on; tests swap them to inject failures."""

    write = staticmethod(os.write)
    fsync = staticmethod(os.fsync)
    replace = staticmethod(os.replace)


def _now() -> datetime:
    # Only for backup names and records of dropped lines: never a domain decision.
    return datetime.now(UTC)


def _today() -> str:
    return _now().strftime("%Y-%m-%d")


class MemoryEngine:
    """No file: for tests and previews. Same interface as FileEngine."""

    path: Path | None = None
    read_only_reason: str | None = None
    partial = False

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

    def load_full(self) -> bool:
        """Memory holds everything already."""
        return False

    def close(self, *, quick: bool = False) -> None:
        """Nothing to release."""


class FileEngine:
    """A JSON snapshot + journal on disk, safe against crashes and other processes."""

    def __init__(
        self,
        path: Path,
        ops: FileOps | None = None,
        validate: Callable[[Tables], str | None] | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        """Open (or create) the file. `validate` reads the tables once loaded and
        migrated, before anything is written; a problem it returns refuses the file.

        `read_only` never writes anything (for `doctor`); without it the engine still
        opens read-only, and says why in `read_only_reason`, when it cannot save."""
        self._setup(path, ops, validate, "it was opened for reading only" if read_only else None)
        self._open()

    def _setup(
        self,
        path: Path,
        ops: FileOps | None,
        validate: Callable[[Tables], str | None] | None,
        read_only_reason: str | None = None,
    ) -> None:
        self.path = real_path(Path(path))
        self._validate = validate
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_set = BackupSet(self.path)
        self.backup_dir = self.backup_set.folder
        self.ops = ops or FileOps()
        self.tables: Tables = {}
        self.generation = 0
        self.database_id: str | None = None
        # Why this engine only reads (None: it writes).
        self.read_only_reason = read_only_reason
        # Bytes of an unfinished last journal line left in place (read-only opens only).
        self.unfinished_tail = 0
        self._main_sig: Signature | None = None
        self._journal_sig: Signature | None = None
        self._journal_offset = 0
        # Where the journal's header line ends: past it are writes not yet folded.
        self._journal_base = 0
        # The journal is from before the snapshot's generation (a compaction stopped
        # between its renames): it must be replaced before anything is appended to it.
        self._journal_stale = False
        self._lock_fd: int | None = None
        self._holding = False
        self._lock_depth = 0
        self.index_path = index.index_path(self.path)
        # Opened from the index: `tables` holds every table but the interactions, whose
        # table is a PartialTable of this process's own new ones, until `load_full`.
        self.partial = False
        # What the index gave at open (the store's indexes), and the state it names.
        self.index_payload: Any = None
        # The journal's writes past what the index names, applied at open (the store
        # takes them into its indexes).
        self.index_tail: list[Applied] = []
        self._index_key: index.Key | None = None
        self._partial_top = 0

    # --- opening ------------------------------------------------------------

    def _open(self) -> None:
        if self.read_only_reason is None:
            self.read_only_reason = cannot_write_reason(self.path, self.journal_path)
            if self.read_only_reason is not None and not self.path.exists():
                raise StoreWriteError(f"cannot create {self.path}: {self.read_only_reason}")
        if self.read_only_reason is not None:
            self._open_for_reading()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as err:
            raise StoreError(
                f"cannot create the folder {self.path.parent}: {err.strerror}"
            ) from err
        with self._locked(exclusive=True):
            self._clean_stale_temp_files()
            if not self.path.exists():
                if self.journal_path.is_file() and self.journal_path.stat().st_size > 0:
                    raise StoreDamaged(
                        f"{self.path} is missing but its journal {self.journal_path} is there. "
                        f"{self.restore_advice()}"
                    )
                try:
                    self._create_empty()
                except OSError as err:
                    raise StoreWriteError(write_failure(self.path, err)) from err
            elif self._open_from_index():
                self._daily_backup()
                return
            self._load_all(repair_tail=True)
            version = self._migrate_in_memory()
            try:
                if version != SCHEMA_VERSION:
                    # The migration rewrites the file anyway: it carries the new id too.
                    self.database_id = self.database_id or new_database_id()
                    self._save_migration(version)
                if not self.journal_path.exists():
                    self._reset_journal()
            except OSError as err:
                raise StoreWriteError(write_failure(self.path, err)) from err
            if self.database_id is None:
                self._stamp_identity()
            self._daily_backup()

    def _current_key(self, top: int) -> index.Key | None:
        """The index key of the files as they are now (the caller checks that memory
        holds exactly them); `top` is the highest interaction id."""
        built = time.time_ns()
        main = index.sig_tuple(Signature.of(self.path))
        journal = index.sig_tuple(Signature.of(self.journal_path))
        crc = index.crc_of(self.journal_path)
        main_crc = index.crc_of(self.path)
        if (
            main is None
            or journal is None
            or crc is None
            or main_crc is None
            or self.database_id is None
        ):
            return None
        return (
            SCHEMA_VERSION,
            self.generation,
            self.database_id,
            self._journal_base,
            main,
            journal,
            crc,
            built,
            top,
            main_crc,
        )

    def _open_from_index(self) -> bool:
        """Take the tables (all but the interactions) and the store's indexes from the
        index file, when it names the files as they are: the same database file, and a
        journal that begins with the bytes it names (what was appended since is replayed
        onto them, into `index_tail`). The caller holds the exclusive lock. False: read
        the file as usual."""
        found = index.read(self.index_path)
        if found is None:
            return False
        key, payload = found
        schema, generation, database_id, base, main, journal, crc, built, top, main_crc = key
        if schema != SCHEMA_VERSION or not database_id or main[2] + index.RACY_NS > built:
            return False
        main_sig = Signature.of(self.path)
        if main_sig is None:
            return False
        copied = index.sig_tuple(main_sig) != main
        # Another inode: a copy that kept the file's size and time is the same file when
        # its bytes are (see index.py); its journal is judged by its bytes alone, below.
        if copied and (
            (main_sig.size, main_sig.mtime_ns) != main[1:] or index.crc_of(self.path) != main_crc
        ):
            return False
        read = self._read_journal(0)
        if read is None:
            return False
        data, st = read
        if (st.st_ino != journal[0] and not copied) or len(data) < journal[1]:
            return False
        if zlib.crc32(data[: journal[1]]) != crc:
            return False
        try:
            tables = payload[0]
            meta = tables[META]["1"]
            if (meta.get("generation"), meta.get("database_id")) != (generation, database_id):
                return False
        except (TypeError, KeyError, IndexError, AttributeError):
            return False
        tables[INTERACTIONS] = PartialTable()
        tail = self._partial_ops(data[journal[1] :], top, tables)
        if tail is None:
            return False
        self.tables = tables
        self.generation, self.database_id = generation, database_id
        self._main_sig = main_sig
        self._journal_sig = Signature(st.st_ino, st.st_size, st.st_mtime_ns)
        self._journal_base, self._journal_offset = base, len(data)
        self._journal_stale = False
        self.unfinished_tail = 0
        self.partial = True
        self._partial_top = top
        self.index_payload = payload
        self.index_tail = self._apply_partial(tail)
        self._index_key = key
        return True

    def _partial_ops(self, data: bytes, top: int, tables: Tables) -> list[list[Any]] | None:
        """The operations of complete journal lines `data`, when they can be applied to
        tables without the interactions: interactions only added (ids past `top`, once
        each). None otherwise (a torn or damaged line, a header, an interaction changed
        or removed): the caller reads everything as usual."""
        if not data:
            return []
        if not data.endswith(b"\n"):
            return None
        ops: list[list[Any]] = []
        added: set[str] = set(tables.get(INTERACTIONS, {}))
        for line in data[:-1].split(b"\n"):
            record = decode_line(line)
            if record is None or "generation" in record or record_problem(record) is not None:
                return None
            for op in record["ops"]:
                if op[1] == INTERACTIONS:
                    if op[0] != "p" or int(op[2]) <= top or op[2] in added:
                        return None
                    added.add(op[2])
                ops.append(op)
        return ops

    def _apply_partial(self, ops: list[list[Any]]) -> list[Applied]:
        """Apply operations `_partial_ops` accepted to the tables held."""
        applied: list[Applied] = []
        for kind, table, doc_id, doc in ops:
            rows = self.tables.setdefault(table, {})
            old = rows.get(doc_id)
            if kind == "p":
                rows[doc_id] = doc
                applied.append((table, doc_id, old, doc))
            elif old is not None:
                del rows[doc_id]
                applied.append((table, doc_id, old, None))
        return applied

    def load_full(self) -> bool:
        """After an open from the index, read the file and journal whole. True when they
        changed meanwhile (another process wrote): the caller must re-read everything.

        Only between transactions: memory then holds nothing the journal lacks."""
        if not self.partial:
            return False
        before = (self._main_sig, self._journal_offset)
        writes = self.read_only_reason is None
        with self._locked(exclusive=writes):
            self._load_all(repair_tail=writes)
        return (self._main_sig, self._journal_offset) != before

    def write_index(self, payload: Callable[[], Any], top: int) -> None:
        """Write the index of the files as memory holds them (`payload()` gives the store's
        part, `top` the highest interaction id), unless the one there names this file and
        a journal that has grown less than INDEX_TAIL_BYTES since. Skipped when another
        process holds the lock or wrote since: the index must name what memory holds."""
        if self.read_only_reason is not None or self._journal_stale or self.unfinished_tail:
            return
        with self._locked(exclusive=False, wait=False) as got:
            if not got:
                return
            main, journal = Signature.of(self.path), Signature.of(self.journal_path)
            if main is None or journal is None or main != self._main_sig:
                return
            if journal != self._journal_sig or journal.size != self._journal_offset:
                return
            known = self._index_key
            if (
                known is not None
                and known[4] == index.sig_tuple(main)
                and known[5][0] == journal.ino
                and journal.size - known[5][1] < INDEX_TAIL_BYTES
            ):
                return
            key = self._current_key(top)
            if key is None or key[4][2] + index.RACY_NS > key[7]:
                return  # the file changed just now: an open would not trust this index
            index.write(self.index_path, f".{self.path.name}.tmp-", key, payload())
            self._index_key = key

    def _open_for_reading(self) -> None:
        """Read the file and its journal without writing a byte (no lock file is made)."""
        if not self.path.exists():
            raise StoreError(f"{self.path} does not exist")
        for _attempt in range(UNLOCKED_READ_ATTEMPTS):
            with self._locked(exclusive=False):
                before = Signature.of(self.path)
                try:
                    self._load_all(repair_tail=False)
                except StoreError:
                    if self._lock_fd is not None or Signature.of(self.path) == before:
                        raise
                    continue  # a writer folded while we read, unlocked: read again
                if self._lock_fd is not None or Signature.of(self.path) == before:
                    break
        self._migrate_in_memory()

    def _migrate_in_memory(self) -> int:
        """Bring the loaded tables to SCHEMA_VERSION in memory and judge them; returns the
        version the file is at. Nothing is written: a damaged file must not be migrated,
        compacted, or copied over the newest good backup."""
        version = self._schema_version()
        if version != SCHEMA_VERSION:
            migrate(self.tables, version)
        problem = self._validate(self.tables) if self._validate else None
        if problem is not None:
            raise StoreDamaged(
                f"{self.path} cannot be read: {problem}. The file was left untouched. "
                f"{self.restore_advice()}"
            )
        return version

    def _create_empty(self) -> None:
        self.generation = 1
        self.database_id = new_database_id()
        self.tables = {META: {"1": self._meta_doc()}}
        self._write_snapshot_file()
        self._reset_journal()

    def _meta_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "generation": self.generation}
        if self.database_id is not None:
            doc["database_id"] = self.database_id
        return doc

    def _stamp_identity(self) -> None:
        """Give a file from before database ids one: a fold writes it into the snapshot,
        then into a new journal header (a crash between the two leaves an older journal,
        which is reset as after any interrupted fold)."""
        self.database_id = new_database_id()
        with contextlib.suppress(StoreWriteError):
            # A failed fold reloads the file as it is (without an id): the next open retries.
            self.compact(force=True)

    def _clean_stale_temp_files(self) -> None:
        """Temp files left by a crash mid-fold or mid-backup: never the real data.

        Only called under the exclusive lock, when no one else can be writing one."""
        prefix = f".{self.path.name}.tmp-"
        for folder in (self.path.parent, self.backup_dir):
            for leftover in folder.glob(prefix + "*"):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def _read_snapshot(self) -> Tables:
        try:
            raw = self.path.read_bytes()
        except PermissionError as err:
            raise StoreError(
                f"cannot read {self.path}: permission denied. Nothing was changed; "
                f"make it readable again: chmod 600 {shell_quote(self.path)}"
            ) from err
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
            problem = shape_problem(data)
        if problem is not None:
            raise StoreDamaged(
                f"{self.path} cannot be read: {problem}. The file was left untouched. "
                f"{self.restore_advice()}"
            )
        tables: Tables = data
        return tables

    def _read_meta(self, tables: Tables) -> tuple[int, int, str | None]:
        """The file's schema version, generation and database id, each checked."""
        meta = tables.get(META, {}).get("1", {})
        version = meta.get("schema_version", 0)
        generation = meta.get("generation", 0)
        database_id = meta.get("database_id")

        def damaged(what: str, value: object, expected: str) -> StoreDamaged:
            return StoreDamaged(
                f"{self.path} cannot be read: its {what} is {value!r}, not {expected}. "
                f"The file was left untouched. {self.restore_advice()}"
            )

        if type(version) is not int or version < 0:
            raise damaged("schema_version", version, "a version number")
        if version > SCHEMA_VERSION:
            raise StoreNewerVersion(
                f"{self.path} was written by a newer netbalance: its format is schema version "
                f"{version}, and this netbalance reads versions up to {SCHEMA_VERSION}. "
                f"Upgrade netbalance; the file was left untouched."
            )
        if type(generation) is not int or generation < 0:
            raise damaged("generation", generation, "a whole number")
        if database_id is not None and (not isinstance(database_id, str) or not database_id):
            raise damaged("database_id", database_id, "an id")
        return version, generation, database_id

    def _load_all(self, *, repair_tail: bool) -> None:
        """Read the snapshot and replay the journal (the caller holds the lock).

        On any error memory stays as it was: a refused journal is never half-applied."""
        saved = (
            self.tables,
            self.generation,
            self.database_id,
            self._main_sig,
            self._journal_sig,
            self._journal_offset,
            self._journal_base,
            self._journal_stale,
            self.partial,
        )
        try:
            tables = self._read_snapshot()
            _version, generation, database_id = self._read_meta(tables)
            self.tables, self.generation, self.database_id = tables, generation, database_id
            self.partial = False
            self._main_sig = Signature.of(self.path)
            self._journal_offset = self._journal_base = 0
            self._journal_sig = None
            self._journal_stale = False
            self._replay_journal(repair_tail=repair_tail)
        except BaseException:
            (
                self.tables,
                self.generation,
                self.database_id,
                self._main_sig,
                self._journal_sig,
                self._journal_offset,
                self._journal_base,
                self._journal_stale,
                self.partial,
            ) = saved
            raise

    def _read_journal(self, offset: int) -> tuple[bytes, os.stat_result] | None:
        """The journal's bytes from `offset` and its stat; None when there is no journal."""
        try:
            fd = os.open(self.journal_path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        except OSError as err:
            raise self._journal_unusable(err) from err
        try:
            with os.fdopen(fd, "rb") as f:
                st = os.fstat(f.fileno())
                f.seek(offset)
                return f.read(), st
        except OSError as err:
            raise self._journal_unusable(err) from err

    def _journal_unusable(self, err: OSError) -> StoreError:
        j = self.journal_path
        if isinstance(err, IsADirectoryError) or j.is_dir():
            return StoreError(
                f"{j} is a folder, where netbalance keeps the journal of {self.path}. "
                f"Nothing was changed; move that folder away (netbalance did not make it), "
                f"then try again"
            )
        if isinstance(err, PermissionError):
            return StoreError(
                f"cannot read {j}, the journal of {self.path}: permission denied. Nothing was "
                f"changed; make it readable again: chmod 600 {shell_quote(j)}"
            )
        return StoreError(f"cannot read {j}: {err.strerror}. Nothing was changed")

    def _replay_journal(self, *, repair_tail: bool) -> list[Applied]:
        """Apply journal lines past our offset; returns what they changed."""
        read = self._read_journal(self._journal_offset)
        if read is None:
            self._journal_sig = None
            self._journal_offset = self._journal_base = 0
            return []
        data, st = read
        start = self._journal_offset
        applied: list[Applied] = []
        pos = 0
        lines = data.split(b"\n")
        # The last piece has no newline: a write that never finished (torn).
        complete, tail = lines[:-1], lines[-1]
        tail_kind = "unfinished"
        for number, line in enumerate(complete):
            end = pos + len(line) + 1
            record = decode_line(line)
            if record is None:
                if number == len(complete) - 1 and not tail:
                    # A bad last line counts as torn, never acknowledged.
                    tail, tail_kind = line + b"\n", "bad checksum"
                    break
                raise StoreDamaged(
                    f"{self.journal_path} is damaged at byte {start + pos}; the files were "
                    f"left untouched. {self.restore_advice()}"
                )
            problem = record_problem(record)
            if problem is not None:
                raise StoreDamaged(
                    f"{self.journal_path} is damaged at byte {start + pos}: that line passes "
                    f"its checksum but is not a netbalance write ({problem}). The files were "
                    f"left untouched. {self.restore_advice()}"
                )
            if "generation" in record:
                pending = sum(1 for later in complete[number + 1 :] if later)
                if self._journal_is_stale(record, pending):
                    # A journal from before the last compaction: its writes are in the
                    # snapshot already (the crash came between the two renames).
                    self._journal_offset = st.st_size
                    self._journal_sig = Signature(st.st_ino, st.st_size, st.st_mtime_ns)
                    if repair_tail:
                        self._reset_journal()
                    else:
                        self._journal_stale = True
                    return applied
                self._journal_base = start + end
            else:
                applied.extend(self._apply(record["ops"]))
            pos = end
        self._journal_offset = start + pos
        self.unfinished_tail = len(tail)
        if tail and repair_tail:
            # Only safe under the exclusive lock: the torn writer is gone.
            keep_dropped(
                self.path,
                tail,
                self._journal_offset,
                tail_kind,
                _now().isoformat(timespec="seconds"),
            )
            with open(self.journal_path, "r+b") as f:
                f.truncate(self._journal_offset)
                self.ops.fsync(f.fileno())
            self.unfinished_tail = 0
        self._journal_sig = Signature.of(self.journal_path)
        return applied

    def _journal_is_stale(self, header: dict[str, Any], pending: int) -> bool:
        """Judge the journal by its header: True when it is older than the file (its
        writes are folded in already); raises when it is not this file's journal."""
        generation: int = header["generation"]
        journal_id = header.get("database_id")
        j, p = self.journal_path, self.path
        jq, pq = shell_quote(j), shell_quote(p)
        if journal_id is not None and journal_id != self.database_id:
            file_is = (
                f"database {self.database_id[:8]}"
                if self.database_id
                else "a database from before ids"
            )
            raise StoreJournalMismatch(
                f"{j} does not belong to {p}: it is the journal of another netbalance "
                f"database ({journal_id[:8]}), and the file is {file_is}. Nothing was "
                f"replayed, changed or deleted. If the journal was copied here by mistake, "
                f"move it away (mv {jq} {jq}.other); if {p.name} was replaced by another"
                f" database's file, put the right file back"
            )
        if generation > self.generation:
            raise StoreJournalMismatch(
                f"{j} is newer than {p} (journal generation {generation}, file generation "
                f"{self.generation}) and holds {pending} write(s) the file lacks: was an older "
                f"copy, such as a backup, put in place of the database? Nothing was replayed, "
                f"changed or deleted. To keep those writes, put back the database file they "
                f"belong to. To go back to the older file and drop them, move the journal "
                f"away (mv {jq} {jq}.newer); `netbalance --db {pq} restore` "
                f"lists the backups and restores one safely, keeping both"
            )
        return generation < self.generation

    def _apply(self, ops: list[Any]) -> list[Applied]:
        assert not self.partial, "a journal is only replayed onto whole tables"
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

    def _open_lock_file(self) -> int | None:
        """The lock file, opened; None for a read-only open where there is none to open."""
        lock = self.lock_path
        try:
            if self.read_only_reason is None:
                return os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
            return os.open(lock, os.O_RDONLY)
        except IsADirectoryError:
            raise StoreError(
                f"{lock} is a folder, where netbalance keeps the lock file of {self.path}. "
                f"Nothing was changed; move that folder away (netbalance did not make it), "
                f"then try again"
            ) from None
        except (FileNotFoundError, PermissionError) as err:
            if self.read_only_reason is not None:
                return None  # read as the files are: see _open_for_reading
            raise StoreError(
                f"cannot open the lock file {lock}: {err.strerror}. Nothing was changed; "
                f"make it yours again: chmod 600 {shell_quote(lock)}"
            ) from None
        except OSError as err:
            raise StoreError(
                f"cannot open the lock file {lock}: {err.strerror}. Nothing was changed"
            ) from None

    @contextlib.contextmanager
    def _locked(self, *, exclusive: bool, wait: bool = True) -> Iterator[bool]:
        """Hold the lock file; re-entrant within this engine."""
        if self._holding:
            self._lock_depth += 1
            try:
                yield True
            finally:
                self._lock_depth -= 1
            return
        fd = self._open_lock_file()
        if fd is None:
            self._holding = True
            try:
                yield True
            finally:
                self._holding = False
            return
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
        self._holding = True
        try:
            yield True
        finally:
            self._holding = False
            self._lock_fd = None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # --- keeping up with other writers -----------------------------------------

    def _catch_up(self, *, repair_tail: bool) -> list[Applied] | None:
        """Bring memory up to the files. None means "reloaded everything"."""
        if self._journal_stale and repair_tail:
            self._load_all(repair_tail=True)
            return None
        main = Signature.of(self.path)
        if main is None:
            raise StoreDamaged(
                f"{self.path} disappeared while netbalance was using it. {self.restore_advice()}"
            )
        if main != self._main_sig:
            self._load_all(repair_tail=repair_tail)
            return None
        journal = Signature.of(self.journal_path)
        if journal is None or (self._journal_sig and journal.ino != self._journal_sig.ino):
            self._load_all(repair_tail=repair_tail)
            return None
        if journal.size < self._journal_offset:
            self._load_all(repair_tail=repair_tail)
            return None
        if journal.size == self._journal_offset:
            return []
        if self.partial:
            # Others' writes: applied as they are when they only add interactions or
            # change other records, else (they may change interactions this memory does
            # not hold) read everything.
            read = self._read_journal(self._journal_offset)
            ops = None
            if read is not None:
                top = max([self._partial_top, *(int(k) for k in self.tables[INTERACTIONS])])
                ops = self._partial_ops(read[0], top, self.tables)
            if ops is None or read is None:
                self._load_all(repair_tail=repair_tail)
                return None
            data, st = read
            applied = self._apply_partial(ops)
            self._journal_offset += len(data)
            self._journal_sig = Signature(st.st_ino, st.st_size, st.st_mtime_ns)
            return applied
        return self._replay_journal(repair_tail=repair_tail)

    def sync(self) -> list[Applied] | None:
        """Pick up other processes' writes; [] when nothing changed, None after a reload."""
        with self._locked(exclusive=False, wait=False) as got:
            if not got:
                return []  # a writer is busy; the next poll will see its work
            return self._catch_up(repair_tail=False)

    def pending_writes(self) -> int:
        """How many writes wait in the journal, not yet folded into the file."""
        if self._journal_stale:
            return 0
        with self._locked(exclusive=False):
            read = self._read_journal(self._journal_base)
        if read is None:
            return 0
        return read[0][: self._journal_offset - self._journal_base].count(b"\n")

    def read_only_message(self) -> str:
        return f"cannot save to {self.path}: {self.read_only_reason}. Nothing was changed"

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[list[Applied] | None]:
        """Hold the write lock with memory up to date; yields what others changed."""
        if self.read_only_reason is not None:
            raise StoreReadOnly(self.read_only_message())
        with self._locked(exclusive=True):
            try:
                caught_up = self._catch_up(repair_tail=True)
            except OSError as err:
                raise StoreWriteError(write_failure(self.journal_path, err)) from err
            yield caught_up

    # --- writing ------------------------------------------------------------

    def commit(self, ops: list[Op]) -> None:
        """Make `ops` (already applied in memory) durable. Call inside write_lock.

        On any failure the journal is cut back to where it was, memory is
        reloaded from disk, and StoreWriteError says what happened.
        """
        if not ops:
            return
        line = ops_line(ops)
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
            raise StoreWriteError(write_failure(self.journal_path, err)) from err
        self._journal_offset = before + len(line)
        self._journal_sig = Signature.of(self.journal_path)
        if self._journal_offset > COMPACT_BYTES:
            with contextlib.suppress(StoreWriteError):
                # The write is durable in the journal; a failed fold can wait.
                self.compact()

    def _undo_append(self, size: int) -> None:
        with contextlib.suppress(OSError), open(self.journal_path, "r+b") as f:
            f.truncate(size)
            os.fsync(f.fileno())
        self._load_all(repair_tail=True)

    def compact(self, *, force: bool = False) -> None:
        """Fold the journal into a new snapshot, atomically (always, with `force`).

        A read-only engine never folds: it has nothing of its own to fold, and the
        files it read may not be replaced."""
        if self.read_only_reason is not None:
            return
        with self._locked(exclusive=True):
            try:
                self._catch_up(repair_tail=True)
            except OSError as err:
                raise StoreWriteError(write_failure(self.journal_path, err)) from err
            if not force and self._journal_offset <= self._journal_base:
                return
            if self.partial:
                # Caught up under the lock: reading all gives what memory holds, whole.
                self._load_all(repair_tail=True)
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
                raise StoreWriteError(write_failure(self.path, err)) from err

    def _write_snapshot_file(self) -> None:
        if self.partial:
            raise AssertionError("a partly loaded database is never written whole")
        self.tables[META] = {"1": self._meta_doc()}
        data = orjson.dumps(self.tables)
        self._atomic_write(self.path, data)
        self._main_sig = Signature.of(self.path)

    def _reset_journal(self) -> None:
        header = header_line(self.generation, self.database_id)
        self._atomic_write(self.journal_path, header)
        self._journal_offset = self._journal_base = len(header)
        self._journal_sig = Signature.of(self.journal_path)

    def _atomic_write(self, target: Path, data: bytes, *, keep_mode: bool = True) -> None:
        """Temp file in the same folder, fsync, rename over, fsync the folder.

        The new file gets the mode of the one it replaces (`keep_mode`), else 0600: a
        fold must not loosen or tighten what the user set."""
        mode = 0o600
        if keep_mode:
            with contextlib.suppress(OSError):
                mode = stat.S_IMODE(os.stat(target).st_mode)
        tmp = target.with_name(f".{self.path.name}.tmp-{os.getpid()}-{target.name}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            try:
                if mode != 0o600:
                    os.fchmod(fd, mode)
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
        fsync_dir(target.parent)

    # --- schema and backups -----------------------------------------------------

    def _schema_version(self) -> int:
        version: int = self.tables.get(META, {}).get("1", {}).get("schema_version", 0)
        return version

    def _save_migration(self, version: int) -> None:
        """Write the migrated tables (already in memory), backing up the old file first.

        The old journal is copied beside the backup when it holds writes not yet folded
        into the file: the backup alone would lack them."""
        target = self.backup(label=f"before-migration-v{version}", fold=False)
        if self.journal_path.exists() and self._journal_offset > self._journal_base:
            self._atomic_write(
                target.with_name(target.name + ".journal"), self.journal_path.read_bytes()
            )
        self.generation += 1
        self._write_snapshot_file()
        self._reset_journal()

    def _daily_backup(self) -> None:
        """One backup a day, the newest seven kept; the snapshot is folded first."""
        if self.backup_set.path_for(_today()).exists():
            return
        try:
            self.compact()
            self.backup()
        except (OSError, StoreWriteError):
            pass  # a failed backup must not stop the user from working; doctor reports it

    def backup(self, label: str | None = None, *, fold: bool = True) -> Path:
        """Copy the snapshot into backups/ (0600) and drop this database's oldest daily ones.

        The journal is folded in first (`fold`), so the copy holds every saved write;
        a migration's backup (`fold=False`) copies the file as it was, journal beside."""
        if self.read_only_reason is not None:
            raise StoreReadOnly(self.read_only_message())
        if fold:
            self.compact()
        self.backup_dir.mkdir(mode=0o700, exist_ok=True)
        target = self.backup_set.path_for(_today(), label)
        self._atomic_write(target, self.path.read_bytes(), keep_mode=False)
        for old in self.backup_set.stale_daily():
            with contextlib.suppress(OSError):
                old.unlink()
        return target

    def backups(self) -> list[Path]:
        """This database's backups, newest first."""
        return self.backup_set.all()

    def restore_advice(self) -> str:
        """What to do about a file that cannot be used: its newest readable backup, and
        the command that restores it. Only this database's backups are named."""
        found = self.backup_set.all()
        usable = next((p for p in found if describe(p).problem is None), None)
        if usable is None:
            return f"No usable backup of it was found in {self.backup_dir}."
        command = f"netbalance --db {shell_quote(self.path)} restore"
        more = f" (`{command}` lists all {len(found)})" if len(found) > 1 else ""
        return f"Restore its newest backup with: {command} {shell_quote(usable)}{more}"

    # --- restoring a backup -------------------------------------------------------

    @classmethod
    def restore(
        cls, path: Path, tables: Tables, ops: FileOps | None = None
    ) -> tuple[Path | None, Path | None]:
        """Replace the database at `path` with `tables` (a backup already read, checked
        and migrated to SCHEMA_VERSION), atomically and under the write lock.

        Works on a damaged database too (that is when it is needed). What it replaces
        is kept first as a labelled backup: the data as netbalance reads it, journal
        included, when it can be read; otherwise the file's bytes as they are, with its
        journal moved beside them. Returns (kept copy of the file, kept journal).
        """
        engine = cls.__new__(cls)
        engine._setup(path, ops, None)
        reason = cannot_write_reason(engine.path, engine.journal_path)
        if reason is not None:
            raise StoreReadOnly(f"cannot restore into {engine.path}: {reason}. Nothing was changed")
        try:
            engine.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with engine._locked(exclusive=True):
                return engine._replace_with(tables)
        except OSError as err:
            raise StoreWriteError(write_failure(engine.path, err)) from err

    def _replace_with(self, tables: Tables) -> tuple[Path | None, Path | None]:
        self._clean_stale_temp_files()
        label = f"before-restore-{_now():%H%M%S}"
        keep = self.backup_set.path_for(_today(), label)
        n = 1
        while keep.exists() or keep.with_name(keep.name + ".journal").exists():
            n += 1  # two restores in one second: never write over the first one's copy
            keep = self.backup_set.path_for(_today(), f"{label}-{n}")
        kept_file: Path | None = None
        kept_journal: Path | None = None
        try:
            self._load_all(repair_tail=False)
            readable = True
        except StoreError:
            readable = False
            self.generation, self.database_id = _peek_meta(self.path)
        self.backup_dir.mkdir(mode=0o700, exist_ok=True)
        if readable:
            # The file's own _meta is kept: the copy is that file, with its journal folded in.
            self._atomic_write(keep, orjson.dumps(self.tables), keep_mode=False)
            kept_file = keep
        else:
            if self.path.is_file():
                self._atomic_write(keep, self.path.read_bytes(), keep_mode=False)
                kept_file = keep
            if self.journal_path.exists():
                # Moved, not copied: a journal that is not this file's must not stay beside
                # the restored file (a crash before the new journal would leave it there).
                kept_journal = keep.with_name(keep.name + ".journal")
                self.ops.replace(self.journal_path, kept_journal)
                fsync_dir(self.backup_dir)
                fsync_dir(self.path.parent)
        self.generation += 1
        self.database_id = self.database_id or new_database_id()
        self.tables = tables
        self._write_snapshot_file()
        self._reset_journal()
        return kept_file, kept_journal

    def close(self, *, quick: bool = False) -> None:
        """Fold the journal so the JSON file alone holds everything.

        `quick` folds only a journal past CLOSE_COMPACT_BYTES: for the command line,
        which closes after every write. Each write is durable in the journal already;
        folding is housekeeping, done by size (here and in `commit`) and before the
        day's backup."""
        if quick and self._journal_offset - self._journal_base <= CLOSE_COMPACT_BYTES:
            return
        with contextlib.suppress(StoreError, OSError):
            self.compact()


def new_database_id() -> str:
    """A fresh id for a database file (random: two databases never share one)."""
    import uuid  # here: ~2 ms to import, and only a new or legacy file needs an id

    return uuid.uuid4().hex


def _peek_meta(path: Path) -> tuple[int, str | None]:
    """A damaged file's generation and id when they can still be read; else (0, None)."""
    try:
        meta = orjson.loads(path.read_bytes())[META]["1"]
        generation, database_id = meta.get("generation"), meta.get("database_id")
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        return 0, None
    return (
        generation if type(generation) is int and generation >= 0 else 0,
        database_id if isinstance(database_id, str) and database_id else None,
    )

"""The sync state, kept beside the database file rather than inside it.

`netbalance sync` remembers every item it keeps in step (domain.sync.SyncEntry): at
5,000 contacts and 50,000 interactions that is 55,000 entries, each with the record as
last synced, twice the size of the records themselves. Inside the JSON file every
command and the app would parse it on every open (a synced medium network's `due` went
from 0.6 to 1.4 s, its memory from 97 to 249 MB). So the entries live in a file of
their own, `<db>.sync-<generation>`, read only by a sync, and the database holds one
small document naming the generation that is current.

One sync's state and its record changes still commit together: the new generation's
file is written whole (temp file, fsync, rename) before the transaction that names it
commits. Killed before that commit, the database still names the previous generation,
whose file is still there; the new file is left over and overwritten by the next
sync. The previous generation's file is kept after a commit (an undo of the sync's
change names it again); older ones are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from netbalance.domain.sync import KINDS, SyncEntry
from netbalance.store.files import fsync_dir

# The database's one document saying which generation is current.
GENERATION = "generation"
# ... and, beside it, marks of what both sides were when the last sync finished.
TABLES_MARK = "tables"
MARKS = "marks"
# The tables a sync reads (records, and the settings the follow-ups due depend on).
SYNCED_TABLES = ("contacts", "interactions", "events", "goals", "settings")


def tables_mark(tables: Mapping[str, Mapping[str, Any]]) -> str:
    """A digest of the tables a sync reads: equal marks, no record changed.

    One serialization of the tables (tens of milliseconds at 55,000 records) lets a sync
    that finds both sides as it left them stop before reading its state at all.
    """
    digest = hashlib.blake2b(digest_size=16)
    for name in SYNCED_TABLES:
        digest.update(orjson.dumps(tables.get(name, {})))
    return digest.hexdigest()


class SyncStateDamaged(Exception):
    """The state file the database names is missing or cannot be read."""


class StoredDoc(Mapping[str, Any]):
    """A base document as the state file keeps it: its JSON text, decoded when first read.

    A sync compares 55,000 records with their bases and reads few of them: `same_as`
    compares a stored document's JSON with this text, no decoding (the codec writes a
    record's fields in one order, so the same record gives the same text; a different
    order only makes a record look changed, which costs a rewrite, never data).
    """

    __slots__ = ("_doc", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._doc: dict[str, Any] | None = None

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> StoredDoc:
        if isinstance(doc, StoredDoc):
            return doc
        return cls(orjson.dumps(dict(doc)).decode())

    def _decoded(self) -> dict[str, Any]:
        if self._doc is None:
            self._doc = orjson.loads(self.text)
        return self._doc

    def same_as(self, doc: Mapping[str, Any]) -> bool:
        """Whether `doc` (a stored record's document) is this one."""
        if isinstance(doc, StoredDoc):
            return doc.text == self.text
        return orjson.dumps(doc).decode() == self.text

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return 0 if self.text == "{}" else len(self._decoded())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.same_as(other) or self._decoded() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StoredDoc({self.text})"


def same_doc(base: Mapping[str, Any], doc: Mapping[str, Any]) -> bool:
    """Whether a sync entry's base is the stored document `doc` (fast for a StoredDoc)."""
    if isinstance(base, StoredDoc):
        return base.same_as(doc) or base == doc
    return base == doc


def entry_to_row(e: SyncEntry) -> list[Any]:
    base = StoredDoc.of(e.base).text
    return [e.id, e.kind, e.uid, e.file, e.digest, e.size, e.mtime_ns, base]


def entry_from_row(row: list[Any]) -> SyncEntry:
    entry_id, kind, uid, file, digest, size, mtime, base = row
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one the sync keeps")
    if not isinstance(base, str):
        raise TypeError("base is not JSON text")
    return SyncEntry(kind, uid, file, digest, size, mtime, StoredDoc(base), entry_id)


class SyncStateFiles:
    """The generations' files of one database (or, for a store without a file, memory)."""

    def __init__(self, db_path: Path | None) -> None:
        self.db_path = db_path
        self._lock = threading.Lock()
        # The last generation read or written, decoded: a sync reads the state it wrote.
        self._cached: tuple[int, dict[int, SyncEntry]] | None = None
        self._memory: dict[int, dict[int, SyncEntry]] = {}
        # The rows the cached entries were read from, by the entry objects' ids.
        self._rows: dict[int, list[Any]] = {}

    def path_of(self, generation: int) -> Path:
        assert self.db_path is not None
        return self.db_path.with_name(f"{self.db_path.name}.sync-{generation}")

    def load(self, generation: int) -> Mapping[int, SyncEntry]:
        """The entries of `generation`, by id (read-only: callers copy to change)."""
        with self._lock:
            if self._cached is not None and self._cached[0] == generation:
                return self._cached[1]
            if self.db_path is None:
                entries = self._memory.get(generation, {})
            else:
                path = self.path_of(generation)
                try:
                    rows = orjson.loads(path.read_bytes())
                    entries = {e.id: e for e in map(entry_from_row, rows)}
                    # Rows of entries a sync leaves as they are are written back as read.
                    self._rows = {id(e): row for e, row in zip(entries.values(), rows, strict=True)}
                except FileNotFoundError as err:
                    raise SyncStateDamaged(
                        f"the sync state {path.name} the database names is missing"
                    ) from err
                except (OSError, ValueError, TypeError) as err:
                    raise SyncStateDamaged(
                        f"the sync state {path.name} cannot be read ({err})"
                    ) from err
            self._cached = (generation, entries)
            return entries

    def save(self, generation: int, entries: Mapping[int, SyncEntry]) -> None:
        """Write `generation` whole and durably (before the database names it)."""
        with self._lock:
            if self.db_path is None:
                self._memory[generation] = dict(entries)
            else:
                rows = self._rows
                data = orjson.dumps([rows.get(id(e)) or entry_to_row(e) for e in entries.values()])
                _write_durably(self.path_of(generation), data)
                self._rows = {}
            self._cached = (generation, dict(entries))

    def prune(self, current: int) -> None:
        """Remove the files of generations older than the one before `current`."""
        if self.db_path is None:
            for gen in [g for g in self._memory if g < current - 1]:
                del self._memory[gen]
            return
        prefix = f"{self.db_path.name}.sync-"
        for path in _siblings(self.db_path, prefix):
            suffix = path.name[len(prefix) :]
            if suffix.isdigit() and int(suffix) < current - 1:
                with contextlib.suppress(OSError):
                    path.unlink()


def _siblings(db_path: Path, prefix: str) -> Iterable[Path]:
    try:
        with os.scandir(db_path.parent) as found:
            return [Path(e.path) for e in found if e.name.startswith(prefix)]
    except OSError:
        return []


def _write_durably(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)

"""The sync state, kept beside the database file rather than inside it.

`netbalance sync` remembers every item it keeps in step (domain.sync.SyncEntry): at
5,000 contacts and 50,000 interactions that is 55,000 entries, each with the record as
last synced, twice the size of the records themselves. Inside the JSON file every
command and the app would parse it on every open (a synced medium network's `due` went
from 0.6 to 1.4 s, its memory from 97 to 249 MB). So the entries live in a file of
their own, `<db>.sync-<generation>`, read only by a sync, and the database holds one
small document naming the generation that is current.

The entries are kept in BUCKETS parts by their uid (`bucket_of`; a follow-up's with its
contact's), one file each, `<db>.sync-<generation>.<bucket>`: a sync rewrites only the
parts whose entries changed, and one that knows which buckets of records changed (the
marks by bucket, `bucket_marks`) reads only those parts. The meta document names each
part's generation.

One sync's state and its record changes still commit together: the new generation's
part files are written (temp file, fsync, rename) before the transaction that names
them commits. Killed before that commit, the database still names the previous parts,
whose files are still there; the new files are left over and overwritten by the next
sync. The parts the previous meta document named are kept after a commit (an undo of
the sync's change names them again); others are removed. A database whose meta names
one whole file (`<db>.sync-<generation>`, as before the parts) is read from it, and its
next sync writes every part.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from netbalance.domain.sync import KINDS, SyncEntry
from netbalance.files import write_file
from netbalance.store.files import fsync_dir

# The database's one document saying which generation is current.
GENERATION = "generation"
# ... the generation of each part's file (absent: one whole file, as before parts) ...
PARTS = "parts"
# ... the next free entry id (a sync reading some parts cannot count them) ...
NEXT_ID = "next_id"
# ... and, beside it, marks of what both sides were when the last sync finished.
TABLES_MARK = "tables"
BUCKET_MARKS = "buckets"
MARKS = "marks"
# The tables a sync reads (records, and the settings the follow-ups due depend on).
RECORD_TABLES = ("contacts", "interactions", "events", "goals")
SYNCED_TABLES = (*RECORD_TABLES, "settings")
# The parts of the state and of the tables' marks.
BUCKETS = 64
# A sync writing at most this many parts fsyncs each; more, one os.sync() for all.
FSYNC_EACH_UP_TO = 8
# Marks of what no bucket holds: the settings, and records without a uid.
SETTINGS_MARK = "settings"
NO_UID_MARK = "no-uid"
_FOLLOWUP_PREFIX = "followup-"
_FOLLOWUP_SUFFIX = "@netbalance.local"
_URN_UUID = "urn:uuid:"


@functools.lru_cache(maxsize=1 << 18)
def bucket_of(uid: str) -> int:
    """The bucket of an item's uid (compared as domain.identity.uid_key compares them); a
    follow-up to-do's is its contact's, as its due day moves with the contact's records."""
    if uid.startswith(_FOLLOWUP_PREFIX) and uid.endswith(_FOLLOWUP_SUFFIX):
        uid = uid[len(_FOLLOWUP_PREFIX) : -len(_FOLLOWUP_SUFFIX)]
    # Coarser than uid_key (all text lower-cased), so uids it takes for one are in one
    # bucket; cheaper, as every sync puts the 55,000 records in their buckets.
    text = uid.strip().lower()
    if text.startswith(_URN_UUID):
        text = text[len(_URN_UUID) :].strip()
    return zlib.crc32(text.encode()) % BUCKETS


def bucket_marks(tables: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """A digest of the records of each bucket (by uid), of the records without a uid and
    of the settings: equal marks, no record of that bucket changed."""
    groups: list[list[Any]] = [[] for _ in range(BUCKETS)]
    no_uid: list[Any] = []
    for name in RECORD_TABLES:
        for key, doc in tables.get(name, {}).items():
            uid = doc.get("uid")
            (groups[bucket_of(uid)] if uid else no_uid).append((name, key, doc))
    marks = {str(b): _digest(orjson.dumps(group)) for b, group in enumerate(groups)}
    marks[NO_UID_MARK] = _digest(orjson.dumps(no_uid))
    marks[SETTINGS_MARK] = _digest(orjson.dumps(tables.get("settings", {})))
    return marks


def tables_mark(tables: Mapping[str, Mapping[str, Any]]) -> str:
    """A digest of the tables a sync reads: equal marks, no record changed.

    One serialization of the tables (tens of milliseconds at 55,000 records) lets a sync
    that finds both sides as it left them stop before reading its state at all; the
    marks by bucket (five times that) are made only when this one differs.
    """
    digest = hashlib.blake2b(digest_size=16)
    for name in SYNCED_TABLES:
        digest.update(orjson.dumps(tables.get(name, {})))
    return digest.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
        # The rows the cached entries were read from, by the entry objects' ids (with
        # the entry, so that an id reused by another object is never taken for it).
        self._rows: dict[int, tuple[SyncEntry, list[Any]]] = {}
        # Parts read or written, by (bucket, generation).
        self._parts: dict[tuple[int, int], dict[int, SyncEntry]] = {}
        self._memory_parts: dict[tuple[int, int], dict[int, SyncEntry]] = {}

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
                    for e, row in zip(entries.values(), rows, strict=True):
                        self._rows[id(e)] = (e, row)
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

    def _row(self, e: SyncEntry) -> list[Any]:
        """An entry's row: as read, for an entry a sync left as it was."""
        found = self._rows.get(id(e))
        return found[1] if found is not None and found[0] is e else entry_to_row(e)

    def part_path(self, generation: int, bucket: int) -> Path:
        assert self.db_path is not None
        return self.db_path.with_name(f"{self.db_path.name}.sync-{generation}.{bucket}")

    def load_parts(self, parts: Mapping[int, int]) -> dict[int, SyncEntry]:
        """The entries of the parts named (bucket -> generation), by id, in one dict."""
        out: dict[int, SyncEntry] = {}
        with self._lock:
            for bucket, generation in parts.items():
                out.update(self._part(bucket, generation))
        return out

    def _part(self, bucket: int, generation: int) -> dict[int, SyncEntry]:
        key = (bucket, generation)
        found = self._parts.get(key)
        if found is not None:
            return found
        if self.db_path is None:
            entries = dict(self._memory_parts.get(key, {}))
        else:
            path = self.part_path(generation, bucket)
            try:
                rows = orjson.loads(path.read_bytes())
                entries = {e.id: e for e in map(entry_from_row, rows)}
                for e, row in zip(entries.values(), rows, strict=True):
                    self._rows[id(e)] = (e, row)
            except FileNotFoundError as err:
                raise SyncStateDamaged(
                    f"the sync state {path.name} the database names is missing"
                ) from err
            except (OSError, ValueError, TypeError) as err:
                why = f"the sync state {path.name} cannot be read ({err})"
                raise SyncStateDamaged(why) from err
        self._parts[key] = entries
        return entries

    def save(self, generation: int, parts: Mapping[int, Mapping[int, SyncEntry]]) -> None:
        """Write the parts given (bucket -> its entries) as `generation`'s, durably
        (before the database names them)."""
        # Few parts (a sync after a few changes) are fsynced one by one; many (a first
        # sync), at once by os.sync(): 64 fsyncs take seconds when others are writing.
        each = len(parts) <= FSYNC_EACH_UP_TO
        with self._lock:
            for bucket, entries in parts.items():
                if self.db_path is None:
                    self._memory_parts[(bucket, generation)] = dict(entries)
                else:
                    data = orjson.dumps([self._row(e) for e in entries.values()])
                    path = self.part_path(generation, bucket)
                    write_file(path, data, sync_folder=False, sync_data=each)
                self._parts[(bucket, generation)] = dict(entries)
            if self.db_path is not None and parts:
                if not each:
                    os.sync()
                fsync_dir(self.db_path.parent)

    def prune_parts(self, keep: Iterable[tuple[int, int]], current: int) -> None:
        """Remove the part files (bucket, generation) not in `keep`, and whole-state files
        older than the one before `current`."""
        kept = set(keep)
        with self._lock:
            self._parts = {k: v for k, v in self._parts.items() if k in kept}
            self._cached = None
            alive = {id(e) for part in self._parts.values() for e in part.values()}
            self._rows = {k: v for k, v in self._rows.items() if k in alive}
        if self.db_path is None:
            for key in [k for k in self._memory_parts if k not in kept]:
                del self._memory_parts[key]
            self.prune(current)
            return
        prefix = f"{self.db_path.name}.sync-"
        for path in _siblings(self.db_path, prefix):
            generation, _, bucket = path.name[len(prefix) :].partition(".")
            named = generation.isdigit() and bucket.isdigit()
            if named and (int(bucket), int(generation)) not in kept:
                with contextlib.suppress(OSError):
                    path.unlink()
        self.prune(current)

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

"""The Store: the one object the app and the command line read and write through.

It holds the engine (file or memory), TinyDB over the engine's tables, and
in-memory indexes so common reads never scan: contacts by id, interaction ids
per contact, and the last interaction time per contact. Interactions stay raw
documents until asked for (decoding all 50,000 costs ~110 ms; most screens need
a few), and are cached once decoded.

Every write is one transaction: take the file lock, catch up with other
processes, change memory through TinyDB, append the changed documents to the
journal durably, then update the indexes. A failed write leaves memory as the
disk is and raises StoreWriteError. A write that changes nothing writes nothing.

Writes say what they change, never "save the record as I saw it":

- `edit_contact(id, changes, *, base=None)`, `edit_event(...)`, `edit_goal(...)`,
  `edit_interaction(...)`:
  `changes` maps field names to new values (`base.changed_fields(edited)` gives
  them for a form). They are validated and applied under the lock to the record
  as it is then, so other fields keep what other processes wrote. With `base`
  (the record as the form first showed it), a named field whose value changed
  since, to something other than the new value, raises StoreConflict and nothing
  is written: "Kim Lost was changed elsewhere: snoozed until 16 Dec 2026."
  Invalid values raise DomainError; a missing record DomainError (StoreConflict
  with `base`: it was removed elsewhere).
- `edit_contacts(changes_by_id, description, bases=)` is `edit_contact` for many
  contacts in one transaction (bulk moves, tags, snoozes, archives): all or nothing,
  one `last_change`.
- Operations read the record inside the transaction: `snooze`, `archive_contact`,
  `set_event_status`, `log_interaction` (which ends a snooze), the "who I met"
  link of `import_batch`.
- `update_contact/update_event/update_goal` replace a record whole. They are the
  old API, kept until every caller has moved to `edit_*`.

Every write leaves `last_change`, a `Change` (see changes.py): per record, the
stored fields it set with their values before and after, or the whole record it
added or removed. `undo(change)` is the inverse change, one all-or-nothing
transaction: the fields go back to their old values in the records as they are
now, added records go, removed ones come back. It raises StoreConflict ("...
Nothing was undone.") when another process changed one of those fields since,
changed or started using a record the change added, or when undoing would leave a
link pointing at nothing. Undoing an undo redoes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import itertools
import operator
import threading
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from netbalance.domain import (
    Contact,
    DomainError,
    Event,
    EventStatus,
    Goal,
    Interaction,
    Settings,
    WeeklySnapshot,
)
from netbalance.domain.duplicates import apart_key
from netbalance.domain.identity import new_uid, uid_key
from netbalance.domain.merge import (
    MergePlan,
    Side,
    absorb,
    plan_merge,
    relink_event,
    relink_interaction,
)
from netbalance.domain.model import Touch
from netbalance.domain.rules import after_logging
from netbalance.domain.sync import LINKS, SyncEntry, SyncWrite
from netbalance.store import codec, index, wording
from netbalance.store.changes import Change, UndoStep, change_of, undo_step
from netbalance.store.codec import APART as APART
from netbalance.store.codec import CONTACTS as CONTACTS
from netbalance.store.codec import EVENTS as EVENTS
from netbalance.store.codec import GOALS as GOALS
from netbalance.store.codec import INTERACTIONS as INTERACTIONS
from netbalance.store.codec import SETTINGS as SETTINGS
from netbalance.store.codec import SNAPSHOTS as SNAPSHOTS
from netbalance.store.codec import SYNC as SYNC
from netbalance.store.digests import Digests
from netbalance.store.digests import encode as digests_encode
from netbalance.store.engine import META, Applied, FileEngine, MemoryEngine, Op, Tables
from netbalance.store.errors import StoreConflict, StoreDamaged, StoreError
from netbalance.store.migrations import UID_TABLES
from netbalance.store.sync_state import (
    BUCKET_MARKS,
    BUCKETS,
    GENERATION,
    MARKS,
    NEXT_ID,
    PARTS,
    TABLES_MARK,
    SyncStateDamaged,
    SyncStateFiles,
    bucket_marks,
    bucket_of,
    tables_mark,
)
from netbalance.store.tinydb_glue import Database, DocTable, EngineStorage

T = TypeVar("T")

# Table names live in the codec; imported "as" themselves above because the doctor
# imports them from here.
TABLES = (CONTACTS, INTERACTIONS, EVENTS, GOALS, SETTINGS, SNAPSHOTS, APART, SYNC)
_TABLE_OF_KIND = {"contact": CONTACTS, "event": EVENTS, "goal": GOALS, "interaction": INTERACTIONS}


# What the health model reads of every interaction (store/digests.py): from the index
# file and the changes since; None: derived from the documents when asked for (an open
# that reads the file whole, as `netbalance due` may, does not pay for it).
_Digests = Digests | None
# Contacts by id; interaction ids per contact; per contact the time (fixed-format text),
# the id and the next step's date (text, when it set one) of its last interaction; the
# highest interaction id; the digests.
_Indexes = tuple[
    dict[int, Contact],
    dict[int, list[int]],
    dict[int, str],
    dict[int, int],
    dict[int, str],
    int,
    _Digests,
]
# What the index file holds for the store (engine.index_payload): the tables but the
# interactions, and the indexes above but the decoded contacts (the digests as bytes:
# an open reads them only when the health model is built, in the app's worker thread).
_Payload = tuple[
    Tables, dict[int, list[int]], dict[int, str], dict[int, int], dict[int, str], int, bytes
]


class StoreNotEmpty(StoreError):
    """A full restore was asked of a database that already holds data. Nothing was written."""


# Objects tracked by the cyclic collector past which a bulk load freezes them (see below).
FREEZE_AFTER_OBJECTS = 100_000


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole file is parsed and indexed.

    Hundreds of thousands of new dicts and lists trigger it again and again (a
    quarter of the time to open 5k/50k); none of them form cycles. Once they are
    loaded, a big heap is frozen (`gc.freeze`): otherwise the first collection after
    the pause walks all of them (half a second at 20k/200k), and every full collection
    after it again. Frozen objects are still freed when no longer referenced; only a
    cycle among them would stay, and parsed documents and records form none. Small
    heaps (tests, small files) are left to the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > FREEZE_AFTER_OBJECTS:
            gc.freeze()
        if was_enabled:
            gc.enable()


# Interactions in time order (same second: the one logged first), as a C-level key.
_BY_TIME = operator.attrgetter("at", "id")


class _Invalid(Exception):
    """A stored record that cannot be decoded; the message says which and why."""


def _build_indexes(tables: Tables) -> _Indexes:
    """Decode contacts and index interactions; check the other records decode too."""
    contacts: dict[int, Contact] = {}
    ids: dict[int, list[int]] = {}
    last: dict[int, str] = {}
    last_id: dict[int, int] = {}
    top = 0
    table, key = CONTACTS, ""
    try:
        for key, doc in tables.get(CONTACTS, {}).items():
            contacts[int(key)] = codec.contact_from_doc(int(key), doc)
        table = INTERACTIONS
        # The hottest loop of opening a file (50,000 times at 5k/50k): names bound
        # locally and exact type checks, which keeps `netbalance due` fast.
        to_time, ids_get = datetime.fromisoformat, ids.get
        for key, doc in tables.get(INTERACTIONS, {}).items():
            doc_id = int(key)
            if doc_id > top:
                top = doc_id
            at = doc["at"]
            if at.__class__ is not str:
                raise TypeError("at is not text")
            to_time(at)
            for cid in doc["contacts"]:
                if cid.__class__ is not int:
                    raise TypeError(f"contact id {cid!r} is not a number")
                bucket = ids_get(cid)
                if bucket is None:
                    ids[cid] = [doc_id]
                    last[cid] = at
                    last_id[cid] = doc_id
                else:
                    bucket.append(doc_id)
                    newest = last[cid]
                    # Same second: the later-logged (higher id) one is the last.
                    if at > newest or (at == newest and doc_id > last_id[cid]):
                        last[cid] = at
                        last_id[cid] = doc_id
        for table, decode in (
            (EVENTS, codec.event_from_doc),
            (GOALS, codec.goal_from_doc),
            (SNAPSHOTS, codec.snapshot_from_doc),
            (APART, lambda _key, doc: codec.apart_from_doc(doc)),
        ):
            for key, doc in tables.get(table, {}).items():
                decode(int(key), doc)
        table = SETTINGS
        for key in tables.get(SETTINGS, {}):
            codec.settings_from_doc(tables[SETTINGS][key])
    except KeyError as err:
        raise _Invalid(f"record {key} in {table!r} has no {err.args[0]!r}") from err
    except (TypeError, ValueError, AttributeError, DomainError) as err:
        raise _Invalid(f"record {key} in {table!r} is not valid ({err})") from err
    raw = tables.get(INTERACTIONS, {})
    next_on: dict[int, str] = {}
    for cid, iid in last_id.items():
        text = raw[str(iid)].get("next_step_on")
        if text:
            next_on[cid] = text
    return contacts, ids, last, last_id, next_on, top, None


def _from_payload(payload: _Payload) -> _Indexes:
    """The store's indexes from the index file's payload (the file was checked when the
    index was built from it): only the contacts are decoded."""
    tables, ids, last, last_id, next_on, top, digests = payload
    if not isinstance(digests, bytes):
        raise TypeError("the index holds no digests")
    contacts = {int(k): codec.contact_from_doc(int(k), d) for k, d in tables[CONTACTS].items()}
    return contacts, ids, last, last_id, next_on, top, Digests(digests)


# Decoders that validate, for documents an undo puts together from two writers' fields.
_CHECKED: dict[str, Callable[[int, dict[str, Any]], object]] = {
    CONTACTS: codec.validate_contact_doc,
    INTERACTIONS: codec.validate_interaction_doc,
    EVENTS: codec.validate_event_doc,
    GOALS: codec.validate_goal_doc,
    SNAPSHOTS: codec.snapshot_from_doc,
    SETTINGS: lambda _id, doc: codec.settings_from_doc(doc),
    APART: lambda _id, doc: codec.apart_from_doc(doc),
    SYNC: lambda _id, doc: (
        int(doc[GENERATION]) if GENERATION in doc else codec.sync_entry_from_doc(_id, doc)
    ),
}


_R = TypeVar("_R", Contact, Interaction, Event, Goal)


def _absorbed(cards: Sequence[Contact], current: Contact) -> dict[str, object]:
    """The fields that incoming cards of one person add to `current` (an import's merge)."""
    merged = current
    for card in cards:
        merged = absorb(merged, card)
    return current.changed_fields(merged)


def _with_uid(record: _R) -> _R:
    """The record with a fresh uid when it has none (a record made here, not imported)."""
    return record if record.uid else record.edit(uid=new_uid())


# The records field-level edits apply to.
R = TypeVar("R", Contact, Event, Goal, Interaction)
# What `edit_contacts` does to one contact: fields to values, or a function of it as it is.
ContactChanges = Mapping[str, object] | Callable[[Contact], Mapping[str, object]]
_NOUNS = {CONTACTS: "contact", EVENTS: "event", GOALS: "goal", INTERACTIONS: "interaction"}
_ENCODE: dict[str, Callable[[Any], dict[str, Any]]] = {
    CONTACTS: codec.contact_to_doc,
    EVENTS: codec.event_to_doc,
    GOALS: codec.goal_to_doc,
    INTERACTIONS: codec.interaction_to_doc,
}


def _title(record: Contact | Event | Goal | Interaction) -> str:
    if isinstance(record, Interaction):
        # "The interaction of 2 Mar 2026": how the user knows one without a name.
        return wording.subject(INTERACTIONS, codec.interaction_to_doc(record))
    return record.name if isinstance(record, Contact) else record.title


def _conflict_message(step: UndoStep) -> str:
    """Why one record's part of a change cannot be undone, in the product's words."""
    record, expected, current = step.record, step.expected or {}, step.current
    table = record.table
    name = wording.subject(table, expected if expected else current)
    if current is None:
        return wording.removed_elsewhere(table, name)
    if record.after is None:
        return f"{name} cannot come back: another record has taken its place."
    return wording.changed_elsewhere(
        table, name, wording.differences(table, record.doc_id, expected, current)
    )


class _Tx:
    """One transaction's edits, through TinyDB, remembering the previous documents."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.before: dict[tuple[str, int], dict[str, Any] | None] = {}

    def _remember(self, table: str, doc_id: int) -> None:
        key = (table, doc_id)
        if key not in self.before:
            old = self.store._held(table).get(str(doc_id))
            self.before[key] = dict(old) if old is not None else None

    def insert(self, table: str, doc: dict[str, Any]) -> int:
        """Add a document; a contact, interaction, event or goal without a uid gets one."""
        if table in UID_TABLES and not doc.get("uid"):
            doc = {**doc, "uid": new_uid()}
        t = self.store._table(table)
        if table == INTERACTIONS and self.store.engine.partial:
            # Opened from the index: the ids in use are known without the table.
            t.start_ids_at(self.store._ix_top + 1)
        doc_id: int = t.insert(doc)
        self.before.setdefault((table, doc_id), None)
        return doc_id

    def put(self, table: str, doc_id: int, doc: dict[str, Any]) -> None:
        """Replace (or create) a document; one written without a uid keeps the stored one."""
        if table in UID_TABLES and not doc.get("uid"):
            current = self.store._held(table).get(str(doc_id))
            doc = {**doc, "uid": (current or {}).get("uid") or new_uid()}
        self._remember(table, doc_id)
        t = self.store._table(table)
        if str(doc_id) in self.store._held(table):

            def replace(current: MutableMapping[Any, Any]) -> None:
                current.clear()
                current.update(doc)

            t.update(replace, doc_ids=[doc_id])
        else:
            from tinydb.table import Document

            t.insert(Document(doc, doc_id=doc_id))

    def delete(self, table: str, doc_id: int) -> None:
        self._remember(table, doc_id)
        self.store._table(table).remove(doc_ids=[doc_id])

    def changed(self) -> list[Applied]:
        """The documents this transaction really changed (a put of the same document is none)."""
        out: list[Applied] = []
        for (table, doc_id), old in self.before.items():
            new = self.store._held(table).get(str(doc_id))
            if new != old:
                out.append((table, str(doc_id), old, new))
        return out

    def rollback(self) -> None:
        for (table, doc_id), old in self.before.items():
            raw = self.store._held(table)
            if old is None:
                raw.pop(str(doc_id), None)
            else:
                raw[str(doc_id)] = old
        for t in self.store._db.tables_map().values():
            t.forget_next_id()


class Store:
    """Contacts, interactions, events, goals and settings, durable and indexed."""

    def __init__(
        self, engine: FileEngine | MemoryEngine, *, _built: _Indexes | None = None
    ) -> None:
        self.engine = engine
        self._mutex = threading.RLock()
        self._db = Database(storage=EngineStorage, tables_of=lambda: self.engine.tables)
        self.revision = 0
        self.last_change: Change | None = None
        # Told of every change this process writes (the app's undo history), on the
        # thread that wrote it, after it is on disk.
        self.on_change: Callable[[Change], None] | None = None
        self._contacts: dict[int, Contact] = {}
        self._ix_ids: dict[int, list[int]] = {}
        self._ix_last: dict[int, str] = {}
        self._ix_last_id: dict[int, int] = {}
        self._ix_next: dict[int, str] = {}
        self._ix_top = 0
        self._digests: _Digests = None
        self._cache: dict[int, Interaction] = {}
        self._events: dict[int, Event] | None = None
        self._goals: dict[int, Goal] | None = None
        self._settings: Settings | None = None
        # Contact ids by uid and alias (as compared), built when first asked for.
        self._uids: dict[str, int] | None = None
        self._rebuild(_built)

    # --- opening and closing ---------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (or create) the database file at `path`."""
        built: list[_Indexes] = []

        def check(tables: Tables) -> str | None:
            # Decoded once, under the engine's open lock and before it writes anything.
            try:
                built.append(_build_indexes(tables))
            except _Invalid as err:
                return str(err)
            return None

        with _gc_paused():
            engine = FileEngine(Path(path), validate=check)
            payload, engine.index_payload = engine.index_payload, None
            if payload is not None:
                try:
                    store = cls(engine, _built=_from_payload(payload))
                    # Writes appended to the journal since the index was made: checked
                    # as an open checks every record, then indexed.
                    for table, key, _old, new in engine.index_tail:
                        if new is not None and table in _CHECKED:
                            _CHECKED[table](int(key), new)
                    store._absorb(engine.index_tail, ours=True)
                    engine.index_tail = []
                    return store
                except (KeyError, TypeError, ValueError, AttributeError, DomainError):
                    # An index that does not decode is no index: read the file itself, and
                    # judge it as an open does (a record that does not decode: StoreDamaged).
                    index.remove(engine.index_path)
                    engine.load_full()
                    return cls(engine)
            return cls(engine, _built=built[-1])

    @classmethod
    def in_memory(cls) -> Store:
        """A store with no file, for tests and previews."""
        return cls(MemoryEngine())

    @property
    def path(self) -> Path | None:
        return self.engine.path

    def close(self, *, quick: bool = False) -> None:
        """Fold the journal into the JSON file (with `quick`, only once it has grown: see
        FileEngine.close) and leave an index of the files as they are for the next open
        to start from (see index.py)."""
        with self._mutex:
            self.engine.close(quick=quick)
            if isinstance(self.engine, FileEngine):
                with contextlib.suppress(StoreError, OSError):
                    self.engine.write_index(self._payload, self._ix_top)

    def _payload(self) -> _Payload:
        tables = {k: v for k, v in self.engine.tables.items() if k != INTERACTIONS}
        digests = self._digests
        if digests is not None and not digests.added and not digests.removed:
            blob = digests.blob  # as the index holds it
        else:
            blob = digests_encode(self._digest_rows())
        return (
            tables,
            self._ix_ids,
            self._ix_last,
            self._ix_last_id,
            self._ix_next,
            self._ix_top,
            blob,
        )

    def _load_rest(self) -> None:
        """Read the interactions too, after an open from the index (see FileEngine.partial).

        Only between transactions. When the files changed meanwhile, everything is read
        again, as after any reload."""
        with self._mutex:
            if not self.engine.partial:
                return
            with _gc_paused():
                changed = self.engine.load_full()
                if changed:
                    self._rebuild()
            if changed:
                self.revision += 1

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- raw access (this module only) -------------------------------------------

    def _raw(self, table: str) -> dict[str, dict[str, Any]]:
        if table == INTERACTIONS and self.engine.partial:
            self._load_rest()
        return self.engine.tables.setdefault(table, {})

    def _held(self, table: str) -> dict[str, dict[str, Any]]:
        """A table as memory holds it, never read from disk here: a transaction's view
        (its transaction read what it needs first; see `_transact`)."""
        return self.engine.tables.setdefault(table, {})

    def _table(self, name: str) -> DocTable:
        table = self._db.table(name, cache_size=0)
        assert isinstance(table, DocTable)
        return table

    # --- indexes -----------------------------------------------------------------

    def _rebuild(self, built: _Indexes | None = None) -> None:
        """Decode contacts and index interactions from the raw tables."""
        for t in self._db.tables_map().values():
            t.forget_next_id()
        if built is None:
            try:
                built = _build_indexes(self.engine.tables)
            except _Invalid as err:
                where = self.path or "the database"
                raise StoreDamaged(
                    f"{where}: {err}; the file was left untouched. "
                    f"Run `netbalance doctor` for details"
                ) from err
        (
            self._contacts,
            self._ix_ids,
            self._ix_last,
            self._ix_last_id,
            self._ix_next,
            self._ix_top,
            self._digests,
        ) = built
        self._cache = {}
        self._events = self._goals = None
        self._settings = None
        self._uids = None

    def _absorb(self, applied: list[Applied] | None, *, ours: bool = False) -> None:
        """Update the indexes for changed documents; None means everything changed."""
        if applied is None:
            with _gc_paused():
                self._rebuild()
            self.revision += 1
            return
        if not applied:
            return
        # Contacts whose last interaction may have gone: recomputed once every
        # document of the batch is indexed (a batch may remove several of theirs).
        stale: set[int] = set()
        for table, key, old, new in applied:
            doc_id = int(key)
            if table == CONTACTS:
                self._uids = None
                if new is None:
                    self._contacts.pop(doc_id, None)
                else:
                    self._contacts[doc_id] = codec.contact_from_doc(doc_id, new)
            elif table == INTERACTIONS:
                self._cache.pop(doc_id, None)
                if old is not None:
                    stale |= self._unindex(doc_id, old)
                if new is not None:
                    self._index(doc_id, new)
            elif table == EVENTS:
                self._events = None
            elif table == GOALS:
                self._goals = None
            elif table == SETTINGS:
                self._settings = None
        if stale:
            raw = self._raw(INTERACTIONS)
            for cid in stale:
                bucket = self._ix_ids.get(cid)
                if bucket:
                    newest = max(bucket, key=lambda i: (raw[str(i)]["at"], i))
                    self._set_last(cid, newest, raw[str(newest)])
                else:
                    self._ix_ids.pop(cid, None)
                    self._ix_last.pop(cid, None)
                    self._ix_last_id.pop(cid, None)
                    self._ix_next.pop(cid, None)
        if not ours:
            # Others may have added documents; TinyDB's next id must pass theirs. Only
            # that: recomputing it from scratch scans every id (~20 ms at 200,000).
            tables = self._db.tables_map()
            for table, key, _old, new in applied:
                if new is not None and table in tables:
                    tables[table].saw_id(int(key))

    def _index(self, doc_id: int, doc: dict[str, Any]) -> None:
        at = doc["at"]
        self._ix_top = max(self._ix_top, doc_id)
        if self._digests is not None:
            self._digests.put(doc_id, codec.interaction_digest(doc))
        for cid in doc["contacts"]:
            self._ix_ids.setdefault(cid, []).append(doc_id)
            last = self._ix_last.get(cid, "")
            if at > last or (at == last and doc_id > self._ix_last_id.get(cid, 0)):
                self._set_last(cid, doc_id, doc)

    def _set_last(self, cid: int, doc_id: int, doc: dict[str, Any]) -> None:
        self._ix_last[cid] = doc["at"]
        self._ix_last_id[cid] = doc_id
        next_on = doc.get("next_step_on")
        if next_on:
            self._ix_next[cid] = next_on
        else:
            self._ix_next.pop(cid, None)

    def _unindex(self, doc_id: int, doc: dict[str, Any]) -> set[int]:
        """Drop an interaction from its contacts' buckets; returns whose last time may be stale."""
        if self._digests is not None:
            self._digests.drop(doc_id)
        stale: set[int] = set()
        for cid in doc["contacts"]:
            bucket = self._ix_ids.get(cid, [])
            if doc_id in bucket:
                bucket.remove(doc_id)
            if not bucket or self._ix_last.get(cid) == doc["at"]:
                stale.add(cid)
        return stale

    # --- transactions ------------------------------------------------------------

    def _transact(
        self, description: str, action: Callable[[_Tx], T], *, partial: bool = False
    ) -> T:
        """Run `action` as one durable transaction (see the module's docstring).

        The action reads and writes only through its `_Tx` and the store's indexes. With
        `partial` it may run on a store opened from its index without reading the
        interactions first: it then only adds interactions and edits other records."""
        with self._mutex, self.engine.write_lock() as external:
            self._absorb(external)
            if self.engine.partial and not partial:
                self._load_rest()
            tx = _Tx(self)
            try:
                result = action(tx)
                applied = tx.changed()
            except BaseException:
                tx.rollback()
                raise
            if not applied:
                return result
            ops: list[Op] = [
                ("p", table, key, new) if new is not None else ("d", table, key, None)
                for table, key, _old, new in applied
            ]
            try:
                self.engine.commit(ops)
            except BaseException:
                # The engine put memory back to what the disk holds.
                self._rebuild()
                self.revision += 1
                raise
            self._absorb(applied, ours=True)
            self.last_change = change = change_of(description, applied)
            self.revision += 1
            if self.on_change is not None:
                self.on_change(change)
            return result

    def undo(self, change: Change) -> None:
        """Take `change` back: the fields it set return to their old values, in the records
        as they are now; records it added go, records it removed come back.

        All or nothing, under the write lock. Refused with StoreConflict, nothing written,
        when another process has since changed one of those fields, changed or started
        using a record the change added, or when undoing would leave a link pointing at
        a record that is gone. Undoing an undo redoes.
        """

        def action(tx: _Tx) -> None:
            steps = [undo_step(r, self._raw(r.table).get(str(r.doc_id))) for r in change.records]
            problems = [_conflict_message(s) for s in steps if s.action == "conflict"]
            if problems:
                raise StoreConflict(" ".join(problems) + " Nothing was undone.")
            for step in steps:
                table, doc_id = step.record.table, step.record.doc_id
                if step.action == "remove":
                    tx.delete(table, doc_id)
                elif step.action == "put" and step.doc is not None:
                    try:
                        _CHECKED[table](doc_id, step.doc)
                    except (DomainError, KeyError, TypeError, ValueError) as err:
                        name = wording.subject(table, step.doc)
                        raise StoreConflict(
                            f"{wording.invalid_mix(table, name, err)} Nothing was undone."
                        ) from err
                    tx.put(table, doc_id, step.doc)
            problems = self._broken_links(tx)
            if problems:
                raise StoreConflict(" ".join(problems) + " Nothing was undone.")

        self._transact(f"undo {change.description}", action)

    def _broken_links(self, tx: _Tx) -> list[str]:
        """What the transaction's writes would leave pointing at nothing, as messages:
        removed records something still uses, and new links to records that are gone."""
        removed: dict[str, set[int]] = {}
        for (table, doc_id), old in tx.before.items():
            if old is not None and str(doc_id) not in self._raw(table):
                removed.setdefault(table, set()).add(doc_id)
        problems: list[str] = []
        users: dict[tuple[str, int], list[tuple[str, dict[str, Any]]]] = {}
        for source, key, target in codec.LINKS:
            gone = removed.get(target)
            if not gone:
                continue
            for doc in self._raw(source).values():
                for hit in gone.intersection(codec.linked_ids(doc, key)):
                    users.setdefault((target, hit), []).append((source, doc))
        for (target, hit), found in users.items():
            name = wording.subject(target, tx.before[(target, hit)])
            problems.append(wording.used_by(target, name, found))
        for (table, doc_id), old in tx.before.items():
            new = self._raw(table).get(str(doc_id))
            if new is None:
                continue
            for source, key, target in codec.LINKS:
                if source != table:
                    continue
                added = set(codec.linked_ids(new, key)) - set(codec.linked_ids(old or {}, key))
                if any(str(i) not in self._raw(target) for i in added):
                    problems.append(
                        wording.points_at_removed(table, wording.subject(table, new), target)
                    )
        return problems

    def refresh(self) -> bool:
        """Pick up writes made by other processes; True when anything changed."""
        with self._mutex:
            before = self.revision
            applied = self.engine.sync()
            self._absorb(applied)
            if applied:
                self.revision += 1
            return self.revision != before

    # --- contacts ----------------------------------------------------------------

    def contacts(self, *, include_archived: bool = False) -> list[Contact]:
        """Contacts by id; archived ones only when asked."""
        with self._mutex:
            if include_archived:
                return list(self._contacts.values())
            return [c for c in self._contacts.values() if not c.archived]

    def contact(self, contact_id: int) -> Contact:
        """The contact with this id; KeyError when there is none."""
        return self._contacts[contact_id]

    def contact_count(self) -> int:
        return len(self._contacts)

    def add_contact(self, contact: Contact, now: datetime) -> Contact:
        """Store a new contact; its creation time starts its cadence."""
        if contact.created_at == Contact("x").created_at:
            contact = contact.edit(created_at=now)

        contact = _with_uid(contact)

        def action(tx: _Tx) -> Contact:
            doc_id = tx.insert(CONTACTS, codec.contact_to_doc(contact))
            return contact.edit(id=doc_id)

        return self._transact(f"add {contact.name}", action, partial=True)

    def edit_contact(
        self, contact_id: int, changes: Mapping[str, object], *, base: Contact | None = None
    ) -> Contact:
        """Change some fields of a contact; returns the contact as stored.

        `changes` maps field names to new values. They are applied under the write
        lock to the contact as it is then, so fields not named keep what other
        processes wrote. With `base` (the contact as the form first showed it), a
        named field that someone else changed since is a StoreConflict, nothing
        written. Invalid values raise DomainError.
        """
        name = (base or self._require_contact(contact_id)).name
        return self._transact(
            f"edit {name}",
            lambda tx: self._edit_record(tx, CONTACTS, contact_id, changes, base),
            partial=True,
        )

    def edit_contacts(
        self,
        changes_by_id: Mapping[int, ContactChanges],
        description: str,
        *,
        bases: Mapping[int, Contact] | None = None,
    ) -> list[Contact]:
        """Change some fields of several contacts in ONE transaction (a bulk edit); returns
        them as stored, in the order given. `last_change` (named `description`, such as
        "move 12 contacts to the active circle") undoes all of them at once.

        Each entry is what `edit_contact` takes: field names to new values, or a function
        of the contact as it is under the lock returning them (add a tag to what is there
        now). With `bases` (the contacts as the screen showed them), a named field that
        someone else changed since, in any of them, is a StoreConflict and nothing at all
        is written; so is a contact removed elsewhere. Invalid values raise DomainError.
        """
        known = bases or {}

        def action(tx: _Tx) -> list[Contact]:
            return [
                self._edit_record(tx, CONTACTS, cid, changes, known.get(cid))
                for cid, changes in changes_by_id.items()
            ]

        return self._transact(description, action, partial=True)

    def update_contact(self, contact: Contact) -> Contact:
        """Replace a stored contact with this edited copy, whole.

        Old API, kept until every caller is moved: it can overwrite another
        process's change. New code calls `edit_contact`.
        """
        self._require_contact(contact.id)

        def action(tx: _Tx) -> Contact:
            tx.put(CONTACTS, contact.id, codec.contact_to_doc(contact))
            return contact

        return self._transact(f"edit {contact.name}", action)

    def archive_contact(self, contact_id: int, archived: bool = True) -> Contact:
        """Archive (or bring back) a contact; archived contacts are never due."""
        name = self._require_contact(contact_id).name
        verb = "archive" if archived else "restore"
        changes = {"archived": archived}
        return self._transact(
            f"{verb} {name}",
            lambda tx: self._edit_record(tx, CONTACTS, contact_id, changes),
            partial=True,
        )

    def snooze(self, contact_id: int, until: datetime | None) -> Contact:
        """Quiet a contact until a time (None wakes it)."""
        name = self._require_contact(contact_id).name
        changes = {"snoozed_until": until}
        return self._transact(
            f"snooze {name}",
            lambda tx: self._edit_record(tx, CONTACTS, contact_id, changes),
            partial=True,
        )

    def _edit_record(
        self,
        tx: _Tx,
        table: str,
        record_id: int,
        changes: Mapping[str, object] | Callable[[R], Mapping[str, object]],
        base: R | None = None,
    ) -> R:
        """Apply `changes` to a contact, event, goal or interaction as it is now, inside `tx`.

        The one field-level write: `edit_*`, snooze and archive use it, and a batch
        (an import merging into existing records) can call it for each record inside
        its own transaction. `changes` may be a function of the current record that
        returns the changes: an operation read under the lock, such as a union merge.
        With `base`, a named field whose value now differs from `base`'s (and from
        the new value) raises StoreConflict; the caller's transaction then writes nothing.
        """
        noun = _NOUNS[table]
        current: R | None = self._record(table, record_id)  # type: ignore[assignment]
        if base is not None and base.id != record_id:
            raise ValueError(f"base is {noun} {base.id}, not {record_id}")
        if current is None:
            if base is not None:
                raise StoreConflict(wording.removed_elsewhere(table, _title(base)))
            raise DomainError(noun, record_id, f"no such {noun}")
        wanted = changes(current) if callable(changes) else changes
        fields = {f.name for f in dataclasses.fields(current)} - {"id"}
        for key in wanted:
            if key not in fields:
                article = "an" if noun[0] in "aeiou" else "a"
                raise DomainError(key, wanted[key], f"is not a field of {article} {noun}")
        edited = current.edit(**wanted)
        if base is not None:
            moved = [
                f
                for f in wanted
                if getattr(current, f) != getattr(base, f)
                and getattr(current, f) != getattr(edited, f)
            ]
            if moved:
                said = [wording.news(f, getattr(current, f)) for f in moved]
                raise StoreConflict(wording.changed_elsewhere(table, _title(base), said))
        if edited != current:
            tx.put(table, record_id, _ENCODE[table](edited))
        return edited

    def _record(self, table: str, record_id: int) -> Contact | Event | Goal | Interaction | None:
        if table == CONTACTS:
            return self._contacts.get(record_id)
        if table == EVENTS:
            return self._event_map().get(record_id)
        if table == INTERACTIONS:
            if str(record_id) not in self._raw(INTERACTIONS):
                return None
            return self.interaction(record_id)
        return self._goal_map().get(record_id)

    def _require_contact(self, contact_id: int) -> Contact:
        try:
            return self._contacts[contact_id]
        except KeyError:
            raise DomainError("contact", contact_id, "no such contact") from None

    # --- interactions ----------------------------------------------------------------

    def log_interaction(self, interaction: Interaction, now: datetime) -> Interaction:
        """Store a touchpoint; it restarts the cadence of everyone in it (and ends their snooze)."""
        interaction.check_not_future(now)
        contacts = [self._require_contact(cid) for cid in interaction.contact_ids]
        names = ", ".join(c.name for c in contacts)
        interaction = _with_uid(interaction)

        def action(tx: _Tx) -> Interaction:
            doc_id = tx.insert(INTERACTIONS, codec.interaction_to_doc(interaction))
            for cid in interaction.contact_ids:
                c = self._require_contact(cid)
                logged = after_logging(c)
                if logged != c:
                    tx.put(CONTACTS, c.id, codec.contact_to_doc(logged))
            return interaction.edit(id=doc_id)

        description = f"log {interaction.kind.value} with {names}"
        return self._transact(description, action, partial=True)

    def edit_interaction(
        self,
        interaction_id: int,
        changes: Mapping[str, object],
        *,
        base: Interaction | None = None,
    ) -> Interaction:
        """Change some fields of an interaction (when, kind, depth, note, people in it...);
        conflicts and errors as in `edit_contact`.

        The people it names and its event must exist. Whether a time is allowed
        (not in the future) is the caller's rule to check, as when logging.
        """
        if base is None and str(interaction_id) not in self._raw(INTERACTIONS):
            raise DomainError("interaction", interaction_id, "no such interaction")

        def action(tx: _Tx) -> Interaction:
            edited = self._edit_record(tx, INTERACTIONS, interaction_id, changes, base)
            for cid in edited.contact_ids:
                self._require_contact(cid)
            if edited.event_id is not None and edited.event_id not in self._event_map():
                raise DomainError("event", edited.event_id, "no such event")
            return edited

        return self._transact("edit interaction", action)

    def delete_interaction(self, interaction_id: int) -> Change:
        """Remove an interaction in one transaction; the Change it returns (also
        `last_change`) brings it back whole through `undo`."""

        def action(tx: _Tx) -> None:
            if str(interaction_id) not in self._raw(INTERACTIONS):
                raise DomainError("interaction", interaction_id, "no such interaction")
            tx.delete(INTERACTIONS, interaction_id)

        self._transact("delete interaction", action)
        assert self.last_change is not None
        return self.last_change

    def interaction(self, interaction_id: int) -> Interaction:
        cached = self._cache.get(interaction_id)
        if cached is None:
            doc = self._raw(INTERACTIONS)[str(interaction_id)]
            cached = self._cache[interaction_id] = codec.interaction_from_doc(interaction_id, doc)
        return cached

    def interactions_of(self, contact_id: int) -> list[Interaction]:
        """This contact's interactions, oldest first."""
        with self._mutex:
            self._raw(INTERACTIONS)  # read first: reading may re-read the indexes
            found = [self.interaction(i) for i in self._ix_ids.get(contact_id, ())]
        found.sort(key=lambda i: (i.at, i.id))
        return found

    def interaction_count(self, contact_id: int | None = None) -> int:
        if contact_id is None:
            return len(self._raw(INTERACTIONS))
        return len(self._ix_ids.get(contact_id, ()))

    def _bulk_decoder(self) -> Callable[[int], Interaction]:
        """Decode for a bulk read without filling the cache: keeping 50,000 decoded
        interactions alive costs tens of MB that the health model does not need."""
        raw = self._raw(INTERACTIONS)
        cache = self._cache
        memo: dict[int, Interaction] = {}

        def decode(doc_id: int) -> Interaction:
            found = cache.get(doc_id) or memo.get(doc_id)
            if found is None:
                found = memo[doc_id] = codec.interaction_from_doc(doc_id, raw[str(doc_id)])
            return found

        return decode

    def all_interactions(self) -> list[Interaction]:
        """Every interaction, oldest first."""
        with self._mutex, _gc_paused():
            decode = self._bulk_decoder()
            found = [decode(int(k)) for k in self._raw(INTERACTIONS)]
            found.sort(key=_BY_TIME)
        return found

    def interactions_by_contact(self) -> dict[int, list[Interaction]]:
        """Every contact's interactions, oldest first, keyed by contact id.

        Decoded with the cyclic collector paused (see `_gc_paused`): 200,000 new records
        otherwise trigger it over and over, which doubled the time."""
        with self._mutex:
            self._raw(INTERACTIONS)  # read first: reading may re-read the indexes
            with _gc_paused():
                decode = self._bulk_decoder()
                out: dict[int, list[Interaction]] = {}
                for cid, ids in self._ix_ids.items():
                    items = [decode(i) for i in ids]
                    items.sort(key=_BY_TIME)
                    out[cid] = items
            return out

    def _digest_rows(self) -> Iterable[codec.DigestRow]:
        """Every interaction's id and digest (see _Digests). Under the mutex; what it
        returns may be read after it (a copy, or rows made from the documents now)."""
        if self._digests is not None:
            return self._digests.copy().rows()
        raw = self._raw(INTERACTIONS)
        digest = codec.interaction_digest
        with _gc_paused():
            return [(int(k), *digest(d)) for k, d in raw.items()]

    def touches_by_contact(self) -> dict[int, list[Touch]]:
        """What the health model reads of every contact's interactions, oldest first,
        keyed by contact id: `interactions_by_contact` with each interaction as its Touch
        (the same order, and the same values in those fields).

        From the digests (see _Digests): a store opened from its index file answers
        without reading the interactions of the database file."""
        with self._mutex:
            rows = self._digest_rows()
            by_contact = {cid: list(ids) for cid, ids in self._ix_ids.items()}
        # Decoded outside the mutex: a write on another thread need not wait.
        with _gc_paused():
            try:
                touches = codec.touches_from_digests(rows)
            except ValueError:
                # Not the columns an index holds (see digests.py): from the documents.
                with self._mutex:
                    self._digests = None
                    rows = self._digest_rows()
                touches = codec.touches_from_digests(rows)
            out: dict[int, list[Touch]] = {}
            for cid, ids in by_contact.items():
                items = [touches[i] for i in ids]
                # By time, then id: what _BY_TIME gives, as Touch begins with both (and no
                # two in a list share an id), without a key made for each.
                items.sort()
                out[cid] = items
        return out

    def last_interaction_at(self, contact_id: int) -> datetime | None:
        text = self._ix_last.get(contact_id)
        return codec.text_to_time(text) if text else None

    def next_steps(self) -> dict[int, date]:
        """Per contact, the date of the next step their last interaction set, if it set one.

        A next step stays pending until another interaction is logged with them.
        """
        with self._mutex:
            return {cid: date.fromisoformat(text) for cid, text in self._ix_next.items()}

    def next_step_of(self, contact_id: int) -> date | None:
        text = self._ix_next.get(contact_id)
        return date.fromisoformat(text) if text else None

    def last_interactions(self) -> dict[int, datetime]:
        """Last interaction time of every contact that has one."""
        with self._mutex:
            return {cid: codec.text_to_time(t) for cid, t in self._ix_last.items()}

    # --- events --------------------------------------------------------------------

    def _event_map(self) -> dict[int, Event]:
        if self._events is None:
            self._events = {
                int(k): codec.event_from_doc(int(k), d) for k, d in self._raw(EVENTS).items()
            }
        return self._events

    def events(self) -> list[Event]:
        """All events, by start."""
        with self._mutex:
            return sorted(self._event_map().values(), key=lambda e: (e.start, e.id))

    def event(self, event_id: int) -> Event:
        return self._event_map()[event_id]

    def add_event(self, event: Event) -> Event:
        event = _with_uid(event)

        def action(tx: _Tx) -> Event:
            return event.edit(id=tx.insert(EVENTS, codec.event_to_doc(event)))

        return self._transact(f"add event {event.title}", action)

    def edit_event(
        self, event_id: int, changes: Mapping[str, object], *, base: Event | None = None
    ) -> Event:
        """Change some fields of an event; conflicts and errors as in `edit_contact`."""
        event = base or self._event_map().get(event_id)
        if event is None:
            raise DomainError("event", event_id, "no such event")
        return self._transact(
            f"edit event {event.title}",
            lambda tx: self._edit_record(tx, EVENTS, event_id, changes, base),
        )

    def update_event(self, event: Event) -> Event:
        """Replace a stored event whole. Old API, kept until every caller is moved to
        `edit_event` (this one can overwrite another process's change)."""
        if event.id not in self._event_map():
            raise DomainError("event", event.id, "no such event")

        def action(tx: _Tx) -> Event:
            tx.put(EVENTS, event.id, codec.event_to_doc(event))
            return event

        return self._transact(f"edit event {event.title}", action)

    def set_event_status(self, event_id: int, status: EventStatus) -> Event:
        """Going, declined, attended...: one field, set on the event as it is now."""
        return self.edit_event(event_id, {"status": status})

    # --- goals ---------------------------------------------------------------------

    def _goal_map(self) -> dict[int, Goal]:
        if self._goals is None:
            self._goals = {
                int(k): codec.goal_from_doc(int(k), d) for k, d in self._raw(GOALS).items()
            }
        return self._goals

    def goals(self, *, include_retired: bool = True) -> list[Goal]:
        with self._mutex:
            goals = sorted(self._goal_map().values(), key=lambda g: g.id)
        return goals if include_retired else [g for g in goals if g.active]

    def goal(self, goal_id: int) -> Goal:
        return self._goal_map()[goal_id]

    def add_goal(self, goal: Goal, now: datetime) -> Goal:
        if goal.created_at == Goal("x").created_at:
            goal = goal.edit(created_at=now)
        goal = _with_uid(goal)

        def action(tx: _Tx) -> Goal:
            return goal.edit(id=tx.insert(GOALS, codec.goal_to_doc(goal)))

        return self._transact(f"add goal {goal.title}", action)

    def edit_goal(
        self, goal_id: int, changes: Mapping[str, object], *, base: Goal | None = None
    ) -> Goal:
        """Change some fields of a goal; conflicts and errors as in `edit_contact`."""
        goal = base or self._goal_map().get(goal_id)
        if goal is None:
            raise DomainError("goal", goal_id, "no such goal")
        return self._transact(
            f"edit goal {goal.title}",
            lambda tx: self._edit_record(tx, GOALS, goal_id, changes, base),
        )

    def update_goal(self, goal: Goal) -> Goal:
        """Replace a stored goal whole. Old API, kept until every caller is moved to
        `edit_goal` (this one can overwrite another process's change)."""
        if goal.id not in self._goal_map():
            raise DomainError("goal", goal.id, "no such goal")

        def action(tx: _Tx) -> Goal:
            tx.put(GOALS, goal.id, codec.goal_to_doc(goal))
            return goal

        return self._transact(f"edit goal {goal.title}", action)

    # --- settings and weekly snapshots ------------------------------------------------

    def settings(self) -> Settings:
        if self._settings is None:
            doc = self._raw(SETTINGS).get("1")
            self._settings = codec.settings_from_doc(doc) if doc else Settings()
        return self._settings

    def save_settings(self, settings: Settings) -> Settings:
        def action(tx: _Tx) -> Settings:
            tx.put(SETTINGS, 1, codec.settings_to_doc(settings))
            return settings

        return self._transact("change settings", action)

    def snapshots(self) -> list[WeeklySnapshot]:
        """Weekly snapshots, oldest first."""
        with self._mutex:
            found = [codec.snapshot_from_doc(int(k), d) for k, d in self._raw(SNAPSHOTS).items()]
        return sorted(found, key=lambda s: s.week_start)

    def put_snapshot(self, snapshot: WeeklySnapshot) -> WeeklySnapshot:
        """Keep one snapshot per week: replaces the week's earlier one."""
        week = snapshot.week_start.isoformat()

        def action(tx: _Tx) -> WeeklySnapshot:
            existing = [int(k) for k, d in self._raw(SNAPSHOTS).items() if d.get("week") == week]
            if existing:
                tx.put(SNAPSHOTS, existing[0], codec.snapshot_to_doc(snapshot))
                return snapshot.edit(id=existing[0])
            return snapshot.edit(id=tx.insert(SNAPSHOTS, codec.snapshot_to_doc(snapshot)))

        return self._transact(f"snapshot of week {week}", action)

    # --- bulk ------------------------------------------------------------------------

    def import_batch(
        self,
        add_contacts: Sequence[Contact] = (),
        update_contacts: Sequence[Contact] = (),
        add_events: Sequence[Event] = (),
        update_events: Sequence[Event] = (),
        add_interactions: Sequence[Interaction] = (),
        *,
        add_goals: Sequence[Goal] = (),
        merge_into: Sequence[Contact] = (),
        event_changes: Sequence[tuple[int, Mapping[str, object]]] = (),
        now: datetime | None = None,
        met_at_event: int | None = None,
        description: str = "import",
    ) -> dict[str, list[int]]:
        """Write an import in one all-or-nothing transaction.

        `merge_into` holds incoming contacts, each with the id of a stored contact it is:
        what it adds (domain.merge.absorb) is added to the contact as it is inside the
        transaction, so another process's edit since the preview is kept. `event_changes`
        sets the named fields of stored events, likewise on the events as they are then.
        `update_contacts` and `update_events` replace whole records (kept for callers that
        hold a record they just read).

        In `add_interactions`, a negative contact id -n stands for the contact
        `add_contacts[n - 1]`, whose real id is only known inside the transaction;
        likewise a negative goal id -n in a contact's goals stands for `add_goals[n - 1]`.
        With `met_at_event`, everyone in `add_interactions` joins that event's people
        met, in the same transaction ("who I met", undone in one step).
        Returns the new ids by kind.
        """
        if met_at_event is not None and met_at_event not in self._event_map():
            raise DomainError("event", met_at_event, "no such event")
        for c in (*update_contacts, *merge_into):
            self._require_contact(c.id)
        for e_id in (*(e.id for e in update_events), *(i for i, _ in event_changes)):
            if e_id not in self._event_map():
                raise DomainError("event", e_id, "no such event")

        def action(tx: _Tx) -> dict[str, list[int]]:
            new_goals = [tx.insert(GOALS, codec.goal_to_doc(g)) for g in add_goals]

            def with_goals(c: Contact) -> Contact:
                if not any(g < 0 for g in c.goal_ids):
                    return c
                if any(g < -len(new_goals) for g in c.goal_ids):
                    raise DomainError("goals", c.goal_ids, "refers to a goal not in the import")
                return c.edit(goal_ids=tuple(new_goals[-g - 1] if g < 0 else g for g in c.goal_ids))

            new_contacts: list[int] = []
            for c in add_contacts:
                if now is not None and c.created_at == Contact("x").created_at:
                    c = c.edit(created_at=now)
                new_contacts.append(tx.insert(CONTACTS, codec.contact_to_doc(with_goals(c))))
            for c in update_contacts:
                tx.put(CONTACTS, c.id, codec.contact_to_doc(with_goals(c)))
            incoming: dict[int, list[Contact]] = {}
            for c in merge_into:
                incoming.setdefault(c.id, []).append(with_goals(c))
            for contact_id, cards in incoming.items():
                # What the cards add, worked out from the record as it is now.
                self._edit_record(tx, CONTACTS, contact_id, partial(_absorbed, cards))
            new_events = [tx.insert(EVENTS, codec.event_to_doc(e)) for e in add_events]
            for e in update_events:
                tx.put(EVENTS, e.id, codec.event_to_doc(e))
            for event_id, changes in event_changes:
                self._edit_record(tx, EVENTS, event_id, changes)
            new_interactions: list[int] = []
            met: list[int] = []
            for i in add_interactions:
                if any(cid < -len(new_contacts) for cid in i.contact_ids):
                    raise DomainError(
                        "contacts", i.contact_ids, "refers to a contact not in the import"
                    )
                ids = tuple(new_contacts[-cid - 1] if cid < 0 else cid for cid in i.contact_ids)
                for cid in ids:
                    if cid not in self._contacts and cid not in new_contacts:
                        raise DomainError("contacts", cid, "no such contact")
                doc = codec.interaction_to_doc(i.edit(contact_ids=ids))
                new_interactions.append(tx.insert(INTERACTIONS, doc))
                met.extend(ids)
            if met_at_event is not None:
                # Read the event inside the transaction: another process may have changed it.
                event = codec.event_from_doc(met_at_event, self._raw(EVENTS)[str(met_at_event)])
                linked = tuple(dict.fromkeys((*event.met_contact_ids, *met)))
                tx.put(EVENTS, met_at_event, codec.event_to_doc(event.edit(met_contact_ids=linked)))
            return {
                "contacts": new_contacts,
                "events": new_events,
                "interactions": new_interactions,
                "goals": new_goals,
            }

        return self._transact(description, action)

    def restore(
        self,
        *,
        contacts: Sequence[Contact] = (),
        interactions: Sequence[Interaction] = (),
        events: Sequence[Event] = (),
        goals: Sequence[Goal] = (),
        snapshots: Sequence[WeeklySnapshot] = (),
        settings: Settings | None = None,
        kept_apart: Sequence[frozenset[str]] = (),
    ) -> None:
        """Restore a backup into an empty database in one all-or-nothing transaction.

        Every record keeps its id, so every link between them survives. Refuses
        (StoreNotEmpty) a database that holds contacts, interactions, events or goals;
        weekly snapshots already here are kept unless the backup has the same week,
        and the backup's settings replace the ones here. References are checked
        first: a restore never leaves a link pointing at nothing.
        """

        def check_ids(
            what: str, records: Sequence[Contact | Interaction | Event | Goal]
        ) -> set[int]:
            ids: set[int] = set()
            for r in records:
                if r.id <= 0 or r.id in ids:
                    raise DomainError(what, r.id, "a restored record needs its own positive id")
                ids.add(r.id)
            return ids

        contact_ids = check_ids("contact", contacts)
        event_ids = check_ids("event", events)
        goal_ids = check_ids("goal", goals)
        check_ids("interaction", interactions)

        def check_links(what: str, ids: Iterable[int | None], known: set[int]) -> None:
            for i in ids:
                if i is not None and i not in known:
                    raise DomainError(what, i, "is not in the restore")

        for c in contacts:
            check_links("goal", c.goal_ids, goal_ids)
            check_links("event", (c.met_at_event_id,), event_ids)
        for e in events:
            check_links("goal", e.goal_ids, goal_ids)
            check_links("contact", e.met_contact_ids, contact_ids)
        for i in interactions:
            check_links("contact", i.contact_ids, contact_ids)
            check_links("event", (i.event_id,), event_ids)
        weeks = {s.week_start.isoformat() for s in snapshots}
        if len(weeks) != len(snapshots) or any(s.id <= 0 for s in snapshots):
            raise DomainError("weekly", len(snapshots), "one snapshot per week, each with an id")

        def action(tx: _Tx) -> None:
            if not self.is_empty():
                where = self.path or "the database"
                raise StoreNotEmpty(
                    f"{where} already holds data; a full restore goes into an empty database "
                    f"(use --db PATH for a new file, or import to merge)"
                )
            # Snapshots of weeks the backup lacks stay, renumbered after the backup's.
            kept = [
                dict(doc) for doc in self._raw(SNAPSHOTS).values() if doc.get("week") not in weeks
            ]
            for key in list(self._raw(SNAPSHOTS)):
                tx.delete(SNAPSHOTS, int(key))
            for g in goals:
                tx.put(GOALS, g.id, codec.goal_to_doc(g))
            for e in events:
                tx.put(EVENTS, e.id, codec.event_to_doc(e))
            for c in contacts:
                tx.put(CONTACTS, c.id, codec.contact_to_doc(c))
            for i in interactions:
                tx.put(INTERACTIONS, i.id, codec.interaction_to_doc(i))
            for s in snapshots:
                tx.put(SNAPSHOTS, s.id, codec.snapshot_to_doc(s))
            for doc in kept:
                tx.insert(SNAPSHOTS, doc)
            if settings is not None:
                tx.put(SETTINGS, 1, codec.settings_to_doc(settings))
            for pair in dict.fromkeys(kept_apart):
                tx.insert(APART, codec.apart_to_doc(pair, None))

        self._transact("restore", action)

    def load_documents(self, tables: Mapping[str, Iterable[dict[str, Any]]]) -> None:
        """Bulk-insert already-encoded documents in one transaction (demo data, restores)."""

        def action(tx: _Tx) -> None:
            for name, docs in tables.items():
                for doc in docs:
                    tx.insert(name, doc)

        self._transact("load documents", action)

    def is_empty(self) -> bool:
        return not any(self._raw(t) for t in (CONTACTS, INTERACTIONS, EVENTS, GOALS))

    def raw_tables(self) -> Mapping[str, Mapping[str, Mapping[str, Any]]]:
        """The stored documents, read-only by convention (export, doctor)."""
        self._raw(INTERACTIONS)
        return {k: v for k, v in self.engine.tables.items() if k != META}

    # --- sync state -------------------------------------------------------------------

    # Why the last sync_entries() found no state where the database named one, if so.
    sync_state_problem: str | None = None

    def sync_entries(self, buckets: Collection[int] | None = None) -> list[SyncEntry]:
        """What `netbalance sync` remembers of each item it keeps in step (see domain.sync),
        or of the items of `buckets` (store.sync_state.bucket_of their uids).

        Kept beside the database (store.sync_state); a state file that is missing (a
        database restored from a backup, copied without it) reads as no state: the next
        sync meets every item as a first sync does, by uid, and loses nothing.
        """
        with self._mutex:
            self.sync_state_problem = None
            return list(self._sync_state(buckets).entries.values())

    def sync_marks(self) -> tuple[str, Mapping[str, Any]]:
        """What the last sync recorded of both sides when it finished: the mark of the
        tables (store.sync_state.tables_mark; "" when none can be trusted) and the
        caller's marks (the folders, the day). Cheap: the state itself is not read."""
        meta = self._sync_meta()
        return str(meta.get(TABLES_MARK, "")), dict(meta.get(MARKS, {}))

    def sync_bucket_marks(self) -> Mapping[str, str]:
        """The marks of the tables by bucket the last sync recorded (store.sync_state.
        bucket_marks; empty when none can be trusted, or the state is not in parts)."""
        meta = self._sync_meta()
        if PARTS not in meta or not meta.get(TABLES_MARK):
            return {}
        return dict(meta.get(BUCKET_MARKS, {}))

    def _sync_meta(self) -> Mapping[str, Any]:
        with self._mutex:
            for doc in self.engine.tables.get(SYNC, {}).values():
                if GENERATION in doc:
                    return doc
            return {}

    def tables_mark(self) -> str:
        """The mark of the tables a sync reads, as they are now."""
        with self._mutex:
            self._raw(INTERACTIONS)  # a store opened from its index reads them now
            return tables_mark(self.engine.tables)

    def table_marks(self) -> dict[str, str]:
        """The marks of the tables a sync reads, by bucket (store.sync_state.bucket_marks)."""
        with self._mutex:
            self._raw(INTERACTIONS)  # a store opened from its index reads them now
            return bucket_marks(self.engine.tables)

    def _sync_state(self, buckets: Collection[int] | None = None) -> _SyncState:
        """The current state (of `buckets`, or all), and the keys of entries an older
        version kept inside the database (moved out at the next sync)."""
        raw = self.engine.tables.get(SYNC, {})
        meta: Mapping[str, Any] = {}
        meta_key = 0
        legacy: dict[int, SyncEntry] = {}
        for key, doc in raw.items():
            if GENERATION in doc:
                meta, meta_key = doc, int(key)
            else:
                legacy[int(key)] = codec.sync_entry_from_doc(int(key), doc)
        if not meta_key:
            meta_key = max(legacy, default=0) + 1
        generation = int(meta.get(GENERATION, 0))
        parts = {int(b): int(g) for b, g in meta.get(PARTS, {}).items()}
        if not generation:
            return _SyncState(0, meta_key, legacy, list(legacy), {}, False, max(legacy, default=0))
        try:
            if PARTS in meta:
                named = parts if buckets is None else {b: parts[b] for b in buckets if b in parts}
                entries = self._sync_files().load_parts(named)
                top = int(meta.get(NEXT_ID, 1)) - 1
            else:
                entries = dict(self._sync_files().load(generation))
                top = max(entries, default=0)
        except SyncStateDamaged as err:
            self.sync_state_problem = str(err)
            entries, parts, top = {}, {}, int(meta.get(NEXT_ID, 1)) - 1
        return _SyncState(generation, meta_key, entries, list(legacy), parts, PARTS in meta, top)

    def _sync_files(self) -> SyncStateFiles:
        files: SyncStateFiles | None = getattr(self, "_sync_state_files", None)
        if files is None:
            files = self._sync_state_files = SyncStateFiles(self.path)
        return files

    def apply_sync(
        self,
        writes: Sequence[SyncWrite],
        description: str = "sync",
        *,
        planned_on: str = "",
        marks: Mapping[str, Any] | None = None,
        buckets: Collection[int] | None = None,
    ) -> SyncOutcome:
        """Apply one sync's writes and the sync state they leave, in one transaction.

        Each write is applied to the records as they are under the lock (see SyncWrite):
        one that another process's change contradicts (an edited field changed since,
        a record gone) is refused alone, its sync state left as it was, so the next
        sync meets it again; the others are applied. A write's new state records the
        record as planned (`base` edited by `changes`, or the record added), not as
        stored, so a field another process changed meanwhile still counts as changed
        here at the next sync. The new state is written beside the database before the
        transaction that names it commits (store.sync_state); only the parts whose
        entries changed are written. `buckets`: the plan read only the entries of these
        buckets (and writes only theirs).

        `planned_on` is the tables' mark the plan was made from, `marks` what the caller
        saw of the folders: both are recorded with the tables' mark after the writes, so
        the next sync can tell that nothing changed without reading anything else. When
        the tables were changed by another process since the plan, or a write is refused,
        no tables' mark is recorded: the next sync looks at every item.
        """
        saved: list[tuple[set[tuple[int, int]], int]] = []

        def action(tx: _Tx) -> SyncOutcome:
            needed: set[int] | None = None
            if buckets is not None:
                needed = set(buckets)
                for w in writes:
                    if w.entry is not None:
                        needed.add(bucket_of(w.entry.uid))
            st = self._sync_state(needed)
            trusted = bool(planned_on) and self.tables_mark() == planned_on
            if not writes and not st.legacy and st.generation and st.in_parts:
                after = self.table_marks() if trusted else {}
                mark = planned_on if trusted else ""
                meta = self._meta(st.generation, st.parts, st.top + 1, mark, after, marks)
                tx.put(SYNC, st.meta_key, meta)
                return SyncOutcome((), (), {})
            state = dict(st.entries)
            fresh = itertools.count(st.top + 1).__next__
            new_ids = self._placeholder_ids(writes)
            applied: list[SyncWrite] = []
            refused: list[tuple[SyncWrite, str]] = []
            added: dict[tuple[str, str], int] = {}
            counters: dict[str, int] = {}
            changed: set[int] = set()
            for write in writes:
                new_id = 0
                if write.action == "add":
                    n = counters[write.kind] = counters.get(write.kind, 0) + 1
                    new_id = new_ids[write.kind][n - 1]
                before = state.get(write.old_entry) if write.old_entry else None
                try:
                    doc_id = self._apply_sync_write(tx, write, new_ids, new_id, state, fresh)
                except (StoreConflict, DomainError) as err:
                    refused.append((write, str(err)))
                    continue
                if before is not None:
                    changed.add(bucket_of(before.uid))
                if write.entry is not None:
                    changed.add(bucket_of(write.entry.uid))
                if write.action == "add" and doc_id:
                    added[(write.kind, write.uid)] = doc_id
                applied.append(write)
            generation = st.generation + 1
            if not st.in_parts or st.legacy:
                changed = set(range(BUCKETS))  # the whole state, once, into parts
            by_bucket: dict[int, dict[int, SyncEntry]] = {b: {} for b in changed}
            for entry_id, entry in state.items():
                part = by_bucket.get(bucket_of(entry.uid))
                if part is not None:
                    part[entry_id] = entry
            self._sync_files().save(generation, {b: p for b, p in by_bucket.items() if p})
            for key in st.legacy:
                tx.delete(SYNC, key)
            # A bucket left empty has no file.
            parts = {b: g for b, g in st.parts.items() if b not in changed}
            parts |= {b: generation for b in changed if by_bucket[b]}
            top = max(fresh() - 1, st.top)
            trusted = trusted and not refused
            mark = self.tables_mark() if trusted else ""
            after = self.table_marks() if trusted else {}
            meta = self._meta(generation, parts, top + 1, mark, after, marks)
            tx.put(SYNC, st.meta_key, meta)
            keep = {(b, g) for b, g in st.parts.items()} | {(b, g) for b, g in parts.items()}
            saved.append((keep, generation))
            return SyncOutcome(tuple(applied), tuple(refused), added)

        previous = self.last_change
        outcome = self._transact(description, action)
        if not writes:
            self.last_change = previous  # only marks were written: nothing to undo
        if saved:
            self._sync_files().prune_parts(*saved[-1])
        return outcome

    @staticmethod
    def _meta(
        generation: int,
        parts: Mapping[int, int],
        next_id: int,
        mark: str,
        after: Mapping[str, str],
        marks: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        return {
            GENERATION: generation,
            PARTS: {str(b): g for b, g in sorted(parts.items())},
            NEXT_ID: next_id,
            TABLES_MARK: mark,
            BUCKET_MARKS: dict(after),
            MARKS: dict(marks or {}),
        }

    def _placeholder_ids(self, writes: Sequence[SyncWrite]) -> dict[str, list[int]]:
        """The ids the records a sync adds will get, by kind, in order (placeholder -n is
        the n-th): known before any is written, as records added together link to each
        other (a contact met at an event, the event listing the contact)."""
        out: dict[str, list[int]] = {}
        for kind, table in _TABLE_OF_KIND.items():
            count = sum(1 for w in writes if w.kind == kind and w.action == "add")
            if count:
                start = max((int(k) for k in self._raw(table)), default=0) + 1
                out[kind] = list(range(start, start + count))
        return out

    def _resolve(self, kind: str, record: Any, new_ids: Mapping[str, list[int]]) -> Any:
        """`record` with placeholder links replaced by the ids the records get; a link
        to a record that is not there is refused (DomainError)."""
        changes: dict[str, object] = {}
        for name, target in LINKS[kind].items():
            value = getattr(record, name)
            ids = value if isinstance(value, tuple) else (value,)
            real: list[int] = []
            for i in ids:
                if i is None:
                    continue
                if i < 0:
                    i = new_ids[target][-i - 1]
                if str(i) not in self._raw(_TABLE_OF_KIND[target]):
                    raise DomainError(target, i, f"no such {target}")
                real.append(i)
            if isinstance(value, tuple):
                changes[name] = tuple(real)
            else:
                changes[name] = real[0] if real else None
        return record.edit(**changes) if changes else record

    def _apply_sync_write(
        self,
        tx: _Tx,
        write: SyncWrite,
        new_ids: Mapping[str, list[int]],
        new_id: int,
        state: dict[int, SyncEntry],
        fresh: Callable[[], int],
    ) -> int:
        base_doc: dict[str, Any] | None = None
        doc_id = 0
        if write.action != "none" and write.kind in _TABLE_OF_KIND:
            table = _TABLE_OF_KIND[write.kind]
            if write.action == "add":
                assert write.record is not None
                doc_id = new_id
                record = self._resolve(write.kind, write.record.edit(id=doc_id), new_ids)
                tx.put(table, doc_id, _ENCODE[table](record))
                base_doc = _ENCODE[table](record)
            elif write.action == "edit":
                assert write.base is not None
                doc_id = write.base.id
                read: Any = write.base
                planned = self._resolve(write.kind, read.edit(**write.changes), new_ids)
                self._edit_record(tx, table, doc_id, read.changed_fields(planned), read)
                base_doc = _ENCODE[table](planned)
            elif write.action == "delete":
                assert write.base is not None
                doc_id = write.base.id
                current = self._raw(table).get(str(doc_id))
                if current is not None and current != _ENCODE[table](write.base):
                    raise StoreConflict(wording.changed_elsewhere(table, _title(write.base), []))
                if current is not None:
                    tx.delete(table, doc_id)
        if write.old_entry and write.entry is None:
            state.pop(write.old_entry, None)
        if write.entry is not None:
            entry_id = write.old_entry or fresh()
            base = base_doc if base_doc is not None else write.entry.base
            state[entry_id] = dataclasses.replace(write.entry, base=base, id=entry_id)
        return doc_id

    # --- identity: who is who, kept apart, merged ---------------------------------------

    def contact_by_uid(self, uid: str) -> Contact | None:
        """The contact whose uid (or an alias, from a merge) is `uid`, archived ones too."""
        with self._mutex:
            if self._uids is None:
                uids: dict[str, int] = {}
                for c in self._contacts.values():
                    for u in (c.uid, *c.aliases):
                        if u:
                            uids.setdefault(uid_key(u), c.id)
                self._uids = uids
            found = self._uids.get(uid_key(uid))
            return self._contacts.get(found) if found is not None else None

    def kept_apart(self) -> frozenset[frozenset[str]]:
        """The uid pairs the user said are two people ("not the same person")."""
        with self._mutex:
            return frozenset(codec.apart_from_doc(d) for d in self._apart_docs().values())

    def _apart_docs(self) -> Mapping[str, dict[str, Any]]:
        # Read without creating the table: most databases never hold one.
        return self.engine.tables.get(APART, {})

    def keep_apart(self, first_id: int, second_id: int, now: datetime) -> None:
        """Remember that two contacts are not the same person: the duplicates review stops
        offering them. Undoable like any write (`last_change`)."""
        first, second = self._require_contact(first_id), self._require_contact(second_id)
        key = apart_key(first, second)
        if len(key) != 2:
            raise DomainError("contacts", first.name, "is always the same person as itself")

        def action(tx: _Tx) -> None:
            if any(codec.apart_from_doc(d) == key for d in self._apart_docs().values()):
                return
            tx.insert(APART, codec.apart_to_doc(key, now))

        self._transact(f"keep {first.name} and {second.name} apart", action)

    def merge_contacts(
        self,
        keep_id: int,
        other_id: int,
        now: datetime,
        *,
        prefer: Side = "keep",
        choices: Mapping[str, Side] | None = None,
    ) -> MergeOutcome:
        """Merge contact `other_id` into `keep_id` in one transaction (one undo step).

        The records are read as they are under the write lock and merged by
        domain.merge.plan_merge (with the user's `prefer` and per-field `choices`); every
        interaction of the other (group ones too, each person once) and every event's
        people met move to the kept contact; the other record is removed, its uid kept
        as an alias; a "not the same person" decision about the two is dropped.
        """
        self._require_contact(keep_id)
        self._require_contact(other_id)

        def action(tx: _Tx) -> MergeOutcome:
            keep, other = (
                codec.contact_from_doc(i, self._raw(CONTACTS)[str(i)]) for i in (keep_id, other_id)
            )
            plan = plan_merge(keep, other, now, prefer=prefer, choices=choices)
            tx.put(CONTACTS, keep_id, codec.contact_to_doc(plan.merged))
            moved = list(self._ix_ids.get(other_id, ()))
            for iid in moved:
                interaction = codec.interaction_from_doc(iid, self._raw(INTERACTIONS)[str(iid)])
                relinked = relink_interaction(interaction, keep_id, other_id)
                tx.put(INTERACTIONS, iid, codec.interaction_to_doc(relinked))
            relinked_events = 0
            for key, doc in list(self._raw(EVENTS).items()):
                if other_id in doc.get("met", ()):
                    event = relink_event(codec.event_from_doc(int(key), doc), keep_id, other_id)
                    tx.put(EVENTS, int(key), codec.event_to_doc(event))
                    relinked_events += 1
            both = apart_key(keep, other)
            for key, doc in list(self._apart_docs().items()):
                if codec.apart_from_doc(doc) == both:
                    tx.delete(APART, int(key))
            tx.delete(CONTACTS, other_id)
            return MergeOutcome(plan.merged, other, plan, len(moved), relinked_events)

        names = f"{self.contact(other_id).name} into {self.contact(keep_id).name}"
        return self._transact(f"merge {names}", action)


@dataclasses.dataclass(frozen=True)
class _SyncState:
    """The sync state as read: its generation, the key of the document naming it, the
    entries (of the buckets asked for), the keys of entries an older version kept in the
    database, each part's generation, whether it is kept in parts, the highest entry id."""

    generation: int
    meta_key: int
    entries: dict[int, SyncEntry]
    legacy: list[int]
    parts: dict[int, int]
    in_parts: bool
    top: int


@dataclasses.dataclass(frozen=True)
class SyncOutcome:
    """What `apply_sync` did: the writes applied (with the ids of records added, by
    kind and uid) and the ones refused, each with the reason."""

    applied: tuple[SyncWrite, ...]
    refused: tuple[tuple[SyncWrite, str], ...]
    added: Mapping[tuple[str, str], int]


@dataclasses.dataclass(frozen=True)
class MergeOutcome:
    """What a merge did: the kept contact as stored, the one removed, and what moved."""

    contact: Contact
    removed: Contact
    plan: MergePlan
    interactions_moved: int
    events_relinked: int

"""What one sync does, decided before anything is written.

For every item (a record here, a file there, or what the last sync remembered) the
plan compares each side with the sync state and decides, by the rules of
domain.sync: copy a change made on one side to the other, merge changes made on
both, archive what was deleted on one side, recreate a file deleted while its record
changed here, leave a broken file alone and say so. The result is a list of file
writes and one list of store writes (`SyncWrite`) with the sync state they leave.

Nothing here writes: the planner reads the database as one snapshot and the folders
as scanned (vdir.scan), so the sync holds the write lock only while applying.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from netbalance.domain import Contact, Event, Goal, Initiator, Interaction, InteractionKind
from netbalance.domain.identity import IdentityIndex, uid_key
from netbalance.domain.merge import absorb
from netbalance.domain.names import parts_fit, split_name
from netbalance.domain.sync import (
    NOTES_FIELD,
    FieldConflict,
    Fields,
    Kind,
    Record,
    SyncEntry,
    SyncWrite,
    conflict_note,
    merge_fields,
)
from netbalance.interop.common import Skipped, VdirItem
from netbalance.store import codec
from netbalance.store.sync_state import bucket_of, same_doc
from netbalance.sync.fields import Unresolved, to_changes, to_fields
from netbalance.sync.render import render, render_followup
from netbalance.sync.report import CALENDAR, CONTACTS, Followup, Report
from netbalance.sync.vdir import SeenFile, digest_of

_TABLE = {
    "contact": codec.CONTACTS,
    "event": codec.EVENTS,
    "goal": codec.GOALS,
    "interaction": codec.INTERACTIONS,
}
_DECODE: dict[str, Callable[[int, dict[str, Any]], Record]] = {
    "contact": codec.contact_from_doc,
    "event": codec.event_from_doc,
    "goal": codec.goal_from_doc,
    "interaction": codec.interaction_from_doc,
}
_ENCODE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "contact": codec.contact_to_doc,
    "event": codec.event_to_doc,
    "goal": codec.goal_to_doc,
    "interaction": codec.interaction_to_doc,
}
# Links of each kind in a field map (domain.sync.LINKS names the record fields).
_LINK_KEYS = {"goals", "met_at", "met", "contacts", "event"}
# Records are planned in this order: what a record links to is planned before it.
ORDER: tuple[Kind, ...] = ("goal", "contact", "event", "interaction")
FOLLOWUP_DOMAIN = "netbalance.local"


def folder_of(kind: str) -> str:
    return CONTACTS if kind == "contact" else CALENDAR


def suffix_of(kind: str) -> str:
    return ".vcf" if kind == "contact" else ".ics"


@dataclass(frozen=True, slots=True)
class FileOp:
    """Write `data` to (or with None, remove) file `name` of a folder; `write` is the
    index of the store write whose entry records the file's stat once written."""

    folder: str
    name: str
    data: bytes | None
    write: int | None = None


@dataclass
class Plan:
    """The store writes and file writes of one sync, and its report."""

    writes: list[SyncWrite] = field(default_factory=list)
    files: list[FileOp] = field(default_factory=list)
    report: Report = field(default_factory=Report)


@dataclass(frozen=True)
class Inputs:
    """What the planner reads: the database's records (raw documents, as stored), the
    sync state, the folders as scanned, the follow-ups due, and the times it needs.

    `local_time` is when the database last changed (an upper bound of when a change
    here was made); `read_file` reads a file the plan rewrites, to keep what other
    clients put in it.
    """

    tables: Mapping[str, Mapping[str, Mapping[str, Any]]]
    entries: Iterable[SyncEntry]
    contacts: Mapping[str, SeenFile]
    calendar: Mapping[str, SeenFile]
    followups: Iterable[Followup]
    now: datetime
    local_time: datetime
    read_file: Callable[[str, str], bytes | None]
    # Only the items of these buckets (store.sync_state.bucket_of): the entries and
    # files given are theirs; records of other buckets are left alone. None: all.
    buckets: frozenset[int] | None = None


@functools.lru_cache(maxsize=1 << 18)
def _key(uid: str) -> str:
    # Cached: every sync compares the 55,000 uids of a big network again.
    return uid_key(uid)


class Planner:
    """Builds a Plan from Inputs; see the module docstring."""

    def __init__(self, inputs: Inputs) -> None:
        self.i = inputs
        self.plan = Plan()
        self.today = inputs.now.date()
        self.raw = {kind: inputs.tables.get(_TABLE[kind], {}) for kind in _TABLE}
        # Ids by uid (contacts by aliases too, their own uid first), and new records'
        # placeholders (-n: the n-th this sync adds of that kind).
        self.ids: dict[str, dict[str, int]] = {kind: {} for kind in _TABLE}
        for kind, docs in self.raw.items():
            index = self.ids[kind]
            for key, doc in docs.items():
                if doc.get("uid"):
                    index[_key(doc["uid"])] = int(key)
            if kind == "contact":
                for key, doc in docs.items():
                    for alias in doc.get("aliases", ()):
                        index.setdefault(_key(alias), int(key))
        self.added: dict[str, dict[str, int]] = {kind: {} for kind in _TABLE}
        self.entries: dict[tuple[str, str], SyncEntry] = {}
        for e in inputs.entries:
            self.entries[(e.kind, _key(e.uid))] = e
        self.files: dict[tuple[str, str], SeenFile] = {}
        # Names of contacts this sync adds, for the journals that name them.
        self.new_names: dict[str, str] = {}
        self.by_file = {(folder_of(e.kind), e.file): e for e in self.entries.values() if e.file}
        self.broken_files: set[tuple[str, str]] = set()
        self._sort_files(CONTACTS, inputs.contacts)
        self._sort_files(CALENDAR, inputs.calendar)

    # --- lookups ----------------------------------------------------------------------

    def uid_of(self, kind: str, record_id: int) -> str | None:
        doc = self.raw[kind].get(str(record_id))
        return doc.get("uid") if doc is not None else None

    def id_of(self, kind: str, uid: str) -> int | None:
        key = _key(uid)
        found = self.ids[kind].get(key)
        return found if found is not None else self.added[kind].get(key)

    def record(self, kind: str, record_id: int) -> Record:
        return _DECODE[kind](record_id, dict(self.raw[kind][str(record_id)]))

    def _sort_files(self, folder: str, seen: Mapping[str, SeenFile]) -> None:
        """Files by item. A file as the last sync left it is its entry's item (no sort,
        no parse: most files of most syncs); the others are read, in name order."""
        by_file = self.by_file
        changed: list[tuple[str, SeenFile]] = []
        for name, f in seen.items():
            if f.item is None and ".sync-conflict-" not in name:
                entry = by_file.get((folder, name))
                if entry is not None:
                    self.files.setdefault((entry.kind, _key(entry.uid)), f)
            else:
                changed.append((name, f))
        changed.sort(key=lambda pair: pair[0])
        for name, f in changed:
            if ".sync-conflict-" in name:
                # Syncthing's copy of a file two machines changed: the file itself is the
                # item; the copy is the user's to merge by hand.
                self.plan.report.broken.append(
                    f"{name}: a Syncthing conflict copy; left for you to merge by hand"
                )
                continue
            if isinstance(f.item, Skipped):
                self.plan.report.broken.append(str(f.item))
                # Its item is left exactly as it is, sync state included.
                self.broken_files.add((folder, name))
                continue
            if f.item is None:
                continue
            if folder_of(f.item.kind) != folder:
                self.plan.report.broken.append(f"{name}: a {f.item.kind} in the {folder} folder")
                continue
            key = (f.item.kind, _key(f.item.uid))
            if key in self.files:
                self.plan.report.broken.append(
                    f"{name}: another file ({self.files[key].name}) holds the same item; left alone"
                )
                continue
            self.files[key] = f

    # --- the plan -----------------------------------------------------------------------

    def run(self) -> Plan:
        # Every item's key, by kind: what the last sync knew, then what the files hold.
        self.keys_by_kind: dict[str, dict[str, None]] = {}
        for k, uid in (*self.entries, *self.files):
            self.keys_by_kind.setdefault(k, {})[uid] = None
        for kind in ORDER:
            self._plan_kind(kind)
        self._plan_followups()
        return self.plan

    def _plan_kind(self, kind: Kind) -> None:
        keys = self.keys_by_kind.get(kind, {})
        record_of: dict[str, int | None] = {key: self.ids[kind].get(key) for key in keys}
        if kind == "contact":
            self._match_people(record_of)
        # Each record is one item: its own uid's if that is among the keys, else the first.
        primary: dict[int, str] = {}
        for key, rid in record_of.items():
            if rid is None:
                continue
            own = _key(self.raw[kind][str(rid)].get("uid", ""))
            if rid not in primary or key == own:
                primary[rid] = key
        for key, rid in record_of.items():
            if rid is not None and primary[rid] != key:
                self._merged_away(kind, key)
            else:
                self._plan_item(kind, key, rid)
        only = self.i.buckets
        for doc_key, doc in self.raw[kind].items():
            rid = int(doc_key)
            uid = doc.get("uid")
            if rid not in primary and uid and (only is None or bucket_of(uid) in only):
                self._plan_item(kind, _key(uid), rid)

    def _match_people(self, record_of: dict[str, int | None]) -> None:
        """First meeting of a vdir's card with no uid known here: the identity rules
        (same email, or same phone or profile link with an agreeing name; never a name
        alone) find the contact it is among those not yet synced."""
        claimed = {rid for rid in record_of.values() if rid is not None}
        unsynced: IdentityIndex[int] | None = None
        for key, rid in record_of.items():
            f = self.files.get(("contact", key))
            if rid is not None or ("contact", key) in self.entries or f is None:
                continue
            item = f.item
            if not isinstance(item, VdirItem) or not isinstance(item.record, Contact):
                continue
            if unsynced is None:
                unsynced = IdentityIndex()
                for doc_key, doc in self.raw["contact"].items():
                    if int(doc_key) not in claimed:
                        unsynced.add(int(doc_key), codec.contact_from_doc(int(doc_key), dict(doc)))
            found = unsynced.find(item.record, skip=lambda k: k in claimed)
            if found is not None and found.same_person:
                record_of[key] = found.key
                claimed.add(found.key)

    # --- one item -------------------------------------------------------------------------

    def _plan_item(self, kind: Kind, key: str, rid: int | None) -> None:
        entry = self.entries.get((kind, key))
        f = self.files.get((kind, key))
        if entry is not None and (folder_of(kind), entry.file) in self.broken_files and f is None:
            return  # its file is broken: wait until it is readable again
        doc = self.raw[kind].get(str(rid)) if rid is not None else None
        changed_here = doc is not None and (entry is None or not same_doc(entry.base, doc))
        item = f.item if f is not None and isinstance(f.item, VdirItem) else None
        if entry is None:
            if doc is not None and f is None:
                self._to_file(kind, key, rid, None, note=None)
            elif item is not None and doc is None and f is not None:
                self._add_here(kind, key, item, f, None)
            elif item is not None and rid is not None and f is not None:
                self._first_meeting(kind, key, rid, item, f)
            return
        if rid is None:
            self._gone_here(kind, key, entry, f, item)
            return
        if not entry.file:
            if f is not None and item is not None:
                self._both(kind, key, rid, entry, f, item, changed_here)
            elif changed_here:
                self._to_file(kind, key, rid, entry, note="recreated")
            return
        if f is None:
            self._file_gone(kind, key, rid, entry, changed_here)
        elif item is None:
            if changed_here:
                self._to_file(kind, key, rid, entry, note=None, existing=f)
            elif f.size != entry.size or f.mtime_ns != entry.mtime_ns:
                self._state(kind, entry, f)
        else:
            self._both(kind, key, rid, entry, f, item, changed_here)

    def _name(self, kind: str, record: Record | None, uid: str = "") -> str:
        if isinstance(record, Contact):
            return record.name
        if isinstance(record, Event | Goal):
            return f"{kind} {record.title}"
        if isinstance(record, Interaction):
            names = [
                self._contact_name(u) for u in self._links_of(kind, record).get("contacts", ())
            ]
            return f"interaction of {record.at.date().isoformat()} with {', '.join(names)}"
        return f"{kind} {uid}"

    def _contact_name(self, uid: str) -> str:
        rid = self.ids["contact"].get(_key(uid))
        if rid is not None:
            return str(self.raw["contact"][str(rid)]["name"])
        return self.new_names.get(_key(uid), "someone")

    def _links_of(self, kind: str, record: Record) -> dict[str, tuple[str, ...]]:
        fields = to_fields(kind, record, self.uid_of)
        return {k: v for k, v in fields.items() if k in _LINK_KEYS}

    def _fields(self, kind: str, record: Record) -> Fields:
        return _normal(kind, to_fields(kind, record, self.uid_of))

    def _file_fields(self, kind: str, item: VdirItem, fallback: Fields) -> Fields:
        """A file's item as a field map; fields it does not state take `fallback`'s values."""
        assert item.record is not None
        fields = _normal(kind, to_fields(kind, item.record, links=item.links))
        stated = item.stated | {"contacts"} if kind == "interaction" else item.stated
        return {
            k: (v if k in stated or k not in fallback else fallback[k]) for k, v in fields.items()
        }

    def _entry(
        self, kind: Kind, uid: str, name: str, data_digest: str, size: int = 0, mtime: int = 0
    ) -> SyncEntry:
        return SyncEntry(
            kind=kind, uid=uid, file=name, digest=data_digest, size=size, mtime_ns=mtime
        )

    def _write(self, write: SyncWrite) -> int:
        self.plan.writes.append(write)
        return len(self.plan.writes) - 1

    def _file(self, kind: str, name: str, data: bytes | None, write: int | None) -> None:
        self.plan.files.append(FileOp(folder_of(kind), name, data, write))

    def _render(
        self,
        kind: str,
        record: Record,
        links: Mapping[str, tuple[str, ...]],
        changed_at: datetime | None,
        existing: bytes | None,
        cancelled: bool = False,
    ) -> bytes:
        names = ""
        if kind == "interaction":
            names = ", ".join(self._contact_name(u) for u in links.get("contacts", ()))
        return render(
            kind,
            record,
            links,
            changed_at=changed_at,
            existing=existing,
            names=names,
            cancelled=cancelled,
        )

    def _existing(self, kind: str, f: SeenFile | None) -> bytes | None:
        if f is None:
            return None
        return f.data if f.data is not None else self.i.read_file(folder_of(kind), f.name)

    # --- the cases ---------------------------------------------------------------------------

    def _to_file(
        self,
        kind: Kind,
        key: str,
        rid: int | None,
        entry: SyncEntry | None,
        note: str | None,
        existing: SeenFile | None = None,
    ) -> None:
        """A record new or changed here (or whose file went while it changed): its file."""
        assert rid is not None
        record = self.record(kind, rid)
        uid = entry.uid if entry is not None else record.uid
        if record.uid != uid:
            record = record.edit(uid=uid)  # a card keeps the uid it was first synced under
        data = self._render(
            kind,
            record,
            self._links_of(kind, record),
            self.i.local_time,
            self._existing(kind, existing),
        )
        name = existing.name if existing is not None else _file_name(entry, uid, kind)
        doc = dict(self.raw[kind][str(rid)])
        index = self._write(
            SyncWrite(
                kind,
                uid,
                "none",
                SyncEntry(kind, uid, name, digest_of(data), len(data), 0, doc),
                old_entry=entry.id if entry is not None else 0,
            )
        )
        self._file(kind, name, data, index)
        what = self._name(kind, record)
        self.plan.report.to_files.append(what)
        if note == "recreated":
            self.plan.report.recreated.append(
                f"{what}: its file was deleted elsewhere, but it changed here since; written again"
            )

    def _state(self, kind: Kind, entry: SyncEntry, f: SeenFile) -> None:
        """A file rewritten with the same bytes (touched): remember its new stat."""
        new = SyncEntry(kind, entry.uid, f.name, f.digest, f.size, f.mtime_ns, entry.base)
        self._write(SyncWrite(kind, entry.uid, "none", new, old_entry=entry.id))

    def _add_here(
        self, kind: Kind, key: str, item: VdirItem, f: SeenFile, entry: SyncEntry | None
    ) -> None:
        """A file new in the vdir (or changed there after its record went here): a record."""
        entry_id = entry.id if entry is not None else 0
        if item.cancelled or item.record is None:
            tomb = SyncEntry(kind, item.uid, f.name, f.digest, f.size, f.mtime_ns, {})
            self._write(SyncWrite(kind, item.uid, "none", tomb, old_entry=entry_id))
            return
        fields = self._file_fields(kind, item, {})
        try:
            links = to_changes(
                kind, {k: v for k, v in fields.items() if k in _LINK_KEYS}, self.id_of
            )
        except Unresolved as err:
            self.plan.report.waiting.append(
                f"{f.name}: names a contact not here ({err}); synced once that contact is"
            )
            return
        record = item.record.edit(**links)
        placeholder = len(self.added[kind]) + 1
        self.added[kind][key] = -placeholder
        if isinstance(record, Contact):
            self.new_names[key] = record.name
        new = SyncEntry(kind, item.uid, f.name, f.digest, f.size, f.mtime_ns)
        self._write(SyncWrite(kind, item.uid, "add", new, record=record, old_entry=entry_id))
        self.plan.report.here.append(f"added {self._name(kind, record)} from {f.name}")

    def _first_meeting(self, kind: Kind, key: str, rid: int, item: VdirItem, f: SeenFile) -> None:
        """A file and a record that are one item, meeting for the first time (the same
        uid, or a card the identity rules say is this contact)."""
        record = self.record(kind, rid)
        if isinstance(record, Contact) and isinstance(item.record, Contact):
            incoming = item.record
            merged = absorb(record, incoming.edit(goal_ids=()))
            theirs = self._file_fields(kind, item, self._fields(kind, record))
            ours = self._fields(kind, merged)
            # What the card links to that this contact lacks is added, like any list.
            for link in ("goals",):
                ours[link] = tuple(dict.fromkeys((*ours[link], *theirs.get(link, ()))))
            self._settle(kind, key, rid, record, None, ours, f, item, conflicts=())
            return
        if item.cancelled or item.record is None:
            self._gone_there(kind, key, rid, None, f, changed_here=False)
            return
        ours = self._fields(kind, record)
        theirs = self._file_fields(kind, item, ours)
        result = merge_fields(
            None, ours, theirs, ours_newer=self._ours_newer(item, f), their_side="in the vdir"
        )
        self._settle(kind, key, rid, record, None, result.fields, f, item, result.conflicts)

    def _both(
        self,
        kind: Kind,
        key: str,
        rid: int,
        entry: SyncEntry,
        f: SeenFile,
        item: VdirItem,
        changed_here: bool,
    ) -> None:
        """The file changed since the last sync (and maybe the record too): merge."""
        record = self.record(kind, rid)
        if item.cancelled or item.record is None:
            self._gone_there(kind, key, rid, entry, f, changed_here)
            return
        base = self._fields(kind, _DECODE[kind](rid, dict(entry.base))) if entry.base else None
        ours = self._fields(kind, record)
        theirs = self._file_fields(kind, item, base if base is not None else ours)
        if not changed_here and base is not None:
            merged = merge_fields(base, base, theirs, ours_newer=False, their_side="in the vdir")
            fields = {**ours, **{k: v for k, v in merged.fields.items() if v != base.get(k)}}
            self._settle(kind, key, rid, record, entry, fields, f, item, ())
            return
        merged = merge_fields(
            base, ours, theirs, ours_newer=self._ours_newer(item, f), their_side="in the vdir"
        )
        self._settle(kind, key, rid, record, entry, merged.fields, f, item, merged.conflicts)

    def _ours_newer(self, item: VdirItem, f: SeenFile) -> bool:
        theirs = item.changed_at or datetime.fromtimestamp(f.mtime_ns / 1e9, UTC)
        return self.i.local_time >= theirs

    def _settle(
        self,
        kind: Kind,
        key: str,
        rid: int,
        record: Record,
        entry: SyncEntry | None,
        fields: Fields,
        f: SeenFile,
        item: VdirItem,
        conflicts: tuple[FieldConflict, ...],
    ) -> None:
        """Make both sides hold `fields`: the record's changes, and the file rewritten when
        it does not say the same already."""
        if conflicts and kind in NOTES_FIELD:
            notes = NOTES_FIELD[kind]
            fields[notes] = conflict_note(str(fields[notes]), conflicts, self.today, notes)
            what = self._name(kind, record)
            for c in conflicts:
                self.plan.report.conflicts.append(
                    f"{what}: {c.field.replace('_', ' ')} changed on both sides; "
                    f"kept {_short(c.kept)}, the other ({_short(c.lost)}) is in the notes"
                )
        try:
            wanted = to_changes(kind, fields, self.id_of)
        except Unresolved as err:
            self.plan.report.waiting.append(
                f"{f.name}: names a contact not here ({err}); synced once that contact is"
            )
            return
        changes = {k: v for k, v in wanted.items() if getattr(record, k) != v}
        planned = record.edit(**changes)
        theirs = self._file_fields(kind, item, fields)
        links = {k: v for k, v in fields.items() if k in _LINK_KEYS}
        uid = entry.uid if entry is not None else item.uid
        entry_id = entry.id if entry is not None else 0
        if theirs != fields:
            stamp = max(self.i.local_time, item.changed_at or self.i.local_time)
            data = self._render(kind, planned.edit(uid=uid), links, stamp, self._existing(kind, f))
            new = SyncEntry(kind, uid, f.name, digest_of(data), len(data), 0)
            index = self._write(
                SyncWrite(
                    kind,
                    uid,
                    "edit" if changes else "none",
                    new
                    if changes
                    else SyncEntry(
                        kind,
                        uid,
                        f.name,
                        digest_of(data),
                        len(data),
                        0,
                        dict(self.raw[kind][str(rid)]),
                    ),
                    changes=changes,
                    base=record,
                    old_entry=entry_id,
                )
            )
            self._file(kind, f.name, data, index)
            self.plan.report.to_files.append(self._name(kind, planned))
        else:
            new = SyncEntry(kind, uid, f.name, f.digest, f.size, f.mtime_ns)
            if not changes:
                doc = dict(self.raw[kind][str(rid)])
                new = SyncEntry(kind, uid, f.name, f.digest, f.size, f.mtime_ns, doc)
            self._write(
                SyncWrite(
                    kind,
                    uid,
                    "edit" if changes else "none",
                    new,
                    changes=changes,
                    base=record,
                    old_entry=entry_id,
                )
            )
        if changes:
            self.plan.report.here.append(
                f"{self._name(kind, planned)}: {', '.join(k.replace('_', ' ') for k in changes)}"
            )

    def _file_gone(
        self, kind: Kind, key: str, rid: int, entry: SyncEntry, changed_here: bool
    ) -> None:
        """The file was deleted elsewhere: archived here (a record changed here since
        gets its file back)."""
        if changed_here:
            self._to_file(kind, key, rid, entry, note="recreated")
            return
        self._gone_there(kind, key, rid, entry, None, changed_here=False)

    def _gone_there(
        self,
        kind: Kind,
        key: str,
        rid: int,
        entry: SyncEntry | None,
        f: SeenFile | None,
        changed_here: bool,
    ) -> None:
        """Deleted on the other side (a file removed, a journal cancelled): a contact is
        archived, a goal retired, an event or interaction kept here unsynced; an
        interaction deleted in netbalance elsewhere (cancelled) is deleted here too."""
        record = self.record(kind, rid)
        what = self._name(kind, record)
        entry_id = entry.id if entry is not None else 0
        if f is not None and kind == "interaction":
            if changed_here:
                self._to_file(kind, key, rid, entry, note=None, existing=f)
                self.plan.report.recreated.append(
                    f"{what}: deleted elsewhere, but it changed here since; kept and written again"
                )
                return
            tomb = SyncEntry(kind, record.uid, f.name, f.digest, f.size, f.mtime_ns, {})
            self._write(
                SyncWrite(kind, record.uid, "delete", tomb, base=record, old_entry=entry_id)
            )
            self.plan.report.here.append(f"deleted {what}: it was deleted elsewhere")
            return
        changes: dict[str, Any] = {}
        if isinstance(record, Contact) and not record.archived:
            changes = {"archived": True}
        elif isinstance(record, Goal) and record.active:
            changes = {"active": False}
        planned = record.edit(**changes)
        uid = entry.uid if entry is not None else record.uid
        kept = SyncEntry(kind, uid, "", "", 0, 0, _ENCODE[kind](planned))
        action: Literal["edit", "none"] = "edit" if changes else "none"
        self._write(
            SyncWrite(kind, uid, action, kept, changes=changes, base=record, old_entry=entry_id)
        )
        verb = "archived" if isinstance(record, Contact) else "retired" if changes else "kept"
        self.plan.report.archived.append(
            f"{what}: its file was deleted elsewhere; {verb} here, never deleted"
        )

    def _gone_here(
        self,
        kind: Kind,
        key: str,
        entry: SyncEntry,
        f: SeenFile | None,
        item: VdirItem | None,
    ) -> None:
        """The record is no longer here (deleted, merged into another)."""
        if not entry.base:
            # Already a tombstone; a file revived elsewhere comes back.
            if item is not None and not item.cancelled and f is not None:
                self._add_here(kind, key, item, f, entry)
            return
        if f is None:
            self._write(SyncWrite(kind, entry.uid, "none", None, old_entry=entry.id))
            return
        if item is not None and not item.cancelled:
            self._add_here(kind, key, item, f, entry)
            self.plan.report.recreated.append(
                f"{f.name}: deleted here, but changed elsewhere since; added back"
            )
            return
        if kind == "interaction":
            base = _DECODE[kind](0, dict(entry.base))
            data = self._render(
                kind,
                base,
                self._links_of(kind, base),
                self.i.local_time,
                self._existing(kind, f),
                cancelled=True,
            )
            tomb = SyncEntry(kind, entry.uid, f.name, digest_of(data), len(data), 0, {})
            index = self._write(SyncWrite(kind, entry.uid, "none", tomb, old_entry=entry.id))
            self._file(kind, f.name, data, index)
            self.plan.report.to_files.append(f"deleted {self._name(kind, base)}")
            return
        self._merged_away(kind, key)

    def _merged_away(self, kind: Kind, key: str) -> None:
        """An item whose record is now part of another (a merge): its file goes, the
        record's own file carries it (with this uid among its aliases)."""
        entry = self.entries.get((kind, key))
        f = self.files.get((kind, key))
        index = None
        if entry is not None:
            index = self._write(SyncWrite(kind, entry.uid, "none", None, old_entry=entry.id))
        if f is not None:
            self._file(kind, f.name, None, index)
            self.plan.report.to_files.append(f"removed {f.name}: merged into another contact")

    # --- follow-ups -----------------------------------------------------------------------

    def _plan_followups(self) -> None:
        """The follow-ups due as to-dos; one ticked off elsewhere is logged as a follow-up."""
        wanted: dict[str, Followup] = {}
        only = self.i.buckets
        for due in self.i.followups:
            if only is None or bucket_of(due.contact.uid) in only:
                wanted[_key(followup_uid(due.contact.uid))] = due
        keys = dict.fromkeys(
            [k for kind, k in self.entries if kind == "followup"]
            + [k for kind, k in self.files if kind == "followup"]
            + list(wanted)
        )
        # People whose interactions this sync brings in: their due day moves once those
        # are stored, so their to-dos wait for the next sync.
        moving: set[str] = set()
        for w in self.plan.writes:
            if w.kind == "interaction" and isinstance(w.record, Interaction):
                moving |= {_key(followup_uid(u)) for u in self._link_uids(w.record)}
            if w.kind == "interaction" and w.changes and isinstance(w.base, Interaction):
                moving |= {_key(followup_uid(u)) for u in self._link_uids(w.base)}
        for key in keys:
            entry = self.entries.get(("followup", key))
            f = self.files.get(("followup", key))
            item = f.item if f is not None and isinstance(f.item, VdirItem) else None
            fu: Followup | None = wanted.get(key)
            if item is not None and item.done_at is not None:
                # Logged now; the to-do is written anew, with the next due day, next time.
                self._followed_up(item)
                continue
            if key in moving:
                continue
            if fu is None:
                if entry is None:
                    continue  # another replica's to-do for someone not (yet) here
                if f is not None:
                    self._file("followup", f.name, None, None)
                if entry is not None:
                    self._write(SyncWrite("followup", entry.uid, "none", None, old_entry=entry.id))
                continue
            # What the to-do says, kept as its base: compared first, so the 5,000 to-dos
            # of a big network are not rendered again on every sync.
            said = {"due": fu.due.isoformat(), "name": fu.contact.name, "step": fu.next_step}
            said |= {"company": fu.contact.company, "role": fu.contact.role}
            unchanged = entry is not None and f is not None and f.item is None
            if unchanged and entry is not None and same_doc(entry.base, said):
                continue
            data = render_followup(fu.contact, fu.due, fu.next_step)
            digest = digest_of(data)
            uid = followup_uid(fu.contact.uid)
            name = f.name if f is not None else _file_name(entry, uid, "followup")
            entry_id = entry.id if entry is not None else 0
            if f is not None and f.digest == digest:
                new = SyncEntry("followup", uid, name, digest, f.size, f.mtime_ns, said)
                self._write(SyncWrite("followup", uid, "none", new, old_entry=entry_id))
                continue
            new = SyncEntry("followup", uid, name, digest, len(data), 0, said)
            index = self._write(SyncWrite("followup", uid, "none", new, old_entry=entry_id))
            self._file("followup", name, data, index)

    def _link_uids(self, interaction: Interaction) -> list[str]:
        found = []
        for cid in interaction.contact_ids:
            if cid > 0:
                found.append(self.uid_of("contact", cid) or "")
            else:
                found += [k for k, v in self.added["contact"].items() if v == cid]
        return [u for u in found if u]

    def _followed_up(self, item: VdirItem) -> None:
        """A follow-up to-do ticked off in another app: a follow-up logged then, once (its
        uid comes from the to-do's, so every replica logs the same one)."""
        assert item.done_at is not None
        contact_uid = next(iter(item.links.get("contacts", ())), "")
        rid = self.id_of("contact", contact_uid)
        if rid is None:
            return
        uid = f"{item.uid}-done-{item.done_at.strftime('%Y%m%dT%H%M%SZ')}"
        key = _key(uid)
        if self.id_of("interaction", uid) is not None or ("interaction", key) in self.files:
            return
        at = min(item.done_at, self.i.now.astimezone(UTC))
        interaction = Interaction(
            (rid,), at, kind=InteractionKind.MESSAGE, depth=2, initiated_by=Initiator.ME, uid=uid
        )
        self.added["interaction"][key] = -(len(self.added["interaction"]) + 1)
        self._write(SyncWrite("interaction", uid, "add", None, record=interaction))
        self.plan.report.here.append(
            f"followed up with {self._contact_name(contact_uid)} (ticked off elsewhere)"
        )


def followup_uid(contact_uid: str) -> str:
    """The uid of a contact's follow-up to-do (the same as `export ics` gives it)."""
    return f"followup-{contact_uid}@{FOLLOWUP_DOMAIN}"


def _file_name(entry: SyncEntry | None, uid: str, kind: str) -> str:
    from netbalance.interop.export_vcard import vdir_file_name

    if entry is not None and entry.file:
        return entry.file
    return vdir_file_name(uid, suffix_of(kind))


def _short(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value or "(empty)")
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _normal(kind: str, fields: Fields) -> Fields:
    """Fields as both sides can hold them: a contact's name parts only when they say more
    than the name does (a card keeps no others)."""
    if kind == "contact":
        parts = fields.get("name_parts") or ()
        name = str(fields.get("name", ""))
        if parts and (not parts_fit(name, parts) or tuple(parts) == split_name(name)):
            fields["name_parts"] = ()
    return fields


def plan_sync(inputs: Inputs) -> Plan:
    """The plan of one sync (see the module docstring)."""
    return Planner(inputs).run()

"""The rules of two-way sync, pure: what a sync remembers, and how two changes meet.

A sync compares each side (this database, a vdir folder) with what both held at the
last sync (`SyncEntry.base`). A side that differs changed. When both changed, the
fields merge three ways: a field changed on one side takes that side's value; a list
(emails, phones, tags...) changed on both keeps what either added and drops what
either removed; a single value changed on both to two different values is a
conflict: the newer change wins and the other value is written into the record's
notes under a dated "sync conflict" line, so nothing typed on either side is lost.

Records are compared as field maps in which links to other records are uids (a
contact's goals, an interaction's people), never this database's ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from netbalance.domain.model import Contact, Event, Goal, Interaction

# What the sync keeps in step, by the word the state and reports use.
Kind = Literal["contact", "event", "interaction", "goal", "followup"]
KINDS: tuple[Kind, ...] = ("goal", "event", "contact", "interaction", "followup")

Record = Contact | Event | Goal | Interaction
Fields = dict[str, Any]

# Each kind's fields that link to other records, and the kind each points at.
LINKS: dict[str, dict[str, str]] = {
    "contact": {"goal_ids": "goal", "met_at_event_id": "event"},
    "event": {"goal_ids": "goal", "met_contact_ids": "contact"},
    "interaction": {"contact_ids": "contact", "event_id": "event"},
    "goal": {},
}

# The field that holds a record's notes, where a conflict's other value is kept.
NOTES_FIELD: dict[str, str] = {
    "contact": "notes",
    "event": "notes",
    "goal": "notes",
    "interaction": "note",
}


@dataclass(frozen=True, slots=True)
class SyncEntry:
    """What one item was at the last sync: its file and the record both sides agreed on.

    `file` is the name inside its vdir folder ("" once the file is gone and the record is
    kept here without one); `digest`, `size` and `mtime_ns` tell whether the file changed
    without reading it; `base` is the record as synced (the stored document), the common
    ancestor of the next three-way merge. `id` is the entry's own row in the store.
    """

    kind: Kind
    uid: str
    file: str = ""
    digest: str = ""
    size: int = 0
    mtime_ns: int = 0
    base: Mapping[str, Any] = field(default_factory=dict)
    id: int = 0


@dataclass(frozen=True, slots=True)
class SyncWrite:
    """One item's part of a sync, applied to the database under its write lock.

    `action` says what happens to the record: "add" stores `record` (links to records
    added in the same sync are negative placeholders, -n for the n-th added of that
    kind), "edit" sets `changes` on the record `base` was read from (refused, this item
    only, when another process changed one of those fields since), "delete" removes
    the interaction `base`, "none" leaves records alone. `entry` is the item's new sync
    state (None drops it); its base is filled in from `record` inside the transaction.
    """

    kind: Kind
    uid: str
    action: Literal["add", "edit", "delete", "none"]
    entry: SyncEntry | None
    record: Record | None = None
    changes: Mapping[str, Any] = field(default_factory=dict)
    base: Record | None = None
    # The entry being replaced or dropped (its row id), if any.
    old_entry: int = 0


@dataclass(frozen=True, slots=True)
class FieldConflict:
    """One field both sides changed to different values, and which value won."""

    field: str
    kept: Any
    lost: Any
    lost_side: str


@dataclass(frozen=True, slots=True)
class Merged:
    """The result of a three-way merge: the fields, and the conflicts it settled."""

    fields: Fields
    conflicts: tuple[FieldConflict, ...] = ()


def _is_list(value: Any) -> bool:
    return isinstance(value, tuple)


def _merge_lists(base: tuple[Any, ...], ours: tuple[Any, ...], theirs: tuple[Any, ...]) -> Any:
    """Both changed a list: keep what either added, drop what either removed, in order."""
    removed = {x for x in base if x not in ours or x not in theirs}
    merged = [x for x in ours if x not in removed]
    merged += [x for x in theirs if x not in removed and x not in merged]
    return tuple(merged)


def merge_fields(
    base: Mapping[str, Any] | None,
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    *,
    ours_newer: bool,
    their_side: str,
    our_side: str = "here",
) -> Merged:
    """Three-way merge of one record's fields (see the module docstring).

    `base` None (both sides made the record before they ever synced) makes every
    difference a change on both sides. Fields `theirs` leaves out are unchanged there.
    """
    out: Fields = dict(ours)
    conflicts: list[FieldConflict] = []
    for name, our_value in ours.items():
        if name not in theirs:
            continue
        their_value = theirs[name]
        if their_value == our_value:
            continue
        base_value = base.get(name, our_value) if base is not None else None
        ours_changed = base is None or our_value != base_value
        theirs_changed = base is None or their_value != base_value
        if not theirs_changed:
            continue
        if not ours_changed:
            out[name] = their_value
            continue
        if _is_list(our_value) and _is_list(their_value):
            base_list: tuple[Any, ...] = base_value if isinstance(base_value, tuple) else ()
            out[name] = _merge_lists(base_list, our_value, their_value)
            continue
        if ours_newer:
            conflicts.append(FieldConflict(name, our_value, their_value, their_side))
        else:
            out[name] = their_value
            conflicts.append(FieldConflict(name, their_value, our_value, our_side))
    return Merged(out, tuple(conflicts))


def _shown(value: Any) -> str:
    if value is None or value == "" or value == ():
        return "(empty)"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def conflict_note(
    notes: str, conflicts: tuple[FieldConflict, ...], day: date, notes_field: str
) -> str:
    """`notes` with one dated "sync conflict" line per conflict, naming the value that lost.

    The lost value of the notes themselves follows its line whole. A line already there
    (the same conflict merged twice after an interrupted sync) is not added again.
    """
    lines: list[str] = []
    for c in conflicts:
        what = "notes" if c.field == notes_field else c.field.replace("_", " ")
        line = f"sync conflict {day.isoformat()}: {what} {c.lost_side} was {_shown(c.lost)}"
        if c.field == notes_field:
            line = f"sync conflict {day.isoformat()}: notes {c.lost_side} were:\n{c.lost}"
        if line not in notes and line not in lines:
            lines.append(line)
    if not lines:
        return notes
    return "\n\n".join([notes, *lines]) if notes else "\n\n".join(lines)

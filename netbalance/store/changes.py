"""What a write changed, field by field, and how to take it back.

A `Change` lists, per record, the stored fields one write set, with their values
before and after; a record the write added or removed is whole on one side. Undo
is the inverse change: into each record as it is *now* it puts back the "before"
values of those fields only, and refuses when another process has changed one of
them since (a field already back at its old value is no conflict). Everything here
works on stored documents, so every kind of record and every field added later is
covered without a list to keep up to date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final, Literal

from netbalance.store.engine import Applied

Doc = dict[str, Any]


class _Absent(Enum):
    ABSENT = "absent"

    def __repr__(self) -> str:
        return "ABSENT"


# A key the document did not hold: documents omit empty fields, so "cleared" is absent.
ABSENT: Final = _Absent.ABSENT


@dataclass(frozen=True)
class RecordChange:
    """One record's part of a change.

    `before` and `after` map the stored keys the write set to their values (ABSENT
    where the document had no such key). `before` is None when the write added the
    record, `after` None when it removed it; the other side is then the whole document.
    """

    table: str
    doc_id: int
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass(frozen=True)
class Change:
    """What one write did, record by record: enough to undo it, and only it."""

    description: str
    records: tuple[RecordChange, ...] = ()


def change_of(description: str, applied: Iterable[Applied]) -> Change:
    """The change a transaction made, from its documents before and after."""
    records: list[RecordChange] = []
    for table, key, old, new in applied:
        if old is None and new is None:
            continue  # added and removed in one transaction
        if old is None or new is None:
            # Copies: the stored documents live on and later writes change them in place.
            records.append(
                RecordChange(
                    table,
                    int(key),
                    dict(old) if old is not None else None,
                    dict(new) if new is not None else None,
                )
            )
            continue
        keys = [k for k in {**old, **new} if old.get(k, ABSENT) != new.get(k, ABSENT)]
        if keys:
            records.append(
                RecordChange(
                    table,
                    int(key),
                    {k: old.get(k, ABSENT) for k in keys},
                    {k: new.get(k, ABSENT) for k in keys},
                )
            )
    return Change(description, tuple(records))


def with_values(doc: Mapping[str, Any], values: Mapping[str, Any]) -> Doc:
    """`doc` with `values` set (ABSENT removes a key)."""
    out = dict(doc)
    for k, v in values.items():
        if v is ABSENT:
            out.pop(k, None)
        else:
            out[k] = v
    return out


@dataclass(frozen=True)
class UndoStep:
    """How to undo one record's part of a change, or why it cannot be undone.

    `action` is "put" (store `doc`), "remove", "keep" (already as it was) or
    "conflict": another process changed the record since. Then `expected` is the
    record as this change left it (in the fields that matter) and `current` what it
    is now (None: removed elsewhere), for the message.
    """

    record: RecordChange
    action: Literal["put", "remove", "keep", "conflict"]
    doc: Doc | None = None
    expected: Doc | None = None
    current: Doc | None = None


def undo_step(record: RecordChange, current: Mapping[str, Any] | None) -> UndoStep:
    """Plan the undo of `record` against the document as it is now."""
    before, after = record.before, record.after
    now = dict(current) if current is not None else None
    if before is None:
        # The change added this record: remove it, unless it was changed since.
        if now is None:
            return UndoStep(record, "keep")
        if now != after:
            return UndoStep(record, "conflict", expected=dict(after or {}), current=now)
        return UndoStep(record, "remove")
    if after is None:
        # The change removed this record: bring it back, unless its id is taken again.
        if now is None:
            return UndoStep(record, "put", doc=dict(before))
        if now == before:
            return UndoStep(record, "keep")
        return UndoStep(record, "conflict", expected=dict(before), current=now)
    if now is None:
        return UndoStep(record, "conflict", expected=with_values({}, after), current=None)
    stale = {
        k: v
        for k, v in after.items()
        if now.get(k, ABSENT) != v and now.get(k, ABSENT) != before[k]
    }
    if stale:
        return UndoStep(record, "conflict", expected=with_values(now, stale), current=now)
    target = with_values(now, before)
    if target == now:
        return UndoStep(record, "keep")
    return UndoStep(record, "put", doc=target)

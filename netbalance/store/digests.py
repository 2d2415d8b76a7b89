"""What the health model reads of every interaction, kept beside the store's indexes.

Per interaction id, its digest (codec.Digest: time, depth, initiator, minutes, event,
next step's date, as stored). The store's index file holds them as columns (one list
per field, `encode`), about a fifth of the interactions' JSON; a store opened from it
keeps those bytes as they are and the changes since (interactions added, changed or
removed), and decodes the columns only to build the health model (`rows`), in the
app's worker thread. Decoded and kept, they were 70 MB at 200,000 interactions; the
bytes are 8 MB.

They are derived, never the only copy: a store that read the file whole derives them
from its documents (`Store._digest_rows`), and every change to an interaction passes
through `put` or `drop` with the store's other indexes.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from netbalance.store.codec import Digest, DigestRow

# ids, then one list per field of the digest, in its order.
_COLUMNS = 7


class Digests:
    """The digests of an index file (`blob`), with the changes made since."""

    __slots__ = ("added", "blob", "removed")

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self.added: dict[int, Digest] = {}  # added or changed since the index
        self.removed: set[int] = set()  # removed (or changed) since the index

    def put(self, doc_id: int, digest: Digest) -> None:
        self.added[doc_id] = digest

    def drop(self, doc_id: int) -> None:
        self.added.pop(doc_id, None)
        self.removed.add(doc_id)

    def copy(self) -> Digests:
        """A copy to read outside the store's mutex (the bytes are never changed)."""
        other = Digests(self.blob)
        other.added = dict(self.added)
        other.removed = set(self.removed)
        return other

    def rows(self) -> Iterator[DigestRow]:
        """Every interaction's id and digest (those of the index not changed since, then
        the changed and added ones). ValueError when the bytes are not columns."""
        rows = zip(*decode(self.blob), strict=True)
        skip = self.removed.union(self.added)
        if skip:
            yield from (row for row in rows if row[0] not in skip)
        else:
            yield from rows
        for doc_id, digest in self.added.items():
            yield (doc_id, *digest)


def decode(blob: bytes) -> list[list[Any]]:
    """The columns `encode` wrote; ValueError for anything else."""
    try:
        columns = marshal.loads(blob)
    except (EOFError, TypeError) as err:
        raise ValueError(str(err)) from err
    if (
        not isinstance(columns, list)
        or len(columns) != _COLUMNS
        or not all(isinstance(c, list) and len(c) == len(columns[0]) for c in columns)
    ):
        raise ValueError("the index's digests are not columns")
    return columns


def encode(rows: Iterable[DigestRow]) -> bytes:
    """The columns of `rows` as the index file holds them. Texts repeated in a column
    (the initiator, a next step's date) are written once (marshal keeps one object per
    repeated object): each is interned first."""
    columns: list[list[Any]] = [[] for _ in range(_COLUMNS)]
    ids, ats, depths, bys, minutes, events, nexts = columns
    intern = sys.intern
    for doc_id, at, depth, by, minute, event, next_on in rows:
        ids.append(doc_id)
        ats.append(at)
        depths.append(depth)
        bys.append(intern(by) if by.__class__ is str else by)
        minutes.append(minute)
        events.append(event)
        nexts.append(intern(next_on) if next_on.__class__ is str else next_on)
    return marshal.dumps(columns)

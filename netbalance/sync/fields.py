"""Records as the sync compares them: field maps whose links are uids, not ids.

Both sides meet here: a stored record and a file's item become the same kind of map
(`to_fields`), so a three-way merge (domain.sync.merge_fields) compares like with
like; `to_changes` turns a merged map back into field values for the store, with
links as this database's ids (or placeholders for records the same sync adds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from netbalance.domain.sync import LINKS, Fields, Record

# Fields that are a record's identity or this database's business, never synced.
_NOT_SYNCED = {"id", "uid", "source"}

# Uid of a record of a kind, by id (None when there is none).
UidOf = Callable[[str, int], str | None]
# Id of a record of a kind, by uid (None when there is none).
IdOf = Callable[[str, str], int | None]


class Unresolved(Exception):
    """A link to a record that is not here (yet): an interaction with someone unknown."""


def _link_key(field_name: str) -> str:
    """The map's key for a link field: 'goal_ids' -> 'goals', 'contact_ids' -> 'contacts'."""
    return {
        "goal_ids": "goals",
        "met_at_event_id": "met_at",
        "met_contact_ids": "met",
        "contact_ids": "contacts",
        "event_id": "event",
    }[field_name]


def to_fields(
    kind: str,
    record: Record,
    uid_of: UidOf | None = None,
    links: Mapping[str, tuple[str, ...]] | None = None,
) -> Fields:
    """`record` as a field map; its links from `links` (a file's uids) or through `uid_of`."""
    out: Fields = {}
    link_fields = LINKS[kind]
    for f in dataclasses.fields(record):
        name = f.name
        if name in _NOT_SYNCED:
            continue
        value = getattr(record, name)
        if name in link_fields:
            key = _link_key(name)
            if links is not None:
                out[key] = tuple(links.get(key, ()))
                continue
            assert uid_of is not None
            ids = value if isinstance(value, tuple) else (() if value is None else (value,))
            uids = (uid_of(link_fields[name], i) for i in ids)
            out[key] = tuple(u for u in uids if u)
            continue
        out[name] = value
    return out


def to_changes(kind: str, fields: Mapping[str, Any], id_of: IdOf) -> dict[str, Any]:
    """A field map as the record's field values, links as ids.

    A link to a record not here is left out, except the people of an interaction:
    without them it cannot be stored (Unresolved).
    """
    out: dict[str, Any] = {}
    by_key = {_link_key(name): name for name in LINKS[kind]}
    for key, value in fields.items():
        name = by_key.get(key)
        if name is None:
            out[key] = value
            continue
        target = LINKS[kind][name]
        ids: list[int] = []
        for uid in value:
            found = id_of(target, uid)
            if found is None and kind == "interaction" and name == "contact_ids":
                raise Unresolved(uid)
            if found is not None:
                ids.append(found)
        if name in ("met_at_event_id", "event_id"):
            out[name] = ids[0] if ids else None
        else:
            out[name] = tuple(ids)
    return out

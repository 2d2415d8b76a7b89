"""Domain objects <-> JSON documents. The only place that knows the stored shapes.

Documents omit empty fields to keep the file small (it is parsed at every open).
Times are fixed-format UTC strings ("2026-11-29T14:03:00Z"): they sort as text,
so indexes compare them without parsing, and `datetime.fromisoformat` reads them
about fifty times faster than a general parser.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from netbalance.domain import (
    Birthday,
    Circle,
    Contact,
    Event,
    EventStatus,
    Goal,
    GoalKind,
    Initiator,
    Interaction,
    InteractionKind,
    Settings,
    Thresholds,
    WeeklySnapshot,
)
from netbalance.domain.model import Touch
from netbalance.domain.sync import KINDS, SyncEntry

Doc = dict[str, Any]

_fromiso = datetime.fromisoformat
# Trusted decoding builds frozen dataclasses without their validating __init__.
_new = object.__new__
_set = object.__setattr__


def time_to_text(value: datetime) -> str:
    """An aware datetime as fixed-format UTC text."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text_to_time(text: str) -> datetime:
    value = _fromiso(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _opt_time(text: str | None) -> datetime | None:
    return text_to_time(text) if text else None


def _opt_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _put(doc: Doc, key: str, value: Any) -> None:
    """Set `key` only when the value is not empty (None, "", (), False)."""
    if value is None or value == "" or value == () or value is False:
        return
    doc[key] = list(value) if isinstance(value, tuple) else value


# The tables documents live in.
CONTACTS = "contacts"
INTERACTIONS = "interactions"
EVENTS = "events"
GOALS = "goals"
SETTINGS = "settings"
SNAPSHOTS = "weekly"
# Pairs of contacts the user said are two people (by uid).
APART = "apart"
# What `netbalance sync` remembers of each item it keeps in step with a vdir folder.
SYNC = "sync"

# Every link between stored records: (table, key, table it points to); the key holds
# one id or a list of them. Undo checks them, so it never leaves a link pointing at nothing.
LINKS: tuple[tuple[str, str, str], ...] = (
    (CONTACTS, "goals", GOALS),
    (CONTACTS, "met_at", EVENTS),
    (INTERACTIONS, "contacts", CONTACTS),
    (INTERACTIONS, "event", EVENTS),
    (EVENTS, "goals", GOALS),
    (EVENTS, "met", CONTACTS),
)


def linked_ids(doc: Doc, key: str) -> list[int]:
    """The ids a document's link key holds (none, one or a list)."""
    value = doc.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# --- contacts ---------------------------------------------------------------


def contact_to_doc(c: Contact) -> Doc:
    doc: Doc = {"name": c.name, "circle": c.circle.value, "created": time_to_text(c.created_at)}
    _put(doc, "cadence", c.cadence_days)
    _put(doc, "emails", c.emails)
    _put(doc, "phones", c.phones)
    _put(doc, "company", c.company)
    _put(doc, "role", c.role)
    _put(doc, "links", c.links)
    _put(doc, "tags", c.tags)
    _put(doc, "goals", c.goal_ids)
    _put(doc, "met_at", c.met_at_event_id)
    _put(doc, "how_met", c.how_met)
    _put(doc, "birthday", c.birthday.iso() if c.birthday else None)
    _put(doc, "notes", c.notes)
    _put(doc, "archived", c.archived)
    _put(doc, "snoozed_until", time_to_text(c.snoozed_until) if c.snoozed_until else None)
    _put(doc, "source", c.source)
    _put(doc, "uid", c.uid)
    _put(doc, "aliases", c.aliases)
    _put(doc, "n", c.name_parts)
    _put(doc, "closeness", c.closeness)
    return doc


_CIRCLE_OF = {c.value: c for c in Circle}


def contact_from_doc(doc_id: int, d: Doc) -> Contact:
    """Decode a stored contact without re-running validation (it ran when written).

    Opening 5,000 contacts through the validating constructor costs ~50 ms;
    this path ~10 ms. `validate_contact_doc` is the checked path for `doctor`.
    Each field is written through its slot's own setter (see _slot_setters).
    """
    get = d.get
    bday = get("birthday")
    snooze = get("snoozed_until")
    c = _new(Contact)
    _c_name(c, d["name"])
    _c_id(c, doc_id)
    _c_circle(c, _CIRCLE_OF[get("circle", "active")])
    _c_cadence(c, get("cadence"))
    _c_emails(c, tuple(get("emails", ())))
    _c_phones(c, tuple(get("phones", ())))
    _c_company(c, get("company", ""))
    _c_role(c, get("role", ""))
    _c_links(c, tuple(get("links", ())))
    _c_tags(c, tuple(get("tags", ())))
    _c_goals(c, tuple(get("goals", ())))
    _c_met_at(c, get("met_at"))
    _c_how_met(c, get("how_met", ""))
    _c_birthday(c, Birthday.from_iso(bday) if bday else None)
    _c_notes(c, get("notes", ""))
    _c_archived(c, bool(get("archived", False)))
    _c_snoozed(c, text_to_time(snooze) if snooze else None)
    _c_created(c, text_to_time(d["created"]))
    _c_source(c, get("source", ""))
    _c_uid(c, get("uid", ""))
    _c_aliases(c, tuple(get("aliases", ())))
    _c_name_parts(c, tuple(get("n", ())))
    _c_closeness(c, get("closeness"))
    if not isinstance(c.name, str):
        raise TypeError("name is not text")
    return c


def validate_contact_doc(doc_id: int, d: Doc) -> Contact:
    """Decode through the validating constructor (used by `doctor`)."""
    return dataclasses.replace(contact_from_doc(doc_id, d))


# --- interactions -----------------------------------------------------------

_KINDS = {k.value: k for k in InteractionKind}
_INITIATORS = {i.value: i for i in Initiator}


def interaction_to_doc(i: Interaction) -> Doc:
    doc: Doc = {"contacts": list(i.contact_ids), "at": time_to_text(i.at), "kind": i.kind.value}
    doc["depth"] = i.depth
    doc["by"] = i.initiated_by.value
    _put(doc, "minutes", i.minutes)
    _put(doc, "note", i.note)
    _put(doc, "next_step", i.next_step)
    _put(doc, "next_step_on", i.next_step_on.isoformat() if i.next_step_on else None)
    _put(doc, "event", i.event_id)
    _put(doc, "uid", i.uid)
    return doc


def _slot_setters(cls: type, *names: str) -> tuple[Any, ...]:
    """Each named slot's own setter: writing through it skips the attribute lookup that
    `object.__setattr__` makes per field (a third of decoding 200,000 interactions)."""
    return tuple(cls.__dict__[name].__set__ for name in names)


(
    _i_contacts,
    _i_at,
    _i_id,
    _i_kind,
    _i_depth,
    _i_by,
    _i_minutes,
    _i_note,
    _i_next_step,
    _i_next_step_on,
    _i_event,
    _i_uid,
) = _slot_setters(
    Interaction,
    "contact_ids",
    "at",
    "id",
    "kind",
    "depth",
    "initiated_by",
    "minutes",
    "note",
    "next_step",
    "next_step_on",
    "event_id",
    "uid",
)
assert len(Interaction.__slots__) == 12, "interaction_from_doc sets every field"

(
    _c_name,
    _c_id,
    _c_circle,
    _c_cadence,
    _c_emails,
    _c_phones,
    _c_company,
    _c_role,
    _c_links,
    _c_tags,
    _c_goals,
    _c_met_at,
    _c_how_met,
    _c_birthday,
    _c_notes,
    _c_archived,
    _c_snoozed,
    _c_created,
    _c_source,
    _c_uid,
    _c_aliases,
    _c_name_parts,
    _c_closeness,
) = _slot_setters(
    Contact,
    "name",
    "id",
    "circle",
    "cadence_days",
    "emails",
    "phones",
    "company",
    "role",
    "links",
    "tags",
    "goal_ids",
    "met_at_event_id",
    "how_met",
    "birthday",
    "notes",
    "archived",
    "snoozed_until",
    "created_at",
    "source",
    "uid",
    "aliases",
    "name_parts",
    "closeness",
)
assert len(Contact.__slots__) == 23, "contact_from_doc sets every field"


def interaction_from_doc(doc_id: int, d: Doc) -> Interaction:
    """Decode a stored interaction.

    Stored documents were validated when written, so this skips the dataclass
    __init__ (the store decodes tens of thousands of these; the checked path
    costs twice as much). `validate_interaction_doc` is the checked path.
    """
    get = d.get
    i = _new(Interaction)
    _i_contacts(i, tuple(d["contacts"]))
    _i_at(i, text_to_time(d["at"]))
    _i_id(i, doc_id)
    _i_kind(i, _KINDS[get("kind", "other")])
    _i_depth(i, get("depth", 2))
    _i_by(i, _INITIATORS[get("by", "me")])
    _i_minutes(i, get("minutes"))
    _i_note(i, get("note", ""))
    _i_next_step(i, get("next_step", ""))
    next_on = get("next_step_on")
    _i_next_step_on(i, date.fromisoformat(next_on) if next_on else None)
    _i_event(i, get("event"))
    _i_uid(i, get("uid", ""))
    return i


# What the health model reads of a stored interaction (`Touch`), as stored: the time,
# depth, initiator, minutes, event and next step's date, with the defaults
# `interaction_from_doc` gives missing fields. Plain values, so that the store's index
# file can hold it (marshal); `touch_from_digest` decodes it as `interaction_from_doc`
# decodes those fields.
Digest = tuple[str, int, str, int | None, int | None, str | None]
# An interaction's id and its digest, in one tuple.
DigestRow = tuple[int, str, int, str, int | None, int | None, str | None]
_new_tuple = tuple.__new__


def interaction_digest(d: Doc) -> Digest:
    """The digest of a stored interaction (see Digest)."""
    get = d.get
    return (
        d["at"],
        get("depth", 2),
        get("by", "me"),
        get("minutes"),
        get("event"),
        get("next_step_on") or None,
    )


def touch_from_digest(doc_id: int, g: Digest) -> Touch:
    """The Touch of interaction `doc_id` from its digest: the same values as the fields of
    `interaction_from_doc(doc_id, doc)` (tests/store/test_digest.py)."""
    at, depth, by, minutes, event, next_on = g
    # tuple.__new__ skips the named tuple's Python-level __new__ (50,000 calls at start).
    return _new_tuple(
        Touch,
        (
            text_to_time(at),
            doc_id,
            depth,
            _INITIATORS[by],
            minutes,
            event,
            date.fromisoformat(next_on) if next_on else None,
        ),
    )


def touches_from_digests(rows: Iterable[DigestRow]) -> dict[int, Touch]:
    """`touch_from_digest` of every row, keyed by id: the same decoding, inlined
    (200,000 rows at 20k/200k; tests/store/test_digest.py compares the two)."""
    new, fromiso, initiators, day = _new_tuple, _fromiso, _INITIATORS, date.fromisoformat
    out: dict[int, Touch] = {}
    for doc_id, at, depth, by, minutes, event, next_on in rows:
        when = fromiso(at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        out[doc_id] = new(
            Touch,
            (
                when,
                doc_id,
                depth,
                initiators[by],
                minutes,
                event,
                day(next_on) if next_on else None,
            ),
        )
    return out


def validate_interaction_doc(doc_id: int, d: Doc) -> Interaction:
    """Decode through the validating constructor (used by `doctor`)."""
    fast = interaction_from_doc(doc_id, d)
    return dataclasses.replace(fast)


# --- events -----------------------------------------------------------------


def event_to_doc(e: Event) -> Doc:
    doc: Doc = {"title": e.title, "start": time_to_text(e.start), "status": e.status.value}
    _put(doc, "end", time_to_text(e.end) if e.end else None)
    _put(doc, "place", e.place)
    _put(doc, "link", e.link)
    _put(doc, "hours", e.hours)
    _put(doc, "goals", e.goal_ids)
    _put(doc, "tags", e.tags)
    _put(doc, "notes", e.notes)
    _put(doc, "met", e.met_contact_ids)
    _put(doc, "uid", e.uid)
    return doc


def event_from_doc(doc_id: int, d: Doc) -> Event:
    """Decode a stored event without re-running validation (it ran when written).

    A file written before a limit existed (an event note longer than today's text
    limit) still opens; `validate_event_doc` is the checked path for `doctor` and undo.
    """
    e = _new(Event)
    _set(e, "title", d["title"])
    _set(e, "start", text_to_time(d["start"]))
    _set(e, "id", doc_id)
    _set(e, "end", _opt_time(d.get("end")))
    _set(e, "place", d.get("place", ""))
    _set(e, "link", d.get("link", ""))
    _set(e, "hours", d.get("hours"))
    _set(e, "status", EventStatus(d.get("status", "considering")))
    _set(e, "goal_ids", tuple(d.get("goals", ())))
    _set(e, "tags", tuple(d.get("tags", ())))
    _set(e, "notes", d.get("notes", ""))
    _set(e, "met_contact_ids", tuple(d.get("met", ())))
    _set(e, "uid", d.get("uid", ""))
    if not isinstance(e.title, str):
        raise TypeError("title is not text")
    return e


def validate_event_doc(doc_id: int, d: Doc) -> Event:
    """Decode through the validating constructor (used by `doctor` and undo)."""
    return dataclasses.replace(event_from_doc(doc_id, d))


# --- goals ------------------------------------------------------------------


def goal_to_doc(g: Goal) -> Doc:
    doc: Doc = {"title": g.title, "kind": g.kind.value, "active": g.active}
    doc["created"] = time_to_text(g.created_at)
    _put(doc, "target", g.target_date.isoformat() if g.target_date else None)
    _put(doc, "notes", g.notes)
    _put(doc, "uid", g.uid)
    return doc


_EARLIEST = Goal("x").created_at  # the domain default for a goal without a date


def goal_from_doc(doc_id: int, d: Doc) -> Goal:
    """Decode a stored goal without re-running validation (see `event_from_doc`)."""
    g = _new(Goal)
    _set(g, "title", d["title"])
    _set(g, "id", doc_id)
    _set(g, "kind", GoalKind(d.get("kind", "other")))
    _set(g, "active", bool(d.get("active", True)))
    _set(g, "target_date", _opt_date(d.get("target")))
    _set(g, "notes", d.get("notes", ""))
    _set(g, "created_at", text_to_time(d["created"]) if d.get("created") else _EARLIEST)
    _set(g, "uid", d.get("uid", ""))
    if not isinstance(g.title, str):
        raise TypeError("title is not text")
    return g


def validate_goal_doc(doc_id: int, d: Doc) -> Goal:
    """Decode through the validating constructor (used by `doctor` and undo)."""
    return dataclasses.replace(goal_from_doc(doc_id, d))


# --- weekly snapshots -------------------------------------------------------


def snapshot_to_doc(s: WeeklySnapshot) -> Doc:
    doc: Doc = {"week": s.week_start.isoformat()}
    for f in dataclasses.fields(s):
        if f.name not in ("week_start", "id"):
            doc[f.name] = getattr(s, f.name)
    doc["figures"] = dict(s.figures)
    return doc


def snapshot_from_doc(doc_id: int, d: Doc) -> WeeklySnapshot:
    known = {f.name for f in dataclasses.fields(WeeklySnapshot)}
    values = {k: v for k, v in d.items() if k in known}
    values["figures"] = dict(d.get("figures", {}))
    return WeeklySnapshot(week_start=date.fromisoformat(d["week"]), id=doc_id, **values)


# --- contacts kept apart ----------------------------------------------------


def apart_to_doc(uids: frozenset[str], at: datetime | None) -> Doc:
    """A "not the same person" decision: the two uids, sorted, and when it was made
    (unknown for one restored from a backup)."""
    doc: Doc = {"uids": sorted(uids)}
    _put(doc, "at", time_to_text(at) if at is not None else None)
    return doc


def apart_from_doc(d: Doc) -> frozenset[str]:
    uids = d["uids"]
    if not isinstance(uids, list) or len(uids) != 2 or not all(isinstance(u, str) for u in uids):
        raise TypeError("uids is not a pair of texts")
    return frozenset(uids)


# --- sync state -------------------------------------------------------------


def sync_entry_to_doc(e: SyncEntry) -> Doc:
    doc: Doc = {"kind": e.kind, "uid": e.uid, "base": dict(e.base)}
    _put(doc, "file", e.file)
    _put(doc, "digest", e.digest)
    _put(doc, "size", e.size)
    _put(doc, "mtime", e.mtime_ns)
    return doc


def sync_entry_from_doc(doc_id: int, d: Doc) -> SyncEntry:
    """Decode a sync entry without the dataclass's __init__: a sync reads all 55,000 of a
    big network's every time, and the fast path costs a third."""
    kind = d["kind"]
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one the sync keeps")
    e = _new(SyncEntry)
    _set(e, "kind", kind)
    _set(e, "uid", d["uid"])
    _set(e, "file", d.get("file", ""))
    _set(e, "digest", d.get("digest", ""))
    _set(e, "size", d.get("size", 0))
    _set(e, "mtime_ns", d.get("mtime", 0))
    _set(e, "base", d.get("base", {}))
    _set(e, "id", doc_id)
    return e


# --- settings ---------------------------------------------------------------


def settings_to_doc(s: Settings) -> Doc:
    return {
        "weekly_hours": s.weekly_hours,
        "events_per_month": s.events_per_month,
        "followup_capacity_per_event": s.followup_capacity_per_event,
        "cadence": {c.value: v for c, v in s.cadence.items()},
        "capacity": {c.value: v for c, v in s.capacity.items()},
        "thresholds": dataclasses.asdict(s.thresholds),
    }


def settings_from_doc(d: Doc) -> Settings:
    """Read settings; unknown keys are ignored and missing ones take their defaults,
    so a threshold added in a later version needs no migration."""
    t_fields = {f.name for f in dataclasses.fields(Thresholds)}
    thresholds = Thresholds(**{k: v for k, v in d.get("thresholds", {}).items() if k in t_fields})
    known = {"weekly_hours", "events_per_month", "followup_capacity_per_event"}
    return Settings(
        **{k: v for k, v in d.items() if k in known},
        cadence={Circle(k): v for k, v in d.get("cadence", {}).items() if k in _CIRCLES},
        capacity={Circle(k): v for k, v in d.get("capacity", {}).items() if k in _CIRCLES},
        thresholds=thresholds,
    )


_CIRCLES = {c.value for c in Circle}

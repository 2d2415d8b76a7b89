"""netbalance JSON export and import: everything, for backup and for scripts.

This is an interchange format with its own version, deliberately separate from the
database's storage documents (store/codec.py): the database schema may migrate, the
export a script reads should not change under it. Reading keeps every record's id and
link, so importing into an empty database is a full restore (plan.plan_restore: the
same ids, goals, weekly notes and settings), and importing into a database that holds
data merges through the same plan as every other import; importing twice changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from netbalance.domain import (
    Birthday,
    Circle,
    Contact,
    DomainError,
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
from netbalance.domain.text import escape_json
from netbalance.interop.common import (
    Deadline,
    ImportFormatError,
    IncomingContact,
    IncomingEvent,
    IncomingInteraction,
    Progress,
    ReadResult,
    Skipped,
    decode_text,
    read_bytes,
    wrong_kind_message,
)

FORMAT = "netbalance-export"
VERSION = 1


def _t(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def contact_to_json(c: Contact) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "circle": c.circle.value,
        "cadence_days": c.cadence_days,
        "emails": list(c.emails),
        "phones": list(c.phones),
        "company": c.company,
        "role": c.role,
        "links": list(c.links),
        "tags": list(c.tags),
        "goal_ids": list(c.goal_ids),
        "met_at_event_id": c.met_at_event_id,
        "how_met": c.how_met,
        "birthday": c.birthday.iso() if c.birthday else None,
        "notes": c.notes,
        "archived": c.archived,
        "snoozed_until": _t(c.snoozed_until),
        "created_at": _t(c.created_at),
        "source": c.source,
        "uid": c.uid,
        "aliases": list(c.aliases),
        "name_parts": list(c.name_parts),
        "closeness": c.closeness,
    }


def interaction_to_json(i: Interaction) -> dict[str, Any]:
    return {
        "id": i.id,
        "contact_ids": list(i.contact_ids),
        "at": _t(i.at),
        "kind": i.kind.value,
        "depth": i.depth,
        "initiated_by": i.initiated_by.value,
        "minutes": i.minutes,
        "note": i.note,
        "next_step": i.next_step,
        "next_step_on": _d(i.next_step_on),
        "event_id": i.event_id,
        "uid": i.uid,
    }


def event_to_json(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "title": e.title,
        "start": _t(e.start),
        "end": _t(e.end),
        "place": e.place,
        "link": e.link,
        "hours": e.hours,
        "status": e.status.value,
        "goal_ids": list(e.goal_ids),
        "tags": list(e.tags),
        "notes": e.notes,
        "met_contact_ids": list(e.met_contact_ids),
        "uid": e.uid,
    }


def goal_to_json(g: Goal) -> dict[str, Any]:
    return {
        "id": g.id,
        "title": g.title,
        "kind": g.kind.value,
        "active": g.active,
        "target_date": _d(g.target_date),
        "notes": g.notes,
        "created_at": _t(g.created_at),
        "uid": g.uid,
    }


def snapshot_to_json(s: WeeklySnapshot) -> dict[str, Any]:
    return {
        "id": s.id,
        "week_start": s.week_start.isoformat(),
        "interactions": s.interactions,
        "new_contacts": s.new_contacts,
        "events": s.events,
        "event_hours": s.event_hours,
        "balance": s.balance,
        "zone": s.zone,
        "note": s.note,
        "figures": dict(s.figures),
    }


def settings_to_json(s: Settings) -> dict[str, Any]:
    return {
        "weekly_hours": s.weekly_hours,
        "events_per_month": s.events_per_month,
        "followup_capacity_per_event": s.followup_capacity_per_event,
        "cadence": {c.value: v for c, v in s.cadence.items()},
        "capacity": {c.value: v for c, v in s.capacity.items()},
        "thresholds": dataclasses.asdict(s.thresholds),
    }


def export_json(
    *,
    contacts: Sequence[Contact],
    interactions: Sequence[Interaction],
    events: Sequence[Event],
    goals: Sequence[Goal],
    now: datetime,
    snapshots: Sequence[WeeklySnapshot] = (),
    settings: Settings | None = None,
    kept_apart: Collection[frozenset[str]] = (),
) -> bytes:
    """Everything as one JSON document (UTF-8, indented, stable key order).

    Ids are kept so that a restore re-creates every link (goals, events met at,
    interactions at events) exactly; weekly snapshots carry the user's review notes.
    """
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "contacts": [contact_to_json(c) for c in contacts],
        "interactions": [interaction_to_json(i) for i in interactions],
        "events": [event_to_json(e) for e in events],
        "goals": [goal_to_json(g) for g in goals],
        "weekly": [snapshot_to_json(s) for s in snapshots],
        "settings": settings_to_json(settings) if settings is not None else None,
        # Pairs of contacts (by uid) the user said are not the same person.
        "kept_apart": sorted(sorted(pair) for pair in kept_apart),
    }
    encoded = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8")
    # C1 controls and bidi overrides as \u escapes: the same values, safe to `cat`.
    return (escape_json(encoded) + "\n").encode("utf-8")


# --- reading -----------------------------------------------------------------------------


def _time(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise DomainError("time", value, "must carry a time zone")
    return parsed


def _id(value: Any) -> int:
    """A record's id from the file: a positive whole number, or 0 when it has none."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DomainError("id", value, "must be a positive whole number")
    return value


def _ids(value: Any) -> tuple[int, ...]:
    return tuple(_id(x) for x in value or ())


def _contact(d: dict[str, Any]) -> Contact:
    birthday = d.get("birthday")
    met_at = d.get("met_at_event_id")
    return Contact(
        name=str(d.get("name", "")),
        id=_id(d.get("id")),
        circle=Circle.parse(str(d.get("circle") or "active")),
        cadence_days=d.get("cadence_days"),
        emails=tuple(str(x) for x in d.get("emails") or ()),
        phones=tuple(str(x) for x in d.get("phones") or ()),
        company=str(d.get("company") or ""),
        role=str(d.get("role") or ""),
        links=tuple(str(x) for x in d.get("links") or ()),
        tags=tuple(str(x) for x in d.get("tags") or ()),
        goal_ids=_ids(d.get("goal_ids")),
        met_at_event_id=_id(met_at) or None,
        how_met=str(d.get("how_met") or ""),
        birthday=Birthday.from_iso(str(birthday)) if birthday else None,
        notes=str(d.get("notes") or ""),
        archived=bool(d.get("archived", False)),
        snoozed_until=_time(d.get("snoozed_until")),
        created_at=_time(d.get("created_at")) or Contact("x").created_at,
        source=str(d.get("source") or ""),
        uid=str(d.get("uid") or ""),
        aliases=tuple(str(x) for x in d.get("aliases") or ()),
        name_parts=tuple(str(x) for x in d.get("name_parts") or ()),
        closeness=d.get("closeness"),
    )


def _interaction(d: dict[str, Any]) -> Interaction:
    next_on = d.get("next_step_on")
    at = _time(d.get("at"))
    if at is None:
        raise DomainError("when", None, "is missing")
    event_id = d.get("event_id")
    return Interaction(
        contact_ids=_ids(d.get("contact_ids")),
        at=at,
        id=_id(d.get("id")),
        kind=InteractionKind(str(d.get("kind") or "message")),
        depth=int(d.get("depth") or 2),
        initiated_by=Initiator(str(d.get("initiated_by") or "me")),
        minutes=d.get("minutes"),
        note=str(d.get("note") or ""),
        next_step=str(d.get("next_step") or ""),
        next_step_on=date.fromisoformat(str(next_on)) if next_on else None,
        event_id=_id(event_id) or None,
        uid=str(d.get("uid") or ""),
    )


def _event(d: dict[str, Any]) -> Event:
    start = _time(d.get("start"))
    if start is None:
        raise DomainError("start", None, "is missing")
    hours = d.get("hours")
    return Event(
        title=str(d.get("title", "")),
        start=start,
        id=_id(d.get("id")),
        end=_time(d.get("end")),
        place=str(d.get("place") or ""),
        link=str(d.get("link") or ""),
        hours=float(hours) if hours is not None else None,
        status=EventStatus(str(d.get("status") or "considering")),
        goal_ids=_ids(d.get("goal_ids")),
        tags=tuple(str(x) for x in d.get("tags") or ()),
        notes=str(d.get("notes") or ""),
        met_contact_ids=_ids(d.get("met_contact_ids")),
        # Exports before schema 2 named an event's calendar UID "source_uid".
        uid=str(d.get("uid") or d.get("source_uid") or ""),
    )


def _goal(d: dict[str, Any]) -> Goal:
    target = d.get("target_date")
    return Goal(
        title=str(d.get("title", "")),
        id=_id(d.get("id")),
        kind=GoalKind(str(d.get("kind") or "other")),
        active=bool(d.get("active", True)),
        target_date=date.fromisoformat(str(target)) if target else None,
        notes=str(d.get("notes") or ""),
        created_at=_time(d.get("created_at")) or Goal("x").created_at,
        uid=str(d.get("uid") or ""),
    )


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DomainError(name, value, "must be a number")
    return float(value)


def _snapshot(d: dict[str, Any]) -> WeeklySnapshot:
    week = d.get("week_start")
    if not week:
        raise DomainError("week_start", week, "is missing")
    figures = d.get("figures") or {}
    if not isinstance(figures, dict):
        raise DomainError("figures", figures, "must be an object")
    return WeeklySnapshot(
        week_start=date.fromisoformat(str(week)),
        id=_id(d.get("id")),
        interactions=int(d.get("interactions") or 0),
        new_contacts=int(d.get("new_contacts") or 0),
        events=int(d.get("events") or 0),
        event_hours=_number(d.get("event_hours") or 0.0, "event_hours"),
        balance=_number(d.get("balance") or 0.0, "balance"),
        zone=str(d.get("zone") or ""),
        note=str(d.get("note") or ""),
        figures={str(k): _number(v, f"figures.{k}") for k, v in figures.items()},
    )


def _settings(d: dict[str, Any]) -> Settings:
    def per_circle(name: str) -> dict[Circle, int | None]:
        raw = d.get(name) or {}
        if not isinstance(raw, dict):
            raise DomainError(name, raw, "must be an object")
        return {Circle(k): (None if v is None else int(v)) for k, v in raw.items()}

    known = {f.name for f in dataclasses.fields(Thresholds)}
    thresholds = d.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise DomainError("thresholds", thresholds, "must be an object")
    defaults = Settings()
    return Settings(
        weekly_hours=_number(d.get("weekly_hours", defaults.weekly_hours), "weekly_hours"),
        events_per_month=int(d.get("events_per_month", defaults.events_per_month)),
        followup_capacity_per_event=int(
            d.get("followup_capacity_per_event", defaults.followup_capacity_per_event)
        ),
        cadence=per_circle("cadence"),
        capacity=per_circle("capacity"),
        thresholds=Thresholds(**{k: v for k, v in thresholds.items() if k in known}),
    )


@dataclass
class BackupRead(ReadResult):
    """A netbalance export read whole: besides contacts, events and interactions (with
    the file's ids and links), its goals, weekly snapshots and settings, each with its
    location, so a restore into an empty database can bring back everything."""

    goals: list[tuple[Goal, str]] = field(default_factory=list)
    snapshots: list[tuple[WeeklySnapshot, str]] = field(default_factory=list)
    settings: Settings | None = None
    kept_apart: list[frozenset[str]] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return (
            len(self.contacts)
            + len(self.events)
            + len(self.interactions)
            + len(self.goals)
            + len(self.snapshots)
            + (self.settings is not None)
        )


def read_json(
    path: Path,
    now: datetime,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read a netbalance JSON export, keeping the file's ids and links.

    Contacts also carry their goals' titles, which is how a merge into a database
    that holds data links them (ids from another database mean nothing there).
    """
    deadline = deadline or Deadline()
    data = read_bytes(path)
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        text, _ = decode_text(data)
        if text.lstrip().startswith(("{", "[")):
            raise ImportFormatError(f"{path}: not valid JSON ({err})") from None
        raise ImportFormatError(wrong_kind_message(path, "json", text)) from None
    if isinstance(document, dict) and "_meta" in document:
        raise ImportFormatError(
            f"{path}: this is a copy of a netbalance database (a backup), not an export; "
            f"bring it back with: netbalance restore {path}"
        )
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFormatError(
            f'{path}: this JSON is not a netbalance export (no "format": "{FORMAT}")'
        )
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise ImportFormatError(
            f"{path}: export version {document.get('version')!r} is newer than this netbalance "
            f"reads ({VERSION}); update netbalance"
        )
    result = BackupRead(kind="json", source=str(path))
    goal_titles = {
        g.get("id"): str(g.get("title", ""))
        for g in document.get("goals") or []
        if isinstance(g, dict)
    }
    sections: list[tuple[str, Any]] = [
        ("contacts", document.get("contacts") or []),
        ("interactions", document.get("interactions") or []),
        ("events", document.get("events") or []),
        ("goals", document.get("goals") or []),
        ("weekly", document.get("weekly") or []),
    ]
    total = sum(len(s) for _, s in sections if isinstance(s, list))
    done = 0
    for section, items in sections:
        if not isinstance(items, list):
            result.skipped.append(Skipped(f"{path.name} {section}", "is not a list"))
            continue
        for n, raw in enumerate(items, 1):
            done += 1
            if done % 1000 == 0:
                deadline.check()
                if progress is not None:
                    progress(done, total)
            location = f"{path.name} {section}[{n}]"
            if not isinstance(raw, dict):
                result.skipped.append(Skipped(location, "is not an object"))
                continue
            try:
                if section == "contacts":
                    titles = tuple(
                        goal_titles[g] for g in raw.get("goal_ids") or () if g in goal_titles
                    )
                    result.contacts.append(
                        IncomingContact(_contact(raw), location, goal_titles=titles)
                    )
                elif section == "interactions":
                    result.interactions.append(IncomingInteraction(_interaction(raw), location))
                elif section == "events":
                    result.events.append(IncomingEvent(_event(raw), location))
                elif section == "goals":
                    result.goals.append((_goal(raw), location))
                else:
                    result.snapshots.append((_snapshot(raw), location))
            except (DomainError, ValueError, TypeError, KeyError) as err:
                result.skipped.append(Skipped(location, f"not valid: {err}"))
    for n, pair in enumerate(document.get("kept_apart") or [], 1):
        if isinstance(pair, list) and len(set(pair)) == 2 and all(isinstance(u, str) for u in pair):
            result.kept_apart.append(frozenset(pair))
        else:
            result.skipped.append(Skipped(f"{path.name} kept_apart[{n}]", "is not two uids"))
    raw_settings = document.get("settings")
    if raw_settings is not None:
        try:
            if not isinstance(raw_settings, dict):
                raise DomainError("settings", type(raw_settings).__name__, "must be an object")
            result.settings = _settings(raw_settings)
        except (DomainError, ValueError, TypeError) as err:
            result.skipped.append(Skipped(f"{path.name} settings", f"not valid: {err}"))
    return result

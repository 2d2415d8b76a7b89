"""netbalance JSON export and import: everything, for backup and for scripts.

This is an interchange format with its own version, deliberately separate from the
database's storage documents (store/codec.py): the database schema may migrate, the
export a script reads should not change under it. Importing one merges through the
same plan as every other import, so restoring into an empty database re-creates the
contacts, events and interactions, and restoring twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    Initiator,
    Interaction,
    InteractionKind,
)
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
        "source_uid": e.source_uid,
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
    }


def export_json(
    *,
    contacts: Sequence[Contact],
    interactions: Sequence[Interaction],
    events: Sequence[Event],
    goals: Sequence[Goal],
    now: datetime,
) -> bytes:
    """Everything as one JSON document (UTF-8, indented, stable key order)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "contacts": [contact_to_json(c) for c in contacts],
        "interactions": [interaction_to_json(i) for i in interactions],
        "events": [event_to_json(e) for e in events],
        "goals": [goal_to_json(g) for g in goals],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


# --- reading -----------------------------------------------------------------------------


def _time(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise DomainError("time", value, "must carry a time zone")
    return parsed


def _contact(d: dict[str, Any]) -> Contact:
    birthday = d.get("birthday")
    return Contact(
        name=str(d.get("name", "")),
        id=int(d.get("id") or 0),
        circle=Circle.parse(str(d.get("circle") or "active")),
        cadence_days=d.get("cadence_days"),
        emails=tuple(str(x) for x in d.get("emails") or ()),
        phones=tuple(str(x) for x in d.get("phones") or ()),
        company=str(d.get("company") or ""),
        role=str(d.get("role") or ""),
        links=tuple(str(x) for x in d.get("links") or ()),
        tags=tuple(str(x) for x in d.get("tags") or ()),
        how_met=str(d.get("how_met") or ""),
        birthday=Birthday.from_iso(str(birthday)) if birthday else None,
        notes=str(d.get("notes") or ""),
        archived=bool(d.get("archived", False)),
        snoozed_until=_time(d.get("snoozed_until")),
        created_at=_time(d.get("created_at")) or Contact("x").created_at,
        source=str(d.get("source") or ""),
    )


def _interaction(d: dict[str, Any]) -> Interaction:
    next_on = d.get("next_step_on")
    at = _time(d.get("at"))
    if at is None:
        raise DomainError("when", None, "is missing")
    return Interaction(
        contact_ids=tuple(int(x) for x in d.get("contact_ids") or ()),
        at=at,
        kind=InteractionKind(str(d.get("kind") or "message")),
        depth=int(d.get("depth") or 2),
        initiated_by=Initiator(str(d.get("initiated_by") or "me")),
        minutes=d.get("minutes"),
        note=str(d.get("note") or ""),
        next_step=str(d.get("next_step") or ""),
        next_step_on=date.fromisoformat(str(next_on)) if next_on else None,
    )


def _event(d: dict[str, Any]) -> Event:
    start = _time(d.get("start"))
    if start is None:
        raise DomainError("start", None, "is missing")
    hours = d.get("hours")
    return Event(
        title=str(d.get("title", "")),
        start=start,
        end=_time(d.get("end")),
        place=str(d.get("place") or ""),
        link=str(d.get("link") or ""),
        hours=float(hours) if hours is not None else None,
        status=EventStatus(str(d.get("status") or "considering")),
        tags=tuple(str(x) for x in d.get("tags") or ()),
        notes=str(d.get("notes") or ""),
        source_uid=str(d.get("source_uid") or ""),
    )


def read_json(
    path: Path,
    now: datetime,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read a netbalance JSON export; goals are matched by title, not created."""
    deadline = deadline or Deadline()
    data = read_bytes(path)
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        text, _ = decode_text(data)
        if text.lstrip().startswith(("{", "[")):
            raise ImportFormatError(f"{path}: not valid JSON ({err})") from None
        raise ImportFormatError(wrong_kind_message(path, "json", text)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFormatError(
            f'{path}: this JSON is not a netbalance export (no "format": "{FORMAT}")'
        )
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise ImportFormatError(
            f"{path}: export version {document.get('version')!r} is newer than this netbalance "
            f"reads ({VERSION}); update netbalance"
        )
    result = ReadResult(kind="json", source=str(path))
    goal_titles = {
        g.get("id"): str(g.get("title", ""))
        for g in document.get("goals") or []
        if isinstance(g, dict)
    }
    sections: list[tuple[str, Any]] = [
        ("contacts", document.get("contacts") or []),
        ("interactions", document.get("interactions") or []),
        ("events", document.get("events") or []),
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
                else:
                    result.events.append(IncomingEvent(_event(raw), location))
            except (DomainError, ValueError, TypeError) as err:
                result.skipped.append(Skipped(location, f"not valid: {err}"))
    if document.get("goals"):
        result.warnings.append(
            f"{path.name}: {len(document['goals'])} goal(s) are not imported; contacts are "
            "linked to goals of the same title that already exist"
        )
    return result

"""What a refused write says: records and what changed elsewhere, in the product's words.

"Kim Lost was changed elsewhere: snoozed until 16 Dec 2026." Dates are shown in
the computer's local time zone, with the year (the store does not read the clock,
so it cannot tell "this year" from another). Text values are shortened; the
screens and the command line escape them on the way out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from typing import Any

from netbalance.domain import Birthday, DomainError
from netbalance.store import codec
from netbalance.store.changes import ABSENT
from netbalance.store.codec import CONTACTS, EVENTS, GOALS, INTERACTIONS, SETTINGS, SNAPSHOTS

_NOUN = {CONTACTS: "contact", EVENTS: "event", GOALS: "goal", INTERACTIONS: "interaction"}
_LABEL = {
    "cadence_days": "cadence",
    "goal_ids": "goals",
    "met_contact_ids": "people met",
    "met_at_event_id": "where you met",
    "contact_ids": "people in it",
    "how_met": "how you met",
    "source_uid": "calendar id",
    "next_step_on": "next step date",
    "initiated_by": "who reached out",
    "event_id": "event",
    "target_date": "target date",
    "created_at": "creation date",
}
_DECODERS: dict[str, Callable[[int, Mapping[str, Any]], Any]] = {
    CONTACTS: lambda i, d: codec.contact_from_doc(i, dict(d)),
    INTERACTIONS: lambda i, d: codec.interaction_from_doc(i, dict(d)),
    EVENTS: lambda i, d: codec.event_from_doc(i, dict(d)),
    GOALS: lambda i, d: codec.goal_from_doc(i, dict(d)),
    SNAPSHOTS: lambda i, d: codec.snapshot_from_doc(i, dict(d)),
}


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def day(value: date | datetime) -> str:
    """'16 Dec 2026', in the local time zone for a point in time."""
    if isinstance(value, datetime):
        value = value.astimezone()
    return f"{value.day} {value:%b %Y}"


def _day_time(value: datetime) -> str:
    local = value.astimezone()
    return f"{day(local)} {local:%H:%M}"


def _birthday(value: Birthday) -> str:
    month = date(2000, value.month, 1).strftime("%b")
    return f"{value.day} {month}" + (f" {value.year}" if value.year else "")


def _label(field: str) -> str:
    return _LABEL.get(field, field.replace("_", " "))


def _set_to(field: str, value: object) -> str:
    """'company set to Acme', 'tags set to a, b', 'company cleared'."""
    if value in (None, "", (), False):
        return f"{_label(field)} cleared"
    if isinstance(value, tuple):
        shown = ", ".join(str(v) for v in value)
    elif isinstance(value, datetime):
        shown = _day_time(value)
    elif isinstance(value, date):
        shown = day(value)
    elif isinstance(value, float):
        shown = f"{value:g}"
    else:
        shown = str(value)
    return f"{_label(field)} set to {_short(shown)}"


def _changed(field: str, value: object) -> str:
    """For values too long or too internal to show: 'notes changed'."""
    if value in (None, "", (), False):
        return f"{_label(field)} cleared"
    return f"{_label(field)} changed"


_NEWS: dict[str, Callable[[Any], str]] = {
    "name": lambda v: f"renamed to {_short(v)}",
    "title": lambda v: f"renamed to {_short(v)}",
    "circle": lambda v: f"moved to the {v} circle",
    "cadence_days": lambda v: (
        "cadence set to follow the circle"
        if v is None
        else f"cadence set to every {'day' if v == 1 else f'{v} days'}"
    ),
    "archived": lambda v: "archived" if v else "brought back from the archive",
    "snoozed_until": lambda v: "no longer snoozed" if v is None else f"snoozed until {day(v)}",
    "status": lambda v: f"marked {v}",
    "active": lambda v: "made active again" if v else "retired",
    "start": lambda v: f"moved to {_day_time(v)}",
    "birthday": lambda v: "birthday cleared" if v is None else f"birthday set to {_birthday(v)}",
    "kind": lambda v: f"kind set to {v}",
    "closeness": lambda v: "closeness cleared" if v is None else f"closeness set to {v} of 7",
}
_NEWS.update(
    (f, partial(_set_to, f))
    for f in (
        "company", "role", "how_met", "place", "link", "emails", "phones", "links",
        "tags", "hours", "end", "target_date", "next_step", "next_step_on", "at",
        "depth", "minutes", "initiated_by",
    )
)  # fmt: skip


def news(field: str, value: object) -> str:
    """What a field now holds, as a short phrase: 'snoozed until 16 Dec 2026'."""
    phrase = _NEWS.get(field)
    return phrase(value) if phrase is not None else _changed(field, value)


def subject(table: str, doc: Mapping[str, Any] | None) -> str:
    """How the user knows a record: a name, a title, 'The interaction of 2 Mar 2026'."""
    doc = doc or {}
    if table == CONTACTS and isinstance(doc.get("name"), str):
        return _short(doc["name"])
    if table in (EVENTS, GOALS) and isinstance(doc.get("title"), str):
        return _short(doc["title"])
    if table == INTERACTIONS and isinstance(doc.get("at"), str):
        return f"The interaction of {day(codec.text_to_time(doc['at']))}"
    if table == SNAPSHOTS and isinstance(doc.get("week"), str):
        return f"The review of the week of {day(date.fromisoformat(doc['week']))}"
    if table == SETTINGS:
        return "The settings"
    return f"A {_NOUN.get(table, 'record')}"


def _was(table: str) -> str:
    return "were" if table == SETTINGS else "was"


def changed_elsewhere(table: str, name: str, what: Sequence[str]) -> str:
    """'Kim Lost was changed elsewhere: snoozed until 16 Dec 2026.'"""
    said = "; ".join(dict.fromkeys(what)) or "changed"
    return f"{name} {_was(table)} changed elsewhere: {said}."


def removed_elsewhere(table: str, name: str) -> str:
    return f"{name} {_was(table)} removed elsewhere."


def differences(
    table: str, doc_id: int, expected: Mapping[str, Any], current: Mapping[str, Any]
) -> list[str]:
    """What `current` holds that `expected` does not, field by field, in product words."""
    decode = _DECODERS.get(table)
    if decode is not None:
        try:
            fields = decode(doc_id, expected).changed_fields(decode(doc_id, current))
        except (DomainError, KeyError, TypeError, ValueError, AttributeError):
            fields = None  # a half-written mix of fields: say it by stored key instead
        if fields:
            return [news(f, v) for f, v in fields.items()]
    keys = [k for k in {**expected, **current} if expected.get(k, ABSENT) != current.get(k, ABSENT)]
    return [_changed(k, current.get(k)) for k in keys]


def used_by(table: str, name: str, users: Iterable[tuple[str, Mapping[str, Any]]]) -> str:
    """'Kim Lost is now used elsewhere (2 interactions, the event PyData).'"""
    by_table: dict[str, list[Mapping[str, Any]]] = {}
    for user_table, doc in users:
        by_table.setdefault(user_table, []).append(doc)
    parts: list[str] = []
    for user_table, docs in by_table.items():
        noun = _NOUN.get(user_table, "record")
        if len(docs) == 1 and user_table != INTERACTIONS:
            parts.append(f"the {noun} {subject(user_table, docs[0])}")
        else:
            parts.append(f"{len(docs)} {noun}s" if len(docs) > 1 else f"1 {noun}")
    return f"{name} {_was(table)} used elsewhere since ({', '.join(parts)})."


def points_at_removed(table: str, name: str, target_table: str) -> str:
    """'The interaction of 2 Mar 2026 would point to a contact that was removed since.'"""
    noun = _NOUN.get(target_table, "record")
    return f"{name} would point to a {noun} that was removed since."


def invalid_mix(table: str, name: str, err: Exception) -> str:
    return f"{name} {_was(table)} changed elsewhere; undoing now would make it invalid ({err})."

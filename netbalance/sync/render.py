"""Records as the files of a vdir, through interop's vCard and iCalendar writers.

A file another client wrote keeps what netbalance does not own (a photo, an alarm)
when netbalance rewrites it. The bytes depend on the record and its links only (stamps
are the record's, never the clock's), so two replicas write the same file for the
same record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from netbalance.domain import Contact, Event, Goal, Interaction
from netbalance.domain.sync import Record
from netbalance.domain.text import clean_line
from netbalance.interop.export_ics import (
    event_item,
    followup_item,
    goal_item,
    journal_item,
    vdir_calendar,
)
from netbalance.interop.export_vcard import SyncLinks, card_version, contact_to_vcard, patch_card
from netbalance.interop.ics import NETBALANCE_CONTACT, NETBALANCE_EVENT


def render(
    kind: str,
    record: Record,
    links: Mapping[str, tuple[str, ...]],
    *,
    changed_at: datetime | None,
    existing: bytes | None = None,
    names: str = "",
    cancelled: bool = False,
) -> bytes:
    """One record as its file's bytes; `existing` is the file it replaces, if any."""
    if isinstance(record, Contact):
        old = existing.decode("utf-8", "replace") if existing else ""
        card = contact_to_vcard(
            record,
            version=card_version(old) if old else 4,
            sync=SyncLinks(
                goal_uids=tuple(links.get("goals", ())),
                met_at_uid=next(iter(links.get("met_at", ())), ""),
                changed_at=changed_at,
            ),
        )
        return (patch_card(old, card) if old else card).encode("utf-8")
    component: Any
    if isinstance(record, Event):
        component = event_item(
            record,
            goal_uids=tuple(links.get("goals", ())),
            met_uids=tuple(links.get("met", ())),
            changed_at=changed_at,
        )
    elif isinstance(record, Interaction):
        if existing is None:
            return journal_file(
                record,
                contact_uids=tuple(links.get("contacts", ())),
                names=names or "someone",
                event_uid=next(iter(links.get("event", ())), ""),
                changed_at=changed_at,
                cancelled=cancelled,
            )
        component = journal_item(
            record,
            contact_uids=tuple(links.get("contacts", ())),
            names=names or "someone",
            event_uid=next(iter(links.get("event", ())), ""),
            changed_at=changed_at,
            cancelled=cancelled,
        )
    else:
        assert isinstance(record, Goal), kind
        component = goal_item(record, changed_at=changed_at)
    return vdir_calendar(component, existing)


def render_followup(contact: Contact, due: date, next_step: str) -> bytes:
    """A contact's next follow-up as a to-do file."""
    return vdir_calendar(followup_item(contact, due, next_step))


# --- interactions, written directly ----------------------------------------------------
#
# A first sync of a big network writes 50,000 journals; through icalendar that was most
# of its minute. A new journal file (nothing of another client's to keep) is written
# here instead, byte for byte what `vdir_calendar(journal_item(...))` gives (the tests
# compare the two): properties in name order, TEXT escaped (icalendar writes unknown X-
# properties as they are), lines folded at 75 octets
# as icalendar folds them, every line cleaned by domain.text.clean_line.

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _text(value: str) -> str:
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _stamp(moment: datetime) -> str:
    t = moment.astimezone(UTC)
    return f"{t.year:04}{t.month:02}{t.day:02}T{t.hour:02}{t.minute:02}{t.second:02}Z"


def _fold(line: str) -> str:
    """icalendar's folding: a new line (CRLF and a space) before the character that
    would make 75 octets, never right after a backslash or caret that starts an escape."""
    if len(line) < 75 and (line.isascii() or len(line.encode()) < 75):
        return line
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode())
        if current and count + size >= 75:
            if len(current) > 1 and current[-1] in "\\^":
                escape = current.pop()
                folded.append("".join(current))
                current = [escape]
                count = len(escape.encode())
            else:
                folded.append("".join(current))
                current = []
                count = 0
        current.append(char)
        count += size
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)


def journal_file(
    interaction: Interaction,
    *,
    contact_uids: tuple[str, ...],
    names: str,
    event_uid: str,
    changed_at: datetime | None,
    cancelled: bool = False,
) -> bytes:
    """An interaction as a new journal file (see above)."""
    stamp = _stamp(changed_at or _EPOCH)
    props: list[tuple[str, str]] = [
        ("UID", _text(interaction.uid)),
        ("DTSTAMP", stamp),
        ("DTSTART", _stamp(interaction.at)),
        ("SUMMARY", _text(f"{interaction.kind.label} with {names}")),
        ("STATUS", "CANCELLED" if cancelled else "FINAL"),
        ("X-NETBALANCE-INTERACTION", interaction.kind.value),
        ("X-NETBALANCE-DEPTH", str(interaction.depth)),
        ("X-NETBALANCE-INITIATOR", interaction.initiated_by.value),
        (
            "X-NETBALANCE-MINUTES",
            str(interaction.minutes) if interaction.minutes is not None else "none",
        ),
        ("X-NETBALANCE-NEXT-STEP", interaction.next_step),
        (
            "X-NETBALANCE-NEXT-STEP-ON",
            interaction.next_step_on.isoformat() if interaction.next_step_on else "none",
        ),
        *((NETBALANCE_CONTACT, uid) for uid in contact_uids),
        (NETBALANCE_EVENT, event_uid),
    ]
    if changed_at is not None:
        props.append(("LAST-MODIFIED", stamp))
    if interaction.note:
        props.append(("DESCRIPTION", _text(interaction.note)))
    props.sort(key=lambda prop: prop[0])  # stable: the contacts keep their order
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//netbalance//sync//EN",
        "BEGIN:VJOURNAL",
        *(_fold(f"{name}:{value}") for name, value in props),
        "END:VJOURNAL",
        "END:VCALENDAR",
        "",
    ]
    text = "\r\n".join(lines)
    return "\r\n".join(clean_line(line) for line in text.split("\r\n")).encode("utf-8")

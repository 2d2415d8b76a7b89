"""Records as the files of a vdir, through interop's vCard and iCalendar writers.

A file another client wrote keeps what netbalance does not own (a photo, an alarm)
when netbalance rewrites it. The bytes depend on the record and its links only (stamps
are the record's, never the clock's), so two replicas write the same file for the
same record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from netbalance.domain import Contact, Event, Goal, Interaction
from netbalance.domain.sync import Record
from netbalance.interop.export_ics import (
    event_item,
    followup_item,
    goal_item,
    journal_item,
    vdir_calendar,
)
from netbalance.interop.export_vcard import SyncLinks, card_version, contact_to_vcard, patch_card


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

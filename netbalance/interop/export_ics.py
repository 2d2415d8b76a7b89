"""A calendar any app can remind the user from: follow-ups, events and birthdays.

Follow-ups are VTODOs due on the day the cadence asks for, with a VALARM; events are
VEVENTs; birthdays are yearly all-day VEVENTs. UIDs are stable (derived from ids), so
a calendar that subscribes to or re-imports the file updates entries rather than
adding copies. Reminders carry X-NETBALANCE-KIND so importing the file back into
netbalance leaves them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import icalendar

from netbalance.domain import Contact, Event, Settings
from netbalance.domain.text import clean_line
from netbalance.interop.ics import NETBALANCE_HOURS, NETBALANCE_KIND, NETBALANCE_STATUS

_DOMAIN = "netbalance.local"


def next_due(
    contact: Contact, last_interaction: datetime | None, settings: Settings
) -> datetime | None:
    """Next follow-up: last interaction (or snooze end, or creation) plus the cadence."""
    cadence = settings.cadence_for(contact.circle, contact.cadence_days)
    if cadence is None or contact.archived:
        return None
    start = last_interaction or contact.created_at
    due = start + timedelta(days=cadence)
    if contact.snoozed_until is not None and contact.snoozed_until > due:
        due = contact.snoozed_until
    return due


def export_ics(
    *,
    contacts: Sequence[Contact],
    events: Sequence[Event],
    last_interactions: Mapping[int, datetime],
    settings: Settings,
    now: datetime,
    followups_within: timedelta = timedelta(days=90),
) -> bytes:
    """Follow-ups due within `followups_within` (overdue ones today), all events, birthdays."""
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//netbalance//export//EN")
    cal.add("VERSION", "2.0")
    cal.add("X-WR-CALNAME", "netbalance")
    stamp = now.astimezone(UTC)
    for contact in contacts:
        due = next_due(contact, last_interactions.get(contact.id), settings)
        if due is not None and due <= now + followups_within:
            cal.add_component(_followup(contact, max(due, now), stamp))
        if contact.birthday is not None and not contact.archived:
            cal.add_component(_birthday(contact, stamp))
    for event in events:
        cal.add_component(_event(event, stamp))
    # Every content line cleaned (domain/text.py): an old database may hold control
    # characters; icalendar has already written newlines in values as "\\n".
    lines = cal.to_ical().decode("utf-8").split("\r\n")
    return "\r\n".join(clean_line(line) for line in lines).encode("utf-8")


def _followup(contact: Contact, due: datetime, stamp: datetime) -> icalendar.Todo:
    todo = icalendar.Todo()
    todo.add("UID", f"followup-{contact.uid or contact.id}@{_DOMAIN}")
    todo.add("DTSTAMP", stamp)
    todo.add("SUMMARY", f"Follow up with {contact.name}")
    todo.add("DUE", due.astimezone(UTC).date())
    todo.add(NETBALANCE_KIND, "followup")
    if contact.company:
        todo.add("DESCRIPTION", f"{contact.role + ', ' if contact.role else ''}{contact.company}")
    alarm = icalendar.Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", f"Follow up with {contact.name}")
    alarm.add("TRIGGER", timedelta(hours=9))  # 09:00 on the due day
    todo.add_component(alarm)
    return todo


def _birthday(contact: Contact, stamp: datetime) -> icalendar.Event:
    b = contact.birthday
    assert b is not None
    # 2000 is a leap year, so 29 February stays valid as the series start.
    first = date(b.year if b.year is not None else 2000, b.month, b.day)
    ev = icalendar.Event()
    ev.add("UID", f"birthday-{contact.uid or contact.id}@{_DOMAIN}")
    ev.add("DTSTAMP", stamp)
    ev.add("SUMMARY", f"{contact.name}'s birthday")
    ev.add("DTSTART", first)
    ev.add("DTEND", first + timedelta(days=1))
    ev.add("RRULE", {"FREQ": "YEARLY"})
    ev.add("TRANSP", "TRANSPARENT")
    ev.add(NETBALANCE_KIND, "birthday")
    return ev


def _event(event: Event, stamp: datetime) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("UID", event.uid or f"event-{event.id}@{_DOMAIN}")
    ev.add("DTSTAMP", stamp)
    ev.add("SUMMARY", event.title)
    ev.add("DTSTART", event.start.astimezone(UTC))
    end = event.end or event.start + timedelta(hours=event.cost_hours or 1)
    ev.add("DTEND", end.astimezone(UTC))
    if event.place:
        ev.add("LOCATION", event.place)
    if event.link:
        ev.add("URL", event.link)
    if event.notes:
        ev.add("DESCRIPTION", event.notes)
    if event.tags:
        ev.add("CATEGORIES", list(event.tags))
    if event.hours is not None:
        ev.add(NETBALANCE_HOURS, f"{event.hours:g}")
    ev.add(NETBALANCE_STATUS, event.status.value)
    if event.status.value == "declined":
        ev.add("STATUS", "CANCELLED")
    elif event.status.value == "considering":
        ev.add("STATUS", "TENTATIVE")
    else:
        ev.add("STATUS", "CONFIRMED")
    alarm = icalendar.Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", event.title)
    alarm.add("TRIGGER", timedelta(hours=-1))
    ev.add_component(alarm)
    return ev

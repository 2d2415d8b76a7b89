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

from netbalance.domain import Contact, Event, Goal, Interaction, Settings
from netbalance.domain.health import next_due
from netbalance.domain.text import clean_line
from netbalance.interop.ics import (
    NETBALANCE_CONTACT,
    NETBALANCE_EVENT,
    NETBALANCE_GOALS,
    NETBALANCE_HOURS,
    NETBALANCE_KIND,
    NETBALANCE_MET,
    NETBALANCE_STATUS,
)

_DOMAIN = "netbalance.local"


def export_ics(
    *,
    contacts: Sequence[Contact],
    events: Sequence[Event],
    last_interactions: Mapping[int, datetime],
    settings: Settings,
    now: datetime,
    next_steps: Mapping[int, date] | None = None,
    followups_within: timedelta = timedelta(days=90),
) -> bytes:
    """Follow-ups due within `followups_within` (overdue ones today), all events, birthdays.

    A follow-up's day is the one the list and `due` give (domain `next_due`: the
    cadence, a pending next step, a snooze), in `now`'s zone.
    """
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//netbalance//export//EN")
    cal.add("VERSION", "2.0")
    cal.add("X-WR-CALNAME", "netbalance")
    stamp = now.astimezone(UTC)
    today, last_day = now.date(), (now + followups_within).date()
    steps = next_steps or {}
    for contact in contacts:
        if contact.archived:
            continue
        day = next_due(
            contact, last_interactions.get(contact.id), settings, now, steps.get(contact.id)
        )
        if day is not None and day <= last_day:
            on = max(day, today)
            cal.add_component(
                _followup(contact, datetime(on.year, on.month, on.day, tzinfo=UTC), stamp)
            )
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


def _event(event: Event, stamp: datetime, *, alarm: bool = True) -> icalendar.Event:
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
    if alarm:
        reminder = icalendar.Alarm()
        reminder.add("ACTION", "DISPLAY")
        reminder.add("DESCRIPTION", event.title)
        reminder.add("TRIGGER", timedelta(hours=-1))
        ev.add_component(reminder)
    return ev


# --- items of a synced vdir folder (one per file) ----------------------------------------
#
# Every netbalance field is stated, empty ones too ("none"): a property left out says
# nothing, so another client that drops netbalance's properties changes nothing. Stamps
# come from the records (when they changed, when they are due), never from the clock,
# so two replicas holding the same record write the same bytes.

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _stamped(component: icalendar.cal.Component, changed_at: datetime | None) -> None:
    stamp = (changed_at or _EPOCH).astimezone(UTC)
    component.add("DTSTAMP", stamp)
    if changed_at is not None:
        component.add("LAST-MODIFIED", stamp)


def event_item(
    event: Event,
    *,
    goal_uids: tuple[str, ...],
    met_uids: tuple[str, ...],
    changed_at: datetime | None,
) -> icalendar.Event:
    """An event as a synced VEVENT: no end when it has none, no alarm, links by uid."""
    ev = icalendar.Event()
    ev.add("UID", event.uid)
    _stamped(ev, changed_at)
    ev.add("SUMMARY", event.title)
    ev.add("DTSTART", event.start.astimezone(UTC))
    if event.end is not None:
        ev.add("DTEND", event.end.astimezone(UTC))
    if event.place:
        ev.add("LOCATION", event.place)
    if event.link:
        ev.add("URL", event.link)
    if event.notes:
        ev.add("DESCRIPTION", event.notes)
    if event.tags:
        ev.add("CATEGORIES", list(event.tags))
    ev.add(NETBALANCE_HOURS, f"{event.hours:g}" if event.hours is not None else "none")
    ev.add(NETBALANCE_STATUS, event.status.value)
    ev.add("STATUS", _EVENT_STATUS.get(event.status.value, "CONFIRMED"))
    ev.add(NETBALANCE_GOALS, ",".join(goal_uids))
    ev.add(NETBALANCE_MET, ",".join(met_uids))
    return ev


_EVENT_STATUS = {"declined": "CANCELLED", "considering": "TENTATIVE"}


def journal_item(
    interaction: Interaction,
    *,
    contact_uids: tuple[str, ...],
    names: str,
    event_uid: str,
    changed_at: datetime | None,
    cancelled: bool = False,
) -> icalendar.Journal:
    """An interaction as a VJOURNAL: when, what, one X-NETBALANCE-CONTACT per person.

    A cancelled journal (STATUS:CANCELLED) says the interaction was deleted in
    netbalance; the other replicas delete theirs.
    """
    j = icalendar.Journal()
    j.add("UID", interaction.uid)
    _stamped(j, changed_at)
    j.add("DTSTART", interaction.at.astimezone(UTC))
    j.add("SUMMARY", f"{interaction.kind.label} with {names}")
    if interaction.note:
        j.add("DESCRIPTION", interaction.note)
    j.add("STATUS", "CANCELLED" if cancelled else "FINAL")
    j.add("X-NETBALANCE-INTERACTION", interaction.kind.value)
    j.add("X-NETBALANCE-DEPTH", str(interaction.depth))
    j.add("X-NETBALANCE-INITIATOR", interaction.initiated_by.value)
    minutes = interaction.minutes
    j.add("X-NETBALANCE-MINUTES", str(minutes) if minutes is not None else "none")
    j.add("X-NETBALANCE-NEXT-STEP", interaction.next_step)
    step_on = interaction.next_step_on
    j.add("X-NETBALANCE-NEXT-STEP-ON", step_on.isoformat() if step_on else "none")
    for uid in contact_uids:
        j.add(NETBALANCE_CONTACT, uid)
    j.add(NETBALANCE_EVENT, event_uid)
    return j


def goal_item(goal: Goal, *, changed_at: datetime | None) -> icalendar.Todo:
    """A goal as a VTODO: done (COMPLETED) when retired, due on its target date."""
    todo = icalendar.Todo()
    todo.add("UID", goal.uid)
    _stamped(todo, changed_at)
    todo.add("SUMMARY", goal.title)
    if goal.notes:
        todo.add("DESCRIPTION", goal.notes)
    if goal.target_date is not None:
        todo.add("DUE", goal.target_date)
    todo.add("STATUS", "NEEDS-ACTION" if goal.active else "COMPLETED")
    todo.add(NETBALANCE_KIND, "goal")
    todo.add("X-NETBALANCE-GOAL-KIND", goal.kind.value)
    todo.add("X-NETBALANCE-CREATED", goal.created_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    return todo


def followup_item(contact: Contact, due: date, next_step: str) -> icalendar.Todo:
    """A contact's next follow-up as a VTODO due that day (ticking it off in another app
    logs a follow-up at the next sync)."""
    todo = _followup(contact, datetime(due.year, due.month, due.day, tzinfo=UTC), _EPOCH)
    todo.add(NETBALANCE_CONTACT, contact.uid)
    if next_step:
        todo.pop("DESCRIPTION", None)
        todo.add("DESCRIPTION", next_step)
    return todo


# Properties a synced item's writer owns; another client's (an alarm, attendees, a
# class) are kept when netbalance rewrites the file.
_OWNED = {
    "UID",
    "DTSTAMP",
    "LAST-MODIFIED",
    "SUMMARY",
    "DTSTART",
    "DTEND",
    "DURATION",
    "DUE",
    "LOCATION",
    "URL",
    "DESCRIPTION",
    "CATEGORIES",
    "STATUS",
    "COMPLETED",
}


def vdir_calendar(component: icalendar.cal.Component, existing: bytes | None = None) -> bytes:
    """One item as the whole .ics file of a vdir, keeping what another client added to
    the file it replaces (`existing`): its other properties, alarms and time zones."""
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//netbalance//sync//EN")
    cal.add("VERSION", "2.0")
    if existing:
        _keep_foreign(cal, component, existing)
    cal.add_component(component)
    lines = cal.to_ical().decode("utf-8").split("\r\n")
    return "\r\n".join(clean_line(line) for line in lines).encode("utf-8")


def _keep_foreign(
    cal: icalendar.Calendar, component: icalendar.cal.Component, existing: bytes
) -> None:
    try:
        old = icalendar.Calendar.from_ical(existing.decode("utf-8", "replace"))
    except Exception:  # a file another client broke: nothing of it to keep
        return
    for tz in old.walk("VTIMEZONE"):
        cal.add_component(tz)
    same = [c for c in old.walk(component.name) if str(c.get("UID", "")) == str(component["UID"])]
    if not same:
        return
    for key, value in same[0].property_items(recursive=False):
        if key in ("BEGIN", "END") or key in _OWNED or key.startswith("X-NETBALANCE-"):
            continue
        component.add(key, value, encode=False)
    if not component.subcomponents:
        for sub in same[0].subcomponents:
            component.add_component(sub)

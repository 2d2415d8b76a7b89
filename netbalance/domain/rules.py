"""What a time may be, by what it means: the checks every form and command calls.

An interaction has happened, so it is not in the future; a next step is still to do,
so it is not in the past; an event is attended or missed, and people are met at it,
only once it has started. The date reader (`netbalance.domain.dates`) reads words;
these rules judge the result, once, for the app and the command line alike. Each
raises DomainError naming the field, so a form shows the message on the right row.
"""

from __future__ import annotations

from datetime import date, datetime

from netbalance.domain.dates import parse_day, parse_when
from netbalance.domain.errors import DomainError
from netbalance.domain.model import Contact, Event, EventStatus

# A status that says the event took place (or that the user did not go): only once it began.
AFTER_START = (EventStatus.ATTENDED, EventStatus.MISSED)


def check_happened(at: datetime, now: datetime, field: str = "when") -> datetime:
    """`at`, when it is not after `now`: an interaction is logged once it has happened."""
    if at > now:
        raise DomainError(
            field, _local(at, now), "is in the future; log an interaction once it has happened"
        )
    return at


def when_happened(text: str, now: datetime, field: str = "when") -> datetime:
    """Read when something happened ("yesterday 15:00", "3d" = three days ago) and
    refuse a time after `now` ("in 3 days" is refused, never turned around)."""
    try:
        at = parse_when(text, now, past=True)
    except DomainError as err:
        raise DomainError(field, text, err.reason) from None
    return check_happened(at, now, field)


def check_next_step_day(day: date, now: datetime, field: str = "next step") -> date:
    """`day`, when it is today or later: a next step is still to do."""
    today = _today(now)
    if day < today:
        raise DomainError(field, day.isoformat(), "is in the past; a next step is still to do")
    return day


def next_step_day(text: str, now: datetime, field: str = "next step") -> date:
    """Read the day of a next step ("friday", "2w", ISO: forward) and refuse a past day."""
    try:
        day = parse_day(text, now)
    except DomainError as err:
        raise DomainError(field, text, err.reason) from None
    return check_next_step_day(day, now, field)


def after_logging(contact: Contact) -> Contact:
    """`contact` once an interaction with them is logged: logging ends a snooze.

    The one place the rule lives: the store applies it when it writes the interaction,
    the health model when it takes one in, and the screen's ranking when it shows one
    before the write lands, so all three agree.
    """
    return contact if contact.snoozed_until is None else contact.edit(snoozed_until=None)


def check_event_status(event: Event, status: EventStatus, now: datetime) -> None:
    """Refuse "attended" or "missed" before the event has started."""
    if status in AFTER_START and event.start > now:
        raise DomainError(
            "status",
            status.value,
            f"{event.title} has not started yet (it starts {_local(event.start, now)}); "
            f"it can be marked {status.value} from then on",
        )


def check_event_started(event: Event, now: datetime, what: str = "who I met") -> None:
    """Refuse recording people met at an event before it has started."""
    if event.start > now:
        raise DomainError(
            what,
            event.title,
            f"the event has not started yet (it starts {_local(event.start, now)})",
        )


def met_at_event_time(event: Event, now: datetime) -> datetime:
    """When the chats with people met at `event` happened: on the event's day, at its
    start (never "now", which may be days later). Refused before the event starts."""
    check_event_started(event, now)
    return event.start


def _today(now: datetime) -> date:
    return date(now.year, now.month, now.day)


def _local(at: datetime, now: datetime) -> str:
    local = at.astimezone(now.tzinfo)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"

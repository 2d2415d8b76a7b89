"""The due list: who to follow up with today, ranked, and everyone else quiet.

Next due = (latest of last interaction and creation) + cadence, pushed to the
snooze end when the contact is snoozed past it. Any logged interaction restarts
the clock. Only the last-interaction time of each contact is needed, never the
full history, so the list stays cheap for thousands of contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from netbalance.domain.circles import Circle
from netbalance.domain.health.calendar import due_weight, known_since, local_day, zone_of
from netbalance.domain.model import Contact
from netbalance.domain.settings import Settings
from netbalance.domain.thresholds import Thresholds


class Urgency(StrEnum):
    """How pressing a follow-up is, most pressing first."""

    BADLY_OVERDUE = "badly-overdue"
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"
    NOT_DUE = "not-due"
    NO_CADENCE = "no-cadence"

    @property
    def label(self) -> str:
        """The words to show: 'badly overdue', 'no cadence'."""
        return self.value.replace("-", " ")

    @property
    def is_due(self) -> bool:
        """Due today or earlier."""
        return self in (Urgency.BADLY_OVERDUE, Urgency.OVERDUE, Urgency.DUE)


@dataclass(frozen=True, slots=True)
class DueItem:
    """One contact's place in the due ranking.

    `overdue_days` is negative for days until due (0 for no cadence);
    `score` orders due contacts: circle weight x (1 + days late / cadence).
    """

    contact_id: int
    name: str
    circle: Circle
    cadence_days: int | None
    last_at: datetime | None
    next_due: date | None
    overdue_days: int
    urgency: Urgency
    score: float

    @property
    def sort_key(self) -> tuple[int, float, int, int, str, int]:
        """Most urgent first, then soonest due, then no cadence; ties by circle and name."""
        if self.next_due is None:
            return (2, 0.0, 0, self.circle.rank, self.name.casefold(), self.contact_id)
        if self.overdue_days >= 0:
            return (0, -self.score, 0, self.circle.rank, self.name.casefold(), self.contact_id)
        ordinal = self.next_due.toordinal()
        return (1, 0.0, ordinal, self.circle.rank, self.name.casefold(), self.contact_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (a stable contract, see docs/model.md)."""
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "circle": self.circle.value,
            "cadence_days": self.cadence_days,
            "last_at": None if self.last_at is None else self.last_at.astimezone(UTC).isoformat(),
            "next_due": None if self.next_due is None else self.next_due.isoformat(),
            "overdue_days": self.overdue_days,
            "urgency": self.urgency.value,
            "score": round(self.score, 3),
        }


def cadence_of(contact: Contact, settings: Settings) -> int | None:
    """Days between follow-ups for `contact`: its own cadence, else its circle's."""
    return settings.cadence_for(contact.circle, contact.cadence_days)


def next_due_day(
    contact: Contact,
    last_at: datetime | None,
    cadence: int | None,
    tz: tzinfo,
    last_day: date | None = None,
    next_step: date | None = None,
) -> date | None:
    """The day `contact` is next due: from its cadence, or sooner when the last
    interaction set a next step with a date; None with neither.

    `last_day` is the local day of `last_at` when the caller already has it.
    `next_step` is the date of the last interaction's next step, if it had one
    (a later interaction replaces it: logging restarts the clock).
    """
    if cadence is None and next_step is None:
        return None
    due: date | None = None
    if cadence is not None:
        created = known_since(contact.created_at)
        if last_at is not None and (created is None or last_at >= created):
            anchor_day = last_day if last_day is not None else local_day(last_at, tz)
        else:
            anchor_day = local_day(contact.created_at, tz)
        due = anchor_day + timedelta(days=cadence)
    if next_step is not None and (due is None or next_step < due):
        due = next_step
    assert due is not None
    if contact.snoozed_until is not None:
        # A snooze says "not before then": it pushes the due day, never pulls it nearer.
        snooze_day = local_day(contact.snoozed_until, tz)
        if snooze_day > due:
            due = snooze_day
    return due


def next_due(
    contact: Contact,
    last_at: datetime | None,
    settings: Settings,
    tz_or_now: datetime | tzinfo,
    next_step: date | None = None,
) -> date | None:
    """The local day `contact` is next due; None with no cadence and no next step."""
    return next_due_day(
        contact, last_at, cadence_of(contact, settings), zone_of(tz_or_now), next_step=next_step
    )


def urgency_of(overdue_days: int, cadence: int | None, th: Thresholds) -> Urgency:
    """Grade days late (negative: days to go) against the cadence."""
    if cadence is None:
        return Urgency.NO_CADENCE
    if overdue_days > 0:
        if overdue_days > (th.badly_overdue_factor - 1) * cadence:
            return Urgency.BADLY_OVERDUE
        return Urgency.OVERDUE
    if overdue_days == 0:
        return Urgency.DUE
    if -overdue_days <= th.upcoming_days:
        return Urgency.UPCOMING
    return Urgency.NOT_DUE


def due_item(
    contact: Contact,
    last_at: datetime | None,
    settings: Settings,
    today: date,
    tz: tzinfo,
    last_day: date | None = None,
    next_step: date | None = None,
) -> DueItem:
    """Where `contact` stands today: next due day, days late, urgency and ranking score."""
    cadence = cadence_of(contact, settings)
    day = next_due_day(contact, last_at, cadence, tz, last_day, next_step)
    late = 0 if day is None else (today - day).days
    return make_item(contact, cadence, last_at, day, late, settings.thresholds)


def make_item(
    contact: Contact,
    cadence: int | None,
    last_at: datetime | None,
    day: date | None,
    late: int,
    th: Thresholds,
) -> DueItem:
    """A DueItem from a contact's next due day and days late (negative: days to go)."""
    if day is None:
        return DueItem(
            contact.id,
            contact.name,
            contact.circle,
            None,
            last_at,
            None,
            0,
            Urgency.NO_CADENCE,
            0.0,
        )
    # Due contacts rank by circle weight x (1 + share of the cadence they are late);
    # the rest by how close they are to due, as a (negative) share of the cadence.
    # A contact due only through a next step is graded against the next-step window.
    window = cadence if cadence is not None else th.next_step_window_days
    score = due_weight(contact.circle, th) * (1.0 + late / window) if late >= 0 else late / window
    return DueItem(
        contact.id,
        contact.name,
        contact.circle,
        cadence,
        last_at,
        day,
        late,
        urgency_of(late, window, th),
        score,
    )


def rank_all(
    contacts: Iterable[Contact],
    last_interaction: Mapping[int, datetime],
    settings: Settings,
    now: datetime,
    next_steps: Mapping[int, date] | None = None,
) -> list[DueItem]:
    """Every non-archived contact, most urgent first, then soonest due, then no cadence.

    The UI lists the whole network in this order; archived contacts never appear.
    """
    tz = zone_of(now)
    today = local_day(now, tz)
    steps = next_steps or {}
    items = [
        due_item(c, last_interaction.get(c.id), settings, today, tz, next_step=steps.get(c.id))
        for c in contacts
        if not c.archived
    ]
    items.sort(key=_key)
    return items


def due_list(
    contacts: Iterable[Contact],
    last_interaction: Mapping[int, datetime],
    settings: Settings,
    now: datetime,
    *,
    within_days: int = 0,
    next_steps: Mapping[int, date] | None = None,
) -> list[DueItem]:
    """Who to follow up with: due within `within_days` of today (0: today or earlier).

    Only non-archived contacts with a cadence; most urgent first. Uses the
    last-interaction map alone, so it costs one date sum per contact.
    """
    tz = zone_of(now)
    today = local_day(now, tz)
    steps = next_steps or {}
    items = []
    for c in contacts:
        if c.archived:
            continue
        item = due_item(
            c, last_interaction.get(c.id), settings, today, tz, next_step=steps.get(c.id)
        )
        if item.next_due is not None and item.overdue_days >= -within_days:
            items.append(item)
    items.sort(key=_key)
    return items


def snooze(contact: Contact, until: datetime | timedelta, now: datetime) -> Contact:
    """A copy of `contact` snoozed to a moment or for a duration from `now`.

    The contact stays off the due list until that local day at least.
    """
    end = now + until if isinstance(until, timedelta) else until
    return contact.edit(snoozed_until=end.astimezone(UTC))


def _key(item: DueItem) -> tuple[int, float, int, int, str, int]:
    return item.sort_key

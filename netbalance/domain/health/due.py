"""The due list: who to follow up with today, ranked, and everyone else quiet.

Two days per contact, two questions. The **care day** = (latest of last interaction
and creation) + cadence, or the pending next step when sooner: when the circle's
care asks for a follow-up. A contact is **kept** while today is not past it. The
**reminder day** is the care day pushed to the snooze end when the contact is
snoozed past it: when the app brings them up again. The due list and today's list
follow reminders; kept, the backlog, the gauge and the review follow care, so a
snooze moves a reminder and never makes a relationship look better kept. Any
logged interaction restarts the clock. Only the last-interaction time of each
contact is needed, never the full history, so the list stays cheap for thousands
of contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from netbalance.domain.circles import Circle
from netbalance.domain.health.calendar import due_weight, known_since, local_day, zone_of
from netbalance.domain.model import Contact
from netbalance.domain.settings import Settings
from netbalance.domain.thresholds import Thresholds

# The circles whose overdue follow-ups weigh most in the backlog ("close ties").
CLOSE_CIRCLES = (Circle.INNER, Circle.CLOSE)


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

    `next_due` is the reminder day (a snooze pushes it); `overdue_days` is negative
    for days until then (0 for no cadence); `score` orders due contacts: circle
    weight x (1 + days late / cadence). `care_due` and `care_overdue_days` are the
    same for the care the circle asks, snooze or not: what "kept" reads.
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
    care_due: date | None = None
    care_overdue_days: int = 0

    @property
    def kept(self) -> bool:
        """Getting the care the circle asks: not late on the care day (snooze or not)."""
        return self.care_due is None or self.care_overdue_days <= 0

    @property
    def snoozed(self) -> bool:
        """A snooze puts the reminder later than the care day."""
        return self.next_due != self.care_due

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
            "care_due": None if self.care_due is None else self.care_due.isoformat(),
            "care_overdue_days": self.care_overdue_days,
            "kept": self.kept,
            "snoozed": self.snoozed,
        }


def cadence_of(contact: Contact, settings: Settings) -> int | None:
    """Days between follow-ups for `contact`: its own cadence, else its circle's."""
    return settings.cadence_for(contact.circle, contact.cadence_days)


def care_due_day(
    contact: Contact,
    last_at: datetime | None,
    cadence: int | None,
    tz: tzinfo,
    last_day: date | None = None,
    next_step: date | None = None,
) -> date | None:
    """The day the circle's care asks for a follow-up with `contact`: from its cadence,
    or sooner when the last interaction set a next step with a date; None with neither.
    A snooze plays no part (see `reminder_day`).

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
    return due


def reminder_day(contact: Contact, care_day: date | None, tz: tzinfo) -> date | None:
    """When the app reminds of `contact`: the care day, pushed later by a snooze.

    A snooze says "not before then": it pushes the reminder, never pulls it nearer.
    """
    if care_day is None or contact.snoozed_until is None:
        return care_day
    snooze_day = local_day(contact.snoozed_until, tz)
    return snooze_day if snooze_day > care_day else care_day


def next_due_day(
    contact: Contact,
    last_at: datetime | None,
    cadence: int | None,
    tz: tzinfo,
    last_day: date | None = None,
    next_step: date | None = None,
) -> date | None:
    """The day `contact` is next due as a reminder: the care day pushed by a snooze."""
    care = care_due_day(contact, last_at, cadence, tz, last_day, next_step)
    return reminder_day(contact, care, tz)


def next_due(
    contact: Contact,
    last_at: datetime | None,
    settings: Settings,
    tz_or_now: datetime | tzinfo,
    next_step: date | None = None,
) -> date | None:
    """The local day `contact` is next due (reminder: a snooze pushes it); None with no
    cadence and no next step."""
    return next_due_day(
        contact, last_at, cadence_of(contact, settings), zone_of(tz_or_now), next_step=next_step
    )


def care_due(
    contact: Contact,
    last_at: datetime | None,
    settings: Settings,
    tz_or_now: datetime | tzinfo,
    next_step: date | None = None,
) -> date | None:
    """The local day the circle's care asks for a follow-up, snooze or not."""
    return care_due_day(
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
    care = care_due_day(contact, last_at, cadence, tz, last_day, next_step)
    day = reminder_day(contact, care, tz)
    late = 0 if day is None else (today - day).days
    care_late = 0 if care is None else (today - care).days
    return make_item(contact, cadence, last_at, day, late, settings.thresholds, care, care_late)


def make_item(
    contact: Contact,
    cadence: int | None,
    last_at: datetime | None,
    day: date | None,
    late: int,
    th: Thresholds,
    care_day: date | None = None,
    care_late: int = 0,
) -> DueItem:
    """A DueItem from a contact's reminder day and days late (negative: days to go),
    and its care day and days late on it."""
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
        care_day,
        care_late,
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


@dataclass(frozen=True, slots=True)
class Today:
    """Today's follow-ups: at most `limit` a day, most urgent first, the rest rolling
    over to the next days, and the backlog said plainly beside them.

    `due` counts reminders due today or earlier (today's items included); `overdue`
    counts contacts past the care their circle asks, snoozed or not (`snoozed` of
    them have a reminder pushed later), `overdue_close` those in the inner and close
    circles; `done` is how many contacts with a cadence were followed up today
    (each takes one of the day's places).
    """

    items: tuple[DueItem, ...]
    limit: int
    done: int
    due: int
    overdue: int
    overdue_close: int
    snoozed: int

    @property
    def rolling_over(self) -> int:
        """Due, but not on today's list: they come up on the next days."""
        return self.due - len(self.items)

    def line(self) -> str:
        """The list's state and the backlog in plain, kind words."""
        parts: list[str] = []
        if self.items:
            rest = (
                f" of {self.due} due; the other {self.rolling_over} roll over to the next days"
                if self.rolling_over
                else ""
            )
            parts.append(f"{len(self.items)} for today{rest}.")
        elif self.due and self.done:
            parts.append(
                f"That's today's {self.limit} follow-ups done; {self.due} more roll over "
                "to the next days."
            )
        elif self.due:
            parts.append(f"{self.due} due; today's list is set to 0.")
        else:
            parts.append("Nobody is due today.")
        if self.done and self.items:
            parts.append(f"{self.done} followed up today.")
        if self.overdue:
            close = f", {self.overdue_close} of them close ties" if self.overdue_close else ""
            snoozed = (
                f"; {self.snoozed} snoozed (a snooze moves the reminder, not the follow-up)"
                if self.snoozed
                else ""
            )
            parts.append(
                f"Backlog: {self.overdue} people are past the care their circle asks{close}"
                f"{snoozed}."
            )
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (the items are listed separately; see docs/model.md)."""
        return {
            "limit": self.limit,
            "today": len(self.items),
            "done_today": self.done,
            "due": self.due,
            "rolling_over": self.rolling_over,
            "overdue": self.overdue,
            "overdue_close": self.overdue_close,
            "snoozed": self.snoozed,
            "line": self.line(),
        }


def daily_limit(settings: Settings) -> int:
    """How many follow-ups today's list holds: the setting, else the follow-up capacity."""
    return settings.thresholds.daily_follow_ups or settings.followup_capacity_per_event


def plan_today(
    due_ranked: Sequence[DueItem],
    *,
    limit: int,
    done: int,
    overdue: int,
    overdue_close: int,
    snoozed: int,
) -> Today:
    """Today's list from the ranked due reminders: the first (limit - done) of them."""
    places = max(0, limit - done)
    return Today(
        tuple(due_ranked[:places]), limit, done, len(due_ranked), overdue, overdue_close, snoozed
    )


def today_list(
    contacts: Iterable[Contact],
    last_interaction: Mapping[int, datetime],
    settings: Settings,
    now: datetime,
    next_steps: Mapping[int, date] | None = None,
) -> Today:
    """Today's list and the backlog from the last-interaction map alone (no history):
    what `netbalance due` prints; `NetworkModel.today` gives the same answer."""
    tz = zone_of(now)
    today = local_day(now, tz)
    steps = next_steps or {}
    due: list[DueItem] = []
    done = overdue = overdue_close = snoozed = 0
    for c in contacts:
        if c.archived:
            continue
        last = last_interaction.get(c.id)
        item = due_item(c, last, settings, today, tz, next_step=steps.get(c.id))
        if item.cadence_days is not None and last is not None and local_day(last, tz) == today:
            done += 1
        if item.next_due is not None and item.overdue_days >= 0:
            due.append(item)
        if item.care_due is not None and item.care_overdue_days > 0:
            overdue += 1
            if c.circle in CLOSE_CIRCLES:
                overdue_close += 1
            if item.snoozed:
                snoozed += 1
    due.sort(key=_key)
    return plan_today(
        due,
        limit=daily_limit(settings),
        done=done,
        overdue=overdue,
        overdue_close=overdue_close,
        snoozed=snoozed,
    )


def snooze(contact: Contact, until: datetime | timedelta, now: datetime) -> Contact:
    """A copy of `contact` snoozed to a moment or for a duration from `now`.

    The contact stays off the due list until that local day at least.
    """
    end = now + until if isinstance(until, timedelta) else until
    return contact.edit(snoozed_until=end.astimezone(UTC))


def _key(item: DueItem) -> tuple[int, float, int, int, str, int]:
    return item.sort_key

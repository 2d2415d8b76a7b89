"""The weekly review: one week's story, how the gauge moved, and what to adjust.

The article's "Reflection and adjustment": regularly look at what networking
gave back, and change course. `week_review` gathers for one week (Monday to
Sunday in the user's zone) what happened, the budget, follow-ups done against
those due, the gauge and its trend, the return of recent events, the signals,
and suggestions for the three prompts (what paid off, what to drop, who to
reconnect with). Pure: `now` and the records are parameters.

A past week is seen "as of" its last moment: contacts created and
interactions logged after it are left out. Event statuses and archiving are
only known as they are today, so a rebuilt past gauge is an estimate; a
stored snapshot's balance, written when that week was reviewed, wins over it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from netbalance.domain.circles import Circle
from netbalance.domain.health.calendar import (
    committed_load,
    local_day,
    month_start,
    start_of_day,
    zone_of,
)
from netbalance.domain.health.due import DueItem, care_due
from netbalance.domain.health.gauge import Gauge
from netbalance.domain.health.network import NetworkModel
from netbalance.domain.health.signals import Signal
from netbalance.domain.health.triage import Advice, EventReturn, event_return, triage_upcoming
from netbalance.domain.health.weekly import week_of, weekly_figures
from netbalance.domain.model import Contact, Event, EventStatus, Goal, Interaction, WeeklySnapshot
from netbalance.domain.settings import Settings

TREND_WEEKS = 12
# Attended events whose return the review shows: those of the last three months.
RETURN_LOOKBACK_DAYS = 90
RECONNECT_CIRCLES = (Circle.INNER, Circle.CLOSE)
RECONNECT_COUNT = 3
# Upcoming events triage says to skip, looked for this far ahead of the current week.
DROP_LOOKAHEAD_DAYS = 28


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The gauge's balance one week; `source` says where it comes from.

    "stored" (the week's snapshot), "live" (the current week, today) or
    "rebuilt" (computed from the records as of the week's end).
    """

    week_start: date
    balance: float
    source: str


@dataclass(frozen=True, slots=True)
class EventPayoff:
    """An attended event and what it gave back."""

    event: Event
    ret: EventReturn


@dataclass(frozen=True, slots=True)
class WeekReview:
    """Everything the review shows for one week."""

    week_start: date
    current: bool
    # The week's figures (with the gauge) and its stored note, if any.
    snapshot: WeeklySnapshot
    interactions: tuple[Interaction, ...]
    # (contact id, name, interactions that week), most first.
    people: tuple[tuple[int, str, int], ...]
    new_contacts: tuple[Contact, ...]
    # Every event starting that week, any status.
    events: tuple[Event, ...]
    weekly_hours: float
    budget_month: date
    month_events: int
    events_per_month: int
    followups_due: int
    followups_done: int
    gauge: Gauge
    signals: tuple[Signal, ...]
    trend: tuple[TrendPoint, ...]
    returns: tuple[EventPayoff, ...]
    reconnect: tuple[DueItem, ...]
    paid_off: tuple[str, ...]
    to_drop: tuple[str, ...]
    past_notes: tuple[tuple[date, str], ...] = field(default=())

    @property
    def week_end(self) -> date:
        """The Sunday of the week."""
        return self.week_start + timedelta(days=6)

    @property
    def hours(self) -> float:
        """Networking hours that week: committed events plus logged minutes."""
        return self.snapshot.figures.get("networking_hours", self.snapshot.event_hours)

    @property
    def over_hours(self) -> bool:
        return self.hours > self.weekly_hours

    @property
    def over_events(self) -> bool:
        return self.month_events > self.events_per_month

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (`netbalance review --json`)."""
        s = self.snapshot
        return {
            "week_start": self.week_start.isoformat(),
            "week_end": self.week_end.isoformat(),
            "current": self.current,
            "interactions": s.interactions,
            "people": [{"id": i, "name": n, "interactions": k} for i, n, k in self.people],
            "new_contacts": [{"id": c.id, "name": c.name} for c in self.new_contacts],
            "events": [
                {
                    "id": e.id,
                    "title": e.title,
                    "start": e.start.isoformat(),
                    "status": e.status.value,
                    "hours": e.cost_hours,
                }
                for e in self.events
            ],
            "budget": {
                "hours": round(self.hours, 2),
                "event_hours": s.event_hours,
                "weekly_hours": self.weekly_hours,
                "month": self.budget_month.isoformat()[:7],
                "month_events": self.month_events,
                "events_per_month": self.events_per_month,
                "over_hours": self.over_hours,
                "over_events": self.over_events,
            },
            "followups": {"due": self.followups_due, "done": self.followups_done},
            "gauge": {"balance": round(self.gauge.balance, 3), "zone": self.gauge.zone.value},
            "trend": [
                {"week_start": p.week_start.isoformat(), "balance": p.balance, "source": p.source}
                for p in self.trend
            ],
            "returns": [
                {"title": p.event.title, "start": p.event.start.isoformat(), **p.ret.to_dict()}
                for p in self.returns
            ],
            "signals": [sig.to_dict() for sig in self.signals],
            "prompts": {
                "paid_off": list(self.paid_off),
                "to_drop": list(self.to_drop),
                "reconnect": [
                    {
                        "id": d.contact_id,
                        "name": d.name,
                        "circle": d.circle.value,
                        "overdue_days": d.care_overdue_days,
                    }
                    for d in self.reconnect
                ],
            },
            "note": s.note,
            "figures": dict(s.figures),
        }


def week_end_moment(week: date, now: datetime) -> datetime:
    """The last moment of `week`'s Sunday in the user's zone, or `now` for the current week."""
    monday = week - timedelta(days=week.weekday())
    if monday >= week_of(now):
        return now
    tz = zone_of(now)
    return datetime.combine(monday + timedelta(days=6), time(23, 59, 59), tzinfo=tz)


def model_as_of(
    contacts: Sequence[Contact],
    by_contact: Mapping[int, Sequence[Interaction]],
    events: Sequence[Event],
    goals: Sequence[Goal],
    settings: Settings,
    moment: datetime,
) -> NetworkModel:
    """The health model of the network as it stood at `moment` (known records only).

    `by_contact` lists each contact's interactions oldest first (as the store gives them).
    """
    kept = [c for c in contacts if c.created_at <= moment]
    history = {cid: [i for i in items if i.at <= moment] for cid, items in by_contact.items()}
    # `by_contact` is oldest first (see week_review), and filtering keeps the order.
    return NetworkModel.build(kept, history, events, goals, settings, moment, oldest_first=True)


def week_review(
    week: date,
    contacts: Sequence[Contact],
    by_contact: Mapping[int, Sequence[Interaction]],
    events: Sequence[Event],
    goals: Sequence[Goal],
    settings: Settings,
    snapshots: Iterable[WeeklySnapshot],
    now: datetime,
) -> WeekReview:
    """The review of the week containing `week` (not after the current week).

    `contacts` are the non-archived ones; `by_contact` maps a contact id to its
    interactions, oldest first; `snapshots` are the stored weekly snapshots.
    """
    tz = zone_of(now)
    current_week = week_of(now)
    monday = min(week - timedelta(days=week.weekday()), current_week)
    current = monday == current_week
    sunday = monday + timedelta(days=6)
    moment = week_end_moment(monday, now)
    stored = {s.week_start: s for s in snapshots}

    model = model_as_of(contacts, by_contact, events, goals, settings, moment)
    gauge = model.gauge()
    signals = tuple(s for s in model.signals() if s.active)

    interactions = _unique_interactions(by_contact, start_of_day(monday, tz), moment)
    figures = weekly_figures(monday, contacts, interactions, events, now, gauge)
    old = stored.get(monday)
    if old is not None:
        figures = figures.edit(id=old.id, note=old.note)
        if not current and old.zone:
            # The gauge as it was recorded that week beats a rebuilt estimate.
            figures = figures.edit(balance=old.balance, zone=old.zone)

    names = {c.id: c.name for c in contacts}
    counts: dict[int, int] = {}
    for i in interactions:
        for cid in i.contact_ids:
            counts[cid] = counts.get(cid, 0) + 1
    people = tuple(
        sorted(
            ((cid, names.get(cid, f"#{cid}"), n) for cid, n in counts.items()),
            key=lambda p: (-p[2], p[1].casefold()),
        )
    )
    start, end = start_of_day(monday, tz), start_of_day(monday + timedelta(days=7), tz)
    new_contacts = tuple(
        sorted((c for c in contacts if start <= c.created_at < end), key=lambda c: c.created_at)
    )
    week_events = tuple(e for e in events if monday <= local_day(e.start, tz) <= sunday)

    # The month whose event budget the week is judged against: the one it ends in,
    # or today's for the current week (as the main screen counts it).
    budget_month = month_start(local_day(now, tz) if current else sunday)
    _hours, month_events = committed_load(budget_month, events, tz)

    due, done = _followups(contacts, by_contact, settings, monday, moment, now)
    trend = _trend(
        monday, current, gauge, contacts, by_contact, events, goals, settings, stored, now
    )
    returns = _returns(sunday, moment, events, contacts, by_contact, settings, now)
    # Who is waiting by the care their circle asks, snoozed or not: a snooze moves a
    # reminder, never what the review says.
    reconnect = tuple(model.overdue(RECONNECT_CIRCLES))[:RECONNECT_COUNT]
    paid_off, to_drop = _prompts(
        returns, interactions, names, events, goals, settings, now, current
    )
    notes = tuple(
        (s.week_start, s.note) for s in sorted(stored.values(), key=lambda s: s.week_start,
                                               reverse=True)
        if s.note.strip() and s.week_start != monday
    )  # fmt: skip
    return WeekReview(
        week_start=monday,
        current=current,
        snapshot=figures,
        interactions=tuple(interactions),
        people=people,
        new_contacts=new_contacts,
        events=week_events,
        weekly_hours=settings.weekly_hours,
        budget_month=budget_month,
        month_events=month_events,
        events_per_month=settings.events_per_month,
        followups_due=due,
        followups_done=done,
        gauge=gauge,
        signals=signals,
        trend=trend,
        returns=returns,
        reconnect=reconnect,
        paid_off=paid_off,
        to_drop=to_drop,
        past_notes=notes,
    )


def _unique_interactions(
    by_contact: Mapping[int, Sequence[Interaction]], start: datetime, end: datetime
) -> list[Interaction]:
    """Interactions from `start` to `end` inclusive, each once, oldest first."""
    seen: dict[object, Interaction] = {}
    for items in by_contact.values():
        for i in items:
            if start <= i.at <= end:
                seen.setdefault(i.id or id(i), i)
    return sorted(seen.values(), key=lambda i: (i.at, i.id))


def _followups(
    contacts: Iterable[Contact],
    by_contact: Mapping[int, Sequence[Interaction]],
    settings: Settings,
    monday: date,
    moment: datetime,
    now: datetime,
) -> tuple[int, int]:
    """Contacts due by the week's end (judged from before it began, by the care their
    circle asks: a snooze changes neither figure), and those touched in it."""
    tz = zone_of(now)
    start = start_of_day(monday, tz)
    last_day = local_day(moment, tz)
    due = done = 0
    for c in contacts:
        if c.created_at > moment:
            continue
        last: Interaction | None = None
        touched = False
        for i in by_contact.get(c.id, ()):
            if i.at < start:
                if last is None or i.at >= last.at:
                    last = i
            elif i.at <= moment:
                touched = True
        day = care_due(
            c,
            None if last is None else last.at,
            settings,
            tz,
            None if last is None else last.next_step_on,
        )
        if day is None or day > last_day:
            continue
        due += 1
        done += touched
    return due, done


def _trend(
    monday: date,
    current: bool,
    gauge: Gauge,
    contacts: Sequence[Contact],
    by_contact: Mapping[int, Sequence[Interaction]],
    events: Sequence[Event],
    goals: Sequence[Goal],
    settings: Settings,
    stored: Mapping[date, WeeklySnapshot],
    now: datetime,
) -> tuple[TrendPoint, ...]:
    """The balance of the TREND_WEEKS weeks ending with `monday`'s, oldest first.

    Weeks before the first contact was created are left out: there was no network.
    """
    first = min((c.created_at for c in contacts), default=None)
    points: list[TrendPoint] = []
    for back in range(TREND_WEEKS - 1, -1, -1):
        week = monday - timedelta(weeks=back)
        if back == 0:
            source = "live" if current else "rebuilt"
            snap = stored.get(week)
            if not current and snap is not None and snap.zone:
                points.append(TrendPoint(week, round(snap.balance, 3), "stored"))
            else:
                points.append(TrendPoint(week, round(gauge.balance, 3), source))
            continue
        snap = stored.get(week)
        if snap is not None and snap.zone:
            points.append(TrendPoint(week, round(snap.balance, 3), "stored"))
            continue
        moment = week_end_moment(week, now)
        if first is None or first > moment:
            continue
        g = model_as_of(contacts, by_contact, events, goals, settings, moment).gauge()
        points.append(TrendPoint(week, round(g.balance, 3), "rebuilt"))
    return tuple(points)


def _returns(
    sunday: date,
    moment: datetime,
    events: Sequence[Event],
    contacts: Sequence[Contact],
    by_contact: Mapping[int, Sequence[Interaction]],
    settings: Settings,
    now: datetime,
) -> tuple[EventPayoff, ...]:
    """Attended events of the RETURN_LOOKBACK_DAYS before the week's end, newest first."""
    tz = zone_of(now)
    first = sunday - timedelta(days=RETURN_LOOKBACK_DAYS)
    met_at: dict[int, list[int]] = {}
    for c in contacts:
        if c.met_at_event_id is not None:
            met_at.setdefault(c.met_at_event_id, []).append(c.id)
    # When each person became known opens their follow-up window (as the model reads it).
    known = {c.id: c.created_at for c in contacts}
    out = [
        EventPayoff(
            e,
            event_return(
                e,
                by_contact,
                now,
                also_met=met_at.get(e.id, ()),
                thresholds=settings.thresholds,
                known_since=known,
            ),
        )
        for e in events
        if e.status is EventStatus.ATTENDED
        and e.start <= moment
        and first <= local_day(e.start, tz) <= sunday
    ]
    out.sort(key=lambda p: p.event.start, reverse=True)
    return tuple(out)


def _prompts(
    returns: Sequence[EventPayoff],
    interactions: Sequence[Interaction],
    names: Mapping[int, str],
    events: Sequence[Event],
    goals: Sequence[Goal],
    settings: Settings,
    now: datetime,
    current: bool,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Suggestions for "what paid off" and "what to drop", in plain words."""
    tz = zone_of(now)
    good = settings.thresholds.triage_payoff_good_share
    paid: list[str] = []
    drop: list[str] = []
    for p in returns:
        r = p.ret
        when = f"{local_day(p.event.start, tz):%d %b}"
        if not r.met:
            drop.append(f"{p.event.title} ({when}): {r.hours:g} h and nobody met yet")
            continue
        if r.followed_up is None:
            continue
        if r.followed_up / r.met >= good:
            kept = "" if r.still_in_touch is None else f", {r.still_in_touch} still in touch"
            paid.append(
                f"{p.event.title} ({when}): followed up {r.followed_up} of {r.met} people{kept}"
            )
        else:
            drop.append(
                f"{p.event.title} ({when}): followed up {r.followed_up} of {r.met} people met"
            )
    deep: dict[int, int] = {}
    for i in interactions:
        if i.depth == 3:
            for cid in i.contact_ids:
                deep[cid] = deep.get(cid, 0) + 1
    if deep:
        people = sorted(deep, key=lambda cid: (-deep[cid], names.get(cid, "")))[:3]
        listed = ", ".join(names.get(cid, f"#{cid}") for cid in people)
        paid.append(f"Deep conversations with {listed}")
    if current:
        horizon = local_day(now, tz) + timedelta(days=DROP_LOOKAHEAD_DAYS)
        by_id = {e.id: e for e in events}
        for t in triage_upcoming(events, goals, settings, now):
            e = by_id.get(t.event_id)
            if e is None or t.recommendation is not Advice.SKIP:
                continue
            if local_day(e.start, tz) <= horizon:
                drop.append(f"{e.title} ({local_day(e.start, tz):%d %b}): triage says fine to skip")
    return tuple(paid[:4]), tuple(drop[:4])

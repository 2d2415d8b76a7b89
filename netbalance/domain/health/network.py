"""The whole network's health on one day, kept up to date change by change.

`NetworkModel.build` computes every contact's due state and tie strength and
the network's figures in one pass; `apply_interaction` and `apply_contact`
then update only the contacts touched and adjust the running totals, so the
gauge and the signals stay current in well under a millisecond per change.

Totals are kept as integers (floats scaled by 1e9 and rounded), so an
incrementally updated model equals one built from scratch, whatever the order
of the records or of the updates. The model is for one `now`: when the day
changes, build it again.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any

from netbalance.domain.circles import Circle
from netbalance.domain.health.calendar import (
    LocalDays,
    depth_weight,
    due_weight,
    local_day,
    month_start,
    start_of_day,
    week_start,
    zone_of,
)
from netbalance.domain.health.due import (
    DueItem,
    Urgency,
    cadence_of,
    make_item,
    next_due_day,
    urgency_of,
)
from netbalance.domain.health.facts import NetworkFacts
from netbalance.domain.health.gauge import Gauge, gauge_from_facts
from netbalance.domain.health.signals import Signal, signals_from_facts
from netbalance.domain.health.strength import (
    Strength,
    StrengthFigures,
    by_time,
    explain,
    strength_figures,
    year_window_start,
)
from netbalance.domain.health.triage import COMMITTED, followed_up_after
from netbalance.domain.model import Contact, Event, EventStatus, Goal, Interaction
from netbalance.domain.settings import Settings

_Q = 1_000_000_000  # float totals are kept as integers in units of 1e-9
_CIRCLES = tuple(Circle)
# Positions in a contact's contribution to the totals.
_CONTACTS, _KEPT, _NEW, _DEPTH_N, _DEPTH_W, _DEPTH_ON, _DEPTH_S = range(7)
_DUE_TODAY, _OVERDUE, _BADLY, _WEAK, _TOUCHED, _NEW_UNLINKED = range(7, 13)
_OVERDUE_BY = 13  # five slots, one per circle
_COUNT_BY = 18  # five slots, one per circle
_SIZE = 23
_ZERO = (0,) * _SIZE
_AT = attrgetter("at")
_ONE_HOT = tuple(tuple(int(i == j) for j in range(len(_CIRCLES))) for i in range(len(_CIRCLES)))
_NONE_HOT = (0,) * len(_CIRCLES)
_RANK = {c: c.rank for c in _CIRCLES}


class _State:
    """What the model knows about one contact."""

    __slots__ = (
        "cadence",
        "contact",
        "contrib",
        "day",
        "figures",
        "history",
        "item",
        "key",
        "late",
    )

    def __init__(self, contact: Contact, history: list[Interaction]) -> None:
        self.contact = contact
        self.history = history
        self.cadence: int | None = None
        self.day: date | None = None  # next due day
        self.late = 0  # days late; negative: days to go
        self.item: DueItem | None = None  # built on demand
        self.key: tuple[int, float, int, int, str, int] | None = None  # place in the ranking
        self.figures: StrengthFigures | None = None
        self.contrib: tuple[int, ...] = _ZERO


class NetworkModel:
    """Due items, strengths, the gauge and the signals of one network on one day."""

    def __init__(
        self,
        settings: Settings,
        now: datetime,
        events: Iterable[Event] = (),
        goals: Iterable[Goal] = (),
    ) -> None:
        self.settings = settings
        self.now = now
        self.tz = zone_of(now)
        self.today: date = local_day(now, self.tz)
        self._day_of = LocalDays(self.tz)
        th = settings.thresholds
        self._year_start = year_window_start(self.today, self.tz)
        self._new_start = start_of_day(
            self.today - timedelta(days=max(1, th.new_contact_days) - 1), self.tz
        )
        self._week_start_day = week_start(self.today)
        self._window_start_day = self.today - timedelta(days=max(1, th.productivity_days) - 1)
        self._minutes_from = start_of_day(
            min(self._week_start_day, self._window_start_day), self.tz
        )
        self._states: dict[int, _State] = {}
        self._totals = [0] * _SIZE
        # Interactions with minutes inside the productivity window, deduplicated across contacts.
        self._timed: dict[object, tuple[date, int]] = {}
        self._ranked: list[tuple[int, float, int, int, str, int]] | None = None
        self._events: list[Event] = []
        self._goals: list[Goal] = []
        self._active_goals: frozenset[int] = frozenset()
        self._goal_events: frozenset[int] = frozenset()
        self._event_facts: dict[str, float | int] = {}
        self._met_facts: tuple[int, int] | None = None
        self._set_events_goals(list(events), list(goals))

    # --- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        contacts: Iterable[Contact],
        interactions_by_contact: Mapping[int, Sequence[Interaction]],
        events: Iterable[Event],
        goals: Iterable[Goal],
        settings: Settings,
        now: datetime,
    ) -> NetworkModel:
        """Compute the network's health from scratch.

        `interactions_by_contact` maps a contact id to its interactions (oldest
        first is cheapest; any order gives the same result).
        """
        model = cls(settings, now, events, goals)
        contribs = []
        # Thousands of small allocations would trigger the cyclic collector again and
        # again over the whole history (a third of the time); none of them form cycles.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for contact in contacts:
                history = by_time(interactions_by_contact.get(contact.id, ()))
                state = _State(contact, history)
                model._states[contact.id] = state
                model._refresh(state)
                contribs.append(state.contrib)
                model._collect_timed(history)
        finally:
            if collecting:
                gc.enable()
        if contribs:
            model._totals = [sum(column) for column in zip(*contribs, strict=True)]
        return model

    def _set_events_goals(self, events: list[Event], goals: list[Goal]) -> None:
        self._events = events
        self._goals = goals
        self._active_goals = frozenset(g.id for g in goals if g.active)
        self._goal_events = frozenset(
            e.id for e in events if self._active_goals.intersection(e.goal_ids)
        )
        self._event_facts = self._compute_event_facts()
        self._met_facts = None

    # --- updates --------------------------------------------------------------------------

    def apply_interaction(self, interaction: Interaction) -> None:
        """Take one newly logged interaction into account (for each of its contacts)."""
        for cid in interaction.contact_ids:
            state = self._states.get(cid)
            if state is None:
                continue
            insort(state.history, interaction, key=_AT)
            self._update(state)
        self._collect_timed((interaction,))
        self._met_facts = None

    def remove_interaction(self, interaction: Interaction) -> None:
        """Forget an interaction again (undo, or a deletion)."""
        at = interaction.at
        for cid in interaction.contact_ids:
            state = self._states.get(cid)
            if state is None:
                continue
            h = state.history
            lo = bisect_left(h, at, key=_AT)
            hi = bisect_right(h, at, key=_AT)
            for pos in range(lo, hi):
                if h[pos] == interaction:
                    del h[pos]
                    break
            self._update(state)
        self._timed.pop(_timed_key(interaction), None)
        self._met_facts = None

    def apply_contact(self, contact: Contact) -> None:
        """Take a new or edited contact (circle, cadence, snooze, archive...) into account."""
        state = self._states.get(contact.id)
        if state is None:
            state = _State(contact, [])
            self._states[contact.id] = state
        else:
            state.contact = contact
        self._update(state)
        self._met_facts = None

    def remove_contact(self, contact_id: int) -> None:
        """Forget a contact entirely (deleted, not archived)."""
        state = self._states.pop(contact_id, None)
        if state is None:
            return
        self._add_contrib(state.contrib, -1)
        if self._ranked is not None and state.key is not None:
            self._ranked.remove(state.key)
        self._met_facts = None

    def set_events_and_goals(self, events: Iterable[Event], goals: Iterable[Goal]) -> None:
        """Take changed events or goals into account (goal links affect every contact)."""
        self._set_events_goals(list(events), list(goals))
        for state in self._states.values():
            self._update(state)

    def _update(self, state: _State) -> None:
        old_contrib = state.contrib
        self._refresh(state)
        self._add_contrib(old_contrib, -1)
        self._add_contrib(state.contrib, 1)
        if self._ranked is not None:
            if state.key is not None:
                del self._ranked[bisect_left(self._ranked, state.key)]
                state.key = None
            state.key = self._rank_key(state)
            if state.key is not None:
                insort(self._ranked, state.key)

    def _add_contrib(self, contrib: tuple[int, ...], sign: int) -> None:
        totals = self._totals
        for i, v in enumerate(contrib):
            if v:
                totals[i] += sign * v

    def _refresh(self, state: _State) -> None:
        """Recompute one contact's due item, strength and contribution to the totals."""
        c = state.contact
        state.item = None
        if c.archived:
            state.figures = None
            state.day = None
            state.contrib = _ZERO
            return
        settings = self.settings
        th = settings.thresholds
        history = state.history
        cadence = cadence_of(c, settings)
        last_at = history[-1].at if history else None
        last_day = None if last_at is None else self._day_of(last_at)
        next_step = history[-1].next_step_on if history else None
        day = next_due_day(c, last_at, cadence, self.tz, last_day, next_step)
        late = 0 if day is None else (self.today - day).days
        state.cadence = cadence
        state.day = day
        state.late = late
        fig = strength_figures(
            c, history, cadence, self.today, self._day_of, self._year_start, th, last_day
        )
        state.figures = fig
        kept = cadence is not None
        if not kept or not history:
            on = 0.0
        elif late <= 0:
            on = 1.0
        else:
            span = (th.badly_overdue_factor - 1) * cadence  # type: ignore[operator]
            on = 0.5 * max(0.0, 1.0 - late / span) if span > 0 else 0.0
        weight = depth_weight(c.circle, th) if kept else 0.0
        new = c.created_at >= self._new_start and not c.source
        touched = (not new) and last_at is not None and last_at >= self._new_start
        linked = not self._active_goals.isdisjoint(c.goal_ids) or (
            c.met_at_event_id is not None and c.met_at_event_id in self._goal_events
        )
        overdue = kept and late > 0
        by_circle = _ONE_HOT[_RANK[c.circle]]
        state.contrib = (
            1,
            int(kept),
            int(new),
            int(weight > 0),
            round(weight * _Q),
            round(weight * on * _Q),
            round(weight * fig.total * _Q),
            int(kept and late == 0),
            int(overdue),
            int(overdue and urgency_of(late, cadence, th) is Urgency.BADLY_OVERDUE),
            int(kept and fig.value < th.weak_tie_strength),
            int(touched),
            int(new and not linked),
            *(by_circle if overdue else _NONE_HOT),
            *by_circle,
        )

    def _collect_timed(self, interactions: Sequence[Interaction]) -> None:
        """Remember interactions with minutes in the productivity window (newest last)."""
        start = self._minutes_from
        for i in reversed(interactions):
            if i.at < start:
                break
            if i.minutes and i.event_id is None:
                self._timed[_timed_key(i)] = (self._day_of(i.at), i.minutes)

    # --- events ---------------------------------------------------------------------------

    def _compute_event_facts(self) -> dict[str, float | int]:
        th = self.settings.thresholds
        today = self.today
        week = self._week_start_day
        month = month_start(today)
        upcoming_end = today + timedelta(days=th.upcoming_event_days)
        hours_week = hours_window = 0.0
        events_month = upcoming = upcoming_unlinked = 0
        for e in self._events:
            day = local_day(e.start, self.tz)
            if e.status in COMMITTED:
                if week_start(day) == week:
                    hours_week += e.cost_hours
                if month_start(day) == month:
                    events_month += 1
                if self._window_start_day <= day <= today:
                    hours_window += e.cost_hours
            if e.status in (EventStatus.CONSIDERING, EventStatus.GOING) and (
                today <= day <= upcoming_end
            ):
                upcoming += 1
                if e.id not in self._goal_events:
                    upcoming_unlinked += 1
        return {
            "event_hours_week": hours_week,
            "event_hours_window": hours_window,
            "events_month": events_month,
            "upcoming_events": upcoming,
            "upcoming_unlinked": upcoming_unlinked,
        }

    def _compute_met_facts(self) -> tuple[int, int]:
        """People met at recently attended events, and those followed up in time."""
        th = self.settings.thresholds
        window = th.followup_window_days
        first = self.today - timedelta(days=th.insufficient_lookback_days)
        last = self.today - timedelta(days=window + 1)
        recent = [
            e
            for e in self._events
            if e.status is EventStatus.ATTENDED and first <= local_day(e.start, self.tz) <= last
        ]
        if not recent:
            return (0, 0)
        by_event: dict[int, set[int]] = {e.id: set(e.met_contact_ids) for e in recent}
        for cid, known in self._states.items():
            at = known.contact.met_at_event_id
            if at is not None and at in by_event:
                by_event[at].add(cid)
        met = followed = 0
        for e in recent:
            for cid in by_event[e.id]:
                state = self._states.get(cid)
                if state is None or state.contact.archived:
                    continue
                met += 1
                if followed_up_after(e, state.history, self.tz, window):
                    followed += 1
        return (met, followed)

    # --- results --------------------------------------------------------------------------

    def facts(self) -> NetworkFacts:
        """The network's figures today (what the gauge and the signals read)."""
        t = self._totals
        s = self.settings
        th = s.thresholds
        if self._met_facts is None:
            self._met_facts = self._compute_met_facts()
        capacity = {c: s.capacity.get(c) for c in _CIRCLES}
        counts = {c: t[_COUNT_BY + c.rank] for c in _CIRCLES}
        over = 0
        for c in _CIRCLES:
            cap = capacity[c]
            if cap is not None:
                over += max(0, counts[c] - int(cap * th.circle_overflow_factor))
        monthly = max(
            s.followup_capacity_per_event, s.followup_capacity_per_event * s.events_per_month
        )
        minutes_week = minutes_window = 0
        for day, minutes in self._timed.values():
            if self._week_start_day <= day <= self.today:
                minutes_week += minutes
            if self._window_start_day <= day <= self.today:
                minutes_window += minutes
        ev = self._event_facts
        return NetworkFacts(
            contacts=t[_CONTACTS],
            kept=t[_KEPT],
            capacity_total=sum(v for v in capacity.values() if v is not None),
            new_contacts=t[_NEW],
            new_capacity=monthly * max(1, th.new_contact_days) / 30,
            circle_counts=counts,
            circle_capacity=capacity,
            over_capacity=over,
            depth_contacts=t[_DEPTH_N],
            depth_weight=t[_DEPTH_W] / _Q,
            depth_on_cadence=t[_DEPTH_ON] / _Q,
            depth_strength=t[_DEPTH_S] / _Q,
            due_today=t[_DUE_TODAY],
            overdue=t[_OVERDUE],
            badly_overdue=t[_BADLY],
            overdue_by_circle={c: t[_OVERDUE_BY + c.rank] for c in _CIRCLES},
            weak_kept=t[_WEAK],
            existing_touched=t[_TOUCHED],
            new_unlinked=t[_NEW_UNLINKED],
            upcoming_events=int(ev["upcoming_events"]),
            upcoming_unlinked=int(ev["upcoming_unlinked"]),
            active_goals=len(self._active_goals),
            event_hours_week=float(ev["event_hours_week"]),
            events_month=int(ev["events_month"]),
            networking_hours_week=float(ev["event_hours_week"]) + minutes_week / 60,
            networking_hours_window=float(ev["event_hours_window"]) + minutes_window / 60,
            productivity_days=max(1, th.productivity_days),
            met_recent=self._met_facts[0],
            met_followed_up=self._met_facts[1],
        )

    def gauge(self) -> Gauge:
        """The depth vs breadth gauge today."""
        return gauge_from_facts(self.facts(), self.settings.thresholds)

    def signals(self) -> list[Signal]:
        """Every over-networking signal, active or not, in a fixed order."""
        return signals_from_facts(self.facts(), self.settings)

    def report(self) -> dict[str, Any]:
        """The gauge and its signals as JSON-ready data (`netbalance gauge --json`)."""
        facts = self.facts()
        data = gauge_from_facts(facts, self.settings.thresholds).to_dict()
        data["signals"] = [s.to_dict() for s in signals_from_facts(facts, self.settings)]
        data["today"] = self.today.isoformat()
        return data

    def strength(self, contact_id: int) -> Strength | None:
        """A contact's tie strength with its explained components; None if unknown or archived."""
        state = self._states.get(contact_id)
        if state is None or state.figures is None:
            return None
        return explain(contact_id, state.figures, self.settings.thresholds)

    def strength_value(self, contact_id: int) -> int | None:
        """Just the 0..100 strength, cheaply (for a table column)."""
        state = self._states.get(contact_id)
        if state is None or state.figures is None:
            return None
        return state.figures.value

    def strengths(self) -> dict[int, int]:
        """Every non-archived contact's 0..100 strength."""
        return {cid: s.figures.value for cid, s in self._states.items() if s.figures is not None}

    def due_item(self, contact_id: int) -> DueItem | None:
        """A contact's due state; None if unknown or archived."""
        state = self._states.get(contact_id)
        return None if state is None else self._item(state)

    def ranked(self) -> list[DueItem]:
        """Every non-archived contact: most urgent first, then soonest due, then no cadence."""
        return [self._keyed(k) for k in self._ranking()]

    def due(self, within_days: int = 0) -> list[DueItem]:
        """Contacts due within `within_days` of today (0: today or earlier), most urgent first."""
        out = []
        for key in self._ranking():
            item = self._keyed(key)
            if item.next_due is None or item.overdue_days < -within_days:
                break
            out.append(item)
        return out

    def _ranking(self) -> list[tuple[int, float, int, int, str, int]]:
        if self._ranked is None:
            keys = []
            for state in self._states.values():
                state.key = self._rank_key(state)
                if state.key is not None:
                    keys.append(state.key)
            keys.sort()
            self._ranked = keys
        return self._ranked

    def _rank_key(self, state: _State) -> tuple[int, float, int, int, str, int] | None:
        """The contact's place in the ranking (as DueItem.sort_key), without building the item."""
        c = state.contact
        if c.archived:
            return None
        if state.day is None:
            return (2, 0.0, 0, c.circle.rank, c.name.casefold(), c.id)
        late = state.late
        if late >= 0:
            th = self.settings.thresholds
            window = state.cadence if state.cadence is not None else th.next_step_window_days
            score = due_weight(c.circle, th) * (1.0 + late / window)
            return (0, -score, 0, c.circle.rank, c.name.casefold(), c.id)
        return (1, 0.0, state.day.toordinal(), c.circle.rank, c.name.casefold(), c.id)

    def _item(self, state: _State) -> DueItem | None:
        """The contact's DueItem, built on first use (most are never shown)."""
        if state.contact.archived:
            return None
        if state.item is None:
            history = state.history
            last_at = history[-1].at if history else None
            th = self.settings.thresholds
            state.item = make_item(state.contact, state.cadence, last_at, state.day, state.late, th)
        return state.item

    def _keyed(self, key: tuple[int, float, int, int, str, int]) -> DueItem:
        item = self._item(self._states[key[-1]])
        assert item is not None
        return item

    def __len__(self) -> int:
        return len(self._states)


def _timed_key(i: Interaction) -> object:
    return ("id", i.id) if i.id else ("obj", id(i))

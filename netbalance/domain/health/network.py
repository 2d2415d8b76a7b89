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
    COMMITTED,
    LocalDays,
    depth_weight,
    due_weight,
    local_day,
    month_start,
    start_of_day,
    week_start,
    zone_of,
)
from netbalance.domain.health.closeness import ClosenessGap, closeness_gap
from netbalance.domain.health.due import (
    CLOSE_CIRCLES,
    DueItem,
    Today,
    Urgency,
    care_due_day,
    daily_limit,
    make_item,
    plan_today,
    urgency_of,
)
from netbalance.domain.health.facts import NetworkFacts
from netbalance.domain.health.gauge import Gauge, gauge_from_facts
from netbalance.domain.health.signals import Signal, signals_from_facts
from netbalance.domain.health.strength import (
    Strength,
    StrengthRules,
    explain,
    strength_figures,
    year_window_start,
)
from netbalance.domain.health.triage import follow_up_window, followed_up_by
from netbalance.domain.model import Contact, Event, EventStatus, Goal, Interaction, Logged
from netbalance.domain.rules import after_logging
from netbalance.domain.settings import Settings

_Q = 1_000_000_000  # float totals are kept as integers in units of 1e-9
_CIRCLES = tuple(Circle)
# Positions in the network's totals.
_CONTACTS, _KEPT, _NEW, _DEPTH_N, _DEPTH_W, _DEPTH_ON, _DEPTH_S = range(7)
_DUE_TODAY, _OVERDUE, _BADLY, _WEAK, _TOUCHED, _NEW_UNLINKED = range(7, 13)
_OVERDUE_BY = 13  # five slots, one per circle
_COUNT_BY = 18  # five slots, one per circle
_SNOOZED, _DONE_TODAY = 23, 24
_SIZE = 25
# A contact adds 0 or 1 to every total but the three weighted ones, so its share is
# kept as one int with a bit per total (bit i for position i) rather than a tuple:
# no container per contact for the garbage collector to walk, and the model counts
# contacts per distinct mask, so the totals come from a few dozen masks, not 5,000.
_BIT_KEPT = 1 << _KEPT
_BIT_NEW = 1 << _NEW
_BIT_DEPTH_N = 1 << _DEPTH_N
_BIT_DUE_TODAY = 1 << _DUE_TODAY
_BIT_OVERDUE = 1 << _OVERDUE
_BIT_BADLY = 1 << _BADLY
_BIT_WEAK = 1 << _WEAK
_BIT_TOUCHED = 1 << _TOUCHED
_BIT_NEW_UNLINKED = 1 << _NEW_UNLINKED
_BIT_SNOOZED = 1 << _SNOOZED
_BIT_DONE_TODAY = 1 << _DONE_TODAY
_AT = attrgetter("at")
_RANK = {c: c.rank for c in _CIRCLES}
_BADLY_OVERDUE = Urgency.BADLY_OVERDUE
_Key = tuple[int, float, int, int, str, int]
# Contacts are sorted and refreshed in batches of this many: each contact's interactions
# (scattered in memory) are still in the CPU cache from sorting when its strength reads
# them, and the per-call lookups of _refresh_all stay negligible. Sorting all 5,000
# first and then refreshing them measured a fifth slower; batches of 16-256 were alike.
_BATCH = 64


class _State:
    """What the model knows about one contact."""

    __slots__ = (
        "cadence",
        "care_day",
        "care_late",
        "contact",
        "day",
        "history",
        "item",
        "key",
        "late",
        "mask",
        "value",
        "weighted",
    )

    def __init__(self, contact: Contact, history: list[Logged]) -> None:
        self.contact = contact
        self.history = history
        self.cadence: int | None = None
        self.day: date | None = None  # next due day as a reminder (a snooze pushes it)
        self.late = 0  # days late; negative: days to go
        self.care_day: date | None = None  # the day the circle's care asks, snooze or not
        self.care_late = 0  # days late on it (what "kept", the gauge and the backlog read)
        self.item: DueItem | None = None  # built on demand
        self.key: _Key | None = None  # place in the ranking
        self.value: int | None = None  # 0..100 strength; None when archived
        # Share of the totals: one bit per 0/1 total, and the three weighted ones
        # (None when all three are 0, as for most contacts).
        self.mask = 0
        self.weighted: tuple[int, int, int] | None = None


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
        self._today_ord = self.today.toordinal()
        self._day_of = LocalDays(self.tz)
        th = settings.thresholds
        self._rules = StrengthRules(th)
        # What a contact's circle decides, looked up once per model instead of once per
        # contact: depth weight, the weight in the totals' integers, the circle's bits
        # (counted, and overdue) and its due weight in the ranking.
        self._per_circle: dict[Circle, tuple[float, int, int, int]] = {
            c: (
                depth_weight(c, th),
                round(depth_weight(c, th) * _Q),
                1 << _CONTACTS | 1 << (_COUNT_BY + _RANK[c]),
                1 << (_OVERDUE_BY + _RANK[c]),
            )
            for c in _CIRCLES
        }
        self._due_weight = {c: (due_weight(c, th), _RANK[c]) for c in _CIRCLES}
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
        # How many contacts have each mask (see _BIT_KEPT), and the weighted totals.
        self._masks: dict[int, int] = {}
        self._weighted = [0, 0, 0]
        # Interactions with minutes inside the productivity window, deduplicated across contacts.
        self._timed: dict[object, tuple[date, int]] = {}
        # The ranking, built on first use and then kept: contacts with a due day (what
        # the due list reads), then those without (they always rank last; only the
        # full ranking needs them, so due() never sorts them).
        self._dated: list[_Key] | None = None
        self._undated: list[_Key] | None = None
        self._events: list[Event] = []
        self._goals: list[Goal] = []
        self._active_goals: frozenset[int] = frozenset()
        self._goal_events: frozenset[int] = frozenset()
        self._event_facts: dict[str, float | int] = {}
        self._met_facts: tuple[int, int] | None = None
        # The facts, kept until the next change (the gauge and the signals both read them).
        self._facts: NetworkFacts | None = None
        self._set_events_goals(list(events), list(goals))

    # --- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        contacts: Iterable[Contact],
        interactions_by_contact: Mapping[int, Sequence[Logged]],
        events: Iterable[Event],
        goals: Iterable[Goal],
        settings: Settings,
        now: datetime,
        *,
        oldest_first: bool = False,
    ) -> NetworkModel:
        """Compute the network's health from scratch.

        `interactions_by_contact` maps a contact id to its interactions, in any order.
        With `oldest_first`, the caller promises each list is already sorted by time,
        oldest first, as `Store.interactions_by_contact` returns them: the model then
        copies the lists instead of sorting them (a sort of an already sorted list by a
        key was a tenth of building the model). The result is the same either way.
        """
        model = cls(settings, now, events, goals)
        states = model._states
        get = interactions_by_contact.get
        refresh = model._refresh_all
        start = model._minutes_from
        batch: list[_State] = []
        # Thousands of small allocations would trigger the cyclic collector again and
        # again over the whole history (a third of the time); none of them form cycles.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for contact in contacts:
                history = get(contact.id, ())
                # by_time, inlined: one call less per contact (a stable sort by time, so a
                # list already oldest first comes out the same as its copy).
                history = list(history) if oldest_first else sorted(history, key=_AT)
                state = _State(contact, history)
                states[contact.id] = state
                batch.append(state)
                if len(batch) == _BATCH:
                    refresh(batch)
                    model._collect_batch(batch, start)
                    batch.clear()
            refresh(batch)
            model._collect_batch(batch, start)
        finally:
            if collecting:
                gc.enable()
        return model

    def _set_events_goals(self, events: list[Event], goals: list[Goal]) -> None:
        self._events = events
        self._goals = goals
        self._active_goals = frozenset(g.id for g in goals if g.active)
        self._goal_events = frozenset(
            e.id for e in events if self._active_goals.intersection(e.goal_ids)
        )
        self._event_facts = self._compute_event_facts()
        self._changed()

    # --- updates --------------------------------------------------------------------------

    def apply_interaction(self, interaction: Interaction) -> None:
        """Take one newly logged interaction into account (for each of its contacts).

        Logging ends a snooze (`rules.after_logging`), here as in the store.
        """
        for cid in interaction.contact_ids:
            state = self._states.get(cid)
            if state is None:
                continue
            insort(state.history, interaction, key=_AT)
            state.contact = after_logging(state.contact)
            self._update(state)
        self._collect_timed((interaction,))
        self._changed()

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
                # A model built from the store's digests holds Touch tuples: the stored
                # interaction is the one with its id (an unsaved one, id 0, by equality).
                found = h[pos]
                if found == interaction or (interaction.id and found.id == interaction.id):
                    del h[pos]
                    break
            self._update(state)
        self._timed.pop(_timed_key(interaction), None)
        self._changed()

    def apply_contact(self, contact: Contact) -> None:
        """Take a new or edited contact (circle, cadence, snooze, archive...) into account."""
        state = self._states.get(contact.id)
        if state is None:
            state = _State(contact, [])
            self._states[contact.id] = state
        else:
            state.contact = contact
        self._update(state)
        self._changed()

    def remove_contact(self, contact_id: int) -> None:
        """Forget a contact entirely (deleted, not archived)."""
        state = self._states.pop(contact_id, None)
        if state is None:
            return
        self._drop_share(state)
        if state.key is not None:
            self._ranking_of(state.key).remove(state.key)
        self._changed()

    def set_events_and_goals(self, events: Iterable[Event], goals: Iterable[Goal]) -> None:
        """Take changed events or goals into account (goal links affect every contact)."""
        self._set_events_goals(list(events), list(goals))
        for state in self._states.values():
            self._update(state)
        self._changed()

    def _changed(self) -> None:
        """Forget what is computed from the whole network (done after every change)."""
        self._met_facts = None
        self._facts = None

    def _update(self, state: _State) -> None:
        self._refresh_all((state,))
        old = state.key
        if old is not None:
            held = self._ranking_of(old)
            del held[bisect_left(held, old)]
            state.key = None
        key = self._rank_key(state)
        if key is not None:
            # Kept in its part of the ranking only once that part has been built.
            ranking = self._dated if key[0] < 2 else self._undated
            if ranking is not None:
                insort(ranking, key)
                state.key = key

    def _ranking_of(self, key: _Key) -> list[_Key]:
        """The part of the ranking that holds `key` (it is there when the key is set)."""
        ranking = self._dated if key[0] < 2 else self._undated
        assert ranking is not None
        return ranking

    def _drop_share(self, state: _State) -> None:
        """Take a contact's share out of the totals."""
        masks = self._masks
        mask = state.mask
        if mask:
            left = masks[mask] - 1
            if left:
                masks[mask] = left
            else:
                del masks[mask]
            state.mask = 0
        if state.weighted is not None:
            w = self._weighted
            a, b, c = state.weighted
            w[0] -= a
            w[1] -= b
            w[2] -= c
            state.weighted = None

    def _refresh_all(self, states: Iterable[_State]) -> None:
        """Recompute contacts' due items, strengths and shares of the totals.

        The one way to do it: build passes batches of new contacts, updates pass
        one contact, so a rebuilt model and an updated one agree by construction.
        Everything the contacts share (zone, today, thresholds, per-circle weights)
        is read into locals once per call, not once per contact: at 5,000 contacts
        those attribute lookups were a good part of building the model.
        """
        settings = self.settings
        th = settings.thresholds
        tz = self.tz
        today = self.today
        today_ord = self._today_ord
        year_start = self._year_start
        new_start = self._new_start
        rules = self._rules
        circle_cadence = settings.cadence
        per_circle = self._per_circle
        overdue_span = th.badly_overdue_factor - 1
        weak = th.weak_tie_strength
        active_goals = self._active_goals
        goal_events = self._goal_events
        masks = self._masks
        masks_get = masks.get
        drop = self._drop_share
        sum_w = sum_on = sum_s = 0
        for state in states:
            if state.mask:  # counted before (weighted is only ever set with a mask)
                drop(state)
            c = state.contact
            state.item = None
            if c.archived:
                state.value = None
                state.day = state.care_day = None
                continue
            history = state.history
            circle = c.circle
            # As Settings.cadence_for: the contact's own cadence, else its circle's.
            cadence = c.cadence_days
            if cadence is None:
                cadence = circle_cadence[circle]
            if history:
                last = history[-1]
                last_at: datetime | None = last.at
                # The local day as an ordinal (what LocalDays computes, minus the date).
                last_day: int | None = last.at.astimezone(tz).toordinal()
                next_step = last.next_step_on
            else:
                last_at = last_day = next_step = None
            if cadence is None and next_step is None:
                care = day = None  # what care_due_day answers, without the call
                care_late = late = 0
            else:
                care = care_due_day(
                    c,
                    last_at,
                    cadence,
                    tz,
                    None if last_day is None else date.fromordinal(last_day),
                    next_step,
                )
                assert care is not None
                late = care_late = (today - care).days
                # As reminder_day: a snooze pushes the reminder, never the care.
                day = care
                snoozed_until = c.snoozed_until
                if snoozed_until is not None:
                    snooze_day = date.fromordinal(snoozed_until.astimezone(tz).toordinal())
                    if snooze_day > care:
                        day = snooze_day
                        late = (today - day).days
            state.cadence = cadence
            state.day = day
            state.late = late
            state.care_day = care
            state.care_late = care_late
            total = strength_figures(
                c, history, today_ord, tz, year_start, rules, last_day, total_only=True
            )
            # As StrengthFigures.value (conditionals: cheaper than min/max calls).
            value = int(total * 100 + 0.5)
            value = 100 if value > 100 else (0 if value < 0 else value)
            state.value = value
            weight, weight_q, mask, overdue_bit = per_circle[circle]
            if cadence is not None:
                mask |= _BIT_KEPT
                # Kept, due and overdue follow the care the circle asks: a snooze moves
                # only the reminder (state.day), never these.
                if care_late == 0:
                    mask |= _BIT_DUE_TODAY
                elif care_late > 0:
                    mask |= _BIT_OVERDUE | overdue_bit
                    if urgency_of(care_late, cadence, th) is _BADLY_OVERDUE:
                        mask |= _BIT_BADLY
                    if day is not care:
                        mask |= _BIT_SNOOZED
                if last_day == today_ord:
                    mask |= _BIT_DONE_TODAY
                if value < weak:
                    mask |= _BIT_WEAK
                if weight:
                    if weight > 0:
                        mask |= _BIT_DEPTH_N
                    if not history:
                        on = 0.0
                    elif care_late <= 0:
                        on = 1.0
                    else:
                        span = overdue_span * cadence
                        on = 0.5 * max(0.0, 1.0 - care_late / span) if span > 0 else 0.0
                    on_q = round(weight * on * _Q)
                    s_q = round(weight * total * _Q)
                    state.weighted = (weight_q, on_q, s_q)
                    sum_w += weight_q
                    sum_on += on_q
                    sum_s += s_q
                # else: weight 0 (a circle outside the depth half), every weighted term is 0.
            if c.created_at >= new_start and not c.source:
                mask |= _BIT_NEW
                if active_goals.isdisjoint(c.goal_ids) and not (
                    c.met_at_event_id is not None and c.met_at_event_id in goal_events
                ):
                    mask |= _BIT_NEW_UNLINKED
            elif last_at is not None and last_at >= new_start:
                mask |= _BIT_TOUCHED
            state.mask = mask
            masks[mask] = masks_get(mask, 0) + 1
        w = self._weighted
        w[0] += sum_w
        w[1] += sum_on
        w[2] += sum_s

    def _totals(self) -> list[int]:
        """The network's totals, from the contacts counted per mask."""
        t = [0] * _SIZE
        for mask, n in self._masks.items():
            while mask:
                low = mask & -mask  # the lowest bit set: visit set bits only
                t[low.bit_length() - 1] += n
                mask ^= low
        t[_DEPTH_W], t[_DEPTH_ON], t[_DEPTH_S] = self._weighted
        return t

    def _collect_batch(self, batch: list[_State], start: datetime) -> None:
        """_collect_timed for a batch of new contacts (`start`: the productivity window's)."""
        for state in batch:
            history = state.history
            # Most histories end before the productivity window: skip the call.
            if history and history[-1].at >= start:
                self._collect_timed(history)

    def _collect_timed(self, interactions: Sequence[Logged]) -> None:
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
        """People met at recently attended events whose follow-up window has closed, and
        those followed up within it (the window of `follow_up_window`, which the
        suggested first follow-up day also reads)."""
        th = self.settings.thresholds
        window = th.followup_window_days
        today = self.today
        first = today - timedelta(days=th.insufficient_lookback_days)
        last = today - timedelta(days=window + 1)
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
        tz = self.tz
        for e in recent:
            event_last = follow_up_window(e, tz, window)[1]
            for cid in by_event[e.id]:
                state = self._states.get(cid)
                if state is None or state.contact.archived:
                    continue
                learned = state.contact.created_at
                # As follow_up_window: someone known before the event has the event's window.
                last = (
                    event_last
                    if learned <= e.start
                    else follow_up_window(e, tz, window, learned)[1]
                )
                if last >= today:
                    continue  # learned of them later: their window is still open
                met += 1
                if followed_up_by(e, state.history, tz, last):
                    followed += 1
        return (met, followed)

    # --- results --------------------------------------------------------------------------

    def facts(self) -> NetworkFacts:
        """The network's figures today (what the gauge and the signals read)."""
        if self._facts is None:
            self._facts = self._compute_facts()
        return self._facts

    def _compute_facts(self) -> NetworkFacts:
        t = self._totals()
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
            snoozed_overdue=t[_SNOOZED],
            done_today=t[_DONE_TODAY],
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
        rated = sum(
            1 for st in self._states.values() if st.value is not None and st.contact.closeness
        )
        gaps = self.closeness_gaps()
        data["closeness"] = {"rated": rated, "gaps": [g.to_dict() for g in gaps]}
        return data

    def strength(self, contact_id: int) -> Strength | None:
        """A contact's tie strength with its explained components; None if unknown or archived."""
        state = self._states.get(contact_id)
        if state is None or state.value is None:
            return None
        # The figures behind the value are worked out again only when asked for: most
        # strengths are only ever shown as a number (the same function, the same result).
        figures = strength_figures(
            state.contact,
            state.history,
            self._today_ord,
            self.tz,
            self._year_start,
            self._rules,
        )
        return explain(contact_id, figures, self.settings.thresholds)

    def today_list(self) -> Today:
        """Today's follow-ups (at most the daily limit, most urgent first, the rest
        rolling over) and the backlog beside them; the same as `due.today_list`."""
        facts = self.facts()
        by = facts.overdue_by_circle
        return plan_today(
            self.due(),
            limit=daily_limit(self.settings),
            done=facts.done_today,
            overdue=facts.overdue,
            overdue_close=sum(by.get(c, 0) for c in CLOSE_CIRCLES),
            snoozed=facts.snoozed_overdue,
        )

    def overdue(self, circles: Iterable[Circle] | None = None) -> list[DueItem]:
        """Contacts past the care their circle asks (snoozed or not), optionally only in
        `circles`, most urgent first: what the review's "reconnect with" reads."""
        wanted = None if circles is None else frozenset(circles)
        th = self.settings.thresholds
        found = []
        for state in self._states.values():
            c = state.contact
            if state.care_day is None or state.care_late <= 0 or c.archived:
                continue
            if wanted is not None and c.circle not in wanted:
                continue
            window = state.cadence if state.cadence is not None else th.next_step_window_days
            weight, rank = self._due_weight[c.circle]
            score = weight * (1.0 + state.care_late / window)
            found.append((-score, rank, c.name.casefold(), c.id, state))
        found.sort(key=lambda f: f[:4])
        items = []
        for *_key, state in found:
            item = self._item(state)
            assert item is not None
            items.append(item)
        return items

    def closeness_gaps(self) -> list[ClosenessGap]:
        """Contacts whose closeness rating (1-7) and logged strength disagree, the widest
        gap first (ties by name): the log may miss a close tie, or count a distant one."""
        th = self.settings.thresholds
        gaps = []
        for state in self._states.values():
            c = state.contact
            if c.closeness is None or state.value is None:
                continue
            gap = closeness_gap(c, state.value, th)
            if gap is not None:
                gaps.append(gap)
        gaps.sort(key=lambda g: (-abs(g.points), g.name.casefold(), g.contact_id))
        return gaps

    def strength_value(self, contact_id: int) -> int | None:
        """Just the 0..100 strength, cheaply (for a table column)."""
        state = self._states.get(contact_id)
        return None if state is None else state.value

    def strengths(self) -> dict[int, int]:
        """Every non-archived contact's 0..100 strength."""
        return {cid: s.value for cid, s in self._states.items() if s.value is not None}

    def due_item(self, contact_id: int) -> DueItem | None:
        """A contact's due state; None if unknown or archived."""
        state = self._states.get(contact_id)
        return None if state is None else self._item(state)

    def ranked(self) -> list[DueItem]:
        """Every non-archived contact: most urgent first, then soonest due, then no cadence."""
        return [self._keyed(k) for k in self._ranking(True) + self._ranking(False)]

    def due(self, within_days: int = 0) -> list[DueItem]:
        """Contacts due within `within_days` of today (0: today or earlier), most urgent first."""
        out = []
        # Contacts without a due day rank after every dated one: they never make the list.
        for key in self._ranking(True):
            item = self._keyed(key)
            if item.next_due is None or item.overdue_days < -within_days:
                break
            out.append(item)
        return out

    def _ranking(self, dated: bool) -> list[_Key]:
        """The sorted keys of contacts with a due day (`dated`) or of those without."""
        ranking = self._dated if dated else self._undated
        if ranking is None:
            ranking = []
            rank_key = self._rank_key
            for state in self._states.values():
                if (state.day is not None) is dated:
                    key = rank_key(state)
                    if key is not None:
                        state.key = key
                        ranking.append(key)
            ranking.sort()
            if dated:
                self._dated = ranking
            else:
                self._undated = ranking
        return ranking

    def _rank_key(self, state: _State) -> _Key | None:
        """The contact's place in the ranking (as DueItem.sort_key), without building the item."""
        c = state.contact
        if c.archived:
            return None
        weight, rank = self._due_weight[c.circle]
        if state.day is None:
            return (2, 0.0, 0, rank, c.name.casefold(), c.id)
        late = state.late
        if late >= 0:
            window = state.cadence
            if window is None:
                window = self.settings.thresholds.next_step_window_days
            score = weight * (1.0 + late / window)
            return (0, -score, 0, rank, c.name.casefold(), c.id)
        return (1, 0.0, state.day.toordinal(), rank, c.name.casefold(), c.id)

    def _item(self, state: _State) -> DueItem | None:
        """The contact's DueItem, built on first use (most are never shown)."""
        if state.contact.archived:
            return None
        if state.item is None:
            history = state.history
            last_at = history[-1].at if history else None
            th = self.settings.thresholds
            state.item = make_item(
                state.contact,
                state.cadence,
                last_at,
                state.day,
                state.late,
                th,
                state.care_day,
                state.care_late,
            )
        return state.item

    def _keyed(self, key: _Key) -> DueItem:
        item = self._item(self._states[key[-1]])
        assert item is not None
        return item

    def __len__(self) -> int:
        return len(self._states)


def _timed_key(i: Logged) -> object:
    return ("id", i.id) if i.id else ("obj", id(i))

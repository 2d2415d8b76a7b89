"""Event triage and return: be selective, then see what events paid off.

Triage scores an upcoming event by goal fit, the budget left in its week and
month, and how past events of its kind (same tags or goals) paid off, and
recommends go, consider or skip with the reason. Return counts, for an
attended event, who was met, followed up within two weeks, and still in touch
after three months, per hour spent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from netbalance.domain.health.calendar import (
    committed_load,
    local_day,
    start_of_day,
    zone_of,
)
from netbalance.domain.model import Event, EventStatus, Goal, Interaction, Logged
from netbalance.domain.settings import Settings
from netbalance.domain.thresholds import Thresholds


class Advice(StrEnum):
    """What triage recommends for an event."""

    GO = "go"
    CONSIDER = "consider"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class Triage:
    """A recommendation for one event, the parts behind it (0..1 each) and why."""

    event_id: int
    recommendation: Advice
    score: float
    reason: str
    parts: dict[str, float] = field(default_factory=dict)
    figures: dict[str, float | int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""
        return {
            "event_id": self.event_id,
            "recommendation": self.recommendation.value,
            "score": round(self.score, 3),
            "reason": self.reason,
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
            "figures": {
                k: round(v, 3) if isinstance(v, float) else v for k, v in self.figures.items()
            },
        }


@dataclass(frozen=True, slots=True)
class EventReturn:
    """What an attended event gave back, in people and per hour.

    `followed_up` and `still_in_touch` are None until their window has passed.
    """

    event_id: int
    hours: float
    met: int
    followed_up: int | None
    still_in_touch: int | None

    def per_hour(self, count: int | None) -> float | None:
        """`count` per hour spent; None when unknown or the event cost no time."""
        if count is None or self.hours <= 0:
            return None
        return count / self.hours

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""

        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {
            "event_id": self.event_id,
            "hours": self.hours,
            "met": self.met,
            "followed_up": self.followed_up,
            "still_in_touch": self.still_in_touch,
            "met_per_hour": r(self.per_hour(self.met)),
            "followed_up_per_hour": r(self.per_hour(self.followed_up)),
            "still_in_touch_per_hour": r(self.per_hour(self.still_in_touch)),
        }


def event_end(event: Event) -> datetime:
    """When the event is over: its end, else its start plus its cost in hours."""
    return event.end if event.end is not None else event.start + timedelta(hours=event.cost_hours)


def follow_up_window(
    event: Event, tz: tzinfo, window_days: int, known_since: datetime | None = None
) -> tuple[date, date]:
    """The local days in which a first follow-up after `event` counts, first and last.

    The window runs `window_days` days from the event's day, or from the day the
    user learned of the person when that is later (an event entered, or a person
    added, days afterwards): the model's "followed up in time" and the suggested
    first follow-up day both read it, so a follow-up made as suggested counts.
    """
    first = local_day(event.start, tz)
    # Known before the event started: no later day than the event's (no conversion needed).
    if known_since is not None and known_since > event.start:
        learned = local_day(known_since, tz)
        if learned > first:
            first = learned
    return first, first + timedelta(days=window_days)


def followed_up_after(
    event: Event,
    interactions: Sequence[Interaction],
    tz: tzinfo,
    window_days: int,
    known_since: datetime | None = None,
) -> bool:
    """Whether one of `interactions` follows up the event within its follow-up window.

    A chat logged as part of the event itself is not a follow-up. `known_since` is
    when the person became known (their creation), see `follow_up_window`.
    """
    _first, last = follow_up_window(event, tz, window_days, known_since)
    return followed_up_by(event, interactions, tz, last)


def followed_up_by(
    event: Event, interactions: Sequence[Logged], tz: tzinfo, last_day: date
) -> bool:
    """Whether one of `interactions` follows up the event after it ended and by the end
    of `last_day` (the last day of its follow-up window); chats at the event do not count."""
    end = event_end(event)
    limit = start_of_day(last_day + timedelta(days=1), tz)
    return any(end < i.at < limit and i.event_id != event.id for i in reversed(interactions))


def in_touch_after(
    event: Event, interactions: Sequence[Logged], tz: tzinfo, window_days: int
) -> bool:
    """Whether there was contact after the first follow-up window (the tie lived on)."""
    after = start_of_day(local_day(event.start, tz) + timedelta(days=window_days + 1), tz)
    return any(i.at >= after and i.event_id != event.id for i in reversed(interactions))


def event_return(
    event: Event,
    interactions_by_contact: Mapping[int, Sequence[Logged]],
    now: datetime,
    *,
    also_met: Iterable[int] = (),
    thresholds: Thresholds | None = None,
    known_since: Mapping[int, datetime] | None = None,
) -> EventReturn:
    """Who was met at `event`, followed up within 14 days, still in touch after 90 days.

    `also_met` adds contacts whose "met at" names this event; `known_since` maps a
    contact to when they became known (their creation), which can open their
    follow-up window later (see `follow_up_window`). Figures whose window has not
    closed yet are None ("not known yet"), not zero.
    """
    th = thresholds or Thresholds()
    tz = zone_of(now)
    today = local_day(now, tz)
    day = local_day(event.start, tz)
    met_ids = sorted(set(event.met_contact_ids) | set(also_met))
    window = th.followup_window_days
    known = known_since or {}
    # Each person's last day to be followed up; as follow_up_window, which is the event's
    # own for anyone known before it started (computed once, not per person).
    event_last = day + timedelta(days=window)
    lasts = {
        cid: (
            follow_up_window(event, tz, window, known[cid])[1]
            if cid in known and known[cid] > event.start
            else event_last
        )
        for cid in met_ids
    }
    follow_known = today > event_last and all(today > last for last in lasts.values())
    touch_known = today >= day + timedelta(days=th.still_in_touch_days)
    followed = touching = 0
    for cid in met_ids:
        history = interactions_by_contact.get(cid, ())
        if follow_known and followed_up_by(event, history, tz, lasts[cid]):
            followed += 1
        if touch_known and in_touch_after(event, history, tz, window):
            touching += 1
    return EventReturn(
        event.id,
        event.cost_hours,
        len(met_ids),
        followed if follow_known else None,
        touching if touch_known else None,
    )


def triage(
    event: Event,
    events: Iterable[Event],
    goals: Iterable[Goal],
    settings: Settings,
    now: datetime,
    interactions_by_contact: Mapping[int, Sequence[Logged]] | None = None,
) -> Triage:
    """Recommend go, consider or skip for `event`, and say why.

    Goal fit weighs most (the article: be selective, choose events that fit
    your goals); then the budget left in the event's week and month; then how
    past attended events sharing its tags or goals paid off in follow-ups.
    """
    th = settings.thresholds
    tz = zone_of(now)
    others = [e for e in events if not (e is event or (event.id and e.id == event.id))]
    active = {g.id: g for g in goals if g.active}

    served = [active[g] for g in event.goal_ids if g in active]
    if served:
        fit = 1.0
        fit_text = f"serves your goal \u201c{served[0].title}\u201d"
    elif not active:
        fit = 0.5
        fit_text = "you have no active goal to weigh it against"
    elif event.goal_ids:
        fit = 0.25
        fit_text = "it serves only goals you have set aside"
    else:
        fit = 0.0
        fit_text = "it serves none of your active goals"

    day = local_day(event.start, tz)
    week_hours, month_events = committed_load(day, others, tz)
    week_hours += event.cost_hours
    month_events += 1
    f = th.burnout_budget_factor
    week_ok = week_hours <= settings.weekly_hours * f
    month_ok = month_events <= settings.events_per_month * f
    budget = 1.0 if week_ok and month_ok else (0.4 if week_ok or month_ok else 0.0)
    if week_ok and month_ok:
        budget_text = (
            f"it fits your budget ({week_hours:g} of {settings.weekly_hours:g} hours that week, "
            f"event {month_events} of {settings.events_per_month} that month)"
        )
    else:
        over = []
        if not week_ok:
            over.append(f"{week_hours:g} hours that week against {settings.weekly_hours:g}")
        if not month_ok:
            over.append(f"event {month_events} of {settings.events_per_month} that month")
        budget_text = "it would stretch your budget (" + "; ".join(over) + ")"

    similar, met, followed = _past_payoff(event, others, interactions_by_contact or {}, now, th)
    if met:
        rate = followed / met
        good = th.triage_payoff_good_share
        payoff = min(1.0, rate / good) if good else 1.0
        payoff_text = f"similar past events led to follow-ups with {followed} of {met} people met"
    else:
        payoff = 0.5
        payoff_text = "there is no similar past event to learn from yet"

    weights = (th.triage_weight_goal, th.triage_weight_budget, th.triage_weight_payoff)
    wsum = sum(weights)
    score = (weights[0] * fit + weights[1] * budget + weights[2] * payoff) / wsum if wsum else 0.5
    if score >= th.triage_go_score and week_ok and month_ok:
        advice = Advice.GO
    elif score < th.triage_skip_score:
        advice = Advice.SKIP
    else:
        advice = Advice.CONSIDER
    lead = {
        Advice.GO: "Worth going",
        Advice.CONSIDER: "Worth a thought",
        Advice.SKIP: "Fine to skip",
    }[advice]
    reason = f"{lead}: {fit_text}; {budget_text}; {payoff_text}."
    return Triage(
        event.id,
        advice,
        score,
        reason,
        {"goal_fit": fit, "budget": budget, "payoff": payoff},
        {
            "week_hours": week_hours,
            "weekly_hours": settings.weekly_hours,
            "month_events": month_events,
            "events_per_month": settings.events_per_month,
            "similar_events": similar,
            "similar_met": met,
            "similar_followed_up": followed,
        },
    )


def triage_upcoming(
    events: Sequence[Event],
    goals: Sequence[Goal],
    settings: Settings,
    now: datetime,
    interactions_by_contact: Mapping[int, Sequence[Logged]] | None = None,
) -> list[Triage]:
    """Triage every event still ahead that the user is considering or going to, soonest first."""
    tz = zone_of(now)
    today = local_day(now, tz)
    ahead = sorted(
        (
            e
            for e in events
            if e.status in (EventStatus.CONSIDERING, EventStatus.GOING)
            and local_day(e.start, tz) >= today
        ),
        key=lambda e: (e.start, e.id),
    )
    return [triage(e, events, goals, settings, now, interactions_by_contact) for e in ahead]


def _past_payoff(
    event: Event,
    others: Iterable[Event],
    interactions_by_contact: Mapping[int, Sequence[Logged]],
    now: datetime,
    th: Thresholds,
) -> tuple[int, int, int]:
    """Similar attended events, people met there, and those followed up in time."""
    tags = set(event.tags)
    goals = set(event.goal_ids)
    similar = met = followed = 0
    for e in others:
        if e.status is not EventStatus.ATTENDED or e.start >= now:
            continue
        if not (tags & set(e.tags) or goals & set(e.goal_ids)):
            continue
        ret = event_return(e, interactions_by_contact, now, thresholds=th)
        if ret.followed_up is None:
            continue
        similar += 1
        met += ret.met
        followed += ret.followed_up
    return similar, met, followed

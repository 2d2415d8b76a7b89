"""Tie strength per contact (0-100): how strong the tie is, whatever its circle asks.

Granovetter (1973) names time, emotional intensity, intimacy and reciprocal
services as what makes a tie strong. Strength here is absolute: five parts of the
logged history, each 0..1, weighted in settings, times a decay with the days since
the last contact. It never reads the cadence or the snooze: whether a tie gets the
care its circle asks for is another question ("kept", in the due list and the
gauge). docs/model.md gives each part's source and the figure it rests on.

- time: hours together (Hall 2018: ~50 h make a casual friend, ~90 h a friend,
  200+ h a close friend);
- days: distinct days with contact in the last year (Urena-Carrion, Saramaki &
  Kivela 2020: days with contact predict tie strength better than counts);
- intimacy: how deep recent interactions went;
- reciprocity: both sides reach out;
- steadiness: how long contact has been kept up, first to last (the same paper's
  "temporal stability");
- decay: silence halves a tie in `strength_half_life_days`, a family tie much more
  slowly (Roberts & Dunbar 2015: friendships decayed without contact, kin did not).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from math import log1p
from operator import attrgetter
from typing import Any, Literal, NamedTuple, overload

from netbalance.domain.health.calendar import local_day, start_of_day, zone_of
from netbalance.domain.model import Contact, Initiator, Interaction, Logged
from netbalance.domain.settings import Settings
from netbalance.domain.thresholds import Thresholds

COMPONENTS = ("time", "days", "intimacy", "reciprocity", "steadiness")
# Tags that mark a family tie, which decays far more slowly (Roberts & Dunbar 2015).
FAMILY_TAGS = ("family", "kin")
# Hall (2018): hours together at which an acquaintance becomes a casual friend, a
# friend, a close friend; the time part rises through these points.
HALL_HOURS = ((50.0, "a casual friend"), (90.0, "a friend"), (200.0, "a close friend"))
# Minutes an interaction counts for when none were logged, by depth: a ping, a
# conversation, a deep one.
DEFAULT_MINUTES = (0, 5, 30, 60)
# Two contacts this far apart are on different local days (no zone shifts by 2 hours).
_NEAR = timedelta(hours=26)
_AT = attrgetter("at")
_THEM = Initiator.THEM


@dataclass(frozen=True, slots=True)
class StrengthComponent:
    """One part of a tie: its 0..1 score, its weight, and why."""

    key: str
    score: float
    weight: float
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""
        return {
            "key": self.key,
            "score": round(self.score, 3),
            "weight": round(self.weight, 3),
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Strength:
    """A contact's tie strength: `value` 0..100, the parts it is made of, and the decay.

    `value` = 100 x (weighted mean of the components) x `decay`. `hours` is the
    time together (estimated, see docs/model.md); `building` says how far that is
    on Hall's path from acquaintance to close friend.
    """

    contact_id: int
    value: int
    weak: bool
    components: tuple[StrengthComponent, ...]
    explanation: str
    decay: float = 1.0
    hours: float = 0.0
    days_since: int | None = None

    def component(self, key: str) -> StrengthComponent:
        """The component named `key` (time, days, intimacy, reciprocity, steadiness)."""
        for c in self.components:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def building(self) -> str:
        """How far the time together is toward a friendship (Hall 2018), in words."""
        return building_text(self.hours)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""
        return {
            "contact_id": self.contact_id,
            "value": self.value,
            "weak": self.weak,
            "decay": round(self.decay, 3),
            "hours": round(self.hours, 1),
            "days_since": self.days_since,
            "building": self.building,
            "components": [c.to_dict() for c in self.components],
            "explanation": self.explanation,
        }


class StrengthFigures(NamedTuple):
    """The raw numbers behind a strength; cheap to keep for thousands of contacts."""

    days_since: int | None
    interactions: int  # interactions logged
    recent_count: int  # of them, the recent window judged for intimacy and reciprocity
    recent_depth_sum: int
    recent_them: int
    hours: float  # time together, estimated
    days_year: float  # distinct days with contact in the last year (estimated past the window)
    span_days: int  # first to last contact
    family: bool
    scores: tuple[float, float, float, float, float]
    base: float  # 0..1, the weighted mean of the scores
    decay: float  # 0..1
    total: float  # 0..1, base x decay, unrounded

    @property
    def value(self) -> int:
        """The 0..100 strength."""
        return min(100, max(0, int(self.total * 100 + 0.5)))


class StrengthRules:
    """The thresholds tie strength reads, looked up once for a whole network.

    `strength_figures` runs for thousands of contacts in a row; reading the weights
    and limits from the thresholds each time was a measurable part of building the model.
    """

    __slots__ = (
        "days_log",
        "decay_base",
        "decay_family",
        "recent",
        "steady_full",
        "weights",
        "wsum",
    )

    def __init__(self, th: Thresholds) -> None:
        self.recent = th.strength_recent_count
        self.days_log = math.log1p(th.strength_days_full)
        self.steady_full = th.strength_steady_full_days
        # The decay per day of silence: halves in the half-life.
        self.decay_base = 0.5 ** (1.0 / th.strength_half_life_days)
        self.decay_family = 0.5 ** (1.0 / th.strength_half_life_family_days)
        self.weights = strength_weights(th)
        w1, w2, w3, w4, w5 = self.weights
        self.wsum = w1 + w2 + w3 + w4 + w5


def order_key(i: Logged) -> tuple[datetime, int, int, str]:
    """Full order of a contact's interactions: by time, ties by id, depth and initiator."""
    return (i.at, i.id, i.depth, i.initiated_by.value)


def sort_interactions(interactions: Sequence[Interaction]) -> list[Interaction]:
    """Oldest first, ties broken fully, so results never depend on stored order."""
    return sorted(interactions, key=order_key)


def by_time(interactions: Sequence[Interaction]) -> list[Interaction]:
    """Oldest first by time only (cheap); `strength_figures` resolves the ties it cares about."""
    return sorted(interactions, key=_AT)


def time_score(hours: float) -> float:
    """Hours together as 0..1, rising through Hall's points: 50 h 0.5, 90 h 0.7, 200 h 1."""
    if hours <= 50.0:
        return hours / 100.0 if hours > 0.0 else 0.0
    if hours <= 90.0:
        return 0.5 + (hours - 50.0) * 0.005
    if hours < 200.0:
        return 0.7 + (hours - 90.0) * 0.3 / 110.0
    return 1.0


def is_family(contact: Contact) -> bool:
    """Whether the contact is tagged as family (their tie decays slowly)."""
    tags = contact.tags
    return bool(tags) and any(t in FAMILY_TAGS for t in tags)


@overload
def strength_figures(
    contact: Contact,
    ordered: Sequence[Logged],
    today: int,
    tz: tzinfo,
    year_start: datetime,
    rules: StrengthRules,
    last_day: int | None = None,
    *,
    total_only: Literal[False] = False,
) -> StrengthFigures: ...


@overload
def strength_figures(
    contact: Contact,
    ordered: Sequence[Logged],
    today: int,
    tz: tzinfo,
    year_start: datetime,
    rules: StrengthRules,
    last_day: int | None = None,
    *,
    total_only: Literal[True],
) -> float: ...


def strength_figures(
    contact: Contact,
    ordered: Sequence[Logged],
    today: int,
    tz: tzinfo,
    year_start: datetime,
    rules: StrengthRules,
    last_day: int | None = None,
    *,
    total_only: bool = False,
) -> StrengthFigures | float:
    """Compute the components from this contact's interactions, sorted by time.

    With `total_only`, just the unrounded 0..1 total: what the network model keeps
    for every contact (it works the figures out again only for a contact whose
    strength is explained), without building two tuples per contact.

    Days are ordinals (`date.toordinal()`) of the user's local days in `tz`:
    `today`, and `last_day` for the last interaction when the caller has it.
    `year_start` is the first instant of the 365-day window ending today. Only the
    last `strength_recent_count` interactions are read one by one (intimacy,
    reciprocity, minutes, days); beyond them hours and days are estimated at the
    same rate, so the cost per contact stays small however long the history.
    """
    n = len(ordered)
    tags = contact.tags
    # As is_family, inline: most contacts have no tags at all.
    family = bool(tags) and any(t in FAMILY_TAGS for t in tags)
    if not n:
        if total_only:
            return 0.0
        return StrengthFigures(
            None, 0, 0, 0, 0, 0.0, 0.0, 0, family, (0.0, 0.0, 0.0, 0.0, 0.0), 0.0, 1.0, 0.0
        )
    last = ordered[-1]
    last_at = last.at
    if last_day is None:
        last_day = last_at.astimezone(tz).toordinal()
    # Here and below, conditionals stand for min() and max() with the very same
    # result (max(a, x) is x only when x > a), without a builtin call each.
    days_since = today - last_day if today > last_day else 0
    window = rules.recent
    if n > window:
        recent = ordered[-window:]
        if ordered[-window - 1].at == recent[0].at:
            # Equal times straddle the window: pick by the full order, never by stored order.
            lo = bisect_left(ordered, recent[0].at, key=_AT)
            recent = sorted(ordered[lo:], key=order_key)[-window:]
    else:
        recent = ordered  # all of them: no copy
    k = len(recent)
    depth_sum = them = minutes = 0
    defaults = DEFAULT_MINUTES
    them_value = _THEM
    # A plain loop: measured faster than sum(map(...)) over such short lists.
    for i in recent:
        d = i.depth
        depth_sum += d
        them += i.initiated_by is them_value
        m = i.minutes
        minutes += defaults[d] if m is None else m
    # Distinct local days among the recent ones inside the year: walk back from the
    # newest (sorted by time) until one falls before the year.
    near = _NEAR
    distinct = in_year = 0
    later_at: datetime | None = None
    later_day = -1
    for i in reversed(recent):
        at = i.at
        if at < year_start:
            break
        in_year += 1
        if later_at is not None and later_at - at < near:
            # Close together: compare the local days (rare, so the conversion is too).
            if later_day < 0:
                later_day = later_at.astimezone(tz).toordinal()
            day = at.astimezone(tz).toordinal()
            if day != later_day:
                distinct += 1
            later_day = day
        else:
            distinct += 1
            later_day = -1
        later_at = at
    if n > k and in_year == k:
        # The whole window is inside the year, and there is more: estimate at its rate.
        first_at = ordered[0].at
        year_count = n if first_at >= year_start else n - bisect_left(ordered, year_start, key=_AT)
        days_year = distinct * year_count / k
    else:
        days_year = float(distinct)
    hours = minutes * n / (60.0 * k)
    span_days = (last_at - ordered[0].at).days

    # As time_score, inline (one call less per contact).
    if hours <= 50.0:
        time = hours / 100.0 if hours > 0.0 else 0.0
    elif hours <= 90.0:
        time = 0.5 + (hours - 50.0) * 0.005
    elif hours < 200.0:
        time = 0.7 + (hours - 90.0) * 0.3 / 110.0
    else:
        time = 1.0
    days = log1p(days_year) / rules.days_log
    if not days < 1.0:
        days = 1.0
    intimacy = (depth_sum / k - 1.0) / 2.0
    share = (them + 1) / (k + 2)  # Laplace: a single interaction is not proof of one-sidedness
    reciprocity = 1.0 - abs(2.0 * share - 1.0)
    full = rules.steady_full
    steadiness = span_days / full if full else 1.0
    if not steadiness < 1.0:
        steadiness = 1.0
    w1, w2, w3, w4, w5 = rules.weights
    wsum = rules.wsum
    base = (
        (w1 * time + w2 * days + w3 * intimacy + w4 * reciprocity + w5 * steadiness) / wsum
        if wsum
        else 0.0
    )
    # As min(1.0, max(0.0, base)), with conditionals rather than two calls.
    base = 0.0 if not base > 0.0 else (base if base < 1.0 else 1.0)
    decay: float = (rules.decay_family if family else rules.decay_base) ** days_since
    total = base * decay
    if total_only:
        return total
    return StrengthFigures(
        days_since,
        n,
        k,
        depth_sum,
        them,
        hours,
        days_year,
        span_days,
        family,
        (time, days, intimacy, reciprocity, steadiness),
        base,
        decay,
        total,
    )


def strength_weights(th: Thresholds) -> tuple[float, float, float, float, float]:
    """The weights of time, days, intimacy, reciprocity and steadiness."""
    return (
        th.strength_weight_time,
        th.strength_weight_days,
        th.strength_weight_intimacy,
        th.strength_weight_reciprocity,
        th.strength_weight_steadiness,
    )


def explain(contact_id: int, f: StrengthFigures, th: Thresholds) -> Strength:
    """Turn raw figures into a Strength with a sentence per component."""
    weights = strength_weights(th)
    wsum = sum(weights) or 1.0
    estimated = f.interactions > f.recent_count
    texts = (
        f"About {_hours(f.hours)} together"
        + (f" (estimated from the last {f.recent_count} interactions)" if estimated else "")
        + "; Hall (2018): ~50 h make a casual friend, ~90 h a friend, 200+ h a close friend.",
        f"In touch on {_count(round(f.days_year), 'day')} in the last year; "
        f"weekly ({th.strength_days_full:g} days) is the full mark.",
        (
            f"Recent interactions average {f.recent_depth_sum / f.recent_count:.1f} of 3 "
            "(1 a ping, 2 a conversation, 3 deep)."
            if f.recent_count
            else "No interactions to judge depth by yet."
        ),
        (
            f"They started {f.recent_them} of the last {f.recent_count}; "
            "ties grow when both sides reach out."
            if f.recent_count
            else "No interactions to judge who reaches out yet."
        ),
        _steadiness_text(f),
    )
    components = tuple(
        StrengthComponent(key, score, w / wsum, text)
        for key, score, w, text in zip(COMPONENTS, f.scores, weights, texts, strict=True)
    )
    value = f.value
    weak = value < th.weak_tie_strength
    if f.days_since is None:
        summary = "Nothing logged yet: a first follow-up starts the tie."
    else:
        best = max(components, key=lambda c: (c.score * c.weight, c.key))
        worst = min(components, key=lambda c: (c.score - 1) * c.weight)
        if weak:
            lead = f"A light tie for now; {worst.key} would help most."
        else:
            lead = f"{'A strong' if value >= 70 else 'A steady'} tie, helped most by {best.key}."
        summary = f"{lead} {_decay_text(f, th)}"
    return Strength(contact_id, value, weak, components, summary, f.decay, f.hours, f.days_since)


def tie_strength(
    contact: Contact,
    interactions: Sequence[Interaction],
    settings: Settings,
    now: datetime,
) -> Strength:
    """How strong the tie with `contact` is today (0..100), and why.

    `interactions` are this contact's (oldest first is cheapest; any order
    gives the same result).
    """
    tz = zone_of(now)
    today = local_day(now, tz)
    ordered = sort_interactions(interactions)
    th = settings.thresholds
    figures = strength_figures(
        contact,
        ordered,
        today.toordinal(),
        tz,
        year_window_start(today, tz),
        StrengthRules(th),
    )
    return explain(contact.id, figures, th)


def year_window_start(today: date, tz: tzinfo) -> datetime:
    """First instant of the 365 local days ending today."""
    return start_of_day(today - timedelta(days=364), tz)


def building_text(hours: float) -> str:
    """Time together on Hall's (2018) path: 'About 6 h together; ~44 h more to a casual friend'."""
    for mark, stage in HALL_HOURS:
        if hours < mark:
            return (
                f"About {_hours(hours)} together; friendships grow with time: "
                f"~{_hours(mark - hours)} more to {stage} (Hall 2018)."
            )
    return f"About {_hours(hours)} together: the time a close friendship takes (Hall 2018)."


def _hours(h: float) -> str:
    if h < 1:
        return f"{round(h * 60)} min"
    return f"{h:.0f} h" if h >= 10 else f"{h:.1f} h"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _steadiness_text(f: StrengthFigures) -> str:
    if f.days_since is None:
        return "No contact logged yet."
    days = f.span_days
    if days < 1:
        return "One day of contact so far."
    if days < 60:
        return f"In touch over {_count(days, 'day')}, first to last contact."
    if days < 730:
        return f"In touch over {days // 30} months, first to last contact."
    return f"In touch over {days // 365} years, first to last contact."


def _decay_text(f: StrengthFigures, th: Thresholds) -> str:
    since = f.days_since or 0
    half = th.strength_half_life_family_days if f.family else th.strength_half_life_days
    who = "a family tie " if f.family else ""
    ago = "today" if since == 0 else f"{_count(since, 'day')} ago"
    return (
        f"Last in touch {ago}: {who}keeps {f.decay:.0%} of its strength "
        f"(silence halves it in about {half} days)."
    )

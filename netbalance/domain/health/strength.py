"""Tie strength per contact (0-100), with the parts behind it.

Granovetter (1973) names time, emotional intensity, intimacy and reciprocal
services as what makes a tie strong; Gilbert & Karahalios (CHI 2009) found
recency, frequency, intimacy, reciprocity and duration among the measurable
predictors. Each becomes a 0..1 component here, weighted in settings, so the
UI can say why a tie is strong or weak.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from operator import attrgetter
from typing import Any, Literal, NamedTuple, overload

from netbalance.domain.health.calendar import local_day, start_of_day, zone_of
from netbalance.domain.model import EARLIEST, Contact, Initiator, Interaction
from netbalance.domain.settings import Settings
from netbalance.domain.thresholds import Thresholds

COMPONENTS = ("recency", "frequency", "depth", "reciprocity", "duration")
_AT = attrgetter("at")
_THEM = Initiator.THEM


@dataclass(frozen=True, slots=True)
class StrengthComponent:
    """One dimension of a tie: its 0..1 score, its weight, and why."""

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
    """A contact's tie strength: `value` 0..100 and the components it is made of."""

    contact_id: int
    value: int
    weak: bool
    components: tuple[StrengthComponent, ...]
    explanation: str

    def component(self, key: str) -> StrengthComponent:
        """The component named `key` (recency, frequency, depth, reciprocity, duration)."""
        for c in self.components:
            if c.key == key:
                return c
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""
        return {
            "contact_id": self.contact_id,
            "value": self.value,
            "weak": self.weak,
            "components": [c.to_dict() for c in self.components],
            "explanation": self.explanation,
        }


class StrengthFigures(NamedTuple):
    """The raw numbers behind a strength; cheap to keep for thousands of contacts."""

    days_since: int | None
    reference_days: int
    year_count: int
    recent_count: int
    recent_depth_sum: int
    recent_them: int
    days_known: int | None
    scores: tuple[float, float, float, float, float]
    total: float  # 0..1, unrounded

    @property
    def value(self) -> int:
        """The 0..100 strength."""
        return min(100, max(0, int(self.total * 100 + 0.5)))


class StrengthRules:
    """The thresholds tie strength reads, looked up once for a whole network.

    `strength_figures` runs for thousands of contacts in a row; reading the same
    five weights and four limits from the thresholds each time was a measurable
    part of building the model.
    """

    __slots__ = ("default_ref", "duration_full", "recent", "weights", "wsum", "zero_factor")

    def __init__(self, th: Thresholds) -> None:
        self.recent = th.strength_recent_count
        self.default_ref = th.strength_reference_cadence_days
        self.zero_factor = th.strength_recency_zero_factor - 1
        self.duration_full = th.strength_duration_full_days
        self.weights = strength_weights(th)
        w1, w2, w3, w4, w5 = self.weights
        self.wsum = w1 + w2 + w3 + w4 + w5


def order_key(i: Interaction) -> tuple[datetime, int, int, str]:
    """Full order of a contact's interactions: by time, ties by id, depth and initiator."""
    return (i.at, i.id, i.depth, i.initiated_by.value)


def sort_interactions(interactions: Sequence[Interaction]) -> list[Interaction]:
    """Oldest first, ties broken fully, so results never depend on stored order."""
    return sorted(interactions, key=order_key)


def by_time(interactions: Sequence[Interaction]) -> list[Interaction]:
    """Oldest first by time only (cheap); `strength_figures` resolves the ties it cares about."""
    return sorted(interactions, key=_AT)


@overload
def strength_figures(
    contact: Contact,
    ordered: Sequence[Interaction],
    cadence: int | None,
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
    ordered: Sequence[Interaction],
    cadence: int | None,
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
    ordered: Sequence[Interaction],
    cadence: int | None,
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
    `year_start` is the first instant of the 365-day window ending today.
    Ordinals rather than dates: subtracting two ints is what `(a - b).days`
    computes, without building a date and a timedelta per contact.
    """
    ref = cadence if cadence is not None else rules.default_ref
    n = len(ordered)
    created_at = contact.created_at
    # As known_since: the 'unknown' placeholder (1900) is no creation time.
    created = None if created_at <= EARLIEST else created_at
    k = depth_sum = them = year_count = 0
    if n:
        if last_day is None:
            last_day = ordered[-1].at.astimezone(tz).toordinal()
        # Here and below, conditionals stand for min() and max() with the very same
        # result (max(a, x) is x only when x > a), without a builtin call each.
        days_since: int | None = today - last_day if today > last_day else 0
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
        # A plain loop: measured faster than sum(map(...)) over such short lists.
        for i in recent:
            depth_sum += i.depth
            if i.initiated_by is _THEM:
                them += 1
        # Interactions are sorted by time: the year's count is a binary search away,
        # and no search at all when the first one is already inside the year.
        first = ordered[0].at
        year_count = n if first >= year_start else n - bisect_left(ordered, year_start, key=_AT)
        since: datetime | None = first if created is None or first < created else created
    else:
        days_since = None
        since = created
    if since is None:
        days_known = None
    else:
        days_known = today - since.astimezone(tz).toordinal()
        if days_known < 0:
            days_known = 0

    if days_since is None:
        recency = 0.0
    elif days_since <= ref:
        recency = 1.0
    else:
        recency = 1.0 - (days_since - ref) / (rules.zero_factor * ref)
        if not recency > 0.0:
            recency = 0.0
    frequency = year_count * ref / 365.0
    if not frequency < 1.0:
        frequency = 1.0
    if k:
        depth = (depth_sum / k - 1.0) / 2.0
        share = (them + 1) / (k + 2)  # Laplace: a single interaction is not proof of one-sidedness
        reciprocity = 1.0 - abs(2.0 * share - 1.0)
    else:
        depth = reciprocity = 0.0
    full = rules.duration_full
    if days_known is None:
        duration = 0.0
    elif full:
        duration = days_known / full
        if not duration < 1.0:
            duration = 1.0
    else:
        duration = 1.0
    w1, w2, w3, w4, w5 = rules.weights
    wsum = rules.wsum
    total = (
        (w1 * recency + w2 * frequency + w3 * depth + w4 * reciprocity + w5 * duration) / wsum
        if wsum
        else 0.0
    )
    # As min(1.0, max(0.0, total)), with conditionals rather than two calls.
    total = 0.0 if not total > 0.0 else (total if total < 1.0 else 1.0)
    if total_only:
        return total
    return StrengthFigures(
        days_since,
        ref,
        year_count,
        k,
        depth_sum,
        them,
        days_known,
        (recency, frequency, depth, reciprocity, duration),
        total,
    )


def strength_weights(th: Thresholds) -> tuple[float, float, float, float, float]:
    """The weights of recency, frequency, depth, reciprocity and duration."""
    return (
        th.strength_weight_recency,
        th.strength_weight_frequency,
        th.strength_weight_depth,
        th.strength_weight_reciprocity,
        th.strength_weight_duration,
    )


def explain(contact_id: int, f: StrengthFigures, th: Thresholds) -> Strength:
    """Turn raw figures into a Strength with a sentence per component."""
    weights = strength_weights(th)
    wsum = sum(weights) or 1.0
    texts = (
        _recency_text(f),
        f"{_count(f.year_count, 'interaction')} in the last year; "
        f"a {f.reference_days}-day rhythm means about {max(1, round(365 / f.reference_days))}.",
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
        _duration_text(f.days_known),
    )
    components = tuple(
        StrengthComponent(key, score, w / wsum, text)
        for key, score, w, text in zip(COMPONENTS, f.scores, weights, texts, strict=True)
    )
    value = f.value
    weak = value < th.weak_tie_strength
    best = max(components, key=lambda c: (c.score * c.weight, c.key))
    worst = min(components, key=lambda c: (c.score - 1) * c.weight)
    if f.days_since is None:
        summary = "Nothing logged yet: a first follow-up starts the tie."
    elif weak:
        summary = f"A light tie for now; {worst.key} would help most."
    else:
        summary = f"{'Strong' if value >= 70 else 'A steady'} tie, helped most by {best.key}."
    return Strength(contact_id, value, weak, components, summary)


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
    cadence = settings.cadence_for(contact.circle, contact.cadence_days)
    figures = strength_figures(
        contact,
        ordered,
        cadence,
        today.toordinal(),
        tz,
        year_window_start(today, tz),
        StrengthRules(th),
    )
    return explain(contact.id, figures, th)


def year_window_start(today: date, tz: tzinfo) -> datetime:
    """First instant of the 365 local days ending today."""
    return start_of_day(today - timedelta(days=364), tz)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _recency_text(f: StrengthFigures) -> str:
    if f.days_since is None:
        return "No interaction logged yet."
    ago = "today" if f.days_since == 0 else f"{_count(f.days_since, 'day')} ago"
    return f"Last in touch {ago}; the rhythm is every {_count(f.reference_days, 'day')}."


def _duration_text(days: int | None) -> str:
    if days is None:
        return "How long you have known them is not recorded."
    if days < 60:
        return f"Known for {_count(days, 'day')}."
    if days < 730:
        return f"Known for {days // 30} months."
    return f"Known for {days // 365} years."

"""The depth vs breadth gauge: is the user deepening ties or spreading thin?

Depth (0..1) is how well the people the user means to keep close (inner,
close and active circles) are actually kept: on cadence, and with strong
ties. Breadth (0..1) is the pressure of keeping many people at once: people
kept against Dunbar's capacity, new people arriving faster than the user can
follow up, and circles holding more than they can. Balance = depth - breadth,
from -1 (spreading thin) to +1 (deepening).

The zone never says "deepening" while follow-ups are waiting (the backlog or the
insufficient-follow-up signal is on): it says "balanced", and the words explain the
mix ("deepening your inner circles, but 12 close ties are waiting").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from netbalance.domain.health.facts import NetworkFacts
from netbalance.domain.health.signals import backlog_active, close_overdue, insufficient_active
from netbalance.domain.thresholds import Thresholds


class Zone(StrEnum):
    """Where the balance sits."""

    SPREADING_THIN = "spreading thin"
    BALANCED = "balanced"
    DEEPENING = "deepening"


@dataclass(frozen=True, slots=True)
class GaugePart:
    """One side of the gauge: its 0..1 score, the parts it is made of, their weights."""

    score: float
    parts: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    figures: dict[str, float | int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""
        return {
            "score": round(self.score, 3),
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
            "weights": {k: round(v, 3) for k, v in self.weights.items()},
            "figures": {k: _num(v) for k, v in self.figures.items()},
        }


@dataclass(frozen=True, slots=True)
class Gauge:
    """The whole network's balance, its zone, and the two sides behind it."""

    balance: float
    zone: Zone
    components: dict[str, GaugePart]
    explanation: str
    # The signals that kept the zone from "deepening" (backlog, insufficient-follow-up).
    held_by: tuple[str, ...] = ()

    @property
    def depth(self) -> GaugePart:
        return self.components["depth"]

    @property
    def breadth(self) -> GaugePart:
        return self.components["breadth"]

    @property
    def lead(self) -> str:
        """The explanation's first sentence: the zone in words, and, when the zone is
        held at balanced, why ("Balanced: deepening your inner circles, but 12 close ties
        are waiting."). What the review and the main screen say beside the number."""
        return self.explanation.split(". ")[0].rstrip(".") + "."

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""
        return {
            "balance": round(self.balance, 3),
            "zone": self.zone.value,
            "components": {k: v.to_dict() for k, v in self.components.items()},
            "explanation": self.explanation,
            "held_by": list(self.held_by),
        }


def zone_of_balance(balance: float, th: Thresholds) -> Zone:
    """Name the zone a balance falls in."""
    if balance < th.zone_spreading_below:
        return Zone.SPREADING_THIN
    if balance > th.zone_deepening_above:
        return Zone.DEEPENING
    return Zone.BALANCED


def gauge_from_facts(facts: NetworkFacts, th: Thresholds) -> Gauge:
    """Compute the gauge from the network's figures."""
    if facts.depth_weight > 0:
        on_cadence = facts.depth_on_cadence / facts.depth_weight
        strength = facts.depth_strength / facts.depth_weight
    else:
        on_cadence = strength = 0.0
    share = th.depth_on_cadence_share
    depth_score = _unit(share * on_cadence + (1 - share) * strength)
    depth = GaugePart(
        depth_score,
        {"on_cadence": on_cadence, "strength": strength},
        {"on_cadence": share, "strength": 1 - share},
        {"contacts": facts.depth_contacts},
    )

    load = _unit(facts.kept / facts.capacity_total) if facts.capacity_total else 0.0
    influx = _unit(facts.new_contacts / facts.new_capacity) if facts.new_capacity else 0.0
    overflow = _unit(facts.over_capacity / facts.capacity_total) if facts.capacity_total else 0.0
    weights = {
        "load": th.breadth_weight_load,
        "influx": th.breadth_weight_influx,
        "overflow": th.breadth_weight_overflow,
    }
    wsum = sum(weights.values())
    parts = {"load": load, "influx": influx, "overflow": overflow}
    breadth_score = _unit(sum(weights[k] * parts[k] for k in parts) / wsum) if wsum else 0.0
    breadth = GaugePart(
        breadth_score,
        parts,
        {k: (w / wsum if wsum else 0.0) for k, w in weights.items()},
        {
            "kept": facts.kept,
            "capacity": facts.capacity_total,
            "new_contacts": facts.new_contacts,
            "new_capacity": round(facts.new_capacity, 2),
            "over_capacity": facts.over_capacity,
        },
    )
    balance = max(-1.0, min(1.0, depth_score - breadth_score))
    zone = zone_of_balance(balance, th)
    held: tuple[str, ...] = ()
    if zone is Zone.DEEPENING:
        held = tuple(
            key
            for key, on in (
                ("backlog", backlog_active(facts, th)),
                ("insufficient-follow-up", insufficient_active(facts, th)),
            )
            if on
        )
        if held:
            zone = Zone.BALANCED
    return Gauge(
        balance,
        zone,
        {"depth": depth, "breadth": breadth},
        _explain(facts, zone, depth, breadth, held),
        held,
    )


def waiting_words(facts: NetworkFacts, held: tuple[str, ...]) -> str:
    """What keeps the zone from deepening: '12 close ties are waiting', ..."""
    reasons = []
    if "backlog" in held:
        close = close_overdue(facts)
        if close:
            reasons.append(f"{close} close {'tie is' if close == 1 else 'ties are'} waiting")
        else:
            n = facts.overdue
            reasons.append(f"{n} follow-up{' is' if n == 1 else 's are'} waiting")
    if "insufficient-follow-up" in held:
        missed = facts.met_recent - facts.met_followed_up
        reasons.append(
            f"{missed} of {facts.met_recent} people met at events had no follow-up in time"
        )
    return " and ".join(reasons)


def _explain(
    facts: NetworkFacts,
    zone: Zone,
    depth: GaugePart,
    breadth: GaugePart,
    held: tuple[str, ...] = (),
) -> str:
    if facts.contacts == 0:
        return (
            "Nothing to weigh yet: add the people who matter to you and log your "
            "follow-ups, and this gauge will show how your network is growing."
        )
    if facts.depth_contacts == 0:
        close = (
            "No one is in your inner, close or active circles with a cadence yet, "
            "so there is no depth to measure; placing the people who matter there starts it."
        )
    else:
        close = (
            f"Of the {facts.depth_contacts} people you keep close, "
            f"{depth.parts['on_cadence']:.0%} of the follow-up rhythm is kept "
            f"and their ties average {depth.parts['strength'] * 100:.0f} of 100."
        )
    spread = (
        f"You keep {facts.kept} people on a cadence against a capacity of "
        f"{facts.capacity_total}, with {facts.new_contacts} new recently"
    )
    if facts.over_capacity:
        spread += f" and {facts.over_capacity} beyond what your circles can hold"
    spread += "."
    if held and depth.parts["on_cadence"] >= 0.5:
        lead = f"Balanced: deepening your inner circles, but {waiting_words(facts, held)}."
    elif held:
        # The balance is high because little pulls toward breadth, not because ties are kept.
        lead = f"Balanced: not spread thin, but {waiting_words(facts, held)}."
    else:
        lead = {
            Zone.DEEPENING: "Deepening: your close ties get more care than your reach demands.",
            Zone.BALANCED: "Balanced: depth and breadth are in step.",
            Zone.SPREADING_THIN: (
                "Spreading thin: breadth is outrunning the care your close ties get."
            ),
        }[zone]
    return f"{lead} {close} {spread}"


def _unit(x: float) -> float:
    return 0.0 if x != x else max(0.0, min(1.0, x))


def _num(v: float | int) -> float | int:
    return round(v, 3) if isinstance(v, float) else v

"""The health model: due list, tie strength, the depth vs breadth gauge, signals.

Pure functions and one incremental model (`NetworkModel`); "now" is always a
parameter. docs/model.md explains every formula, weight and threshold.
"""

from netbalance.domain.health.due import (
    DueItem,
    Urgency,
    cadence_of,
    due_item,
    due_list,
    next_due,
    rank_all,
    snooze,
    urgency_of,
)
from netbalance.domain.health.facts import NetworkFacts
from netbalance.domain.health.gauge import Gauge, GaugePart, Zone, gauge_from_facts
from netbalance.domain.health.network import NetworkModel
from netbalance.domain.health.signals import SIGNAL_KEYS, Signal, signals_from_facts
from netbalance.domain.health.strength import (
    COMPONENTS,
    Strength,
    StrengthComponent,
    tie_strength,
)
from netbalance.domain.health.triage import (
    Advice,
    EventReturn,
    Triage,
    event_return,
    triage,
    triage_upcoming,
)
from netbalance.domain.health.weekly import week_of, weekly_figures

__all__ = [
    "COMPONENTS",
    "SIGNAL_KEYS",
    "Advice",
    "DueItem",
    "EventReturn",
    "Gauge",
    "GaugePart",
    "NetworkFacts",
    "NetworkModel",
    "Signal",
    "Strength",
    "StrengthComponent",
    "Triage",
    "Urgency",
    "Zone",
    "cadence_of",
    "due_item",
    "due_list",
    "event_return",
    "gauge_from_facts",
    "next_due",
    "rank_all",
    "signals_from_facts",
    "snooze",
    "tie_strength",
    "triage",
    "triage_upcoming",
    "urgency_of",
    "week_of",
    "weekly_figures",
]

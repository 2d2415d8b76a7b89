"""The health model: due list, tie strength, the depth vs breadth gauge, signals.

Pure functions and one incremental model (`NetworkModel`); "now" is always a
parameter. docs/model.md explains every formula, weight and threshold.
"""

from netbalance.domain.health.closeness import ClosenessGap, closeness_gap, rating_points
from netbalance.domain.health.due import (
    DueItem,
    Today,
    Urgency,
    cadence_of,
    care_due,
    daily_limit,
    due_item,
    due_list,
    next_due,
    plan_today,
    rank_all,
    snooze,
    today_list,
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
    follow_up_window,
    followed_up_after,
    triage,
    triage_upcoming,
)
from netbalance.domain.health.weekly import week_of, weekly_figures

__all__ = [
    "COMPONENTS",
    "SIGNAL_KEYS",
    "Advice",
    "ClosenessGap",
    "DueItem",
    "EventReturn",
    "Gauge",
    "GaugePart",
    "NetworkFacts",
    "NetworkModel",
    "Signal",
    "Strength",
    "StrengthComponent",
    "Today",
    "Triage",
    "Urgency",
    "Zone",
    "cadence_of",
    "care_due",
    "closeness_gap",
    "daily_limit",
    "due_item",
    "due_list",
    "event_return",
    "follow_up_window",
    "followed_up_after",
    "gauge_from_facts",
    "next_due",
    "plan_today",
    "rank_all",
    "rating_points",
    "signals_from_facts",
    "snooze",
    "tie_strength",
    "today_list",
    "triage",
    "triage_upcoming",
    "urgency_of",
    "week_of",
    "weekly_figures",
]

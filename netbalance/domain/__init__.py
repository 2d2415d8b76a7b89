"""Pure domain: records, validation and the health model. No UI, no storage, no clock."""

from netbalance.domain.circles import DEFAULT_CADENCE, DEFAULT_CAPACITY, Circle
from netbalance.domain.errors import DomainError
from netbalance.domain.model import (
    Birthday,
    Contact,
    Event,
    EventStatus,
    Goal,
    GoalKind,
    Initiator,
    Interaction,
    InteractionKind,
    WeeklySnapshot,
)
from netbalance.domain.settings import Settings
from netbalance.domain.thresholds import Thresholds

__all__ = [
    "DEFAULT_CADENCE",
    "DEFAULT_CAPACITY",
    "Birthday",
    "Circle",
    "Contact",
    "DomainError",
    "Event",
    "EventStatus",
    "Goal",
    "GoalKind",
    "Initiator",
    "Interaction",
    "InteractionKind",
    "Settings",
    "Thresholds",
    "WeeklySnapshot",
]

"""The app's core, below the UI and free of Textual: the store, the ranked list and the
health model of one network, and the verbs that change them (see core.py)."""

from netbalance.core.core import (
    EVERYTHING,
    NOTHING,
    Changed,
    ContactDetail,
    Core,
    Health,
    MetPerson,
    Write,
)
from netbalance.core.history import History, Step
from netbalance.core.ranking import ContactRow, Ranking, SortOrder
from netbalance.core.selection import keep_place

__all__ = [
    "EVERYTHING",
    "NOTHING",
    "Changed",
    "ContactDetail",
    "ContactRow",
    "Core",
    "Health",
    "History",
    "MetPerson",
    "Ranking",
    "SortOrder",
    "Step",
    "Write",
    "keep_place",
]

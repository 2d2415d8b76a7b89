"""Thresholds of the health model (due list, strength, gauge, signals).

Every number the health model compares against lives here, with its default,
so settings can change any of them. docs/model.md explains each one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Tunable limits of the health model; defaults are the documented ones."""

    # A contact is "badly overdue" past this multiple of its cadence.
    badly_overdue_factor: float = 1.5
    # Contacts count as "upcoming" this many days before they are due.
    upcoming_days: int = 7

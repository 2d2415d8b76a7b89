"""The user's networking settings: budget, follow-up capacity, circles, thresholds.

Stored in the database with the rest of the user's data (the config file holds
app preferences only). Defaults live here and nowhere else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Self

from netbalance.domain.circles import DEFAULT_CADENCE, DEFAULT_CAPACITY, Circle
from netbalance.domain.errors import DomainError
from netbalance.domain.thresholds import Thresholds


@dataclass(frozen=True, slots=True)
class Settings:
    """Networking budget and the numbers the health model works with."""

    weekly_hours: float = 5.0
    events_per_month: int = 4
    followup_capacity_per_event: int = 5
    cadence: dict[Circle, int | None] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    capacity: dict[Circle, int | None] = field(default_factory=lambda: dict(DEFAULT_CAPACITY))
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        if not 0 <= self.weekly_hours <= 80:
            raise DomainError("weekly_hours", self.weekly_hours, "must be 0 to 80 hours")
        if not 0 <= self.events_per_month <= 60:
            raise DomainError("events_per_month", self.events_per_month, "must be 0 to 60")
        if not 1 <= self.followup_capacity_per_event <= 100:
            raise DomainError(
                "followup_capacity_per_event", self.followup_capacity_per_event, "must be 1 to 100"
            )
        # Fill circles missing from a stored or edited mapping with their defaults.
        cadence = {c: self.cadence.get(c, DEFAULT_CADENCE[c]) for c in Circle}
        capacity = {c: self.capacity.get(c, DEFAULT_CAPACITY[c]) for c in Circle}
        for circle, days in cadence.items():
            if days is not None and not 1 <= days <= 3660:
                raise DomainError(f"cadence.{circle}", days, "must be 1 to 3660 days, or none")
        for circle, size in capacity.items():
            if size is not None and not 1 <= size <= 100_000:
                raise DomainError(f"capacity.{circle}", size, "must be a positive number, or none")
        object.__setattr__(self, "cadence", cadence)
        object.__setattr__(self, "capacity", capacity)

    def edit(self, **changes: object) -> Self:
        """Return a validated copy with `changes` applied."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def cadence_for(self, circle: Circle, override: int | None = None) -> int | None:
        """Days between follow-ups for a contact: its own cadence, else its circle's."""
        return override if override is not None else self.cadence[circle]

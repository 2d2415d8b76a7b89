"""Where how close a person feels and what the log shows disagree.

A quiet log is not a weak tie: a brother you call without logging it is close all
the same. The user can say how close someone feels with one question, after the
Inclusion of Other in the Self scale (Aron, Aron & Smollan 1992; Gachter, Starmer
& Tufano 2015 found its 7 pictures track a fuller closeness index, rho = .85):
1 (not at all) to 7 (very close). The rating is never mixed into the logged
strength; the model only shows where the two tell different stories, so the user
can log what is missing or see a tie for what it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netbalance.domain.model import Contact
from netbalance.domain.thresholds import Thresholds


def rating_points(closeness: int) -> int:
    """A 1-7 rating's place on strength's 0-100 scale: 1 -> 0, 4 -> 50, 7 -> 100."""
    return round((closeness - 1) * 100 / 6)


@dataclass(frozen=True, slots=True)
class ClosenessGap:
    """A contact whose rating and logged strength are `points` apart (positive: the
    rating is higher, the log shows less than the user feels)."""

    contact_id: int
    name: str
    closeness: int
    strength: int
    points: int

    @property
    def feels_closer(self) -> bool:
        """The user feels closer than the log shows."""
        return self.points > 0

    @property
    def message(self) -> str:
        """What the gap may mean, in kind words."""
        if self.feels_closer:
            return (
                f"{self.name} feels close ({self.closeness} of 7), but the log shows a "
                f"lighter tie ({self.strength}): maybe much of it is not logged, or it is "
                "waiting for time together."
            )
        return (
            f"The log shows a strong tie with {self.name} ({self.strength}), but they feel "
            f"distant ({self.closeness} of 7): plenty of contact, not much closeness yet."
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "closeness": self.closeness,
            "strength": self.strength,
            "points": self.points,
            "message": self.message,
        }


def closeness_gap(contact: Contact, strength: int, th: Thresholds) -> ClosenessGap | None:
    """The gap between `contact`'s closeness rating and its logged `strength`, when it
    is at least `closeness_gap_points`; None when they agree or there is no rating."""
    if contact.closeness is None:
        return None
    points = rating_points(contact.closeness) - strength
    if abs(points) < th.closeness_gap_points:
        return None
    return ClosenessGap(contact.id, contact.name, contact.closeness, strength, points)

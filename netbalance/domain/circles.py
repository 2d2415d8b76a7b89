"""Circles: how close a relationship is meant to be, after Dunbar's layers."""

from __future__ import annotations

from enum import StrEnum


class Circle(StrEnum):
    """The layer a contact belongs to; inner is the closest."""

    INNER = "inner"
    CLOSE = "close"
    ACTIVE = "active"
    WIDER = "wider"
    ACQUAINTANCE = "acquaintance"

    @property
    def rank(self) -> int:
        """0 for inner up to 4 for acquaintance; closer circles sort first."""
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @classmethod
    def parse(cls, text: str) -> Circle:
        """Read a circle from user text ("Inner", "close", "acq")."""
        from netbalance.domain.errors import DomainError

        t = text.strip().lower()
        for circle in cls:
            if circle.value == t or (len(t) >= 3 and circle.value.startswith(t)):
                return circle
        names = ", ".join(c.value for c in cls)
        raise DomainError("circle", text, f"must be one of {names}")


_ORDER = list(Circle)

# Days between follow-ups a circle asks for by default (None: no cadence, never due).
DEFAULT_CADENCE: dict[Circle, int | None] = {
    Circle.INNER: 7,
    Circle.CLOSE: 30,
    Circle.ACTIVE: 90,
    Circle.WIDER: 180,
    Circle.ACQUAINTANCE: None,
}

# How many people a circle can hold (Dunbar's layers: about 5, 15, 50, 150).
DEFAULT_CAPACITY: dict[Circle, int | None] = {
    Circle.INNER: 5,
    Circle.CLOSE: 15,
    Circle.ACTIVE: 50,
    Circle.WIDER: 150,
    Circle.ACQUAINTANCE: None,
}

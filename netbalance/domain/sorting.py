"""Sorting people into circles after an import, before any of them becomes due.

A phone book or a LinkedIn export brings hundreds of names at once. Dropped into a
circle with a cadence, they flood it: all due on the same day, depth pulled down by
people the user never meant to keep up with. After an import the app offers to sort
them: most stay acquaintances (no cadence, never due); the few the log shows the user
is really in touch with are suggested for the wider circle; the user picks the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from netbalance.domain.circles import Circle
from netbalance.domain.model import Contact, Interaction

# Interactions within this many days that suggest someone is more than a name in a list.
IN_TOUCH_DAYS = 365
# At least this many of them (an import's own "connected on" note is one).
IN_TOUCH_COUNT = 2


@dataclass(frozen=True, slots=True)
class CircleSuggestion:
    """Where an imported person could go, and why."""

    contact_id: int
    name: str
    circle: Circle
    reason: str


def sort_after_import(
    imported: Sequence[Contact],
    interactions_by_contact: Mapping[int, Sequence[Interaction]],
    now: datetime,
) -> list[CircleSuggestion]:
    """A circle for each imported contact: acquaintance (no cadence) unless the log shows
    the user in touch with them this year, then wider. Those suggested for a circle come
    first (most in touch first), then everyone else by name."""
    since = now - timedelta(days=IN_TOUCH_DAYS)
    ranked: list[tuple[int, str, CircleSuggestion]] = []
    for c in imported:
        recent = sum(1 for i in interactions_by_contact.get(c.id, ()) if i.at >= since)
        if recent >= IN_TOUCH_COUNT:
            suggestion = CircleSuggestion(
                c.id, c.name, Circle.WIDER, f"in touch {recent} times in the last year"
            )
        else:
            suggestion = CircleSuggestion(
                c.id, c.name, Circle.ACQUAINTANCE, "from a list: no cadence until you place them"
            )
        ranked.append((-recent if recent >= IN_TOUCH_COUNT else 0, c.name.casefold(), suggestion))
    ranked.sort(key=lambda r: (r[0], r[1], r[2].contact_id))
    return [r[2] for r in ranked]


def sorting_message(count: int, suggestions: Sequence[CircleSuggestion]) -> str:
    """What the app says when it offers the sorting, kindly and plainly."""
    placed = sum(1 for s in suggestions if s.circle is not Circle.ACQUAINTANCE)
    people = "1 person" if count == 1 else f"{count:,} people"
    lead = (
        f"{people} imported. Most people from a list stay acquaintances: no cadence, never "
        "due, nothing to keep up with."
    )
    if placed:
        lead += f" {placed} look like people you are in touch with: the wider circle is suggested."
    return lead + " Pick the few you want to keep close."

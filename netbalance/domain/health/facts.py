"""The network's figures that the gauge and the signals read.

`NetworkModel` keeps them up to date; the gauge and the signals are pure
functions of them, so they are cheap to recompute after every change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netbalance.domain.circles import Circle


@dataclass(frozen=True, slots=True)
class NetworkFacts:
    """Counts and sums over the whole network on one day."""

    # People
    contacts: int = 0  # non-archived
    kept: int = 0  # non-archived with a cadence
    capacity_total: int = 0  # sum of circle capacities (Dunbar's layers)
    new_contacts: int = 0  # created within the new-contact window
    new_capacity: float = 0.0  # follow-ups the user can give new people in that window
    circle_counts: dict[Circle, int] = field(default_factory=dict)
    circle_capacity: dict[Circle, int | None] = field(default_factory=dict)
    over_capacity: int = 0  # people beyond their circle's capacity, all circles
    # Depth: contacts in inner/close/active circles with a cadence, weighted by circle
    depth_contacts: int = 0
    depth_weight: float = 0.0
    depth_on_cadence: float = 0.0  # weighted sum of on-cadence scores
    depth_strength: float = 0.0  # weighted sum of strengths (0..1)
    # Due, by the care each circle asks (a snooze changes none of these)
    due_today: int = 0
    overdue: int = 0
    badly_overdue: int = 0
    overdue_by_circle: dict[Circle, int] = field(default_factory=dict)
    # Strength
    weak_kept: int = 0
    # Follow-ups and focus
    existing_touched: int = 0  # existing contacts with an interaction in the new-contact window
    new_unlinked: int = 0  # new contacts serving no active goal
    upcoming_events: int = 0
    upcoming_unlinked: int = 0
    active_goals: int = 0
    # Time
    event_hours_week: float = 0.0
    events_month: int = 0
    networking_hours_week: float = 0.0
    networking_hours_window: float = 0.0
    productivity_days: int = 28
    # Events met
    met_recent: int = 0
    met_followed_up: int = 0
    # Overdue on care but with the reminder pushed later by a snooze (still overdue).
    snoozed_overdue: int = 0
    # Contacts with a cadence followed up today (each takes one of today's places).
    done_today: int = 0

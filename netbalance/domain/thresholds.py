"""Thresholds of the health model (due list, strength, gauge, signals, triage).

Every number the health model compares against or weighs with lives here,
with its default, so settings can change any of them. docs/model.md explains
each one and the reason behind its default. Only ints and floats: the store
serializes this dataclass generically by field name.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Self

from netbalance.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Tunable limits and weights of the health model; defaults are the documented ones."""

    # --- due list -------------------------------------------------------------------------
    # A contact is "badly overdue" past this multiple of its cadence since the last touch.
    badly_overdue_factor: float = 1.5
    # Contacts count as "upcoming" this many days before they are due.
    upcoming_days: int = 7
    # How much a day late weighs in the ranking, by circle (inner outranks acquaintance).
    due_weight_inner: float = 5.0
    due_weight_close: float = 4.0
    due_weight_active: float = 3.0
    due_weight_wider: float = 2.0
    due_weight_acquaintance: float = 1.0
    # A next step with a date ("send the intro by Friday") makes a contact due that day,
    # even without a cadence; lateness on it is graded against this many days.
    next_step_window_days: int = 14

    # --- tie strength (weights are normalized by their sum) --------------------------------
    strength_weight_recency: float = 0.30
    strength_weight_frequency: float = 0.25
    strength_weight_depth: float = 0.20
    strength_weight_reciprocity: float = 0.15
    strength_weight_duration: float = 0.10
    # The cadence assumed for contacts without one, to judge recency and frequency.
    strength_reference_cadence_days: int = 90
    # Recency falls from 1 at the cadence to 0 at this multiple of it.
    strength_recency_zero_factor: float = 3.0
    # Depth and reciprocity look at this many most recent interactions.
    strength_recent_count: int = 12
    # Duration known reaches its full score after this many days (3 years).
    strength_duration_full_days: int = 1095
    # Below this strength a tie counts as weak.
    weak_tie_strength: int = 30

    # --- depth vs breadth gauge ---------------------------------------------------------
    # How much each kept circle weighs in depth; wider and acquaintance do not count.
    depth_weight_inner: float = 3.0
    depth_weight_close: float = 2.0
    depth_weight_active: float = 1.0
    # Share of depth that comes from being on cadence; the rest from tie strength.
    depth_on_cadence_share: float = 0.6
    # Breadth parts: people kept against capacity, new arrivals, people over capacity.
    breadth_weight_load: float = 0.4
    breadth_weight_influx: float = 0.4
    breadth_weight_overflow: float = 0.2
    # A contact created within this many days is new.
    new_contact_days: int = 30
    # Zones: balance below the first is "spreading thin", above the second "deepening".
    zone_spreading_below: float = -0.2
    zone_deepening_above: float = 0.2

    # --- over-networking signals --------------------------------------------------------
    # Burnout: event hours this week, or events this month, above this share of the budget.
    burnout_budget_factor: float = 1.0
    # Surface relationships: share of kept contacts whose tie is weak.
    surface_weak_share: float = 0.6
    # Lack of focus: share of new contacts and upcoming events serving no active goal.
    focus_unlinked_share: float = 0.5
    focus_min_items: int = 3
    # Upcoming events are those starting within this many days.
    upcoming_event_days: int = 30
    # Lost productivity: average weekly networking hours over this many days, against budget.
    productivity_days: int = 28
    productivity_budget_factor: float = 1.0
    # Follow-up backlog: this many overdue contacts, or this many in inner and close circles.
    backlog_overdue_count: int = 10
    backlog_close_overdue_count: int = 2
    # Ignoring existing contacts: new contacts more than this multiple of existing ones
    # followed up with, over the new-contact window, once there are enough new ones.
    ignoring_ratio: float = 1.0
    ignoring_min_new: int = 5
    # Insufficient follow-up: people met at events, not followed up within the window.
    followup_window_days: int = 14
    insufficient_followup_share: float = 0.5
    insufficient_min_met: int = 3
    # How far back attended events count for insufficient follow-up.
    insufficient_lookback_days: int = 90
    # Event return: still in touch is measured this many days after the event.
    still_in_touch_days: int = 90
    # Circle overflow: more people in a circle than this multiple of its capacity.
    circle_overflow_factor: float = 1.0
    # Share-based signals stay quiet below this many contacts.
    signal_min_contacts: int = 5

    # --- event triage -------------------------------------------------------------------
    triage_weight_goal: float = 0.5
    triage_weight_budget: float = 0.3
    triage_weight_payoff: float = 0.2
    triage_go_score: float = 0.65
    triage_skip_score: float = 0.35
    # A past event "paid off" when at least this share of people met were followed up.
    triage_payoff_good_share: float = 0.5

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise DomainError(f"thresholds.{f.name}", value, "must be a number")
            if value != value:  # NaN
                raise DomainError(f"thresholds.{f.name}", value, "must be a number")
            if not f.name.startswith("zone_") and value < 0:
                raise DomainError(f"thresholds.{f.name}", value, "must not be negative")
        if self.badly_overdue_factor < 1:
            raise DomainError(
                "thresholds.badly_overdue_factor", self.badly_overdue_factor, "must be at least 1"
            )
        if self.strength_recency_zero_factor <= 1:
            raise DomainError(
                "thresholds.strength_recency_zero_factor",
                self.strength_recency_zero_factor,
                "must be above 1",
            )
        if not -1 <= self.zone_spreading_below <= self.zone_deepening_above <= 1:
            raise DomainError(
                "thresholds.zone_spreading_below",
                self.zone_spreading_below,
                "zones must satisfy -1 <= spreading <= deepening <= 1",
            )
        if self.next_step_window_days < 1:
            raise DomainError(
                "thresholds.next_step_window_days", self.next_step_window_days, "must be at least 1"
            )
        if self.strength_recent_count < 1:
            raise DomainError(
                "thresholds.strength_recent_count", self.strength_recent_count, "must be at least 1"
            )
        if not 0 <= self.depth_on_cadence_share <= 1:
            raise DomainError(
                "thresholds.depth_on_cadence_share", self.depth_on_cadence_share, "must be 0 to 1"
            )

    def edit(self, **changes: object) -> Self:
        """Return a validated copy with `changes` applied."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

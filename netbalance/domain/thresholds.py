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
    # Today's list holds at most this many follow-ups a day (0: the follow-up capacity
    # per event); the rest roll over to the next days.
    daily_follow_ups: int = 0

    # --- tie strength (weights are normalized by their sum) --------------------------------
    # Strength is absolute: hours together, days with contact, intimacy, reciprocity
    # and steadiness, decaying with silence. It never reads the cadence.
    strength_weight_time: float = 0.25
    strength_weight_days: float = 0.25
    strength_weight_intimacy: float = 0.20
    strength_weight_reciprocity: float = 0.15
    strength_weight_steadiness: float = 0.15
    # Intimacy, reciprocity and the minutes and days read one by one look at this many
    # most recent interactions (beyond them, hours and days are estimated at their rate).
    strength_recent_count: int = 12
    # Distinct days with contact in a year at which the days part is full (weekly).
    strength_days_full: float = 52.0
    # Contact kept up this many days, first to last, is full steadiness (two years).
    strength_steady_full_days: int = 730
    # Days of silence that halve a tie, and a family tie (tagged family or kin).
    strength_half_life_days: int = 180
    strength_half_life_family_days: int = 730
    # Below this strength a tie counts as weak.
    weak_tie_strength: int = 30
    # A closeness rating (1-7) and the logged strength disagree when the strength is this
    # many points from the rating's place on 0-100 (1 -> 0, 4 -> 50, 7 -> 100).
    closeness_gap_points: int = 35

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
        for name in (
            "strength_half_life_days",
            "strength_half_life_family_days",
            "strength_days_full",
        ):
            if getattr(self, name) < 1:
                raise DomainError(f"thresholds.{name}", getattr(self, name), "must be at least 1")
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

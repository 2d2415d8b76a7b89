"""Over-networking signals: the article's warning signs, measured.

Each signal compares one figure of the network against a threshold from
settings and says, kindly, what it sees and one thing that would help. A
quiet signal still carries its figures, so the UI can show "all clear".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netbalance.domain.circles import Circle
from netbalance.domain.health.facts import NetworkFacts
from netbalance.domain.settings import Settings
from netbalance.domain.thresholds import Thresholds

SIGNAL_KEYS = (
    "burnout",
    "productivity",
    "surface",
    "focus",
    "backlog",
    "ignoring-existing",
    "insufficient-follow-up",
    "circle-overflow",
)


@dataclass(frozen=True, slots=True)
class Signal:
    """One warning sign: whether it is on, what it says, and the numbers behind it."""

    key: str
    active: bool
    title: str
    message: str
    figures: dict[str, float | int] = field(default_factory=dict)
    threshold: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (stable, see docs/model.md)."""
        return {
            "key": self.key,
            "active": self.active,
            "title": self.title,
            "message": self.message,
            "figures": {
                k: round(v, 3) if isinstance(v, float) else v for k, v in self.figures.items()
            },
            "threshold": self.threshold,
        }


def signals_from_facts(facts: NetworkFacts, settings: Settings) -> list[Signal]:
    """Every signal, in a fixed order (see SIGNAL_KEYS), active or not."""
    return [
        burnout(facts, settings),
        productivity(facts, settings),
        surface(facts, settings),
        focus(facts, settings),
        backlog(facts, settings),
        ignoring_existing(facts, settings),
        insufficient_follow_up(facts, settings),
        circle_overflow(facts, settings),
    ]


def burnout(facts: NetworkFacts, settings: Settings) -> Signal:
    """Events this week (hours) or this month (count) beyond the budget."""
    f = settings.thresholds.burnout_budget_factor
    hours_over = facts.event_hours_week > settings.weekly_hours * f
    count_over = facts.events_month > settings.events_per_month * f
    figures: dict[str, float | int] = {
        "event_hours_week": facts.event_hours_week,
        "weekly_hours": settings.weekly_hours,
        "events_month": facts.events_month,
        "events_per_month": settings.events_per_month,
    }
    if count_over:
        message = (
            f"{facts.events_month} events this month against the {settings.events_per_month} "
            "you planned for. Letting one you are unsure about go keeps energy for the people "
            "you meet."
        )
    elif hours_over:
        message = (
            f"Events take {facts.event_hours_week:g} hours this week against a budget of "
            f"{settings.weekly_hours:g}. A quieter week after this one will help you recover."
        )
    else:
        message = "Your events fit the time and energy you set aside."
    return Signal("burnout", hours_over or count_over, "Event load", message, figures, f)


def productivity(facts: NetworkFacts, settings: Settings) -> Signal:
    """Average weekly networking hours over recent weeks against the weekly budget."""
    f = settings.thresholds.productivity_budget_factor
    weeks = max(1.0, facts.productivity_days / 7)
    average = facts.networking_hours_window / weeks
    active = average > settings.weekly_hours * f
    figures: dict[str, float | int] = {
        "average_weekly_hours": average,
        "hours_this_week": facts.networking_hours_week,
        "weekly_hours": settings.weekly_hours,
        "days": facts.productivity_days,
    }
    if active:
        message = (
            f"Networking has taken about {average:.1f} hours a week lately, more than the "
            f"{settings.weekly_hours:g} you set aside. Blocking time for your own work "
            "protects both."
        )
    else:
        message = f"About {average:.1f} hours a week lately, within your budget."
    return Signal("productivity", active, "Time for your own work", message, figures, f)


def surface(facts: NetworkFacts, settings: Settings) -> Signal:
    """Share of people kept on a cadence whose tie is weak."""
    th = settings.thresholds
    share = facts.weak_kept / facts.kept if facts.kept else 0.0
    active = facts.kept >= th.signal_min_contacts and share >= th.surface_weak_share
    figures: dict[str, float | int] = {
        "weak": facts.weak_kept,
        "kept": facts.kept,
        "weak_share": share,
        "weak_tie_strength": th.weak_tie_strength,
    }
    if active:
        message = (
            f"{facts.weak_kept} of the {facts.kept} people you keep up with are light ties "
            "for now. A few real conversations with those who matter most go further than "
            "many quick pings."
        )
    else:
        message = "Most of the people you keep up with are more than a name in a list."
    return Signal("surface", active, "Depth of ties", message, figures, th.surface_weak_share)


def focus(facts: NetworkFacts, settings: Settings) -> Signal:
    """Share of new contacts and upcoming events that serve no active goal."""
    th = settings.thresholds
    items = facts.new_contacts + facts.upcoming_events
    unlinked = facts.new_unlinked + facts.upcoming_unlinked
    share = unlinked / items if items else 0.0
    active = items >= th.focus_min_items and share >= th.focus_unlinked_share
    figures: dict[str, float | int] = {
        "new_contacts": facts.new_contacts,
        "new_unlinked": facts.new_unlinked,
        "upcoming_events": facts.upcoming_events,
        "upcoming_unlinked": facts.upcoming_unlinked,
        "unlinked_share": share,
        "active_goals": facts.active_goals,
    }
    if active and facts.active_goals == 0:
        message = (
            "You are meeting people and planning events without a goal set. Naming what you "
            "want from networking right now makes it easier to choose."
        )
    elif active:
        message = (
            f"{unlinked} of your {items} new contacts and upcoming events serve none of your "
            "goals. Linking them, or letting some go, keeps your effort where you want it."
        )
    else:
        message = "Your new contacts and plans mostly serve your goals."
    return Signal("focus", active, "Focus", message, figures, th.focus_unlinked_share)


def close_overdue(facts: NetworkFacts) -> int:
    """Overdue follow-ups in the inner and close circles ("close ties waiting")."""
    by = facts.overdue_by_circle
    return by.get(Circle.INNER, 0) + by.get(Circle.CLOSE, 0)


def backlog_active(facts: NetworkFacts, th: Thresholds) -> bool:
    """The backlog signal's rule: enough overdue follow-ups, or enough with close ties.

    Overdue is judged by the care each circle asks: a snooze never switches it off.
    """
    return (
        facts.overdue >= th.backlog_overdue_count
        or close_overdue(facts) >= th.backlog_close_overdue_count
    )


def insufficient_active(facts: NetworkFacts, th: Thresholds) -> bool:
    """The insufficient-follow-up signal's rule: most people met at events not followed up."""
    missed = facts.met_recent - facts.met_followed_up
    share = missed / facts.met_recent if facts.met_recent else 0.0
    return facts.met_recent >= th.insufficient_min_met and share >= th.insufficient_followup_share


def backlog(facts: NetworkFacts, settings: Settings) -> Signal:
    """Overdue follow-ups, above all with inner and close circles (snoozed ones included)."""
    th = settings.thresholds
    by = facts.overdue_by_circle
    close = close_overdue(facts)
    active = backlog_active(facts, th)
    figures: dict[str, float | int] = {
        "overdue": facts.overdue,
        "badly_overdue": facts.badly_overdue,
        "due_today": facts.due_today,
        "overdue_inner": by.get(Circle.INNER, 0),
        "overdue_close": by.get(Circle.CLOSE, 0),
        "overdue_active": by.get(Circle.ACTIVE, 0),
        "snoozed": facts.snoozed_overdue,
    }
    snoozed = (
        f" ({facts.snoozed_overdue} of them snoozed: a snooze moves the reminder, "
        "not the follow-up.)"
        if facts.snoozed_overdue
        else ""
    )
    if active and close:
        message = (
            f"{close} people in your inner and close circles are waiting to hear from you. "
            "Start at the top of today's list; a short message each is enough." + snoozed
        )
    elif active:
        message = (
            f"{facts.overdue} follow-ups have slipped past their rhythm. A few today, from the "
            "top of the list, will turn the tide; or widen a cadence that asks too much." + snoozed
        )
    else:
        message = "Your follow-ups are on track."
    return Signal(
        "backlog",
        active,
        "Follow-ups waiting",
        message,
        figures,
        float(th.backlog_close_overdue_count),
    )


def ignoring_existing(facts: NetworkFacts, settings: Settings) -> Signal:
    """New contacts arriving faster than follow-ups with people already known."""
    th = settings.thresholds
    active = (
        facts.new_contacts >= th.ignoring_min_new
        and facts.new_contacts > th.ignoring_ratio * facts.existing_touched
    )
    figures: dict[str, float | int] = {
        "new_contacts": facts.new_contacts,
        "existing_followed_up": facts.existing_touched,
        "days": th.new_contact_days,
    }
    if active:
        message = (
            f"{facts.new_contacts} new people in the last {th.new_contact_days} days, and "
            f"{facts.existing_touched} people you already knew heard from you. The network "
            "you have is worth a message too."
        )
    else:
        message = "You are keeping up with people you already know as you meet new ones."
    return Signal(
        "ignoring-existing", active, "Existing contacts", message, figures, th.ignoring_ratio
    )


def insufficient_follow_up(facts: NetworkFacts, settings: Settings) -> Signal:
    """People met at recent events who got no follow-up within the window."""
    th = settings.thresholds
    missed = facts.met_recent - facts.met_followed_up
    share = missed / facts.met_recent if facts.met_recent else 0.0
    active = insufficient_active(facts, th)
    figures: dict[str, float | int] = {
        "met": facts.met_recent,
        "followed_up": facts.met_followed_up,
        "missed_share": share,
        "window_days": th.followup_window_days,
    }
    if active:
        message = (
            f"{missed} of the {facts.met_recent} people you met at recent events had no "
            f"follow-up within {th.followup_window_days} days. A short note, even late, "
            "keeps the door open."
        )
    else:
        message = "People you meet at events hear from you afterwards."
    return Signal(
        "insufficient-follow-up",
        active,
        "Follow-up after events",
        message,
        figures,
        th.insufficient_followup_share,
    )


def circle_overflow(facts: NetworkFacts, settings: Settings) -> Signal:
    """Circles holding more people than Dunbar's layers suggest they can."""
    f = settings.thresholds.circle_overflow_factor
    figures: dict[str, float | int] = {}
    full: list[str] = []
    for circle in Circle:
        cap = facts.circle_capacity.get(circle)
        count = facts.circle_counts.get(circle, 0)
        figures[f"{circle.value}_count"] = count
        if cap is not None:
            figures[f"{circle.value}_capacity"] = cap
            if count > cap * f:
                full.append(f"{circle.value} ({count} of {cap})")
    figures["over_capacity"] = facts.over_capacity
    if full:
        message = (
            f"More people than a circle comfortably holds: {', '.join(full)}. Moving a few "
            "outward is not a loss; it keeps room for the ones you are closest to."
        )
    else:
        message = "Each circle holds no more people than it can."
    return Signal("circle-overflow", bool(full), "Circle sizes", message, figures, f)

"""Over-networking signals, triage, event return and weekly figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pendulum
import pytest

from netbalance.domain import Circle, Contact, Event, EventStatus, Goal, Interaction, Settings
from netbalance.domain.health import (
    SIGNAL_KEYS,
    Advice,
    NetworkModel,
    event_return,
    triage,
    weekly_figures,
)

NOW = pendulum.datetime(2026, 3, 10, 15, 0, tz="Europe/Paris")  # Tuesday
NOW_UTC = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
OLD = datetime(2020, 1, 1, tzinfo=UTC)
S = Settings()


def days_ago(n: float) -> datetime:
    return NOW_UTC - timedelta(days=n)


def signals(contacts=(), by=None, events=(), goals=()):  # type: ignore[no-untyped-def]
    m = NetworkModel.build(list(contacts), by or {}, list(events), list(goals), S, NOW)
    return {s.key: s for s in m.signals()}


def test_quiet_network_has_every_signal_off_in_a_fixed_order() -> None:
    m = NetworkModel.build([], {}, [], [], S, NOW)
    assert [s.key for s in m.signals()] == list(SIGNAL_KEYS)
    for s in m.signals():
        assert not s.active and s.message and s.title
        assert set(s.to_dict()) == {"key", "active", "title", "message", "figures", "threshold"}
    report = m.report()
    assert [s["key"] for s in report["signals"]] == list(SIGNAL_KEYS)


def test_burnout_when_events_exceed_the_month_budget() -> None:
    going = [
        Event(f"E{i}", NOW_UTC + timedelta(days=i), id=i, status=EventStatus.GOING, hours=1)
        for i in range(1, 6)
    ]  # fmt: skip  (10..15 March: 5 events, budget 4)
    s = signals(events=going)["burnout"]
    assert s.active and s.figures["events_month"] == 5 and s.figures["events_per_month"] == 4
    assert "5 events this month" in s.message
    considering = [e.edit(status=EventStatus.CONSIDERING) for e in going]
    assert not signals(events=considering)["burnout"].active


def test_productivity_from_event_hours_and_logged_minutes() -> None:
    c = Contact("Ada", id=1, created_at=OLD)
    talks = [Interaction((1,), days_ago(d), id=d + 1, minutes=120) for d in range(0, 28, 2)]
    s = signals([c], {1: talks})["productivity"]
    # 14 x 2 hours over 4 weeks: 7 hours a week against a budget of 5
    assert s.figures["average_weekly_hours"] == pytest.approx(7.0)
    assert s.active


def test_surface_when_most_kept_ties_are_weak() -> None:
    people = [Contact(f"P{i}", id=i, created_at=days_ago(5)) for i in range(1, 7)]
    s = signals(people)["surface"]
    assert s.active and s.figures["weak"] == 6 and s.figures["kept"] == 6


def test_focus_when_new_contacts_serve_no_active_goal() -> None:
    goals = [Goal("New job", id=1)]
    people = [Contact(f"P{i}", id=i, created_at=days_ago(3)) for i in range(1, 5)]
    s = signals(people, goals=goals)["focus"]
    assert s.active and s.figures["new_unlinked"] == 4
    linked = [p.edit(goal_ids=(1,)) for p in people]
    assert not signals(linked, goals=goals)["focus"].active


def test_backlog_counts_inner_and_close_first() -> None:
    inner = [Contact(f"I{i}", id=i, circle=Circle.INNER, created_at=OLD) for i in (1, 2)]
    by = {i: [Interaction((i,), days_ago(30), id=i)] for i in (1, 2)}
    s = signals(inner, by)["backlog"]
    assert s.active and s.figures["overdue_inner"] == 2 and s.figures["badly_overdue"] == 2
    assert "waiting to hear from you" in s.message


def test_ignoring_existing_contacts() -> None:
    old = Contact("Old", id=1, created_at=OLD)
    new = [Contact(f"N{i}", id=10 + i, created_at=days_ago(2)) for i in range(6)]
    s = signals([old, *new])["ignoring-existing"]
    assert s.active and s.figures == {"new_contacts": 6, "existing_followed_up": 0, "days": 30}
    caught_up = signals([old, *new], {1: [Interaction((1,), days_ago(1), id=1)]})
    assert caught_up["ignoring-existing"].active  # 6 > 1 x 1
    assert not signals(new[:4])["ignoring-existing"].active  # fewer than 5 new


def test_insufficient_follow_up_after_events() -> None:
    met = (1, 2, 3, 4)
    event = Event("Meetup", days_ago(30), id=9, status=EventStatus.ATTENDED, met_contact_ids=met)
    people = [Contact(f"P{i}", id=i, created_at=days_ago(30)) for i in met]
    followed = {1: [Interaction((1,), days_ago(25), id=1)]}
    s = signals(people, followed, [event])["insufficient-follow-up"]
    assert s.active and s.figures["met"] == 4 and s.figures["followed_up"] == 1


def test_circle_overflow() -> None:
    inner = [Contact(f"I{i}", id=i, circle=Circle.INNER, created_at=OLD) for i in range(1, 7)]
    s = signals(inner)["circle-overflow"]
    assert s.active and s.figures["inner_count"] == 6 and s.figures["inner_capacity"] == 5
    assert not signals(inner[:5])["circle-overflow"].active


def test_messages_are_supportive_not_scolding() -> None:
    inner = [Contact(f"I{i}", id=i, circle=Circle.INNER, created_at=days_ago(1)) for i in range(9)]
    for s in signals(inner).values():
        text = s.message.lower()
        assert not any(w in text for w in ("fail", "bad", "wrong", "should have", "!"))


# --- triage and return -------------------------------------------------------------------


def test_triage_go_consider_skip() -> None:
    goal = Goal("Find a role", id=1)
    fit = Event("Job fair", NOW_UTC + timedelta(days=3), id=1, goal_ids=(1,), hours=2)
    t = triage(fit, [fit], [goal], S, NOW)
    assert t.recommendation is Advice.GO and "Find a role" in t.reason
    stray = Event("Random mixer", NOW_UTC + timedelta(days=3), id=2, hours=8)
    busy = [Event(f"B{i}", NOW_UTC + timedelta(days=1), id=10 + i, status=EventStatus.GOING,
                  hours=1) for i in range(4)]  # fmt: skip
    t = triage(stray, [stray, *busy], [goal], S, NOW)
    assert t.recommendation is Advice.SKIP
    assert t.parts == {"goal_fit": 0.0, "budget": 0.0, "payoff": 0.5}
    t = triage(stray, [stray], [], S, NOW)  # no goals at all: weigh budget and history
    assert t.recommendation is Advice.CONSIDER
    assert t.to_dict()["recommendation"] == "consider"


def test_triage_learns_from_similar_past_events() -> None:
    past = Event("Meetup 1", days_ago(40), id=1, status=EventStatus.ATTENDED, tags=("python",),
                 met_contact_ids=(1, 2))  # fmt: skip
    by = {1: [Interaction((1,), days_ago(35), id=1)], 2: [Interaction((2,), days_ago(36), id=2)]}
    upcoming = Event("Meetup 2", NOW_UTC + timedelta(days=5), id=2, tags=("python",))
    t = triage(upcoming, [past, upcoming], [], S, NOW, by)
    assert t.parts["payoff"] == 1.0 and t.figures["similar_met"] == 2
    assert "2 of 2" in t.reason


def test_event_return_windows() -> None:
    event = Event("Conf", days_ago(100), id=5, status=EventStatus.ATTENDED, hours=4,
                  met_contact_ids=(1, 2, 3))  # fmt: skip
    by = {
        1: [Interaction((1,), days_ago(95), id=1), Interaction((1,), days_ago(10), id=2)],
        2: [Interaction((2,), days_ago(95), id=3)],
        3: [Interaction((3,), days_ago(100) + timedelta(hours=1), id=4, event_id=5)],
    }
    r = event_return(event, by, NOW)
    assert (r.met, r.followed_up, r.still_in_touch) == (3, 2, 1)
    assert r.to_dict()["met_per_hour"] == 0.75
    fresh = event.edit(start=days_ago(5))
    r = event_return(fresh, by, NOW)
    assert r.followed_up is None and r.still_in_touch is None
    assert r.to_dict()["followed_up_per_hour"] is None


def test_weekly_figures() -> None:
    monday = date(2026, 3, 9)
    people = [Contact("Old", id=1, created_at=OLD), Contact("New", id=2, created_at=days_ago(1))]
    interactions = [
        Interaction((1, 2), days_ago(0.5), id=1, depth=3, minutes=30),
        Interaction((1,), days_ago(10), id=2),
    ]
    events = [Event("Meetup", days_ago(1), id=1, status=EventStatus.ATTENDED, hours=2,
                    met_contact_ids=(2,))]  # fmt: skip
    g = NetworkModel.build(people, {}, events, [], S, NOW).gauge()
    snap = weekly_figures(NOW.date(), people, interactions + interactions[:1], events, NOW, g)
    assert snap.week_start == monday
    assert (snap.interactions, snap.new_contacts, snap.events, snap.event_hours) == (1, 1, 1, 2.0)
    assert snap.figures["networking_hours"] == 2.5
    assert snap.figures["people_met"] == 1.0 and snap.figures["deep_interactions"] == 1.0
    assert snap.zone == g.zone.value and snap.balance == round(g.balance, 3)

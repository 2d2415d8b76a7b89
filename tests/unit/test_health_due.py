"""The due list: next due day, urgency grades, ranking, snooze, archive."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.domain import Circle, Contact, Settings
from netbalance.domain.health import Urgency, due_list, next_due, rank_all, snooze

NOW = pendulum.datetime(2026, 3, 10, 15, 0, tz="Europe/Paris")  # a Tuesday
LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)
S = Settings()


def person(cid: int, circle: Circle = Circle.INNER, **kw: object) -> Contact:
    kw.setdefault("created_at", LONG_AGO)
    return Contact(f"Person {cid}", id=cid, circle=circle, **kw)  # type: ignore[arg-type]


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def test_next_due_is_last_interaction_plus_cadence() -> None:
    # inner: 7 days; last touch 1 March -> due 8 March
    assert next_due(person(1), at(2026, 3, 1), S, NOW) == date(2026, 3, 8)


def test_next_due_counts_local_days_not_utc_days() -> None:
    # 23:30 UTC on 2 March is 00:30 on 3 March in Paris: due 10 March, today
    late_evening = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert next_due(person(1), late_evening, S, NOW) == date(2026, 3, 10)
    (item,) = due_list([person(1)], {1: late_evening}, S, NOW)
    assert item.urgency is Urgency.DUE and item.overdue_days == 0


def test_creation_anchors_when_no_later_interaction() -> None:
    c = person(1, created_at=at(2026, 3, 5))
    assert next_due(c, None, S, NOW) == date(2026, 3, 12)
    assert next_due(c, at(2026, 1, 1), S, NOW) == date(2026, 3, 12)


def test_own_cadence_overrides_the_circle_and_no_cadence_is_never_due() -> None:
    assert next_due(person(1, cadence_days=3), at(2026, 3, 1), S, NOW) == date(2026, 3, 4)
    acquaintance = person(2, Circle.ACQUAINTANCE)
    assert next_due(acquaintance, at(2020, 1, 1), S, NOW) is None
    assert due_list([acquaintance], {2: at(2020, 1, 1)}, S, NOW) == []


def test_urgency_grades_and_hand_computed_scores() -> None:
    contacts = [person(1), person(2), person(3)]
    last = {1: at(2026, 3, 1), 2: at(2026, 2, 20), 3: at(2026, 3, 3)}
    items = {i.contact_id: i for i in due_list(contacts, last, S, NOW)}
    # 1: due 8 March, 2 days late; badly overdue only past 1.5 x 7 days since (3.5 late)
    assert items[1].urgency is Urgency.OVERDUE and items[1].overdue_days == 2
    assert items[1].score == 5.0 * (1 + 2 / 7)
    # 2: due 27 Feb, 11 days late
    assert items[2].urgency is Urgency.BADLY_OVERDUE and items[2].overdue_days == 11
    # 3: due today
    assert items[3].urgency is Urgency.DUE and items[3].score == 5.0
    assert [i.contact_id for i in due_list(contacts, last, S, NOW)] == [2, 1, 3]


def test_upcoming_and_not_due() -> None:
    close = [person(1, Circle.CLOSE), person(2, Circle.CLOSE)]
    last = {1: at(2026, 2, 15), 2: at(2026, 3, 5)}  # due 17 March; due 4 April
    ranked = {i.contact_id: i for i in rank_all(close, last, S, NOW)}
    assert ranked[1].urgency is Urgency.UPCOMING and ranked[1].overdue_days == -7
    assert ranked[2].urgency is Urgency.NOT_DUE
    assert due_list(close, last, S, NOW) == []
    assert [i.contact_id for i in due_list(close, last, S, NOW, within_days=7)] == [1]


def test_inner_circle_outranks_acquaintance_equally_late() -> None:
    inner = person(1, Circle.INNER, cadence_days=30)
    acquaintance = person(2, Circle.ACQUAINTANCE, cadence_days=30)
    ten_days_late = at(2026, 1, 29)  # +30 days: due 28 Feb, 10 days late on 10 March
    last = {1: ten_days_late, 2: ten_days_late}
    items = due_list([acquaintance, inner], last, S, NOW)
    assert [i.contact_id for i in items] == [1, 2]
    assert items[0].overdue_days == items[1].overdue_days == 10


def test_rank_all_lists_due_then_soonest_then_no_cadence_and_never_archived() -> None:
    contacts = [
        person(1, Circle.ACQUAINTANCE),
        person(2, Circle.CLOSE),  # due 4 April
        person(3, Circle.CLOSE),  # due 17 March
        person(4),  # overdue
        person(5, archived=True),
    ]
    last = {2: at(2026, 3, 5), 3: at(2026, 2, 15), 4: at(2026, 3, 1), 5: at(2020, 1, 1)}
    assert [i.contact_id for i in rank_all(contacts, last, S, NOW)] == [4, 3, 2, 1]
    assert all(i.contact_id != 5 for i in due_list(contacts, last, S, NOW))


def test_snooze_pushes_the_due_day_but_never_pulls_it_nearer() -> None:
    last = at(2026, 2, 20)  # due 27 Feb, badly overdue
    snoozed = snooze(person(1), timedelta(days=5), NOW)  # until 15 March
    assert snoozed.snoozed_until is not None and snoozed.snoozed_until.tzinfo is UTC
    assert next_due(snoozed, last, S, NOW) == date(2026, 3, 15)
    assert due_list([snoozed], {1: last}, S, NOW) == []
    early = snooze(person(1), at(2026, 2, 25), NOW)
    assert next_due(early, last, S, NOW) == date(2026, 2, 27)


def test_logging_any_interaction_restarts_the_clock() -> None:
    assert due_list([person(1)], {1: at(2026, 2, 1)}, S, NOW)
    assert due_list([person(1)], {1: NOW}, S, NOW) == []


def test_badly_overdue_factor_is_a_setting() -> None:
    strict = S.edit(thresholds=S.thresholds.edit(badly_overdue_factor=1.2))
    (item,) = due_list([person(1)], {1: at(2026, 3, 1)}, strict, NOW)
    assert item.urgency is Urgency.BADLY_OVERDUE  # 2 days late > 0.2 x 7


def test_due_item_json_fields_are_stable() -> None:
    (item,) = due_list([person(1)], {1: at(2026, 3, 1)}, S, NOW)
    data = item.to_dict()
    assert list(data) == [
        "contact_id", "name", "circle", "cadence_days", "last_at",
        "next_due", "overdue_days", "urgency", "score",
        "care_due", "care_overdue_days", "kept", "snoozed",
    ]  # fmt: skip
    assert data["next_due"] == "2026-03-08" and data["urgency"] == "overdue"
    json.dumps(data)


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[Contact], dict[int, datetime]]:
    n = draw(st.integers(0, 20))
    contacts = []
    last: dict[int, datetime] = {}
    for cid in range(1, n + 1):
        contacts.append(
            person(
                cid,
                draw(st.sampled_from(list(Circle))),
                cadence_days=draw(st.one_of(st.none(), st.integers(1, 400))),
                archived=draw(st.booleans()),
                created_at=LONG_AGO + timedelta(days=draw(st.integers(0, 800))),
            )
        )
        if draw(st.booleans()):
            last[cid] = datetime(2026, 3, 10, tzinfo=UTC) - timedelta(
                minutes=draw(st.integers(0, 900 * 24 * 60))
            )
    return contacts, last


@settings(max_examples=80, deadline=None)
@given(networks(), st.randoms(use_true_random=False), st.integers(0, 23 * 60 + 59))
def test_ranking_is_order_independent_and_only_the_day_of_now_matters(
    net: tuple[list[Contact], dict[int, datetime]], rnd: random.Random, minute: int
) -> None:
    contacts, last = net
    shuffled = contacts[:]
    rnd.shuffle(shuffled)
    other_time = pendulum.datetime(2026, 3, 10, tz="Europe/Paris").add(minutes=minute)
    base = rank_all(contacts, last, S, NOW)
    assert rank_all(shuffled, last, S, other_time) == base
    assert due_list(shuffled, last, S, NOW) == [i for i in base if i.overdue_days >= 0
                                                and i.next_due is not None]  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(networks())
def test_more_days_since_contact_never_lowers_urgency(
    net: tuple[list[Contact], dict[int, datetime]],
) -> None:
    contacts, last = net
    order = list(Urgency)
    today = {i.contact_id: i for i in rank_all(contacts, last, S, NOW)}
    later = {i.contact_id: i for i in rank_all(contacts, last, S, NOW.add(days=9))}
    for cid, item in today.items():
        assert later[cid].overdue_days == item.overdue_days + (9 if item.next_due else 0)
        assert order.index(later[cid].urgency) <= order.index(item.urgency)

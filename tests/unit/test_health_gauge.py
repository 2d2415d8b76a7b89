"""The depth vs breadth gauge: hand-computed values and the four required properties.

Required (issue 3): follow-ups with overdue inner/close contacts move it toward
depth; many new contacts without follow-up move it toward breadth; the result
does not depend on the order records were stored in; an empty database gives a
neutral, explained state. Also: bounds, no NaN, and incremental == rebuilt.
"""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime, timedelta

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.domain import Circle, Contact, Initiator, Interaction, Settings
from netbalance.domain.health import NetworkModel, Zone, tie_strength
from netbalance.domain.rules import after_logging

NOW = pendulum.datetime(2026, 3, 10, 15, 0, tz="Europe/Paris")
NOW_UTC = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
S = Settings()

Network = tuple[list[Contact], dict[int, list[Interaction]]]


def model(contacts: list[Contact], by: dict[int, list[Interaction]]) -> NetworkModel:
    return NetworkModel.build(contacts, by, [], [], S, NOW)


@st.composite
def networks(draw: st.DrawFn, max_contacts: int = 25) -> Network:
    """Random networks: circles, cadences, creation dates, archive, snooze, history."""
    n = draw(st.integers(0, max_contacts))
    contacts: list[Contact] = []
    by: dict[int, list[Interaction]] = {}
    iid = 0
    for cid in range(1, n + 1):
        snooze = draw(st.one_of(st.none(), st.integers(-20, 40)))
        contacts.append(
            Contact(
                f"P{cid}",
                id=cid,
                circle=draw(st.sampled_from(list(Circle))),
                cadence_days=draw(st.one_of(st.none(), st.integers(1, 200))),
                created_at=NOW_UTC - timedelta(days=draw(st.integers(0, 1200))),
                archived=draw(st.integers(0, 9)) == 0,
                snoozed_until=None if snooze is None else NOW_UTC + timedelta(days=snooze),
                source=draw(st.sampled_from(["", "", "vcard"])),
            )
        )
        history = []
        for _ in range(draw(st.integers(0, 8))):
            iid += 1
            history.append(
                Interaction(
                    (cid,),
                    NOW_UTC - timedelta(minutes=draw(st.integers(0, 900 * 24 * 60))),
                    id=iid,
                    depth=draw(st.integers(1, 3)),
                    initiated_by=draw(st.sampled_from(list(Initiator))),
                    minutes=draw(st.one_of(st.none(), st.integers(0, 120))),
                )
            )
        by[cid] = sorted(history, key=lambda i: i.at)
    return contacts, by


def test_empty_database_is_neutral_and_explained() -> None:
    g = model([], {}).gauge()
    assert g.balance == 0.0
    assert g.zone is Zone.BALANCED
    assert "Nothing to weigh yet" in g.explanation
    data = g.to_dict()
    assert data["balance"] == 0.0 and data["zone"] == "balanced"
    json.dumps(data, allow_nan=False)  # no NaN anywhere
    assert set(data) >= {"balance", "zone", "components", "explanation"}
    assert set(data["components"]) == {"depth", "breadth"}


def test_hand_computed_single_close_friend() -> None:
    ada = Contact("Ada", id=1, circle=Circle.INNER, created_at=datetime(2020, 1, 1, tzinfo=UTC))
    history = [Interaction((1,), NOW_UTC - timedelta(days=3), id=1, depth=3)]
    m = model([ada], {1: history})
    g = m.gauge()
    s = tie_strength(ada, history, S, NOW).value
    # depth: on cadence (1.0) x 0.6 + strength x 0.4; breadth: load 1/220 x 0.4
    strength = m.facts().depth_strength / m.facts().depth_weight
    assert round(strength * 100) == s
    assert g.depth.score == pytest.approx(0.6 + 0.4 * strength)
    assert g.breadth.score == pytest.approx(0.4 * 1 / 220)
    assert g.balance == pytest.approx(g.depth.score - g.breadth.score)
    assert g.zone is Zone.DEEPENING


def test_overflowing_inner_circle_is_part_of_breadth() -> None:
    old = datetime(2020, 1, 1, tzinfo=UTC)
    inner = [Contact(f"I{i}", id=i, circle=Circle.INNER, created_at=old) for i in range(1, 8)]
    g = model(inner, {}).gauge()
    assert g.breadth.figures["over_capacity"] == 2
    assert g.breadth.parts["overflow"] == pytest.approx(2 / 220)


# --- the four required properties ----------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(networks())
def test_follow_ups_with_overdue_inner_and_close_contacts_move_toward_depth(net: Network) -> None:
    contacts, by = net
    before = model(contacts, by)
    overdue = [
        c.id
        for c in contacts
        if c.circle in (Circle.INNER, Circle.CLOSE)
        and (item := before.due_item(c.id)) is not None
        and item.overdue_days > 0
    ]
    if not overdue:
        return
    after_by = {cid: list(h) for cid, h in by.items()}
    for k, cid in enumerate(overdue):
        after_by[cid].append(Interaction((cid,), NOW_UTC, id=10_000 + k, depth=1))
    after = model(contacts, after_by)
    assert after.gauge().balance > before.gauge().balance
    assert after.gauge().depth.score > before.gauge().depth.score
    assert after.gauge().breadth.score == before.gauge().breadth.score


@settings(max_examples=120, deadline=None)
@given(networks(), st.lists(st.sampled_from(list(Circle)), min_size=1, max_size=30))
def test_many_new_contacts_without_follow_up_move_toward_breadth(
    net: Network, circles: list[Circle]
) -> None:
    contacts, by = net
    before = model(contacts, by).gauge()
    newcomers = [
        Contact(f"New {k}", id=1000 + k, circle=circle, created_at=NOW_UTC)
        for k, circle in enumerate(circles)
    ]
    after = model(contacts + newcomers, by).gauge()
    assert after.balance <= before.balance
    assert after.breadth.score >= before.breadth.score
    assert after.depth.score <= before.depth.score


def test_new_contacts_move_a_calm_network_strictly_toward_breadth() -> None:
    old = datetime(2020, 1, 1, tzinfo=UTC)
    ada = Contact("Ada", id=1, circle=Circle.CLOSE, created_at=old)
    history = {1: [Interaction((1,), NOW_UTC - timedelta(days=2), id=1)]}
    before = model([ada], history).gauge()
    new = [Contact(f"N{k}", id=10 + k, created_at=NOW_UTC) for k in range(10)]
    after = model([ada, *new], history).gauge()
    assert after.balance < before.balance - 0.2


@settings(max_examples=120, deadline=None)
@given(networks(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_stored_order(net: Network, rnd: random.Random) -> None:
    contacts, by = net
    base = model(contacts, by)
    shuffled_contacts = contacts[:]
    rnd.shuffle(shuffled_contacts)
    items = list(by.items())
    rnd.shuffle(items)
    shuffled_by = {}
    for cid, history in items:
        h = list(history)
        rnd.shuffle(h)
        shuffled_by[cid] = h
    other = model(shuffled_contacts, shuffled_by)
    assert other.report() == base.report()
    assert other.strengths() == base.strengths()
    assert other.ranked() == base.ranked()


# --- invariants ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(networks())
def test_balance_is_bounded_and_finite(net: Network) -> None:
    contacts, by = net
    m = model(contacts, by)
    g = m.gauge()
    assert -1.0 <= g.balance <= 1.0 and math.isfinite(g.balance)
    for part in (g.depth, g.breadth):
        assert 0.0 <= part.score <= 1.0
        assert all(0.0 <= v <= 1.0 for v in part.parts.values())
    assert all(0 <= v <= 100 for v in m.strengths().values())
    json.dumps(m.report(), allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(networks(), st.integers(0, 23 * 60 + 59))
def test_only_the_day_of_now_matters(net: Network, minute: int) -> None:
    contacts, by = net
    other = pendulum.datetime(2026, 3, 10, tz="Europe/Paris").add(minutes=minute)
    assert (
        NetworkModel.build(contacts, by, [], [], S, other).report() == model(contacts, by).report()
    )


@settings(max_examples=100, deadline=None)
@given(networks(), st.data())
def test_incremental_updates_equal_a_rebuild(net: Network, data: st.DataObject) -> None:
    contacts, by = net
    if not contacts:
        return
    m = model(contacts, by)
    m.due()  # make the model keep its ranking incrementally too
    by = {cid: list(h) for cid, h in by.items()}
    contacts = contacts[:]
    for step in range(data.draw(st.integers(1, 5))):
        cid = data.draw(st.sampled_from([c.id for c in contacts]))
        if data.draw(st.booleans()):
            i = Interaction(
                (cid,),
                NOW_UTC - timedelta(days=data.draw(st.integers(0, 400))),
                id=50_000 + step,
                depth=data.draw(st.integers(1, 3)),
                minutes=data.draw(st.one_of(st.none(), st.integers(1, 60))),
            )
            by.setdefault(cid, []).append(i)
            m.apply_interaction(i)
            # Logging ends a snooze, in the model as in the store the rebuild reads.
            k = next(n for n, c in enumerate(contacts) if c.id == cid)
            contacts[k] = after_logging(contacts[k])
        else:
            k = next(n for n, c in enumerate(contacts) if c.id == cid)
            edited = contacts[k].edit(
                circle=data.draw(st.sampled_from(list(Circle))),
                archived=data.draw(st.booleans()),
            )
            contacts[k] = edited
            m.apply_contact(edited)
    rebuilt = model(contacts, by)
    assert m.report() == rebuilt.report()
    assert m.strengths() == rebuilt.strengths()
    assert m.due() == rebuilt.due()
    assert m.ranked() == rebuilt.ranked()


def test_remove_interaction_undoes_apply() -> None:
    ada = Contact("Ada", id=1, circle=Circle.INNER, created_at=datetime(2020, 1, 1, tzinfo=UTC))
    m = model([ada], {})
    before = m.report()
    i = Interaction((1,), NOW_UTC, id=7, minutes=30)
    m.apply_interaction(i)
    assert m.report() != before
    m.remove_interaction(i)
    assert m.report() == before

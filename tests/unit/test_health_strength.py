"""Tie strength: hand-computed components and the invariants of the score."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.domain import Circle, Contact, Initiator, Interaction, Settings
from netbalance.domain.health import COMPONENTS, tie_strength
from netbalance.domain.model import EARLIEST

NOW = pendulum.datetime(2026, 3, 10, 15, 0, tz="Europe/Paris")
S = Settings()


def touch(y: int, m: int, d: int, depth: int, who: Initiator, iid: int = 0) -> Interaction:
    return Interaction((1,), datetime(y, m, d, 10, tzinfo=UTC), id=iid, depth=depth,
                       initiated_by=who)  # fmt: skip


def test_hand_computed_strength() -> None:
    close = Contact("Ada", id=1, circle=Circle.CLOSE, created_at=datetime(2024, 3, 10, tzinfo=UTC))
    history = [
        touch(2025, 12, 10, 2, Initiator.ME, 1),
        touch(2026, 1, 10, 3, Initiator.THEM, 2),
        touch(2026, 2, 10, 2, Initiator.ME, 3),
        touch(2026, 3, 1, 3, Initiator.THEM, 4),
    ]
    s = tie_strength(close, history, S, NOW)
    parts = {c.key: c.score for c in s.components}
    assert parts["recency"] == 1.0  # 9 days since, cadence 30
    assert parts["frequency"] == pytest.approx(4 * 30 / 365)  # 4 of about 12 a year
    assert parts["depth"] == pytest.approx(0.75)  # mean 2.5 of 3
    assert parts["reciprocity"] == pytest.approx(1.0)  # 2 of 4 by them: (2+1)/(4+2) = 0.5
    assert parts["duration"] == pytest.approx(730 / 1095)  # known since creation, 2 years
    total = 0.30 + 0.25 * 4 * 30 / 365 + 0.20 * 0.75 + 0.15 + 0.10 * 730 / 1095
    assert s.value == round(total * 100) == 75
    assert not s.weak
    assert [c.key for c in s.components] == list(COMPONENTS)
    assert all(c.explanation for c in s.components)


def test_recency_falls_linearly_to_zero_at_three_cadences() -> None:
    c = Contact("Bo", id=1, circle=Circle.CLOSE)
    sixty_days_ago = touch(2026, 1, 9, 2, Initiator.ME)
    ninety_days_ago = touch(2025, 12, 10, 2, Initiator.ME)
    assert tie_strength(c, [sixty_days_ago], S, NOW).component("recency").score == 0.5
    assert tie_strength(c, [ninety_days_ago], S, NOW).component("recency").score == pytest.approx(
        0.0
    )


def test_one_sided_ties_score_lower_on_reciprocity() -> None:
    c = Contact("Cy", id=1)
    mine = [touch(2026, 3, d, 2, Initiator.ME, d) for d in range(1, 9)]
    mutual = [touch(2026, 3, d, 2, Initiator.ME if d % 2 else Initiator.THEM, d)
              for d in range(1, 9)]  # fmt: skip
    one_sided = tie_strength(c, mine, S, NOW)
    both = tie_strength(c, mutual, S, NOW)
    assert one_sided.component("reciprocity").score == pytest.approx(0.2)  # (0+1)/10 -> 1-0.8
    assert both.component("reciprocity").score == 1.0
    assert one_sided.value < both.value


def test_nothing_logged_is_zero_and_said_so() -> None:
    s = tie_strength(Contact("Di", id=1, created_at=EARLIEST), [], S, NOW)
    assert s.value == 0 and s.weak
    assert "first" in s.explanation
    assert s.to_dict()["components"][0]["key"] == "recency"


interactions = st.lists(
    st.tuples(
        st.integers(0, 1500 * 24 * 60),  # minutes before now
        st.integers(1, 3),
        st.sampled_from(list(Initiator)),
    ),
    max_size=30,
)
contacts = st.builds(
    lambda circle, cadence, created: Contact(
        "Eve", id=1, circle=circle, cadence_days=cadence,
        created_at=datetime(2026, 3, 10, tzinfo=UTC) - timedelta(days=created),
    ),
    st.sampled_from(list(Circle)),
    st.one_of(st.none(), st.integers(1, 400)),
    st.integers(0, 3000),
)  # fmt: skip


def build(raw: list[tuple[int, int, Initiator]]) -> list[Interaction]:
    base = datetime(2026, 3, 10, 14, tzinfo=UTC)
    return sorted(
        (Interaction((1,), base - timedelta(minutes=m), id=k + 1, depth=d, initiated_by=who)
         for k, (m, d, who) in enumerate(raw)),
        key=lambda i: i.at,
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(contacts, interactions, st.randoms(use_true_random=False))
def test_bounded_finite_and_order_independent(
    c: Contact, raw: list[tuple[int, int, Initiator]], rnd: random.Random
) -> None:
    history = build(raw)
    s = tie_strength(c, history, S, NOW)
    assert 0 <= s.value <= 100
    for part in s.components:
        assert 0.0 <= part.score <= 1.0 and math.isfinite(part.score)
    shuffled = history[:]
    rnd.shuffle(shuffled)
    assert tie_strength(c, shuffled, S, NOW) == s


@settings(max_examples=150, deadline=None)
@given(contacts, interactions, st.data())
def test_deeper_interactions_never_weaken_a_tie(
    c: Contact, raw: list[tuple[int, int, Initiator]], data: st.DataObject
) -> None:
    if not raw:
        return
    k = data.draw(st.integers(0, len(raw) - 1))
    deeper = raw[:]
    deeper[k] = (raw[k][0], 3, raw[k][2])
    assert tie_strength(c, build(deeper), S, NOW).value >= tie_strength(c, build(raw), S, NOW).value


@settings(max_examples=100, deadline=None)
@given(contacts, interactions, st.integers(0, 23 * 60 + 59), st.integers(1, 400))
def test_only_the_day_of_now_matters_and_recency_fades(
    c: Contact, raw: list[tuple[int, int, Initiator]], minute: int, days: int
) -> None:
    history = build(raw)
    midnight = pendulum.datetime(2026, 3, 10, tz="Europe/Paris")
    s = tie_strength(c, history, S, NOW)
    assert tie_strength(c, history, S, midnight.add(minutes=minute)) == s
    later = tie_strength(c, history, S, NOW.add(days=days))
    assert later.component("recency").score <= s.component("recency").score
    assert later.component("frequency").score <= s.component("frequency").score

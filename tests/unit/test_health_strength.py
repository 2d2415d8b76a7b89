"""Tie strength: hand-computed components and the invariants of the score."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.domain import Circle, Contact, Initiator, Interaction, InteractionKind, Settings
from netbalance.domain.health import COMPONENTS, tie_strength
from netbalance.domain.health.strength import building_text, time_score
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
    # No minutes logged: a conversation counts 30, a deep one 60 -> 3 hours together.
    assert s.hours == pytest.approx(3.0)
    assert parts["time"] == pytest.approx(0.03)  # 3 h of the 50 a casual friend takes -> 0.5
    assert parts["days"] == pytest.approx(math.log(5) / math.log(53))  # 4 days of weekly's 52
    assert parts["intimacy"] == pytest.approx(0.75)  # mean depth 2.5 of 3
    assert parts["reciprocity"] == pytest.approx(1.0)  # 2 of 4 by them: (2+1)/(4+2) = 0.5
    assert parts["steadiness"] == pytest.approx(81 / 730)  # 10 Dec to 1 Mar, of two years
    base = (0.25 * 0.03 + 0.25 * math.log(5) / math.log(53) + 0.20 * 0.75 + 0.15 * 1.0
            + 0.15 * 81 / 730)  # fmt: skip
    assert s.decay == pytest.approx(0.5 ** (9 / 180))  # 9 days of silence, half-life 180
    assert s.value == round(base * 0.5 ** (9 / 180) * 100) == 41
    assert not s.weak
    assert [c.key for c in s.components] == list(COMPONENTS)
    assert all(c.explanation for c in s.components)
    assert "keeps 97% of its strength" in s.explanation


def test_strength_never_reads_the_circle_or_the_cadence() -> None:
    """Issue 11, item 3: strength was measured against the cadence; now it is absolute."""
    history = [touch(2026, 1, d, 2, Initiator.ME, d) for d in range(1, 6)]
    values = {
        tie_strength(Contact("Bo", id=1, circle=circle, cadence_days=cadence), history, S, NOW)
        for circle in Circle
        for cadence in (None, 3, 60, 365)
    }
    assert len(values) == 1


def test_silence_halves_a_tie_and_a_family_tie_holds_longer() -> None:
    friend = Contact("Cy", id=1)
    family = Contact("Cy", id=1, tags=("family",))
    long_ago = [touch(2025, 9, 11, 3, Initiator.THEM, 1)]  # 180 days before 10 March
    recent = [touch(2026, 3, 10, 3, Initiator.THEM, 1)]
    fresh = tie_strength(friend, recent, S, NOW)
    assert fresh.decay == 1.0
    assert tie_strength(friend, long_ago, S, NOW).decay == pytest.approx(0.5)
    assert tie_strength(family, long_ago, S, NOW).decay == pytest.approx(0.5 ** (180 / 730))


def test_many_logs_on_one_day_count_as_one_day() -> None:
    """Distinct days, not counts (Urena-Carrion et al. 2020): ten pings in a day are one day."""
    c = Contact("Di", id=1)
    once = [Interaction((1,), datetime(2026, 3, 2, 9, tzinfo=UTC), id=1, depth=1)]
    spam = [Interaction((1,), datetime(2026, 3, 2, 9, m, tzinfo=UTC), id=m + 1, depth=1)
            for m in range(10)]  # fmt: skip
    assert tie_strength(c, spam, S, NOW).component("days").score == pytest.approx(
        tie_strength(c, once, S, NOW).component("days").score
    )


def test_the_ties_the_issue_found_odd_now_read_as_they_are() -> None:
    """Issue 11, item 3: a wider contact silent for 7 months scored 87, a new event chat 56
    ("steady"), a close friend with 67 interactions 49."""
    wider = Contact("Wes", id=1, circle=Circle.WIDER, created_at=datetime(2024, 1, 1, tzinfo=UTC))
    old = [touch(2024, m, 5, 2, Initiator.ME if m % 2 else Initiator.THEM, m) for m in (3, 7, 11)]
    old += [touch(2025, m, 5, 2, Initiator.ME if m % 2 else Initiator.THEM, 20 + m)
            for m in (3, 6, 8)]  # fmt: skip  # last contact 5 Aug: 7 months ago
    silent = tie_strength(wider, old, S, NOW)
    assert silent.value < 30 and silent.weak
    new = Contact("Nia", id=2, created_at=datetime(2026, 3, 9, tzinfo=UTC))
    chat = [Interaction((2,), datetime(2026, 3, 9, 19, tzinfo=UTC), id=1, depth=2,
                        kind=InteractionKind.EVENT_CHAT, minutes=15)]  # fmt: skip
    first = tie_strength(new, chat, S, NOW)
    assert first.value < 30 and first.weak and "light tie" in first.explanation
    assert "more to a casual friend" in first.building
    friend = Contact("Fay", id=3, circle=Circle.CLOSE, created_at=datetime(2023, 1, 1, tzinfo=UTC))
    start = datetime(2026, 3, 5, 18, tzinfo=UTC) - timedelta(days=16 * 66)
    weekly = [Interaction((3,), start + timedelta(days=16 * k), id=k + 1, depth=2 + k % 2,
                          initiated_by=Initiator.THEM if k % 2 else Initiator.ME, minutes=60)
              for k in range(67)]  # fmt: skip
    strong = tie_strength(friend, weekly, S, NOW)
    assert strong.value >= 70 and "strong tie" in strong.explanation


def test_nothing_logged_is_zero_and_said_so() -> None:
    s = tie_strength(Contact("Di", id=1, created_at=EARLIEST), [], S, NOW)
    assert s.value == 0 and s.weak
    assert "first" in s.explanation
    assert s.to_dict()["components"][0]["key"] == "time"


def test_building_follows_halls_hours() -> None:
    assert building_text(6) == (
        "About 6.0 h together; friendships grow with time: ~44 h more to a casual friend "
        "(Hall 2018)."
    )
    assert "more to a friend" in building_text(60)
    assert "more to a close friend" in building_text(120)
    assert "the time a close friendship takes" in building_text(250)
    assert time_score(50) == 0.5 and time_score(90) == pytest.approx(0.7) and time_score(200) == 1


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
def test_only_the_day_of_now_matters_and_silence_fades(
    c: Contact, raw: list[tuple[int, int, Initiator]], minute: int, days: int
) -> None:
    history = build(raw)
    midnight = pendulum.datetime(2026, 3, 10, tz="Europe/Paris")
    s = tie_strength(c, history, S, NOW)
    assert tie_strength(c, history, S, midnight.add(minutes=minute)) == s
    later = tie_strength(c, history, S, NOW.add(days=days))
    assert later.decay <= s.decay
    assert later.component("days").score <= s.component("days").score
    assert later.value <= s.value

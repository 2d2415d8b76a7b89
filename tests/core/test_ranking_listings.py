"""The contacts list kept in place (ranked rows, lists kept for the filter) always equals
the list made from scratch: after follow-ups, edits, archives, strengths, and any order of
filter keystrokes, sorts and due-only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.core import Core
from netbalance.core.ranking import Ranking, SortOrder
from netbalance.domain import Circle, Contact, Interaction
from netbalance.store import Store

NOW = datetime(2026, 11, 29, 10, 30, tzinfo=UTC)
NAMES = ["Ana Silva", "Anna Kim", "Kim Ana", "Lena Kim", "Silvana Roe", "Bo", "Ana", "Vera Novak"]
COMPANIES = ["", "Kimco", "Acme", "Silva & Co"]
QUERIES = ["", "a", "an", "ana", "ana ", "ana k", "kim", "k"]


def clock() -> datetime:
    return NOW


def _core(people: list[tuple[int, int, int, int]]) -> Core:
    store = Store.in_memory()
    circles = list(Circle)
    for n, (name, company, circle, ago) in enumerate(people):
        contact = Contact(
            NAMES[name], circle=circles[circle % len(circles)], company=COMPANIES[company]
        )
        store.add_contact(contact, NOW - timedelta(days=200))
        if ago:
            store.log_interaction(Interaction((n + 1,), NOW - timedelta(days=ago)), NOW)
    return Core.open(store, clock)


def _fresh(core: Core) -> Ranking:
    ranking = Ranking(core.store, clock)
    ranking.load()
    ranking.set_strengths(dict(core.ranking.strengths))
    return ranking


def _shown(ranking: Ranking, query: str, due_only: bool, order: SortOrder) -> list[object]:
    return [
        (r.contact_id, r.name, r.due_text, r.last_text, r.strength)
        for r in ranking.rows(query, due_only=due_only, order=order)
    ]


person = st.tuples(
    st.integers(0, len(NAMES) - 1),
    st.integers(0, len(COMPANIES) - 1),
    st.integers(0, 5),
    st.integers(0, 400),
)
step = st.one_of(
    st.tuples(
        st.just("query"), st.sampled_from(["", "a", "an", "ana", "ana ", "ana k", "kim", "k"])
    ),
    st.tuples(st.just("follow"), st.integers(0, 11)),
    st.tuples(st.just("archive"), st.integers(0, 11)),
    st.tuples(st.just("strength"), st.integers(0, 11)),
    st.tuples(st.just("view"), st.tuples(st.booleans(), st.sampled_from(list(SortOrder)))),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(person, min_size=1, max_size=12), st.lists(step, max_size=25))
def test_the_list_kept_in_place_equals_the_list_made_from_scratch(
    people: list[tuple[int, int, int, int]], steps: list[tuple[str, object]]
) -> None:
    core = _core(people)
    query, due_only, order = "", False, SortOrder.DUE
    for kind, arg in steps:
        ids = sorted(core.ranking.contacts)
        if kind == "query":
            query = str(arg)
        elif kind == "view":
            due_only, order = arg  # type: ignore[misc]
        elif ids and kind == "follow":
            core.follow_up(ids[int(arg) % len(ids)]).now()  # type: ignore[call-overload]
        elif ids and kind == "archive":
            core.archive(ids[int(arg) % len(ids)]).now()  # type: ignore[call-overload]
        elif ids and kind == "strength":
            cid = ids[int(arg) % len(ids)]  # type: ignore[call-overload]
            core.ranking.set_strength(cid, (cid * 37 + int(arg)) % 101)  # type: ignore[call-overload]
        fresh = _fresh(core)
        kept = _shown(core.ranking, query, due_only, order)
        assert kept == _shown(fresh, query, due_only, order), (kind, arg, query)
        assert core.ranking.due_count() == fresh.due_count()


def test_a_list_handed_out_is_not_changed_by_later_keystrokes_or_writes() -> None:
    core = _core([(0, 0, 1, 30), (1, 1, 1, 60), (3, 1, 2, 90)])
    everyone = core.rows("")
    names = [r.name for r in everyone]
    core.rows("ana")
    core.follow_up(everyone[0].contact_id).now()
    assert [r.name for r in everyone] == names


def test_a_row_with_another_strength_is_the_row_with_only_that_changed() -> None:
    core = _core([(0, 1, 1, 30)])
    row = core.rows("")[0]
    assert row.with_strength(42) == replace(row, strength=42)
    assert row.with_strength(None) == replace(row, strength=None)

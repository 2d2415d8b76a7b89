"""The one resolver: exact, then whole words, then word starts, then parts; and series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netbalance.domain import Contact, Event
from netbalance.domain.matching import (
    Tier,
    best_matches,
    fold,
    occurrence,
    one_series,
    tier_of,
    words_of,
)
from netbalance.domain.text import clean_line

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _people(*names: str) -> list[Contact]:
    return [Contact(n, id=i + 1) for i, n in enumerate(names)]


def _find(query: str, people: list[Contact]) -> list[str]:
    found = best_matches(query, people, lambda c: c.name, lambda c: c.emails)
    return [c.name for c in found.found]


def test_a_whole_word_wins_over_a_part_of_a_word() -> None:
    # The issue: "Ana" picked "Tanaka" (or was ambiguous) while an "Ana Silva" exists.
    people = _people("Kenji Tanaka", "Ana Silva", "Mariana Costa")
    assert _find("Ana", people) == ["Ana Silva"]
    assert best_matches("ana", people, lambda c: c.name).tier is Tier.WORDS
    # Without an Ana, the parts are what there is, and both are listed.
    assert _find("ana", _people("Kenji Tanaka", "Mariana Costa")) == [
        "Kenji Tanaka",
        "Mariana Costa",
    ]


@pytest.mark.parametrize(
    ("query", "name", "tier"),
    [
        ("ana silva", "Ana Silva", Tier.EXACT),
        ("  ANA   silva ", "Ana Silva", Tier.EXACT),
        ("José", "jose", Tier.EXACT),
        ("silva ana", "Ana Silva", Tier.WORDS),
        ("brien", "Dmitri O'Brien", Tier.WORDS),
        ("o'brien", "Dmitri O'Brien", Tier.WORDS),
        ("luc", "Jean-Luc Picard", Tier.WORDS),
        ("sil", "Ana Silva", Tier.STARTS),
        ("an si", "Ana Silva", Tier.STARTS),
        ("ilv", "Ana Silva", Tier.PART),
        ("obrien", "Dmitri O'Brien", Tier.PART),
        ("muller", "Nikolai Müller", Tier.WORDS),
        ("ana x", "Ana Silva", None),
        ("", "Ana Silva", None),
    ],
)
def test_tiers(query: str, name: str, tier: Tier | None) -> None:
    assert tier_of(query, name) is tier


def test_the_exact_name_wins_over_longer_names_that_hold_it() -> None:
    assert _find("ana", _people("Ana", "Ana Silva", "Ana Sousa")) == ["Ana"]


def test_an_email_typed_whole_is_exact_and_a_part_of_one_is_nothing() -> None:
    people = [
        Contact("Ana Silva", id=1, emails=("ana@acme.org",)),
        Contact("Bo Lund", id=2, emails=("bo@acme.org",)),
    ]
    assert _find("ANA@acme.org", people) == ["Ana Silva"]
    assert _find("acme", people) == []


def test_several_in_the_best_tier_are_all_given_in_order() -> None:
    found = best_matches("ana", _people("Ana Sousa", "Tanaka", "Ana Silva"), lambda c: c.name)
    assert [c.name for c in found.found] == ["Ana Sousa", "Ana Silva"]
    assert found.unique is None


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=8), st.data())
def test_adding_a_worse_match_never_changes_what_a_query_meant(
    names: list[str], data: st.DataObject
) -> None:
    people = _people(*[n for n in names if clean_line(n).strip()] or ["x"])
    name = data.draw(st.sampled_from([c.name for c in people]))
    # A whole name, or one whole word of it: an exact or a whole-word match.
    query = data.draw(st.sampled_from([name, *words_of(name)]))
    before = best_matches(query, people, lambda c: c.name)
    assert before.tier in (Tier.EXACT, Tier.WORDS)
    # Someone whose name holds the query only inside a longer word.
    extra = Contact("zz" + fold(query).replace(" ", "") + "zz", id=999)
    after = best_matches(query, [*people, extra], lambda c: c.name)
    assert after.found == before.found


def _events(*days: int, title: str = "PyData meetup") -> list[Event]:
    return [Event(title, NOW + timedelta(days=d), id=i + 1) for i, d in enumerate(days)]


def test_a_series_means_the_next_to_come_or_the_last_begun() -> None:
    series = _events(-14, -7, 7, 14)
    assert one_series(series) and not one_series([*series, *_events(3, title="Other")])
    picked = occurrence(series, NOW, started=False)
    assert picked is not None and picked.id == 3
    picked = occurrence(series, NOW, started=True)
    assert picked is not None and picked.id == 2
    past = _events(-14, -7)
    picked = occurrence(past, NOW, started=False)
    assert picked is not None and picked.id == 2
    assert occurrence(_events(7, 14), NOW, started=True) is None


def test_a_name_of_marks_alone_can_still_be_found() -> None:
    people = _people("¯", "Ana Silva")
    assert [c.name for c in best_matches("¯", people, lambda c: c.name).found] == ["¯"]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_folds_as_the_general_path(text: str) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    general = " ".join(bare.casefold().split()) or " ".join(text.casefold().split())
    assert fold(text) == general


_NAMES = st.lists(
    st.text(alphabet="AaÁáNnOo'- .é_", min_size=0, max_size=8), min_size=0, max_size=8
)


@given(st.text(alphabet="AaÁáNnOo'- .é_", max_size=6), _NAMES, _NAMES)
def test_best_matches_is_the_best_tier_of_each_name_or_key(
    query: str, names: list[str], keys: list[str]
) -> None:
    # The plain definition (tier_of for every record, an exact key lifts it to EXACT)
    # against best_matches, which looks for exact matches first.
    records = list(enumerate(names))
    q = fold(query)
    tiers = []
    for n, name in records:
        tier = tier_of(q, name)
        if tier is not Tier.EXACT and fold(keys[n] if n < len(keys) else "x@y") == q:
            tier = Tier.EXACT
        tiers.append(tier)
    best = min((t for t in tiers if t is not None), default=None)
    expected = tuple(r for r, t in zip(records, tiers, strict=True) if t is not None and t == best)
    got = best_matches(
        query, records, lambda r: r[1], lambda r: [keys[r[0]] if r[0] < len(keys) else "x@y"]
    )
    assert (got.tier, got.found) == (best, expected)

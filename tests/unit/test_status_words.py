"""Event status words: one set in the domain, with the aliases people use."""

from __future__ import annotations

import pytest

from netbalance.domain import DomainError, EventStatus
from netbalance.domain.model import STATUS_ALIASES, parse_status


def test_the_words_shown_are_the_statuses_own() -> None:
    assert [s.label for s in EventStatus] == [
        "considering",
        "going",
        "declined",
        "attended",
        "missed",
    ]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("going", EventStatus.GOING),
        (" Going ", EventStatus.GOING),
        ("maybe", EventStatus.CONSIDERING),
        ("no", EventStatus.DECLINED),
        ("went", EventStatus.ATTENDED),
        ("skip", EventStatus.DECLINED),
        ("go", EventStatus.GOING),
        ("dec", EventStatus.DECLINED),
        ("att", EventStatus.ATTENDED),
        ("miss", EventStatus.MISSED),
    ],
)
def test_words_aliases_and_unique_starts_are_read(text: str, status: EventStatus) -> None:
    assert parse_status(text) is status


def test_every_alias_names_a_status_and_none_hides_a_word() -> None:
    words = {s.value for s in EventStatus}
    assert not words & set(STATUS_ALIASES)
    for alias, status in STATUS_ALIASES.items():
        assert parse_status(alias) is status


def test_an_unknown_word_lists_the_words_and_the_aliases() -> None:
    with pytest.raises(DomainError) as refused:
        parse_status("perhaps")
    message = str(refused.value)
    assert "considering, going, declined, attended, missed" in message
    assert "maybe (considering)" in message and "went (attended)" in message

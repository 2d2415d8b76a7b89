"""One limit for text, in the domain: every record refuses longer text and says the limit;
importers cut to exactly that limit and say they did; size messages say something true."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.domain import Contact, DomainError, Event, Goal, Interaction, WeeklySnapshot
from netbalance.domain.text import MAX_NAME_CHARS, MAX_TEXT_CHARS
from netbalance.interop import read_import
from netbalance.interop.common import ImportFormatError, clip, read_bytes

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LONG = "x" * (MAX_TEXT_CHARS + 1)
FITS = "x" * MAX_TEXT_CHARS


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda t: Contact("Ana", notes=t), "notes"),
        (lambda t: Contact("Ana", company=t), "company"),
        (lambda t: Contact("Ana", tags=(t,)), "tag"),
        (lambda t: Interaction((1,), NOW, note=t), "note"),
        (lambda t: Interaction((1,), NOW, next_step=t), "next step"),
        (lambda t: Event(t, NOW), "title"),
        (lambda t: Event("Meetup", NOW, notes=t), "notes"),
        (lambda t: Goal("Learn", notes=t), "notes"),
        (lambda t: WeeklySnapshot(NOW.date(), note=t), "note"),
    ],
)
def test_every_text_field_has_the_one_limit(build: object, field: str) -> None:
    build(FITS)  # type: ignore[operator]
    with pytest.raises(DomainError) as caught:
        build(LONG)  # type: ignore[operator]
    assert str(caught.value).startswith(f"{field}: is {len(LONG):,} characters long")
    assert f"the limit is {MAX_TEXT_CHARS:,} characters" in str(caught.value)


def test_a_name_has_its_own_limit_said_the_same_way() -> None:
    with pytest.raises(DomainError, match=f"the limit is {MAX_NAME_CHARS} characters"):
        Contact("n" * (MAX_NAME_CHARS + 1))


def test_clip_stays_within_the_limit() -> None:
    assert len(clip(LONG)) == MAX_TEXT_CHARS and clip(LONG).endswith("…")
    assert clip(FITS) == FITS
    assert Contact(clip("n" * 500, MAX_NAME_CHARS)).name.endswith("…")


def test_an_import_cuts_long_fields_to_the_limit_and_says_so(tmp_path: Path) -> None:
    card = tmp_path / "c.vcf"
    card.write_text(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:{'n' * 300}\nORG:{'o' * 500}\n"
        f"NOTE:{'y' * 30_000}\nEND:VCARD\n"
    )
    result = read_import("vcard", card, NOW)
    (incoming,) = result.contacts
    contact = incoming.contact
    assert len(contact.name) == MAX_NAME_CHARS and len(contact.notes) == MAX_TEXT_CHARS
    assert contact.company == "o" * 500  # within the limit: kept whole
    assert result.warnings == [
        f"2 field(s) were cut to fit netbalance's limits ({MAX_TEXT_CHARS:,} characters "
        f"for any text, {MAX_NAME_CHARS} for a name)"
    ]


def test_the_size_limit_message_says_something_true(tmp_path: Path) -> None:
    big = tmp_path / "big.vcf"
    limit = 209_715_200
    with big.open("wb") as f:
        f.truncate(limit + 100_000)  # sparse: 210 MB rounded, as the limit itself
    with pytest.raises(ImportFormatError) as caught:
        read_bytes(big, limit)
    message = str(caught.value)
    assert f"is {limit + 100_000:,} bytes, over the {limit:,} bytes (200 MiB)" in message
    os.unlink(big)

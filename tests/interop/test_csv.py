"""LinkedIn, Google and Outlook CSV readers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.domain import Birthday
from netbalance.interop.common import ImportFormatError
from netbalance.interop.csv_google import read_google
from netbalance.interop.csv_linkedin import read_linkedin
from netbalance.interop.csv_outlook import read_outlook
from netbalance.interop.csv_rows import parse_connected_on

from .conftest import realworld

PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\n\n'
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22 Dec 2025", datetime(2025, 12, 22, 12, tzinfo=UTC)),
        ("6-Feb-26", datetime(2026, 2, 6, 12, tzinfo=UTC)),
        ("1/8/18, 6:14 PM", datetime(2018, 1, 8, 18, 14, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("yesterday-ish", None),
    ],
)
def test_linkedin_dates(text: str, expected: datetime | None) -> None:
    assert parse_connected_on(text) == expected


def test_linkedin_current_export(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(
        PREAMBLE
        + HEADER
        + 'Ada,"Lovelace, PhD",https://www.linkedin.com/in/ada,,'
        + 'Engines Ltd ,"Analyst, Senior",22 Dec 2025\n'
        + ",,,,,,1 Jan 2025\n"
    )
    result = read_linkedin(path, now)
    (item,) = result.contacts
    assert item.contact.name == "Ada Lovelace, PhD"
    assert item.contact.company == "Engines Ltd"
    assert item.contact.role == "Analyst, Senior"
    assert item.contact.links == ("https://www.linkedin.com/in/ada",)
    assert item.first_interaction_at == datetime(2025, 12, 22, 12, tzinfo=UTC)
    assert result.skipped[0].location == "Connections.csv line 6"


def test_linkedin_2018_export(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        'Bo,Chen,urn:li:member:123,Acme,CTO,"1/8/18, 6:14 PM"\n'
    )
    result = read_linkedin(path, now)
    assert result.contacts[0].contact.emails == ()
    assert any("urn:li:member" in w for w in result.warnings)


def test_linkedin_real_header_only_is_not_silent(now: datetime) -> None:
    result = read_linkedin(realworld("csv", "linkedin_connections_2025_preamble_header.csv"), now)
    assert result.contacts == []
    assert result.warnings


def test_google_both_formats(now: datetime) -> None:
    legacy = read_google(realworld("csv", "google_contacts_legacy_format_example.csv"), now)
    current = read_google(realworld("csv", "google_contacts_new_format_example.csv"), now)
    assert [c.contact.name for c in legacy.contacts] == ["John Doe", "Max Mustermann"]
    assert legacy.contacts[0].contact.tags == ("mittelschule", "jga blake", "friends")
    assert current.contacts[1].contact.birthday == Birthday(12, 25)


def test_google_numbered_groups_by_name(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "First Name,Middle Name,Last Name,Labels,Phone 1 - Value,"
        "E-mail 2 - Value,E-mail 1 - Value\n"
        "Ann,,Lee,* myContacts ::: Rust,+1 555 0100,b@x.org,a@x.org ::: c@x.org\n"
    )
    contact = read_google(path, now).contacts[0].contact
    assert contact.emails == ("a@x.org", "c@x.org", "b@x.org")
    assert contact.tags == ("rust",)


def test_outlook_cp1252_crlf(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "o.csv"
    text = (
        '"Title","First Name","Middle Name","Last Name","Company","Job Title","Birthday",'
        '"E-mail Address","Mobile Phone","Categories"\r\n'
        '"","René","","Göbel","Bäckerei","Chef","0/0/00",'
        '"rene@example.de","0171 1234567","Kunden;VIP"\r\n'
        '"","Zoe","","Park","","","3/22/1980","","",""\r\n'
    )
    path.write_bytes(text.encode("cp1252"))
    result = read_outlook(path, now)
    first, second = (c.contact for c in result.contacts)
    assert first.name == "René Göbel" and first.birthday is None and first.tags == ("kunden", "vip")
    assert second.birthday == Birthday(3, 22, 1980)


def test_csv_kind_mismatch_is_named(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "c.csv"
    path.write_text(HEADER + "A,B,,,,,1 Jan 2025\n")
    with pytest.raises(ImportFormatError, match="LinkedIn"):
        read_google(path, now)

"""The tolerant vCard reader on the quirks real exports have."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from netbalance.domain import Birthday, Circle
from netbalance.interop.common import ImportFormatError, ReadResult
from netbalance.interop.vcard import parse_birthday, read_vcard

from .conftest import realworld


def _read(tmp_path: Path, data: bytes, now: datetime, name: str = "a.vcf") -> ReadResult:
    path = tmp_path / name
    path.write_bytes(data)
    return read_vcard(path, now)


def test_quoted_printable_soft_break_inside_a_utf8_sequence(tmp_path: Path, now: datetime) -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=\r\n=BCrgen M=C3=BCller\r\n"
        b"END:VCARD\r\n"
    )
    result = _read(tmp_path, data, now)
    assert [c.contact.name for c in result.contacts] == ["Jürgen Müller"]


def test_latin1_without_charset_and_cr_cr_lf(tmp_path: Path, now: datetime) -> None:
    data = "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:Zoë Ångström\r\r\nORG:Café\r\r\nEND:VCARD\r\r\n"
    result = _read(tmp_path, data.encode("latin-1"), now)
    assert result.contacts[0].contact.name == "Zoë Ångström"
    assert result.contacts[0].contact.company == "Café"


def test_bom_groups_ablabel_and_folding(tmp_path: Path, now: datetime) -> None:
    data = (
        "\ufeffhome.BEGIN:VCARD\nVERSION:3.0\nFN:Ann\n  Lee\nitem1.EMAIL;type=INTERNET:ann@ex.org\n"
        "item1.X-ABLabel:_$!<Other>!$_\nitem2.URL:https\\://ann.example\nhome.END:VCARD\n"
    ).encode()
    contact = _read(tmp_path, data, now).contacts[0].contact
    assert contact.name == "Ann Lee"
    assert contact.emails == ("ann@ex.org",)
    assert contact.links == ("https://ann.example",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-03-22", Birthday(3, 22, 1980)),
        ("19800322", Birthday(3, 22, 1980)),
        ("--0203", Birthday(2, 3)),
        ("--02-03", Birthday(2, 3)),
        ("1604", Birthday(4, 16)),
        ("02-10", Birthday(2, 10)),
        ("1604-07-01", Birthday(7, 1)),
        ("1980-03-22T00:00:00Z", Birthday(3, 22, 1980)),
        ("circa 1800", None),
    ],
)
def test_birthdays(text: str, expected: Birthday | None) -> None:
    assert parse_birthday(text) == expected


def test_text_birthday_goes_to_notes(tmp_path: Path, now: datetime) -> None:
    data = b"BEGIN:VCARD\nVERSION:4.0\nFN:Old Friend\nBDAY;VALUE=text:circa 1800\nEND:VCARD\n"
    result = _read(tmp_path, data, now)
    assert result.contacts[0].contact.birthday is None
    assert "circa 1800" in result.contacts[0].contact.notes
    assert any("circa 1800" in w for w in result.warnings)


def test_missing_fn_and_n_falls_back_then_skips_with_reason(tmp_path: Path, now: datetime) -> None:
    data = (
        b"BEGIN:VCARD\nVERSION:2.1\nEMAIL:x@y.org\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:2.1\nN:Lee;Ann;;;\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:2.1\nPHOTO;ENCODING=BASE64;JPEG:\n  AAAA\nEND:VCARD\n"
    )
    result = _read(tmp_path, data, now)
    assert [c.contact.name for c in result.contacts] == ["x@y.org", "Ann Lee"]
    assert len(result.skipped) == 1
    assert "card 3" in result.skipped[0].location
    assert "no name, email or phone" in result.skipped[0].reason


def test_missing_end_reads_to_the_next_card(tmp_path: Path, now: datetime) -> None:
    data = b"BEGIN:VCARD\nFN:One\nBEGIN:VCARD\nFN:Two\nEND:VCARD\nBEGIN:VCARD\nFN:Three\n"
    result = _read(tmp_path, data, now)
    assert [c.contact.name for c in result.contacts] == ["One", "Two", "Three"]
    assert any("no END:VCARD" in w for w in result.warnings)


def test_netbalance_fields_are_read(tmp_path: Path, now: datetime) -> None:
    data = (
        b"BEGIN:VCARD\nVERSION:4.0\nFN:Kim\nX-NETBALANCE-CIRCLE:inner\nX-NETBALANCE-CADENCE:14\n"
        b"X-NETBALANCE-GOAL:Find a mentor\n"
        b"X-NETBALANCE-LAST-INTERACTION:20251201T100000Z\nEND:VCARD\n"
    )
    item = _read(tmp_path, data, now).contacts[0]
    assert item.contact.circle is Circle.INNER
    assert item.contact.cadence_days == 14
    assert item.goal_titles == ("Find a mentor",)
    assert item.first_interaction_at is not None and item.first_interaction_at.day == 1


def test_wrong_kind_is_named(tmp_path: Path, now: datetime) -> None:
    with pytest.raises(ImportFormatError, match="iCalendar"):
        _read(tmp_path, b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VEVENT\nEND:VCALENDAR\n", now)
    with pytest.raises(ImportFormatError, match="not a vCard"):
        _read(tmp_path, b"hello", now)


def test_vdir_folder(tmp_path: Path, now: datetime) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "a.vcf").write_bytes(b"BEGIN:VCARD\nFN:A One\nEND:VCARD\n")
    (book / "b.vcf").write_bytes(b"BEGIN:VCARD\nFN:B Two\nEND:VCARD\n")
    (book / "notes.txt").write_bytes(b"ignored")
    result = read_vcard(book, now)
    assert sorted(c.contact.name for c in result.contacts) == ["A One", "B Two"]


def test_android_export_with_split_utf8(now: datetime) -> None:
    result = read_vcard(realworld("vcf", "ezvcard_John_Doe_ANDROID.vcf"), now)
    names = [c.contact.name for c in result.contacts]
    assert len(names) == 6
    assert "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ" in names


def test_outlook_qp_note_and_basic_birthday(now: datetime) -> None:
    contact = read_vcard(realworld("vcf", "ezvcard_outlook-2003.vcf"), now).contacts[0].contact
    assert contact.birthday == Birthday(3, 21, 1980)
    assert contact.company == "Company, The"
    assert "\n" in contact.notes


def test_iphone_cr_cr_lf_with_photo(now: datetime) -> None:
    contact = read_vcard(realworld("vcf", "ezvcard_John_Doe_IPHONE.vcf"), now).contacts[0].contact
    assert contact.emails[0] == "john.doe@ibm.com"
    assert contact.birthday == Birthday(6, 6, 2012)


def test_latin1_qp_without_charset(now: datetime) -> None:
    contact = read_vcard(realworld("vcf", "vobject_qp_latin1_v21.vcf"), now).contacts[0].contact
    assert contact.name == "é"

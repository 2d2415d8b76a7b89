"""Issue 12 items 4-6: quoted-printable and charsets, damaged calendars and nameless cards,
the N an export writes, and what an iCalendar or vCard round trip keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from netbalance.domain import Contact, Event
from netbalance.interop import apply_import, preview_import
from netbalance.interop.export_ics import export_ics
from netbalance.interop.export_vcard import export_vcards
from netbalance.interop.vcard import read_vcard
from netbalance.store import Store

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _read(tmp_path: Path, data: bytes) -> list[Contact]:
    path = tmp_path / "cards.vcf"
    path.write_bytes(data)
    return [c.contact for c in read_vcard(path, NOW).contacts]


# --- item 4: vCard 2.1 quoted-printable ------------------------------------------------------


def test_a_soft_break_before_a_blank_line_ends_the_value(tmp_path: Path) -> None:
    (card,) = _read(
        tmp_path,
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John\r\nFN:John Doe\r\n"
        b"ORG;ENCODING=QUOTED-PRINTABLE:Acme=20Corp=\r\n\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:Met at the fair\r\nEND:VCARD\r\n",
    )
    assert card.company == "Acme Corp"
    assert card.notes == "Met at the fair"


def test_one_bad_byte_leaves_the_rest_of_a_utf8_value_utf8(tmp_path: Path) -> None:
    (card,) = _read(
        tmp_path,
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 M=FCller\r\nEND:VCARD\r\n",
    )
    assert card.name == "José Müller"  # =FC is Windows-1252 ü; José stays José


def test_one_stray_byte_in_a_utf8_file_leaves_the_other_cards_alone(tmp_path: Path) -> None:
    cards = _read(
        tmp_path,
        "BEGIN:VCARD\nVERSION:3.0\nFN:José Silva\nEND:VCARD\n".encode()
        + b"BEGIN:VCARD\nVERSION:3.0\nFN:Ren\xe9 Roux\nEND:VCARD\n",
    )
    assert [c.name for c in cards] == ["José Silva", "René Roux"]


def test_encoded_line_breaks_become_newlines(tmp_path: Path) -> None:
    (card,) = _read(
        tmp_path,
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann Lee\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:first=0D=0Asecond=0D=0A=0D=0Athird\r\nEND:VCARD\r\n",
    )
    assert card.notes == "first\nsecond\n\nthird"


# --- item 5: damage is reported, and what follows it kept ------------------------------------


def test_a_missing_end_vevent_is_reported_and_the_next_event_kept(tmp_path: Path) -> None:
    path = tmp_path / "cal.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
        "BEGIN:VEVENT\nUID:one\nSUMMARY:Broken\nDTSTART:20260110T180000Z\n"
        "BEGIN:VEVENT\nUID:two\nSUMMARY:Intact\nDTSTART:20260112T180000Z\n"
        "DTEND:20260112T200000Z\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    store = Store.in_memory()
    plan = preview_import("ics", path, store, NOW)
    assert plan.counts()["new"] == 2
    assert any("line 4: a VEVENT has no END:VEVENT" in w for w in plan.warnings)
    apply_import(store, plan)
    assert [e.title for e in store.events()] == ["Broken", "Intact"]


def test_a_card_with_neither_n_nor_fn_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cards.vcf"
    path.write_bytes(b"BEGIN:VCARD\nVERSION:3.0\nEMAIL:x@y.org\nORG:Acme\nEND:VCARD\n")
    result = read_vcard(path, NOW)
    assert [c.contact.name for c in result.contacts] == ["Acme"]
    assert any("neither N nor FN" in w and "organisation 'Acme'" in w for w in result.warnings)


# --- item 6: N, and what round trips keep ----------------------------------------------------


def _n_lines(text: str) -> list[str]:
    return [line for line in text.split("\r\n") if line.startswith("N:")]


def test_export_never_guesses_n_from_a_suffix_or_a_phone_number() -> None:
    text = export_vcards(
        [
            Contact("Zoe O'Brien, Jr.", id=1, uid="a"),
            Contact("+91 93333 44444", id=2, uid="b"),
            Contact("Ludwig van Beethoven", id=3, uid="c"),
        ]
    )
    assert _n_lines(text) == ["N:O'Brien;Zoe;;;Jr.", "N:;;;;", "N:van Beethoven;Ludwig;;;"]


def test_export_keeps_the_cards_own_n(tmp_path: Path) -> None:
    path = tmp_path / "in.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\nVERSION:3.0\nUID:k1\nN:Garc\xc3\xada M\xc3\xa1rquez;Gabriel;Jos\xc3\xa9;;\n"
        b"FN:Gabriel Garc\xc3\xada M\xc3\xa1rquez\nEND:VCARD\n"
    )
    store = Store.in_memory()
    apply_import(store, preview_import("vcard", path, store, NOW))
    (contact,) = store.contacts()
    assert _n_lines(export_vcards([contact])) == ["N:García Márquez;Gabriel;José;;"]
    # Renamed in netbalance: the old N no longer fits and is not written.
    renamed = contact.edit(name="Gabo Márquez")
    assert _n_lines(export_vcards([renamed])) == ["N:Márquez;Gabo;;;"]


def test_ics_round_trip_keeps_categories_and_hours(tmp_path: Path) -> None:
    source = Store.in_memory()
    start = NOW + timedelta(days=3)
    source.add_event(
        Event("PyData", start, end=start + timedelta(hours=2), hours=3.5, tags=("python", "ml"))
    )
    path = tmp_path / "out.ics"
    path.write_bytes(
        export_ics(
            contacts=[],
            events=source.events(),
            last_interactions={},
            settings=source.settings(),
            now=NOW,
        )
    )
    target = Store.in_memory()
    apply_import(target, preview_import("ics", path, target, NOW))
    (event,) = target.events()
    assert event.tags == ("python", "ml") and event.hours == 3.5
    assert event.uid == source.events()[0].uid


def test_a_phone_that_is_also_a_voice_line_is_kept(tmp_path: Path) -> None:
    (card,) = _read(
        tmp_path,
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nTEL;TYPE=fax,voice:+1 555 010 0001\n"
        b"TEL;TYPE=WORK,FAX:+1 555 010 0002\nTEL;TYPE=cell:+1 555 010 0003\nEND:VCARD\n",
    )
    assert card.phones == ("+1 555 010 0001", "+1 555 010 0003")

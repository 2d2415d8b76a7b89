"""Text safety: records clean control characters on the way in; output escapes them."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netbalance.domain import Contact, Event, Goal, Interaction, WeeklySnapshot
from netbalance.domain.text import clean_line, clean_text, escape_controls, escape_json

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

# What must never survive cleaning: C0 (but newline and tab in notes), DEL, C1, the bidi
# embeddings, overrides and isolates, zero-width space, BOM, lone surrogates.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def unsafe(ch: str, *, notes: bool = False) -> bool:
    if notes and ch in "\n\t":
        return False
    code = ord(ch)
    return (
        code < 0x20
        or 0x7F <= code < 0xA0
        or ch in BIDI + "\u200b\ufeff\u2028\u2029"
        or 0xD800 <= code < 0xE000
    )


HOSTILE = [
    ("Clear\x1b[2JX", "ClearX"),  # the example: clear the screen
    ("\x1b]0;pwned\x07Kim", "Kim"),  # set the window title (OSC ... BEL)
    ("Kim\x1b]8;;file:///etc/passwd\x1b\\x\x1b]8;;\x1b\\", "Kimx"),  # a hyperlink (OSC 8, ST)
    ("Kim\x9b2JLost", "KimLost"),  # the C1 form of CSI
    ("Kim\x1bcLost", "KimLost"),  # RIS: reset the terminal
    ("Ann\u202etxt.exe", "Anntxt.exe"),  # right-to-left override
    ("Bad\x00Nul\x07Bell\x7fDel", "BadNulBellDel"),
    ("Bytes\udcff\udcfe", "Bytes\ufffd\ufffd"),  # invalid UTF-8 from a command line
    ("Zero\u200bWidth\ufeff", "ZeroWidth"),
]


@pytest.mark.parametrize(("raw", "clean"), HOSTILE)
def test_clean_line_removes_escape_sequences_and_controls(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean
    assert clean_text(raw) == clean


def test_an_unterminated_sequence_loses_only_its_introducer() -> None:
    # A note with a stray ESC ] must not lose the rest of the note.
    assert clean_text("before \x1b]0;after and more") == "before 0;after and more"


def test_line_breaks_and_tabs_in_one_line_fields_become_spaces() -> None:
    assert clean_line("a\nb\r\nc\td\u2028e\x85f") == "a b  c d e f"


def test_notes_keep_newlines_and_tabs_and_normalise_line_endings() -> None:
    assert clean_text("one\r\ntwo\rthree\u2028four\n\tfive") == "one\ntwo\nthree\nfour\n\tfive"


def test_real_world_text_is_kept() -> None:
    for text in [
        "Zoë O'Brien-Łukasiewicz",
        "王小明",
        "שלום\u200f עולם",  # Hebrew with a right-to-left mark (kept: names use it)
        "family 👨\u200d👩\u200d👧",
        "flag 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
        "e\u0301 combining",
        "[bold]not markup[/] [link=x]y[/]",  # Rich markup is the UI's to escape, not ours
    ]:
        assert clean_line(text) == text
        assert clean_text(text) == text


@given(st.text())
def test_cleaned_text_holds_nothing_unsafe(text: str) -> None:
    line = clean_line(text)
    assert not any(unsafe(c) for c in line)
    assert clean_line(line) == line
    notes = clean_text(text)
    assert not any(unsafe(c, notes=True) for c in notes)
    assert clean_text(notes) == notes


@given(st.text())
def test_escaped_text_holds_nothing_a_terminal_obeys(text: str) -> None:
    shown = escape_controls(text)
    assert not any(unsafe(c, notes=True) for c in shown)
    # Nothing is lost: every unsafe character is named.
    for c in text:
        if unsafe(c, notes=True):
            code = ord(c)
            assert (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}") in shown


def test_escape_controls_shows_what_is_stored() -> None:
    assert escape_controls("Clear\x1b[2JX") == "Clear\\x1b[2JX"
    assert escape_controls("a\u202eb\r\nc\td") == "a\\u202eb\\x0d\nc\td"


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_escape_json_keeps_the_value_and_is_safe_to_print(value: object) -> None:
    safe = escape_json(json.dumps(value, ensure_ascii=False))
    assert json.loads(safe) == value
    assert not any(0x7F <= ord(c) < 0xA0 or c in BIDI + "\u2028\u2029" for c in safe)


# --- the records clean themselves --------------------------------------------------------


def test_contact_text_fields_are_cleaned() -> None:
    c = Contact(
        name="Clear\x1b[2JX",
        company="Acme\x1b[31m",
        role="CEO\u202e",
        how_met="at\x00 PyCon",
        notes="line one\r\nline\x1b[2J two\n\tindented",
        emails=("kim\x07@example.org",),
        phones=("+1\x1b[8m555",),
        links=("https://x.org/\x1b]0;t\x07",),
        tags=("vip\x9b1m",),
        source="vcard\x1b",
    )
    assert c.name == "ClearX"
    assert (c.company, c.role, c.how_met) == ("Acme", "CEO", "at PyCon")
    assert c.notes == "line one\nline two\n\tindented"
    assert c.emails == ("kim@example.org",)
    assert c.phones == ("+1555",)
    assert c.links == ("https://x.org/",)
    assert c.tags == ("vip",)
    assert c.source == "vcard"
    assert Contact("Kim").edit(name="Kim\x1b[2J Lost").name == "Kim Lost"


def test_a_name_of_only_control_characters_is_blank() -> None:
    with pytest.raises(ValueError, match="name: must not be blank"):
        Contact("\x1b[2J\x07")


def test_event_goal_interaction_and_week_text_are_cleaned() -> None:
    e = Event(
        title="Meetup\x1b[2J",
        start=NOW,
        place="Hall\u202e",
        link="https://m.org\x07",
        tags=("ai\x1b",),
        notes="bring\x1b[5m cards\nand a pen",
    )
    assert (e.title, e.place, e.link, e.tags) == ("Meetup", "Hall", "https://m.org", ("ai",))
    assert e.notes == "bring cards\nand a pen"
    g = Goal(title="Learn\x1b]0;x\x07 ML", notes="why:\n\x1b[1mbecause")
    assert (g.title, g.notes) == ("Learn ML", "why:\nbecause")
    i = Interaction(
        contact_ids=(1,), at=NOW, note="said\x1b[2J hi\nthen left", next_step="call\x07"
    )
    assert (i.note, i.next_step) == ("said hi\nthen left", "call")
    w = WeeklySnapshot(week_start=NOW.date(), note="good\x1b[31m week\n", zone="deep\x1b")
    assert (w.note, w.zone) == ("good week\n", "deep")


def test_cleaning_keeps_unicode_normal_forms_as_typed() -> None:
    # Cleaning is not normalisation: a decomposed é stays decomposed.
    name = unicodedata.normalize("NFD", "José")
    assert Contact(name).name == name

"""What importers read is cleaned like anything typed: records, and the text around them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from netbalance.interop import preview_import
from netbalance.interop.ics import read_ics_text
from netbalance.interop.vcard import read_vcard
from netbalance.store import Store

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_an_ics_file_is_cleaned_attendees_and_report_included(tmp_path: Path) -> None:
    text = (
        "BEGIN:VEVENT\nUID:1\nSUMMARY:Meetup\x1b[2J\nDTSTART:20261210T180000Z\n"
        "LOCATION:Hall\u202e\nDESCRIPTION:bring cards\\n\x1b]0;pwned\x07now\n"
        'ATTENDEE;CN="Kim\u202e\x9b31m Lost":mailto:kim@example.org\n'
        'ATTENDEE;CN="Ann\x1b]0;pwned\x07 Lee":mailto:ann@example.org\nEND:VEVENT\n'
        "BEGIN:VEVENT\nUID:2\nSUMMARY:Gone\x1b[31m\nSTATUS:CANCELLED\n"
        "DTSTART:20261211T180000Z\nEND:VEVENT\n"
    )
    result = read_ics_text(text, "cal\x1b[2J.ics", NOW)
    (incoming,) = result.events
    event = incoming.event
    assert (event.title, event.place, event.notes) == ("Meetup", "Hall", "bring cards\nnow")
    assert incoming.attendees == ("Kim Lost <kim@example.org>",)
    assert incoming.location.startswith("cal.ics event 1")
    (skipped,) = result.skipped
    assert "\x1b" not in skipped.location + skipped.reason
    assert skipped.location.startswith("cal.ics event 2")


def test_a_vcard_is_cleaned_goal_titles_included(tmp_path: Path) -> None:
    path = tmp_path / "c.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Clear\x1b[2JX\r\nORG:Acme\x9b31m\r\n"
        "NOTE:one\\n\x1b[5mtwo\r\nX-NETBALANCE-GOAL:Learn\x1b[1m ML\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    (item,) = read_vcard(path, NOW).contacts
    assert (item.contact.name, item.contact.company, item.contact.notes) == (
        "ClearX",
        "Acme",
        "one\ntwo",
    )
    assert item.goal_titles == ("Learn ML",)


def test_a_hostile_goal_title_matches_the_clean_goal(tmp_path: Path) -> None:
    from netbalance.domain import Goal

    path = tmp_path / "c.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nX-NETBALANCE-GOAL:Learn\x07 ML\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    with Store.open(tmp_path / "db.json") as store:
        goal = store.add_goal(Goal("Learn ML"), NOW)
        plan = preview_import("vcard", path, store, NOW)
        assert not plan.warnings
        (entry,) = plan.entries
        assert entry.outcome == "new"
    assert goal.id == 1


def test_import_warnings_quoting_the_file_are_cleaned(tmp_path: Path) -> None:
    # icalendar refuses a parameter holding ESC; its message quotes the raw line.
    path = tmp_path / "c.ics"
    path.write_text(
        "BEGIN:VEVENT\nUID:1\nSUMMARY:M\nDTSTART:20261210T180000Z\n"
        'ATTENDEE;CN="Ann\x1b]0;pwned\x07 Lee":mailto:ann@example.org\nEND:VEVENT\n'
    )
    with Store.open(tmp_path / "db.json") as store:
        plan = preview_import("ics", path, store, NOW)
    assert plan.warnings and all("\x1b" not in w and "\x07" not in w for w in plan.warnings)
    assert all("\x1b" not in e.location for e in plan.entries)

"""iCalendar import: bare events, time zones, recurrence, cancellations, broken files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.domain import EventStatus
from netbalance.interop.common import ImportFormatError
from netbalance.interop.ics import read_ics, read_ics_text

from .conftest import realworld

SUMMER_2014 = datetime(2014, 7, 1, tzinfo=UTC)


def test_bare_vevent_all_day_and_floating() -> None:
    text = "BEGIN:VEVENT\nUID:1\nSUMMARY:Meetup\nDTSTART:20260301\nEND:VEVENT\n"
    (item,) = read_ics_text(text, "x.ics", datetime(2026, 1, 1, tzinfo=UTC)).events
    assert item.event.start == datetime(2026, 3, 1, tzinfo=UTC)
    assert item.event.end == datetime(2026, 3, 2, tzinfo=UTC)
    assert item.event.status is EventStatus.CONSIDERING


def test_floating_time_uses_the_given_zone() -> None:
    text = "BEGIN:VEVENT\nUID:2\nSUMMARY:Dinner\nDTSTART:20260301T190000\nEND:VEVENT\n"
    result = read_ics_text(text, "x.ics", SUMMER_2014, default_tz="Europe/Berlin")
    assert result.events[0].event.start == datetime(2026, 3, 1, 18, tzinfo=UTC)


def test_recurring_with_moved_and_cancelled_instances() -> None:
    result = read_ics(realworld("ics", "khal_event_rrule_recuid_cancelled.ics"), SUMMER_2014)
    starts = [e.event.start for e in result.events]
    assert datetime(2014, 7, 7, 7, tzinfo=UTC) in starts  # moved to 09:00 Berlin
    assert not any(s.date().isoformat() == "2014-07-14" for s in starts)  # cancelled
    assert len({e.event.uid for e in result.events}) == len(result.events)


def test_series_outside_the_horizon_is_reported() -> None:
    result = read_ics(
        realworld("ics", "khal_event_rrule_recuid_cancelled.ics"), datetime(2030, 1, 1, tzinfo=UTC)
    )
    assert result.events == []
    assert "no occurrence between" in result.skipped[0].reason


def test_undefined_tzid_is_read_as_local_with_a_note() -> None:
    result = read_ics(realworld("ics", "khal_event_dt_local_missing_tz.ics"), SUMMER_2014)
    assert len(result.events) == 1
    assert any("FOO" in w for w in result.warnings)


def test_broken_vtimezone_falls_back() -> None:
    result = read_ics(realworld("ics", "khal_invalid_tzoffset.ics"), SUMMER_2014)
    assert len(result.events) == 1
    assert any("time zone definitions are broken" in w for w in result.warnings)


def test_file_icalendar_reads_as_empty_is_not_silent() -> None:
    result = read_ics(realworld("ics", "icalendar_small_bad_calendar.ics"), SUMMER_2014)
    assert result.events == []
    assert result.skipped and "no start" in result.skipped[0].reason


def test_attendees_are_suggestions() -> None:
    result = read_ics(realworld("ics", "khal_event_dt_partstat.ics"), SUMMER_2014)
    assert "Henry Cabot <hcabot@example.com>" in result.events[0].attendees


def test_not_a_calendar(tmp_path: Path) -> None:
    path = tmp_path / "x.ics"
    path.write_text("BEGIN:VCARD\nFN:A\nEND:VCARD\n")
    with pytest.raises(ImportFormatError, match="vCard"):
        read_ics(path, SUMMER_2014)


def test_runaway_rule_is_capped() -> None:
    text = (
        "BEGIN:VEVENT\nUID:3\nSUMMARY:Every minute\nDTSTART:20260101T000000Z\n"
        "RRULE:FREQ=MINUTELY\nEND:VEVENT\n"
    )
    result = read_ics_text(text, "x.ics", datetime(2026, 1, 1, tzinfo=UTC))
    assert 0 < len(result.events) <= 500
    assert any("occurrences" in w for w in result.warnings)

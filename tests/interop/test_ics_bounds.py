"""A calendar cannot make the ics import run for ever or fill memory: every rule is bounded."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.interop import recurrence
from netbalance.interop.ics import MAX_OCCURRENCES_PER_SERIES, read_ics_text
from netbalance.interop.recurrence import ExpansionTooSlow, time_limit

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def calendar(*rules: str, extra: str = "", start: str = "19900101T000000Z") -> str:
    events = "".join(
        f"BEGIN:VEVENT\nUID:bomb-{n}@x\nSUMMARY:Bomb {n}\nDTSTART:{start}\n"
        f"DTEND:{start[:14]}1{start[15:]}\nRRULE:{rule}\n{extra}END:VEVENT\n"
        for n, rule in enumerate(rules)
    )
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\n{events}END:VCALENDAR\n"


def timed_read(text: str) -> tuple[float, list[str], list[str], int]:
    started = time.monotonic()
    result = read_ics_text(text, "bomb.ics", NOW)
    took = time.monotonic() - started
    return took, [s.reason for s in result.skipped], result.warnings, len(result.events)


@pytest.mark.parametrize(
    ("rule", "every"),
    [
        ("FREQ=SECONDLY", "every second"),
        ("FREQ=MINUTELY", "every minute"),
        ("FREQ=HOURLY", "every hour"),
        ("FREQ=SECONDLY;COUNT=2000000000", "every second"),
        ("FREQ=MINUTELY;UNTIL=20991231T000000Z", "every minute"),
    ],
)
def test_a_dense_rule_from_1990_stops_quickly_and_says_so(rule: str, every: str) -> None:
    took, skipped, _, events = timed_read(calendar(rule))
    assert took < 2.0
    assert events == 0
    (reason,) = skipped
    assert f"repeats {every} from 1990-01-01" in reason
    assert f"more than {recurrence.MAX_RULE_STEPS:,} occurrences" in reason and "left out" in reason


def test_the_walk_holds_no_occurrences_in_memory() -> None:
    tracemalloc.start()
    try:
        timed_read(calendar("FREQ=SECONDLY"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20  # the old expansion reached 5.8 GB


def test_a_huge_count_inside_the_window_imports_the_first_ones_and_says_so() -> None:
    took, skipped, warnings, events = timed_read(
        calendar("FREQ=HOURLY;COUNT=999999999", start="20261101T000000Z")
    )
    assert took < 3.0
    assert events == MAX_OCCURRENCES_PER_SERIES and skipped == []
    (warning,) = warnings
    assert f"the first {MAX_OCCURRENCES_PER_SERIES} are imported, the rest are left out" in warning


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30",  # never matches: dateutil spins to year 9999
        "FREQ=HOURLY;BYSETPOS=3",  # an hour holds one candidate: position 3 never exists
        "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
    ],
)
def test_a_rule_that_never_yields_is_stopped_by_the_time_limit(
    rule: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recurrence, "MAX_SERIES_SECONDS", 0.3)
    took, skipped, _, events = timed_read(calendar(rule))
    assert took < 2.0 and events == 0
    assert skipped == ["left out: the recurrence took more than 0.3 s to expand"]


def test_the_file_as_a_whole_has_a_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recurrence, "MAX_SERIES_SECONDS", 0.2)
    monkeypatch.setattr(recurrence, "MAX_FILE_SECONDS", 0.5)
    spinning = ["FREQ=HOURLY;BYSETPOS=3"] * 10
    took, skipped, _, events = timed_read(calendar(*spinning, "FREQ=WEEKLY"))
    assert took < 3.0 and events == 0
    # Each spinning series had its own 0.2 s until the file's 0.5 s were spent; every
    # series after that, the ordinary weekly one included, is left out at once.
    assert len(skipped) == 11
    assert skipped[0] == "left out: the recurrence took more than 0.2 s to expand"
    assert skipped[-1] == (
        "left out: the file's recurring events took more than 0.5 s to expand, "
        "the limit for one file"
    )


def test_many_listed_dates_are_refused_with_a_count() -> None:
    exdates = "".join(
        f"EXDATE:2026{m:02d}{d:02d}T000000Z\n" for m in range(1, 13) for d in range(1, 29)
    )
    rdates = (
        "RDATE:"
        + ",".join(f"2025{m:02d}{d:02d}T000000Z" for m in range(1, 13) for d in range(1, 29))
        + "\n"
    )
    many = (exdates + rdates) * 4
    took, skipped, _, events = timed_read(
        calendar("FREQ=DAILY", extra=many, start="20260101T000000Z")
    )
    assert took < 5.0 and events == 0
    (reason,) = skipped
    assert "lists 2,688 dates (RDATE, EXDATE)" in reason and "left out" in reason


def test_ordinary_series_are_untouched() -> None:
    took, skipped, warnings, events = timed_read(
        calendar(
            "FREQ=WEEKLY;BYDAY=TU,TH",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "FREQ=DAILY;COUNT=10",
            start="20251201T180000Z",
        )
    )
    assert skipped == [] and warnings == []
    # Tuesdays and Thursdays from 1 Dec 2025 to 30 Nov 2027 (208), last Fridays (24), ten
    # days; DTSTART (a Monday) is an occurrence of the first two as well (RFC 5545).
    assert events == (208 + 1) + (24 + 1) + 10
    assert took < 5.0


def test_a_weekly_meeting_since_1990_still_comes_in() -> None:
    _, skipped, _, events = timed_read(calendar("FREQ=WEEKLY", start="19900102T090000Z"))
    assert skipped == [] and events == 105


def test_time_limit_interrupts_a_loop_that_never_yields() -> None:
    started = time.monotonic()
    with pytest.raises(ExpansionTooSlow), time_limit(0.2):
        while True:
            pass
    assert time.monotonic() - started < 2.0


def test_time_limit_never_fires_after_its_block() -> None:
    with time_limit(0.05):
        pass
    time.sleep(0.2)  # had the timer not been stopped, it would raise here
    assert threading.active_count() >= 1


def test_the_issue_repro_as_a_whole_command(tmp_path: Path) -> None:
    """`netbalance import ics` on the reported file: seconds and a small, OS-measured peak."""
    bomb = tmp_path / "bomb.ics"
    bomb.write_text(calendar("FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY;COUNT=999999999"))
    script = (
        "import resource, sys\n"
        "from netbalance.cli import main\n"
        f"code = main(['--db', {str(tmp_path / 'db.json')!r}, 'import', 'ics', {str(bomb)!r}])\n"
        "use = resource.getrusage(resource.RUSAGE_SELF)\n"
        "cpu = use.ru_utime + use.ru_stime\n"
        # VmHWM is this process's own peak: ru_maxrss keeps the peak of the process that
        # exec'd it (on Linux the forking pytest worker's, hundreds of MB late in a run).
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print('cpu-s', cpu, 'maxrss-kib', hwm, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    # CPU seconds, interpreter start included (wall time depends on the machine's load);
    # the old import ran past 300 s.
    assert float(proc.stderr.split("cpu-s ")[1].split()[0]) < 5.0
    peak_mib = int(proc.stderr.split("maxrss-kib ")[1].split()[0]) / 1024
    assert peak_mib < 200  # the old import reached 5.8 GB
    assert proc.stdout.count("occurrences before") == 3
    assert "Nothing to change" in proc.stdout or "Imported: 0 contacts" in proc.stdout


@pytest.mark.parametrize(
    ("start", "until"),
    [
        ("20100104T090000", "20100301T000000Z"),  # floating start, UTC UNTIL
        ("20100104T090000Z", "20100301T000000"),  # UTC start, floating UNTIL
        ("20100104T090000Z", "20100301"),  # a date
    ],
)
def test_an_until_in_the_other_form_still_ends_the_walk(start: str, until: str) -> None:
    # An hourly series that ended in 2010 is ~1,300 steps, not 150,000 to the window:
    # it is not left out, it simply has no occurrence now.
    text = calendar(f"FREQ=HOURLY;UNTIL={until}", start=start)
    took, skipped, _, events = timed_read(text)
    assert events == 0 and took < 2.0
    assert skipped == ["a recurring event with no occurrence between 2025-11-30 and 2027-11-30"]

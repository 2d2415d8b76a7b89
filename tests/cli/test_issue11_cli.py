"""Issue 11 on the command line: honest dates, today's list and a gauge that cannot be gamed.

Each test names the item of the issue it covers; each failed before the change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from netbalance.cli import main
from netbalance.domain import Circle, Contact, Event, EventStatus, Interaction
from netbalance.store import Store

NOW = pendulum.datetime(2026, 12, 2, 10, 0, tz="Europe/Paris")  # a Wednesday


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Paris")
    with pendulum.travel_to(NOW, freeze=True):
        yield


def cli(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def interactions(db: Path) -> list[Interaction]:
    with Store.open(db) as store:
        return [i for items in store.interactions_by_contact().values() for i in items]


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "db.json"
    assert cli(path, "add", "Ana Silva", "--circle", "close", capsys=capsys)[0] == 0
    return path


# --- item 4: dates that cannot be true ------------------------------------------------------


def test_log_in_three_days_is_refused_not_stored_in_the_past(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = db.read_bytes()
    code, out, err = cli(db, "log", "Ana", "--when", "in 3 days", capsys=capsys)
    assert code == 1 and out == ""
    assert "when:" in err and "in the future" in err
    assert db.read_bytes() == before
    assert interactions(db) == []


def test_log_yesterday_at_three_is_read_and_stored_then(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(db, "log", "Ana", "--when", "yesterday 15:00", capsys=capsys)
    assert code == 0, err
    (logged,) = interactions(db)
    assert logged.at == pendulum.datetime(2026, 12, 1, 15, 0, tz="Europe/Paris")


def test_a_next_step_in_the_past_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(
        db, "log", "Ana", "--next-step", "call", "--next-step-on", "yesterday", capsys=capsys
    )
    assert code == 1 and "next step:" in err and "in the past" in err
    assert interactions(db) == []
    code, _, err = cli(
        db, "log", "Ana", "--next-step", "call", "--next-step-on", "friday", capsys=capsys
    )
    assert code == 0, err
    (logged,) = interactions(db)
    assert logged.next_step_on == pendulum.date(2026, 12, 4)


def test_an_event_ahead_cannot_be_attended_or_missed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(db, "event", "add", "Hack night", "--when", "in 4 days 19:00", capsys=capsys)
    assert code == 0, err
    for status in ("attended", "missed"):
        code, out, err = cli(db, "event", "status", "Hack night", status, capsys=capsys)
        assert code == 1 and out == ""
        assert "has not started yet" in err and "Sun 6 Dec 2026 19:00" in err
    with Store.open(db) as store:
        (event,) = store.events()
    assert event.status is EventStatus.CONSIDERING
    code, _, err = cli(db, "event", "status", "Hack night", "going", capsys=capsys)
    assert code == 0, err


def test_events_from_and_to_read_a_duration_the_same_way(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(db) as store:
        for days in (-10, 5, 12, 20):
            store.add_event(Event(f"In {days} days", NOW.add(days=days).in_tz("UTC")))

    def titles(*args: str) -> list[str]:
        code, out, err = cli(db, "events", *args, "--json", capsys=capsys)
        assert code == 0, err
        return [e["title"] for e in json.loads(out)]

    # "2w" means in two weeks for both ends; the past is said: "2w ago" or "-2w".
    assert titles("--from", "1w", "--to", "2w") == ["In 12 days"]
    assert titles("--from", "2w ago", "--to", "1w") == ["In -10 days", "In 5 days"]
    assert titles("--from=-2w", "--to", "today") == ["In -10 days"]
    assert titles("--from", "2w") == ["In 20 days"]


def test_a_day_that_is_not_on_the_calendar_says_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(db, "goal", "add", "Speak", "--target", "2027-02-31", capsys=capsys)
    assert code == 1 and "is not a real date: February 2027 has 28 days" in err


# --- item 6 and "today": a few a day, the backlog beside them ----------------------------


@pytest.fixture
def backlog(tmp_path: Path) -> Path:
    """Twelve close contacts overdue by 1..12 days, one of them snoozed."""
    path = tmp_path / "backlog.json"
    created = NOW.subtract(days=200)
    with Store.open(path) as store:
        for k in range(1, 13):
            c = store.add_contact(Contact(f"Close {k:02d}", circle=Circle.CLOSE), created)
            # 30-day cadence: last touched 30 + k days ago, so k days late.
            store.log_interaction(Interaction((c.id,), NOW.subtract(days=30 + k)), NOW)
        store.snooze(1, NOW.add(days=3))  # Close 01, the least late
    return path


def test_due_shows_todays_few_and_says_the_backlog(
    backlog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(backlog, "due", capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Today (Wed 02 Dec)"
    listed = [line.split()[1:3] for line in lines[1:6]]
    assert listed == [
        ["Close", "12"],
        ["Close", "11"],
        ["Close", "10"],
        ["Close", "09"],
        ["Close", "08"],
    ]
    assert lines[6] == (
        "5 for today of 11 due; the other 6 roll over to the next days. "
        "Backlog: 12 people are past the care their circle asks, 12 of them close ties; "
        "1 snoozed (a snooze moves the reminder, not the follow-up)."
    )
    code, out, _ = cli(backlog, "due", "--json", capsys=capsys)
    data = json.loads(out)
    assert data["date"] == "2026-12-02"
    assert data["today"] == {
        "limit": 5,
        "today": 5,
        "done_today": 0,
        "due": 11,
        "rolling_over": 6,
        "overdue": 12,
        "overdue_close": 12,
        "snoozed": 1,
        "line": lines[6],
    }
    assert [row["name"] for row in data["items"]] == [f"Close {k:02d}" for k in (12, 11, 10, 9, 8)]
    row = data["items"][0]
    assert row["overdue_days"] == 12 and row["kept"] is False and row["urgency"] == "overdue"
    assert row["care_due"] == "2026-11-20" and row["care_overdue_days"] == 12


def test_due_all_and_within_keep_working(backlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = cli(backlog, "due", "--all", "--json", capsys=capsys)
    assert len(json.loads(out)["items"]) == 11  # the snoozed one is not reminded today
    _code, out, _ = cli(backlog, "due", "--within", "3", "--json", capsys=capsys)
    assert len(json.loads(out)["items"]) == 12
    _code, out, _ = cli(backlog, "due", "--all", "--limit", "2", "--json", capsys=capsys)
    assert [r["name"] for r in json.loads(out)["items"]] == ["Close 12", "Close 11"]


def test_follow_ups_done_today_take_todays_places(
    backlog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for k in (12, 11, 10):
        assert cli(backlog, "log", f"Close {k}", capsys=capsys)[0] == 0
    _code, out, _ = cli(backlog, "due", "--json", capsys=capsys)
    today = json.loads(out)["today"]
    assert (today["done_today"], today["today"], today["due"]) == (3, 2, 8)
    for k in (9, 8):
        cli(backlog, "log", f"Close {k:02d}", capsys=capsys)
    _code, out, _ = cli(backlog, "due", capsys=capsys)
    assert "That's today's 5 follow-ups done; 6 more roll over to the next days." in out


# --- item 1: a snooze moves a reminder, never the gauge -----------------------------------


def test_snoozing_every_overdue_contact_leaves_the_gauge_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's reproduction: demo database, small, seed 3; snooze everyone overdue 3 days."""
    db = tmp_path / "demo.json"
    assert cli(db, "demo", "--size", "small", "--seed", "3", capsys=capsys)[0] == 0
    _code, out, _ = cli(db, "gauge", "--json", capsys=capsys)
    before = json.loads(out)
    _code, out, _ = cli(db, "due", "--all", "--json", capsys=capsys)
    overdue = [row["id"] for row in json.loads(out)["items"] if row["overdue_days"] > 0]
    assert len(overdue) > 10
    for cid in overdue:
        assert cli(db, "snooze", str(cid), "3d", capsys=capsys)[0] == 0
    _code, out, _ = cli(db, "gauge", "--json", capsys=capsys)
    after = json.loads(out)
    assert after["balance"] == before["balance"] and after["zone"] == before["zone"]
    assert after["components"] == before["components"]
    backlog_before, backlog_after = (
        next(s for s in g["signals"] if s["key"] == "backlog") for g in (before, after)
    )
    assert backlog_after["active"] == backlog_before["active"] is True
    assert backlog_after["figures"]["overdue"] == backlog_before["figures"]["overdue"]
    assert backlog_after["figures"]["snoozed"] == len(overdue)
    # Nobody was contacted: the reminders moved, and the backlog says so.
    _code, out, _ = cli(db, "due", "--json", capsys=capsys)
    assert json.loads(out)["today"]["snoozed"] == len(overdue)


# --- item 2: never "deepening" beside a backlog -------------------------------------------


def test_the_zone_is_not_deepening_while_close_ties_wait(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    created = NOW.subtract(days=400)
    with Store.open(db) as store:
        # Ten inner and close friends kept beautifully, two close ones waiting.
        for k in range(12):
            circle = Circle.INNER if k < 4 else Circle.CLOSE
            c = store.add_contact(Contact(f"Friend {k}", circle=circle), created)
            late = 45 if k >= 10 else 2
            for week in range(30):
                at = NOW.subtract(days=late + 7 * week)
                store.log_interaction(Interaction((c.id,), at, depth=3, minutes=60), NOW)
    _code, out, _ = cli(db, "gauge", "--json", capsys=capsys)
    gauge = json.loads(out)
    assert gauge["balance"] > 0.2  # the numbers alone would say "deepening"
    assert gauge["zone"] == "balanced" and gauge["held_by"] == ["backlog"]
    assert gauge["explanation"].startswith(
        "Balanced: deepening your inner circles, but 2 close ties are waiting."
    )
    _code, out, _ = cli(db, "review", "--json", capsys=capsys)
    review = json.loads(out)
    assert review["gauge"]["zone"] == "balanced"
    assert [p["name"] for p in review["prompts"]["reconnect"]] == ["Friend 10", "Friend 11"]
    _code, out, _ = cli(db, "review", capsys=capsys)
    assert "balanced" in out and "but 2 close ties are waiting." in out


def test_add_takes_a_closeness_rating_and_gauge_shows_where_it_disagrees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    code, out, _ = cli(db, "add", "Bo", "--closeness", "7", "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["closeness"] == 7
    code, _, err = cli(db, "add", "Cy", "--closeness", "9", capsys=capsys)
    assert code == 1 and "closeness: must be 1 to 7" in err
    code, out, _ = cli(db, "gauge", "--json", capsys=capsys)
    (gap,) = json.loads(out)["closeness"]["gaps"]
    assert gap["name"] == "Bo" and gap["closeness"] == 7 and gap["strength"] == 0
    assert gap["points"] == 100
    code, out, _ = cli(db, "gauge", capsys=capsys)
    assert "Bo feels close (7 of 7), but the log shows a lighter tie (0)" in out
    with Store.open(db) as store:
        assert store.contacts()[0].closeness == 7


def test_remind_names_todays_few_not_the_whole_backlog(
    backlog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(backlog, "remind", capsys=capsys)
    assert code == 0
    assert out.splitlines()[0] == (
        "Follow up with Close 12, Close 11, Close 10 and 2 more (5 for today of 11 due)"
    )
    _code, out, _ = cli(backlog, "remind", "--json", capsys=capsys)
    shown = json.loads(out)
    assert len(shown["due"]) == 5 and shown["today"]["rolling_over"] == 6

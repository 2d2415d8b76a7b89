"""The planning commands: events, event add/status, goals, review; asserted on stored data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pendulum
import pytest

from netbalance.cli import main
from netbalance.domain import Contact, Event, EventStatus, Goal, GoalKind, Interaction
from netbalance.store import Store

# A Sunday evening in Lisbon: the week is 23–29 Nov 2026.
NOW = pendulum.datetime(2026, 11, 29, 20, 0, tz="Europe/Lisbon")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with pendulum.travel_to(NOW, freeze=True):
        yield


def cli(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two goals (one retired), three events, two contacts with history."""
    path = tmp_path / "db.json"
    with Store.open(path) as store:
        career = store.add_goal(Goal("Product leadership", kind=GoalKind.CAREER), NOW)
        store.add_goal(Goal("Public speaking", active=False), NOW)
        store.add_event(
            Event("PyData meetup", NOW.add(days=3).in_tz("UTC"), hours=3.0, goal_ids=(career.id,))
        )
        store.add_event(Event("PyData meetup", NOW.add(days=17).in_tz("UTC"), hours=3.0))
        store.add_event(
            Event("Founders dinner", NOW.subtract(days=20).in_tz("UTC"), hours=4.0,
                  status=EventStatus.ATTENDED)
        )  # fmt: skip
        ana = store.add_contact(Contact("Ana Silva"), NOW.subtract(days=200))
        ben = store.add_contact(Contact("Ben Okafor"), NOW.subtract(days=2))
        store.log_interaction(Interaction((ana.id,), NOW.subtract(days=1), depth=3), NOW)
        store.log_interaction(Interaction((ana.id, ben.id), NOW.subtract(days=2)), NOW)
    return path


def stored_events(db: Path) -> list[Event]:
    with Store.open(db) as store:
        return store.events()


def test_event_add_stores_what_was_asked(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["event", "add", "Climate breakfast", "--when", "next friday", "--end", "2h",
            "--hours", "2.5", "--goal", "product", "--place", "Lisbon",
            "--tag", "Climate", "--tag", "breakfast", "--json"]  # fmt: skip
    code, out, _ = cli(db, *args, capsys=capsys)
    assert code == 0
    shown = json.loads(out)
    added = next(e for e in stored_events(db) if e.id == shown["id"])
    assert added.title == "Climate breakfast"
    assert added.start.astimezone(NOW.tzinfo).date() == date(2026, 12, 4)
    assert added.end is not None and added.end - added.start == timedelta(hours=2)
    assert added.hours == 2.5 and added.place == "Lisbon"
    assert added.tags == ("climate", "breakfast")
    assert added.goal_ids == (1,) and added.status is EventStatus.CONSIDERING
    assert shown["goals"] == [{"id": 1, "title": "Product leadership"}]
    assert shown["status"] == "considering" and shown["hours"] == 2.5


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--when", "someday"), "when"),
        (("--when", "tomorrow", "--hours", "lots"), "hours"),
        (("--when", "tomorrow", "--hours", "500"), "hours"),
        (("--when", "tomorrow", "--end", "yesterday"), "end"),
        (("--when", "tomorrow", "--end", "soonish"), "end"),
        (("--when", "tomorrow", "--goal", "astronaut"), "goal"),
    ],
)
def test_event_add_bad_input_names_the_field_and_writes_nothing(
    db: Path, args: tuple[str, ...], field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = stored_events(db)
    code, out, err = cli(db, "event", "add", "Thing", *args, capsys=capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"netbalance: {field}:")
    assert stored_events(db) == before


def test_events_filters_by_days_and_status(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(db, "events", "--json", capsys=capsys)
    assert code == 0 and [e["title"] for e in json.loads(out)] == [
        "Founders dinner", "PyData meetup", "PyData meetup",
    ]  # fmt: skip
    code, out, _ = cli(db, "events", "--from", "today", "--to", "1w", "--json", capsys=capsys)
    (row,) = json.loads(out)
    assert row["title"] == "PyData meetup" and row["start"].startswith("2026-12-02")
    assert row["triage"]["recommendation"] in ("go", "consider", "skip")
    code, out, _ = cli(db, "events", "--status", "attended", "--json", capsys=capsys)
    assert [e["status"] for e in json.loads(out)] == ["attended"]
    assert json.loads(out)[0]["triage"] is None
    # The status words are the domain's one set, aliases included ("maybe" is considering).
    code, out, _ = cli(db, "events", "--status", "maybe", "--json", capsys=capsys)
    assert code == 0 and {e["status"] for e in json.loads(out)} == {"considering"}
    code, _, err = cli(db, "events", "--status", "someday", capsys=capsys)
    assert code == 1 and "status" in err
    code, _, err = cli(db, "events", "--from", "2026-12-10", "--to", "2026-12-01", capsys=capsys)
    assert code == 1 and err.startswith("netbalance: to:")


def test_event_status_ambiguous_title_lists_candidates(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(db) as store:
        store.add_event(Event("PyData Berlin", NOW.add(days=9).in_tz("UTC")))
    code, out, err = cli(db, "event", "status", "pydata", "going", capsys=capsys)
    assert code == 1 and out == ""
    assert "matches 3 events by whole words" in err
    assert "     1  " in err and "     2  " in err and "     4  " in err
    assert all(e.status is EventStatus.CONSIDERING for e in stored_events(db) if e.id != 3)


def test_a_title_shared_by_a_series_means_the_occurrence_meant(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The README's `event status "PyData" going`: two PyData meetups (in 3 and 17 days).
    code, out, err = cli(db, "event", "status", "PyData", "going", capsys=capsys)
    assert code == 0, err
    assert "PyData meetup (Wed  2 Dec 2026 20:00): going" in out
    statuses = {e.id: e.status for e in stored_events(db)}
    assert statuses[1] is EventStatus.GOING and statuses[2] is EventStatus.CONSIDERING
    # Attended means one that has started: none of this series has.
    code, _, err = cli(db, "event", "status", "PyData", "went", capsys=capsys)
    assert code == 1 and "no PyData meetup has started yet" in err


def test_event_status_by_id_and_title(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(db, "event", "status", "1", "going", capsys=capsys)
    assert code == 0 and err == ""  # 3 of 5 hours: within budget, nothing to say
    code, _, _ = cli(db, "event", "status", "founders dinner", "missed", capsys=capsys)
    assert code == 0
    statuses = {e.id: e.status for e in stored_events(db)}
    assert statuses[1] is EventStatus.GOING and statuses[3] is EventStatus.MISSED
    # Every status word can be set, back to considering too, by its word or an alias.
    code, _, err = cli(db, "event", "status", "1", "maybe", capsys=capsys)
    assert code == 0 and next(e for e in stored_events(db) if e.id == 1).status is (
        EventStatus.CONSIDERING
    )
    code, _, err = cli(db, "event", "status", "1", "perhaps", capsys=capsys)
    assert code == 1 and err.startswith("netbalance: status:")
    assert "maybe (considering)" in err and "went (attended)" in err


def test_going_over_budget_says_so_and_still_changes(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 3 h already going on Wed 2 Dec; another 3 h that week passes the 5 h budget.
    cli(db, "event", "status", "1", "going", capsys=capsys)
    cli(db, "event", "add", "Hack night", "--when", "2026-12-03T19:00", "--hours", "3",
        capsys=capsys)  # fmt: skip
    new_id = max(e.id for e in stored_events(db))
    code, out, err = cli(db, "event", "status", str(new_id), "going", "--json", capsys=capsys)
    assert code == 0
    assert "Over your budget: 6 of 5 hours the week of 30 Nov" in err
    assert json.loads(out)["budget"]["week_over"] is True
    assert next(e for e in stored_events(db) if e.id == new_id).status is EventStatus.GOING


def test_goals_add_list_retire(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(db, "goal", "add", "Learn Rust", "--kind", "learning", "--target",
                       "2027-06-30", "--json", capsys=capsys)  # fmt: skip
    assert code == 0
    shown = json.loads(out)
    assert shown["kind"] == "learning" and shown["target_date"] == "2027-06-30"
    with Store.open(db) as store:
        goal = store.goal(shown["id"])
        assert goal.title == "Learn Rust" and goal.active and goal.target_date == date(2027, 6, 30)
    code, out, _ = cli(db, "goal", "list", "--json", capsys=capsys)
    rows = json.loads(out)
    assert [g["title"] for g in rows] == ["Product leadership", "Learn Rust"]
    assert rows[0]["events"] == 1
    code, out, _ = cli(db, "goal", "list", "--all", "--json", capsys=capsys)
    assert len(json.loads(out)) == 3
    code, out, _ = cli(db, "goal", "retire", "rust", capsys=capsys)
    assert code == 0 and "Retired Learn Rust" in out
    with Store.open(db) as store:
        assert not store.goal(shown["id"]).active
    code, out, _ = cli(db, "goal", "retire", "rust", capsys=capsys)
    assert code == 0 and "already retired" in out


def test_goal_bad_input(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args, field in [
        (("add", "X", "--kind", "hobby"), "kind"),
        (("add", "X", "--target", "whenever"), "target"),
        (("add", "   "), "title"),
        (("retire", "nothing like it"), "goal"),
    ]:
        code, _, err = cli(db, "goal", *args, capsys=capsys)
        assert code == 1 and err.startswith(f"netbalance: {field}:"), (args, err)
    with Store.open(db) as store:
        assert len(store.goals()) == 2


def test_review_json_and_snapshot(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(db, "review", "--json", capsys=capsys)
    assert code == 0
    review = json.loads(out)
    assert (review["week_start"], review["week_end"]) == ("2026-11-23", "2026-11-29")
    assert review["current"] is True
    assert review["interactions"] == 2
    assert [p["name"] for p in review["people"]] == ["Ana Silva", "Ben Okafor"]
    assert [c["name"] for c in review["new_contacts"]] == ["Ben Okafor"]
    assert review["budget"]["weekly_hours"] == 5.0 and review["budget"]["month"] == "2026-11"
    assert review["budget"]["month_events"] == 1  # the attended dinner of 9 Nov
    assert len(review["trend"]) >= 1 and review["trend"][-1]["source"] == "live"
    assert [r["title"] for r in review["returns"]] == ["Founders dinner"]
    assert "Ana Silva" in review["prompts"]["paid_off"][-1]
    # Reviewing the current week keeps its snapshot for the trend.
    with Store.open(db) as store:
        (snap,) = store.snapshots()
        assert snap.week_start == date(2026, 11, 23) and snap.interactions == 2
        assert snap.zone == review["gauge"]["zone"]


def test_review_note_is_saved_per_week(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = cli(
        db, "review", "--week", "2026-11-12", "--note", "Too many dinners", capsys=capsys
    )
    assert code == 0
    code, _, _ = cli(db, "review", "--note", "Coffee with Ana paid off", capsys=capsys)
    code, out, _ = cli(db, "review", capsys=capsys)  # no --note: the note survives
    assert "Coffee with Ana paid off" in out
    with Store.open(db) as store:
        notes = {s.week_start: s.note for s in store.snapshots()}
    assert notes == {
        date(2026, 11, 9): "Too many dinners",
        date(2026, 11, 23): "Coffee with Ana paid off",
    }
    code, out, _ = cli(db, "review", "--week", "last week", "--json", capsys=capsys)
    assert json.loads(out)["week_start"] == "2026-11-16"


def test_review_refuses_a_future_week(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(db, "review", "--week", "2026-12-10", capsys=capsys)
    assert code == 1 and err.startswith("netbalance: week:")
    code, _, err = cli(db, "review", "--week", "when pigs fly", capsys=capsys)
    assert code == 1 and err.startswith("netbalance: week:")
    with Store.open(db) as store:
        assert store.snapshots() == []


def test_review_on_an_empty_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(tmp_path / "empty.json", "review", capsys=capsys)
    assert code == 0
    assert "Interactions  0 with 0 people" in out and "Follow-ups    0 of 0 due done" in out


def test_event_add_reads_a_day_with_a_time_and_an_end(tmp_path: Path) -> None:
    from netbalance.cli import main
    from netbalance.store import Store

    db = tmp_path / "db.json"
    assert main(["--db", str(db), "event", "add", "Meetup", "--when", "2030-03-07 18:30",
                 "--end", "21:00"]) == 0  # fmt: skip
    with Store.open(db) as store:
        (event,) = store.events()
        assert (event.end - event.start).total_seconds() == 2.5 * 3600

"""A netbalance JSON export restores into an empty database exactly, and merges into a full one.

Exactly means the same stored documents under the same ids: goals, events met at,
interactions at events, weekly notes and settings all come back linked as they were.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netbalance.cli import main
from netbalance.demo import write_demo
from netbalance.domain import (
    Circle,
    Contact,
    DomainError,
    Event,
    Goal,
    GoalKind,
    Interaction,
    InteractionKind,
    Settings,
    WeeklySnapshot,
)
from netbalance.interop import apply_import, preview_import
from netbalance.interop.json_backup import export_json
from netbalance.store import Store

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _tables(store: Store) -> dict[str, dict[str, Any]]:
    """The stored documents, empty tables left out (an untouched table may not exist)."""
    return {
        name: {key: dict(doc) for key, doc in docs.items()}
        for name, docs in store.raw_tables().items()
        if docs
    }


def _populate(store: Store) -> None:
    """The demo network plus what the demo lacks: links to events, namesakes, notes, settings."""
    write_demo(store, "small", 7, NOW)
    event = store.add_event(Event("Rust meetup", NOW - timedelta(days=3), place="Berlin"))
    met = store.add_contact(Contact("Mira Event", met_at_event_id=event.id), NOW)
    store.log_interaction(
        Interaction(
            (met.id,), NOW - timedelta(days=3), InteractionKind.EVENT_CHAT, event_id=event.id
        ),
        NOW,
    )
    store.update_event(event.edit(met_contact_ids=(met.id,)))
    store.add_contact(Contact("Sam Taylor", company="Acme"), NOW)
    store.add_contact(Contact("Sam Taylor", company="Globex"), NOW)
    store.add_contact(Contact("Old Friend", archived=True), NOW)
    store.put_snapshot(
        WeeklySnapshot(date(2026, 1, 5), interactions=4, note="Good week; called Ann")
    )
    store.put_snapshot(WeeklySnapshot(date(2026, 1, 12), balance=0.4, figures={"gauge": 0.25}))
    store.save_settings(Settings(weekly_hours=7.5, events_per_month=2))


def _export(store: Store, path: Path) -> Path:
    path.write_bytes(
        export_json(
            contacts=store.contacts(include_archived=True),
            interactions=store.all_interactions(),
            events=store.events(),
            goals=store.goals(),
            now=NOW,
            snapshots=store.snapshots(),
            settings=store.settings(),
        )
    )
    return path


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A populated database file and its JSON export (made through the CLI)."""
    folder = tmp_path_factory.mktemp("source")
    db = folder / "source.json"
    with Store.open(db) as store:
        _populate(store)
    backup = folder / "backup.json"
    assert main(["--db", str(db), "export", "json", "-o", str(backup)]) == 0
    return db, backup


def test_restore_into_an_empty_database_gives_the_same_data(
    source: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, backup = source
    target_db = tmp_path / "restored.json"
    capsys.readouterr()
    assert main(["--db", str(target_db), "import", "json", str(backup)]) == 0
    out = capsys.readouterr().out
    with Store.open(db) as original, Store.open(target_db) as restored:
        n = len(original.contacts(include_archived=True))
        assert f"full restore: {n} contacts, {original.interaction_count()} interactions" in out
        assert "2 weekly notes, settings" in out and "Restored:" in out
        assert _tables(restored) == _tables(original)
        # The same domain objects under the same ids, links included.
        assert restored.contacts(include_archived=True) == original.contacts(include_archived=True)
        assert restored.all_interactions() == original.all_interactions()
        assert restored.events() == original.events()
        assert restored.goals() == original.goals()
        assert restored.snapshots() == original.snapshots()
        assert restored.snapshots()[0].note == "Good week; called Ann"
        assert restored.settings() == original.settings()
        assert restored.last_interactions() == original.last_interactions()
        assert restored.next_steps() == original.next_steps()
        # Namesakes stay two people; links to events and goals survive.
        sams = [c for c in restored.contacts() if c.name == "Sam Taylor"]
        assert sorted(c.company for c in sams) == ["Acme", "Globex"]
        mira = next(c for c in restored.contacts() if c.name == "Mira Event")
        event = restored.event(mira.met_at_event_id or 0)
        assert event.title == "Rust meetup" and event.met_contact_ids == (mira.id,)
        assert restored.interactions_of(mira.id)[-1].event_id == event.id
        assert any(c.goal_ids for c in restored.contacts())


def test_second_import_of_the_same_file_changes_nothing(
    source: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, backup = source
    target_db = tmp_path / "restored.json"
    assert main(["--db", str(target_db), "import", "json", str(backup)]) == 0
    with Store.open(target_db) as restored:
        before = _tables(restored)
        plan = preview_import("json", backup, restored, NOW)
        assert plan.restore is None  # the database holds data now: a merge
        assert not plan.changes_anything, [e for e in plan.entries if e.outcome != "unchanged"]
        assert plan.counts()["new"] == plan.counts()["merged"] == 0
    capsys.readouterr()
    assert main(["--db", str(target_db), "import", "json", str(backup)]) == 0
    assert "Nothing to change" in capsys.readouterr().out
    with Store.open(target_db) as restored:
        assert _tables(restored) == before


def test_dry_run_writes_nothing(
    source: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, backup = source
    target_db = tmp_path / "empty.json"
    assert main(["--db", str(target_db), "import", "json", str(backup), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "full restore:" in out and "Dry run: nothing was written." in out
    with Store.open(target_db) as store:
        assert store.is_empty() and not store.snapshots()
        assert store.settings() == Settings()
    assert main(["--db", str(target_db), "import", "json", str(backup), "--dry-run", "--json"]) == 0
    data = orjson.loads(capsys.readouterr().out)
    assert data["restore"]["weekly_notes"] == 2 and data["restore"]["settings"] is True
    assert data["written"] is False


def test_dangling_references_restore_the_rest_and_are_reported(tmp_path: Path) -> None:
    source = Store.in_memory()
    goal = source.add_goal(Goal("Find a mentor", kind=GoalKind.CAREER), NOW)
    ann = source.add_contact(Contact("Ann Lee", goal_ids=(goal.id,)), NOW)
    source.log_interaction(Interaction((ann.id,), NOW - timedelta(days=1)), NOW)
    path = _export(source, tmp_path / "backup.json")
    document = orjson.loads(path.read_bytes())
    stray = dict(document["interactions"][0], id=50, contact_ids=[ann.id, 999])
    document["interactions"].append(stray)
    document["contacts"].append(dict(document["contacts"][0], id=7, name="Bo", goal_ids=[1, 77]))
    document["contacts"].append(dict(document["contacts"][0], id=ann.id, name="Twin"))
    path.write_bytes(orjson.dumps(document))

    target = Store.in_memory()
    plan = preview_import("json", path, target, NOW)
    assert plan.restore is not None
    reasons = {s.location: s.reason for s in plan.skipped}
    assert "#999" in reasons["backup.json interactions[2]"]
    assert "repeats the id" in reasons["backup.json contacts[3]"]
    assert any("contacts[2]" in w and "#77" in w for w in plan.warnings)
    apply_import(target, plan)
    assert {c.id: c.name for c in target.contacts()} == {ann.id: "Ann Lee", 7: "Bo"}
    assert target.contact(7).goal_ids == (goal.id,)
    assert [i.contact_ids for i in target.all_interactions()] == [(ann.id,)]
    assert target.goals() == source.goals()


def test_restore_refuses_links_to_nothing_and_writes_nothing() -> None:
    store = Store.in_memory()
    with pytest.raises(DomainError):
        store.restore(
            contacts=[Contact("Ann", id=1)],
            interactions=[Interaction((1, 2), NOW, id=1)],
        )
    assert store.is_empty()


def test_merge_creates_goals_that_are_missing(tmp_path: Path) -> None:
    source = Store.in_memory()
    mentor = source.add_goal(Goal("Find a mentor"), NOW)
    hire = source.add_goal(Goal("Hire a designer"), NOW)
    source.add_contact(Contact("Ann Lee", goal_ids=(mentor.id, hire.id)), NOW)
    path = _export(source, tmp_path / "backup.json")

    target = Store.in_memory()
    target.add_goal(Goal("Hire a designer"), NOW)
    target.add_contact(Contact("Somebody Else"), NOW)
    plan = preview_import("json", path, target, NOW)
    assert plan.restore is None and [g.title for g in plan.add_goals] == ["Find a mentor"]
    apply_import(target, plan)
    by_title = {g.title: g.id for g in target.goals()}
    assert set(by_title) == {"Hire a designer", "Find a mentor"}
    ann = next(c for c in target.contacts() if c.name == "Ann Lee")
    assert set(ann.goal_ids) == {by_title["Find a mentor"], by_title["Hire a designer"]}
    assert not preview_import("json", path, target, NOW).changes_anything


_name = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?", fullmatch=True)
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(_name, min_size=1, max_size=6),
    goal_titles=st.lists(_name, max_size=3),
    notes=_text,
    circles=st.lists(st.sampled_from(list(Circle)), min_size=6, max_size=6),
    links=st.lists(st.integers(0, 7), min_size=6, max_size=6),
)
def test_generated_stores_round_trip(
    tmp_path: Path,
    names: list[str],
    goal_titles: list[str],
    notes: str,
    circles: list[Circle],
    links: list[int],
) -> None:
    source = Store.in_memory()
    goals = [source.add_goal(Goal(t, notes=notes), NOW) for t in goal_titles]
    for n, name in enumerate(names):
        linked = tuple(g.id for g in goals if links[n] & (1 << (g.id % 3)))
        c = source.add_contact(Contact(name, circle=circles[n], notes=notes, goal_ids=linked), NOW)
        source.log_interaction(Interaction((c.id,), NOW - timedelta(days=n + 1)), NOW)
    source.put_snapshot(WeeklySnapshot(date(2026, 1, 5), note=notes))
    path = _export(source, tmp_path / "generated.json")
    target = Store.in_memory()
    plan = preview_import("json", path, target, NOW)
    assert not plan.skipped and not plan.warnings
    apply_import(target, plan)
    # The source never saved settings (it runs on the defaults); the restore stores them.
    assert _tables(target).pop("settings") and target.settings() == source.settings()
    assert {k: v for k, v in _tables(target).items() if k != "settings"} == _tables(source)
    assert not preview_import("json", path, target, NOW).changes_anything

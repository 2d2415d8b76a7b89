"""Snapshot tests of the events and goals screens through make_app (fixed size, frozen time).

Look at a changed snapshot (`pytest --snapshot-report`) before updating it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from netbalance.app import make_app
from netbalance.domain import Contact
from netbalance.store import Store
from tests.ui.conftest import NOW, until_still

SIZE = (120, 36)


def _keys(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


def _run(*keys: str) -> Any:
    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.app.settle()  # type: ignore[attr-defined]
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.app.settle()  # type: ignore[attr-defined]
            # The events screen fills its table, then its filters post Changed messages
            # that fill it again: let both rounds land before the next key.
            await pilot.pause()
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            # A screen under a modal is drawn as it was when the modal came: let each
            # screen finish (its table measured, its cursor scrolled) before the next key.
            await until_still(pilot)

    return steps


def _one_contact(tmp_path: Path) -> Path:
    """A database with one contact: not empty (no welcome), but no events or goals."""
    path = tmp_path / "one.json"
    with Store.open(path) as store:
        store.add_contact(Contact("Ana Silva"), NOW)
    return path


def test_events_empty(snap_compare: Any, tmp_path: Path) -> None:
    app = make_app(_one_contact(tmp_path), now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run("E"))


def test_events_populated(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run("E"))


def test_events_budget_warning(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run("E", "g"))


def test_event_page(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run("E", "up", "enter"))


def test_event_form_new_with_previews(snap_compare: Any, demo_path: Path) -> None:
    keys = ["E", "n", *_keys("Rust meetup"), "tab", *_keys("next friday 18:30"), "tab", "3", "h"]
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run(*keys))


def test_event_form_with_messages(snap_compare: Any, demo_path: Path) -> None:
    keys = ["E", "n", "tab", *_keys("someday"), "ctrl+s"]
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run(*keys))


def test_who_met_over_capacity(snap_compare: Any, demo_path: Path) -> None:
    keys = ["E", "up", "w", *_keys("ana"), "enter", *_keys("Zed Newman"), "enter"]
    keys += [*_keys("Yara Q")]
    app = make_app(demo_path, now=NOW)
    # Tall enough for the whole dialog: at 36 rows it scrolls to the name field, and where
    # that scroll has got to when the picture is taken varies with the machine's load.
    assert snap_compare(app, terminal_size=(120, 48), run_before=_run(*keys))


def test_goals_empty(snap_compare: Any, tmp_path: Path) -> None:
    app = make_app(_one_contact(tmp_path), now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run("G"))


def test_goals_populated(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run("G"))


def test_goal_page(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run("G", "enter"))


def test_goal_form(snap_compare: Any, demo_path: Path) -> None:
    keys = ["G", "n", *_keys("Find a design job"), "tab", "tab", *_keys("6m")]
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run(*keys))


def test_goal_picker(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=SIZE, run_before=_run("l"))

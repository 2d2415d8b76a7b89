"""Snapshot tests of the weekly review and the settings: populated, empty, error state.

Fixed size, frozen time, seeded demo data. Look at a changed snapshot
(`pytest --snapshot-report`) before updating it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from netbalance.app import make_app
from tests.ui.conftest import NOW, until_still


def _run(*keys: str, values: dict[str, str] | None = None, then: tuple[str, ...] = ()) -> Any:
    async def steps(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        await app.settle()
        await pilot.pause()
        await pilot.press(*keys)
        await app.settle()
        await pilot.pause()
        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor makes snapshots flaky under load
        for selector, value in (values or {}).items():
            app.screen.query_one(selector, Input).value = value
        await pilot.pause()  # let the inputs' Changed messages land before saving
        if then:
            await pilot.press(*then)
            await app.settle()
            await pilot.pause()
        app.clear_notifications()  # toasts would hide what the snapshot is about
        await pilot.pause()
        await until_still(pilot)

    return steps


def test_review_populated(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run("r"))


def test_review_last_week_with_a_note(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    keys = ("r", "n", *"Three coffees, one deep talk.", "ctrl+s", "escape", "r")
    run = _run(*keys, then=("left_square_bracket",))
    assert snap_compare(app, terminal_size=(120, 36), run_before=run)


def test_review_empty_database(snap_compare: Any, tmp_path: Path) -> None:
    app = make_app(tmp_path / "empty.json", now=NOW)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run("escape", "r"))


def test_settings(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run("comma"))


def test_settings_with_errors(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    values = {"#weekly_hours": "100", "#cadence-inner": "0"}
    run = _run("comma", values=values, then=("ctrl+s",))
    assert snap_compare(app, terminal_size=(120, 36), run_before=run)

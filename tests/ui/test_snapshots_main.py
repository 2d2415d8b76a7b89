"""Snapshot tests of the whole app through make_app: fixed size, frozen time, seeded demo data.

Look at a changed snapshot (`pytest --snapshot-report`) before updating it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from netbalance.app import make_app
from tests.ui.conftest import NOW, until_still


def _run(*keys: str) -> Any:
    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.app.settle()  # type: ignore[attr-defined]
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.app.settle()  # type: ignore[attr-defined]
            await pilot.pause()
        await until_still(pilot)

    return steps


def test_main_populated(snap_compare: Any, demo_path: Path) -> None:
    assert snap_compare(make_app(demo_path, now=NOW), terminal_size=(120, 36), run_before=_run())


def test_main_at_80_by_24(snap_compare: Any, demo_path: Path) -> None:
    assert snap_compare(make_app(demo_path, now=NOW), terminal_size=(80, 24), run_before=_run())


def test_main_wide(snap_compare: Any, demo_path: Path) -> None:
    assert snap_compare(make_app(demo_path, now=NOW), terminal_size=(200, 60), run_before=_run())


def test_main_filtered(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run("slash", "k", "i", "m"))


def test_main_due_only_sorted_by_name(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run("o", "S"))


def test_empty_database_welcome(snap_compare: Any, tmp_path: Path) -> None:
    app = make_app(tmp_path / "empty.json", now=NOW)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_run())


def test_damaged_database_error_state(snap_compare: Any, tmp_path: Path, monkeypatch: Any) -> None:
    # A relative path keeps the message (which names the file) the same on every machine.
    monkeypatch.chdir(tmp_path)
    Path("netbalance.json").write_text('{"contacts": {"1": ')
    app = make_app(Path("netbalance.json"), now=NOW)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_run())

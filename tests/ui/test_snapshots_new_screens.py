"""Snapshot tests of the duplicates review, the merge dialog and the network picture.

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
        for key in keys:
            await pilot.press(key)
            await pilot.app.settle()  # type: ignore[attr-defined]
            await pilot.pause()
        await until_still(pilot)

    return steps


def test_duplicates_review(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run("D", "down", "down"))


def test_merge_dialog(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    keys = ("D", "down", "down", "m", "down", "down", "space")
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run(*keys))


def test_network_picture_80x24(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_run("N"))


def test_network_picture_120x36(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run("N", "right", "down"))


def test_network_picture_200x60(snap_compare: Any, demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    assert snap_compare(app, terminal_size=(200, 60), run_before=_run("N"))

"""Snapshot of bulk marking on the main screen (look at it before updating)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netbalance.app import make_app
from tests.ui.conftest import NOW
from tests.ui.test_snapshots_main import _run


def test_main_with_marked_contacts(snap_compare: Any, demo_path: Path) -> None:
    # Rows 1, 2, 4 and 5 marked (space, space, down, shift+down): a ✓ column, the marked
    # style, the cursor on row 5 and "4 marked" in the status line.
    app = make_app(demo_path, now=NOW)
    keys = ("space", "space", "down", "shift+down")
    assert snap_compare(app, terminal_size=(120, 36), run_before=_run(*keys))

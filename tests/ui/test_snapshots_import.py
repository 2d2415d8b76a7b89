"""Snapshot tests of the import screen at 80x24: empty, the kind detected, previewed, and a
file of the wrong kind."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select

from netbalance.store import Store
from netbalance.ui.screens.import_screen import ImportScreen
from tests.ui.conftest import until_still
from tests.ui.test_import_screen import TWO_CARDS

NOW = datetime(2025, 12, 18, 14, 30, tzinfo=UTC)


class Host(App[None]):
    def on_mount(self) -> None:
        self.push_screen(ImportScreen(Store.in_memory(), NOW))


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a temporary folder so the path on screen is the same on every machine."""
    (tmp_path / "friends.vcf").write_text(TWO_CARDS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def type_friends(pilot: Pilot[Any]) -> None:
    """Type the path and wait until the screen has read what kind of file it is."""
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#import-path", Input).value = "friends.vcf"
    screen.query_one("#import-path", Input).focus()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def detected(pilot: Pilot[Any]) -> None:
    await type_friends(pilot)
    await until_still(pilot)


def preview_as(kind: str) -> Any:
    async def run(pilot: Pilot[Any]) -> None:
        await type_friends(pilot)
        # The file says vCard; a kind chosen after that is the user's, and is used.
        pilot.app.screen.query_one("#import-kind", Select).value = kind
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        await until_still(pilot)

    return run


def test_import_screen_empty(snap_compare: Any, in_tmp: Path) -> None:
    assert snap_compare(Host(), terminal_size=(80, 24))


def test_import_screen_detected(snap_compare: Any, in_tmp: Path) -> None:
    assert snap_compare(Host(), terminal_size=(80, 24), run_before=detected)


def test_import_screen_previewed(snap_compare: Any, in_tmp: Path) -> None:
    assert snap_compare(Host(), terminal_size=(80, 24), run_before=preview_as("vcard"))


def test_import_screen_wrong_kind(snap_compare: Any, in_tmp: Path) -> None:
    assert snap_compare(Host(), terminal_size=(80, 24), run_before=preview_as("google"))

"""Pilot tests for the help screen and the database problem screen."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from netbalance.store.errors import StoreDamaged, StoreLocked, StoreNewerVersion
from netbalance.ui.screens.error import StoreErrorScreen
from netbalance.ui.screens.help import HelpScreen, sections_from_bindings

SECTIONS = [
    ("Contacts", [("f", "Followed up now"), ("F", "Log an interaction"), ("s", "Snooze")]),
    ("Everywhere", [("?", "Help"), ("q", "Quit")]),
]


class Host(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "noop", "Weekly review", id="app.review", tooltip="Open the review"),
    ]
    HELP_SECTION = "Everywhere"

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.pushed = screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.pushed, self.results.append)

    def action_noop(self) -> None:
        pass


@pytest.mark.parametrize("key", ["escape", "q", "question_mark"])
async def test_help_lists_every_row_by_section_and_closes(key: str) -> None:
    app = Host(HelpScreen(SECTIONS))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert str(screen.query_one("#help-section-0", Static).render()) == "Contacts"
        rows = str(screen.query_one("#help-rows-0", Static).render()).splitlines()
        assert rows == ["f  Followed up now", "F  Log an interaction", "s  Snooze"]
        assert str(screen.query_one("#help-section-1", Static).render()) == "Everywhere"
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
    assert app.results == [None]


async def test_sections_from_active_bindings() -> None:
    app = Host(Screen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sections = dict(sections_from_bindings(app.screen.active_bindings))
        assert ("ctrl+r", "Weekly review", "app.review") in sections["Everywhere"]


@pytest.mark.parametrize(
    ("error", "title", "advice"),
    [
        (
            StoreDamaged("/d/netbalance.json cannot be read: the file is empty."),
            "The database can't be read",
            "Restore the file from the backup /d/backups/1.json",
        ),
        (
            StoreNewerVersion("written by a newer netbalance (schema 9)"),
            "This database is from a newer netbalance",
            "Upgrade netbalance",
        ),
        (StoreLocked("locked by another process"), "The database is busy", "Close the other"),
    ],
)
async def test_store_error_says_what_and_what_to_do(
    error: Exception, title: str, advice: str
) -> None:
    app = Host(StoreErrorScreen(error, backup="/d/backups/1.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert str(screen.query_one("#store-error-title", Static).render()) == title
        assert str(screen.query_one("#store-error-message", Static).render()) == str(error)
        assert str(screen.query_one("#store-error-advice", Static).render()).startswith(advice)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 3


async def test_store_error_never_shows_a_traceback() -> None:
    try:
        raise OSError(28, "No space left on device")
    except OSError as err:
        error = err
    app = Host(StoreErrorScreen(error))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Traceback" not in shown
        assert "No space left on device" in shown
        assert "netbalance doctor" in shown


async def test_help_shows_each_bindings_id_for_the_keymap() -> None:
    app = Host(Screen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sections = dict(sections_from_bindings(app.screen.active_bindings))
        assert ("ctrl+r", "Weekly review", "app.review") in sections["Everywhere"]
        app.push_screen(HelpScreen([("Everywhere", sections["Everywhere"])]))
        await pilot.pause()
        rows = str(app.screen.query_one("#help-rows-0", Static).render())
        assert "Weekly review" in rows and "app.review" in rows
        assert '[keys] id = "key"' in str(app.screen.query_one(".help-keys", Static).render())

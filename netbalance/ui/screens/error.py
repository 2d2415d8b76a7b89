"""The database problem screen: what went wrong, and what the user can do about it.

Shown instead of the app when the file is damaged, locked, from a newer
version, or could not be written. It never shows a traceback: the user's data
is safe and the screen says how to get going again.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from netbalance.store.errors import (
    StoreDamaged,
    StoreError,
    StoreLocked,
    StoreNewerVersion,
    StoreWriteError,
)

# The exit status of the CLI for a database problem (cli/common.py EXIT_DB).
EXIT_DB = 3


def describe(error: BaseException | str, backup: Path | str | None = None) -> tuple[str, str]:
    """A title and what to do for a database problem."""
    restore = (
        f"Restore the file from the backup {backup}, then start netbalance again."
        if backup
        else "Restore the file from a backup (`netbalance doctor` lists them and checks "
        "the file), then start netbalance again."
    )
    if isinstance(error, StoreDamaged):
        return "The database can't be read", restore
    if isinstance(error, StoreNewerVersion):
        return (
            "This database is from a newer netbalance",
            "Upgrade netbalance (for example `pipx upgrade netbalance`), then start it again. "
            "The file was not changed.",
        )
    if isinstance(error, StoreLocked):
        return (
            "The database is busy",
            "Close the other program using it (another netbalance window or command), "
            "then start netbalance again.",
        )
    if isinstance(error, StoreWriteError):
        return (
            "A change could not be saved",
            "Check there is free disk space and that you may write to the folder, "
            "then start netbalance again. What was saved before is safe.",
        )
    return (
        "A problem with the database",
        "Run `netbalance doctor` to check the file; it says what to do next.",
    )


class StoreErrorScreen(Screen[None]):
    """A database problem in plain words, with what to do; q quits."""

    DEFAULT_CSS = """
    StoreErrorScreen {
        align: center middle;
    }
    StoreErrorScreen #store-error {
        width: 76;
        max-width: 100%;
        height: auto;
        border: thick $error 70%;
        padding: 1 2;
    }
    StoreErrorScreen #store-error > Static {
        margin: 0 0 1 0;
    }
    StoreErrorScreen #store-error-title {
        text-style: bold;
    }
    StoreErrorScreen #store-error-advice {
        text-style: bold;
        color: $text-primary;
    }
    StoreErrorScreen #store-error-keys {
        color: $text-muted;
        margin: 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "q",
            "quit_app",
            "Quit",
            id="store-error.quit",
            tooltip="Close netbalance; the database file is left as it is",
        ),
    ]

    def __init__(
        self,
        error: BaseException | str,
        *,
        title: str | None = None,
        advice: str | None = None,
        backup: Path | str | None = None,
    ) -> None:
        super().__init__()
        default_title, default_advice = describe(error, backup)
        self.error_title = title or default_title
        # The store's messages are written for people; anything else is reduced to its words.
        self.message = str(error) if isinstance(error, StoreError | str) else _plain(error)
        self.advice = advice or default_advice

    def compose(self) -> ComposeResult:
        with Vertical(id="store-error"):
            yield Static(self.error_title, id="store-error-title")
            yield Static(self.message, id="store-error-message", markup=False)
            yield Static(self.advice, id="store-error-advice", markup=False)
            yield Static("q quit", id="store-error-keys")

    def action_quit_app(self) -> None:
        self.app.exit(return_code=EXIT_DB)


def _plain(error: BaseException) -> str:
    text = str(error).strip()
    return text or type(error).__name__

"""The undo history of this run ("Edit: history" in the palette): what `u` would take back,
newest first, and what `U` would do again. Read-only; escape closes it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from netbalance.core import History
from netbalance.domain.text import escape_controls
from netbalance.ui.screens._form import FORM_CSS


def history_text(history: History) -> Content:
    """The steps in words: redo side first (what U does next on top), then the undo side."""
    undo, redo = history.steps()
    parts: list[str | tuple[str, str]] = []
    if redo:
        parts.append(("Can be redone (U, ctrl+y)\n", "bold"))
        for n, step in enumerate(reversed(redo)):
            mark = "U ▸ " if n == len(redo) - 1 else "    "
            parts.append(f"{mark}{escape_controls(step.name)}\n")
        parts.append("\n")
    parts.append(("Can be undone (u, ctrl+z), newest first\n", "bold"))
    if not undo:
        parts.append(("    nothing changed yet in this run\n", "dim"))
    for n, step in enumerate(reversed(undo)):
        mark = "u ▸ " if n == 0 else "    "
        parts.append(f"{mark}{escape_controls(step.name)}\n")
    return Content.assemble(*parts).rstrip()


class HistoryScreen(ModalScreen[None]):
    """This run's steps; the next undo and redo are marked."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    HistoryScreen {
        align: center middle;
    }
    HistoryScreen .form-dialog {
        width: 80;
        max-height: 80%;
    }
    HistoryScreen #history-steps {
        height: auto;
        max-height: 30;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="history.close", tooltip="Close the history"),
    ]

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = "Undo history of this run"
            with VerticalScroll(id="history-steps"):
                yield Static(history_text(self.history), id="history-body")
            yield Static("esc close", classes="form-keys")

    def action_close(self) -> None:
        self.dismiss(None)

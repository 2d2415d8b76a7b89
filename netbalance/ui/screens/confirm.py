"""A yes/no question with the numbers behind it: `y` goes ahead, `n` or escape does not."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from netbalance.ui.safe_text import plain
from netbalance.ui.screens._form import FORM_CSS


class ConfirmDialog(ModalScreen[bool]):
    """Ask before a change the user may regret; dismisses True only on `y`."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog .form-dialog {
        width: 72;
        border: thick $warning 70%;
    }
    ConfirmDialog #confirm-body {
        padding: 1 0 0 0;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("n", "answer(False)", "No", id="confirm.no", tooltip="Leave things as they are"),
        Binding(
            "escape", "answer(False)", "No", id="confirm.cancel", tooltip="Leave things as they are"
        ),
    ]

    def __init__(self, title: str, body: str, yes: str = "go ahead", no: str = "leave it") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = plain(self.title_text)
            yield Static(plain(self.body), id="confirm-body")
            yield Static(f"y {self.yes} · n or esc {self.no}", classes="form-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

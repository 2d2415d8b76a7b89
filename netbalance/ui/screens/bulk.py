"""The small dialogs of bulk work on marked contacts: which circle, which tag.

Each returns the choice (or None when cancelled); the caller hands it to the core.
"""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from netbalance.domain import Circle
from netbalance.ui.screens._form import FORM_CSS


class CirclePicker(ModalScreen[Circle | None]):
    """Pick the circle to move contacts to."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    CirclePicker { align: center middle; }
    CirclePicker .form-dialog { width: 56; }
    CirclePicker #circle-choices { height: auto; margin: 1 0 0 0; }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="circle-picker.cancel", tooltip="Move nobody"),
    ]

    def __init__(self, who: str) -> None:
        super().__init__()
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = escape(f"Move {self.who} to a circle")
            yield OptionList(
                *(Option(c.label, id=c.value) for c in Circle), id="circle-choices", compact=True
            )
            yield Static("enter moves · esc cancel", classes="form-keys")

    def on_mount(self) -> None:
        self.query_one("#circle-choices", OptionList).focus()

    @on(OptionList.OptionSelected, "#circle-choices")
    def choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(Circle(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TagDialog(ModalScreen[str | None]):
    """Type the tag to add to (or take off) contacts."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    TagDialog { align: center middle; }
    TagDialog .form-dialog { width: 56; }
    TagDialog Input { margin: 1 0 0 0; }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tag-dialog.cancel", tooltip="Tag nobody"),
    ]

    def __init__(self, title: str, suggestions: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = escape(self.title_text)
            yield Input(placeholder="tag", id="tag", compact=True)
            if self.suggestions:
                yield Static(
                    escape("in use: " + ", ".join(self.suggestions[:8])), classes="form-hint"
                )
            yield Static("enter applies · esc cancel", classes="form-keys")

    def on_mount(self) -> None:
        self.query_one("#tag", Input).focus()

    @on(Input.Submitted, "#tag")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        tag = event.value.strip()
        if tag:
            self.dismiss(tag)

    def action_cancel(self) -> None:
        self.dismiss(None)

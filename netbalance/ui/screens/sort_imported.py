"""After an import: offer to sort the new people into circles before any becomes due.

Most people from a list stay acquaintances (no cadence, never due); the few the
log shows the user in touch with are suggested for the wider circle, ticked
already (`sort_after_import`); the words are `sorting_message`, as the command
line prints them. The dialog returns the ids ticked for the wider circle, or None
to leave everyone an acquaintance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from netbalance.domain.circles import Circle
from netbalance.domain.sorting import CircleSuggestion, sorting_message
from netbalance.domain.text import escape_controls
from netbalance.ui.screens._form import FORM_CSS


class SortImportedDialog(ModalScreen[frozenset[int] | None]):
    """Tick the imported people to keep in the wider circle; the rest stay acquaintances."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    SortImportedDialog {
        align: center middle;
    }
    SortImportedDialog #sort-message {
        padding: 1 0;
    }
    SortImportedDialog #sort-people {
        height: auto;
        max-height: 16;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Sort",
            id="sort-imported.save",
            tooltip="The ticked people go to the wider circle; the rest stay acquaintances",
            priority=True,
        ),
        Binding(
            "escape",
            "cancel",
            "Leave as acquaintances",
            id="sort-imported.cancel",
            tooltip="Leave everyone imported an acquaintance (no cadence, never due)",
        ),
    ]

    def __init__(self, count: int, suggestions: Sequence[CircleSuggestion]) -> None:
        super().__init__()
        self.count = count
        self.suggestions = list(suggestions)

    @property
    def message(self) -> str:
        return sorting_message(self.count, self.suggestions)

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = "Sort the people you imported"
            yield Static(self.message, id="sort-message", markup=False)
            yield SelectionList[int](
                *(
                    Selection(
                        # Names are user text: plain content, never markup.
                        Content(f"{escape_controls(s.name)} · {s.reason}"),
                        s.contact_id,
                        s.circle is not Circle.ACQUAINTANCE,
                    )
                    for s in self.suggestions
                ),
                id="sort-people",
                compact=True,
            )
            yield Static(
                "space or enter ticks · ctrl+s: ticked → wider circle, the rest stay "
                "acquaintances · esc: leave everyone an acquaintance",
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#sort-people", SelectionList).focus()

    def action_save(self) -> None:
        people = self.query_one("#sort-people", SelectionList)
        self.dismiss(frozenset(int(i) for i in people.selected))

    def action_cancel(self) -> None:
        self.dismiss(None)

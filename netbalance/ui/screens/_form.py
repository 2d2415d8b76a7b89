"""Pieces the modal forms share: a labelled field row with its own message line.

A form shows each validation message right under the field it is about, so
the rows, the way messages are worded and the save/cancel behaviour of a
form (`ValidatedForm`) live here once.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Mapping
from typing import ClassVar, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static, TextArea

from netbalance.domain.errors import DomainError
from netbalance.ui.safe_text import plain

T = TypeVar("T")

FORM_CSS = """
.form-dialog {
    width: 84;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $primary 60%;
    background: $surface;
    padding: 0 1;
}
.form-dialog > .form-fields {
    height: auto;
    max-height: 1fr;
}
.form-field {
    height: auto;
}
.form-field > .form-line {
    height: auto;
}
.form-field .form-label {
    width: 16;
    padding: 0 1 0 0;
    color: $text-muted;
}
.form-field.-invalid .form-label {
    color: $text-error;
}
.form-field .form-message {
    display: none;
    padding: 0 0 0 16;
    color: $text-error;
}
.form-field .form-message.-shown {
    display: block;
}
.form-field .form-hint {
    padding: 0 0 0 16;
    color: $text-muted;
}
.form-field .form-line > Input, .form-field .form-line > Select,
.form-field .form-line > TextArea, .form-field .form-line > SelectionList {
    width: 1fr;
}
.form-dialog .form-keys {
    color: $text-muted;
    padding: 1 0 0 0;
    height: auto;
}
"""


def field_row(label: str, control: Widget, key: str, *, hint: Static | None = None) -> Vertical:
    """A form row: the label, the control, an optional live hint, and a hidden message line.

    `key` names the row (`#<key>-field`) and its message line (`#<key>-message`);
    it matches the `field` of the DomainError the row reports.
    """
    parts: list[Widget] = [
        Horizontal(Label(label, classes="form-label"), control, classes="form-line")
    ]
    if hint is not None:
        parts.append(hint)
    parts.append(Static("", id=f"{key}-message", classes="form-message"))
    return Vertical(*parts, id=f"{key}-field", classes="form-field")


def message_for(error: DomainError) -> str:
    """The words shown under a field: the reason, with the offending text when it helps."""
    value = error.value
    if isinstance(value, str) and value.strip() and len(value) <= 40:
        return f"“{value.strip()}” {error.reason}"
    reason = error.reason
    return reason[:1].upper() + reason[1:]


def show_message(form: Widget, key: str, text: str) -> None:
    """Show `text` under the field `key` (or hide the line when `text` is empty)."""
    message = form.query_one(f"#{key}-message", Static)
    message.update(plain(text))
    message.set_class(bool(text), "-shown")
    form.query_one(f"#{key}-field").set_class(bool(text), "-invalid")


def clear_messages(form: Widget) -> None:
    """Hide every field message of the form."""
    for message in form.query(".form-message.-shown").results(Static):
        message.update("")
        message.remove_class("-shown")
    for row in form.query(".form-field.-invalid"):
        row.remove_class("-invalid")


def form_bindings(
    name: str,
    *,
    save_tooltip: str,
    save: str = "Save",
    cancel_tooltip: str = "Close the form without saving anything",
) -> list[BindingType]:
    """A form's escape (cancel) and ctrl+s (save) bindings, with ids `<name>.cancel`/`.save`.

    ctrl+s has priority so it saves from any control, a text area included.
    """
    return [
        Binding("escape", "cancel", "Cancel", id=f"{name}.cancel", tooltip=cancel_tooltip),
        Binding("ctrl+s", "save", save, id=f"{name}.save", tooltip=save_tooltip, priority=True),
    ]


class ValidatedForm(ModalScreen[T | None]):
    """A modal form that dismisses with a valid `T`, or None when cancelled.

    Enter in a text field or the save binding reads the form (`_read`); each
    problem is shown under its row and the first invalid field gets the focus,
    so nothing invalid ever leaves the form. Subclasses name their rows and
    take their keys from `form_bindings`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f4",
            "edit_externally",
            "Editor",
            id="form.editor",
            tooltip="Write the notes (or the focused long text) in your $EDITOR",
        ),
    ]

    # The fields F4 opens in the user's editor, by id: the focused one, else the first.
    LONG_TEXT: ClassVar[tuple[str, ...]] = ("notes", "note")

    # The row keys of the form (see `field_row`); a message for any other field shows
    # under FALLBACK_ROW, so none is ever lost.
    ROWS: ClassVar[tuple[str, ...]] = ()
    # DomainError.field -> the row that shows it, where the two names differ.
    ROW_OF_FIELD: ClassVar[Mapping[str, str]] = {}
    FALLBACK_ROW: ClassVar[str] = ""

    # Set by whoever opens the form to save it before it closes: called with the valid
    # value and a callback taking None (saved: the form closes with the value) or a
    # message (refused, e.g. changed elsewhere: shown, the form stays open as typed).
    saver: Callable[[T, Callable[[str | None], None]], None] | None = None

    def on_mount(self) -> None:
        # The field list scrolls to whichever field has focus; as a focus stop of its
        # own it would take, and lose, what is typed after tabbing off the last field.
        for fields in self.query(".form-fields"):
            fields.can_focus = False

    @abstractmethod
    def _read(self) -> tuple[T | None, list[DomainError]]:
        """What the form describes, or the problems that stop it being valid."""

    @on(Input.Changed)
    def forget_stale_message(self, event: Input.Changed) -> None:
        if event.input.id is not None:
            self._forget_message(event.input.id, event.value)

    def _forget_message(self, key: str, text: str) -> None:
        """Hide the message of row `key`, whose field now reads `text`.

        A message about text the user has since changed would mislead.
        """
        if key in self.ROWS:
            show_message(self, key, "")

    @on(Input.Submitted)
    def save_on_enter(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event)

    def _submit(self, event: Input.Submitted) -> None:
        """Enter in a text field saves the form."""
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_edit_externally(self) -> None:
        """F4: the notes (or the focused long text) in the user's editor."""
        from netbalance.ui.external_editor import edit_text

        focused = self.focused
        fields = [w for w in self.query("Input, TextArea") if w.id in self.LONG_TEXT]
        target = focused if focused in fields else (fields[0] if fields else None)
        if isinstance(target, TextArea):
            edited = edit_text(self.app, target.text, name=target.id or "note")
            if edited is not None:
                target.load_text(edited)
        elif isinstance(target, Input):
            edited = edit_text(self.app, target.value, name=target.id or "note")
            if edited is not None:
                # A one-line field: line breaks become spaces, as the record would keep it.
                target.value = " ".join(edited.split("\n")).strip()
        else:
            self.notify("This form has no long text to edit.", severity="warning")
            return
        target.focus()

    def action_save(self) -> None:
        clear_messages(self)
        result, errors = self._read()
        if result is None:
            for error in errors:
                self._show_error(self._row_for(error.field), error)
            self._focus_first_invalid()
            return
        if self.saver is None:
            self.dismiss(result)
            return
        value = result

        def saved(refusal: str | None) -> None:
            if refusal is None:
                self.dismiss(value)
            else:
                show_message(self, self.FALLBACK_ROW, refusal)

        self.saver(value, saved)

    def _row_for(self, field: str) -> str:
        """The row that shows a DomainError about `field`."""
        row = self.ROW_OF_FIELD.get(field, field)
        return row if row in self.ROWS else self.FALLBACK_ROW

    def _show_error(self, row: str, error: DomainError) -> None:
        show_message(self, row, message_for(error))

    def _focus_first_invalid(self) -> Widget | None:
        """Focus the control of the first row with a message; that row, if any."""
        for row in self.query(".form-field.-invalid"):
            for widget in row.query("Input, Select, SelectionList, TextArea"):
                if widget.focusable:
                    widget.focus()
                    return row
        return None


class MatchInput(Input):
    """Type part of a name; up/down move through the matches listed under it, escape
    clears what was typed and, when empty, closes the form (contact pickers)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down",
            "move_match(1)",
            "Next match",
            show=False,
            id="match.next",
            tooltip="Highlight the next contact matching what you typed",
        ),
        Binding(
            "up",
            "move_match(-1)",
            "Previous match",
            show=False,
            id="match.previous",
            tooltip="Highlight the previous contact matching what you typed",
        ),
        Binding(
            "escape",
            "clear_or_cancel",
            "Clear / cancel",
            show=False,
            id="match.clear",
            tooltip="Clear the name you typed; when it is empty, close the form",
        ),
    ]

    def __init__(self, *, matches: str, placeholder: str, id: str) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=True)
        # The OptionList (a selector on the same screen) that lists the matches.
        self.matches = matches

    def action_move_match(self, step: int) -> None:
        matches = self.screen.query_one(self.matches, OptionList)
        if matches.option_count:
            if step > 0:
                matches.action_cursor_down()
            else:
                matches.action_cursor_up()

    async def action_clear_or_cancel(self) -> None:
        if self.value:
            self.value = ""
        else:
            await self.run_action("screen.cancel")

"""Pieces the modal forms share: a labelled field row with its own message line.

A form shows each validation message right under the field it is about, so
the rows and the way messages are worded live here once.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from netbalance.domain.errors import DomainError

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
    message.update(text)
    message.set_class(bool(text), "-shown")
    form.query_one(f"#{key}-field").set_class(bool(text), "-invalid")


def clear_messages(form: Widget) -> None:
    """Hide every field message of the form."""
    for message in form.query(".form-message.-shown").results(Static):
        message.update("")
        message.remove_class("-shown")
    for row in form.query(".form-field.-invalid"):
        row.remove_class("-invalid")

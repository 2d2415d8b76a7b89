"""The snooze dialog: quiet a contact for a while, or until a day typed in words.

Returns the moment the snooze ends (UTC) or None when cancelled; the app
stores it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from netbalance.domain.dates import human_until, parse_duration, parse_when
from netbalance.domain.errors import DomainError
from netbalance.ui.safe_text import plain
from netbalance.ui.screens._form import FORM_CSS, field_row, message_for, show_message

# The ready-made choices, in the order keys 1-4 pick them.
CHOICES: tuple[tuple[str, timedelta], ...] = (
    ("3 days", timedelta(days=3)),
    ("1 week", timedelta(weeks=1)),
    ("2 weeks", timedelta(weeks=2)),
    ("1 month", timedelta(days=30)),
)
# Further than this is not a snooze but a goodbye: archive instead.
LONGEST = timedelta(days=3660)


class SnoozeDialog(ModalScreen[datetime | None]):
    """Choose how long to quiet a contact; dismisses with the end of the snooze, or None."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    SnoozeDialog {
        align: center middle;
    }
    SnoozeDialog .form-dialog {
        width: 64;
    }
    SnoozeDialog #choices {
        height: auto;
        margin: 1 0;
    }
    SnoozeDialog .form-hint.-bad {
        color: $text-warning;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="snooze.cancel",
            tooltip="Close without snoozing",
        ),
        *(
            Binding(
                str(i),
                f"choose({i - 1})",
                f"Snooze {label}",
                id=f"snooze.choice-{i}",
                tooltip=f"Quiet this contact for {label}",
            )
            for i, (label, _) in enumerate(CHOICES, start=1)
        ),
    ]

    def __init__(self, contact_name: str, now: datetime) -> None:
        super().__init__()
        self.contact_name = contact_name
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = f"Snooze {self.contact_name}"
            yield Static("Quiet them on the due list until:", classes="snooze-intro")
            yield OptionList(
                *(
                    Option(f"{i}  {label:<8} until {self._day(self.now + span)}", id=str(i - 1))
                    for i, (label, span) in enumerate(CHOICES, start=1)
                ),
                id="choices",
                compact=True,
            )
            yield field_row(
                "Or until",
                Input(placeholder="next friday, 10d, 2026-01-15", id="until", compact=True),
                "until",
                hint=Static("", id="until-preview", classes="form-hint"),
            )
            yield Static("1-4 or enter choose · type a day below · esc cancel", classes="form-keys")

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 1
        choices.focus()

    def _day(self, moment: datetime) -> str:
        local = moment.astimezone(self.now.tzinfo)
        return f"{local:%a} {local.day} {local:%b %Y}"

    def _read(self, text: str) -> datetime:
        """The end of the snooze typed in words; DomainError when it is not usable."""
        span = parse_duration(text)
        until = self.now + span if span is not None else parse_when(text, self.now)
        if until <= self.now:
            raise DomainError("until", text, "is not in the future")
        if until - self.now > LONGEST:
            raise DomainError("until", text, "is more than ten years away (archive instead?)")
        return until

    @on(Input.Changed, "#until")
    def preview_typed_day(self, event: Input.Changed) -> None:
        show_message(self, "until", "")
        preview = self.query_one("#until-preview", Static)
        text = event.value.strip()
        if not text:
            preview.update("")
            preview.remove_class("-bad")
            return
        try:
            until = self._read(text)
        except DomainError as error:
            preview.update(plain(message_for(error)))
            preview.add_class("-bad")
            return
        today = self.now.date()
        day = until.astimezone(self.now.tzinfo).date()
        preview.update(f"until {self._day(until)} ({human_until(day, today)})")
        preview.remove_class("-bad")

    @on(Input.Submitted, "#until")
    def snooze_until_typed_day(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            until = self._read(event.value)
        except DomainError as error:
            show_message(self, "until", message_for(error))
            return
        self.dismiss(until.astimezone(UTC))

    @on(OptionList.OptionSelected, "#choices")
    def snooze_for_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.action_choose(int(event.option.id))

    def action_choose(self, index: int) -> None:
        self.dismiss((self.now + CHOICES[index][1]).astimezone(UTC))

    def action_cancel(self) -> None:
        self.dismiss(None)

"""The event form: add an event or edit one, with a message next to each field.

Start and end are typed in words or ISO ("next friday 18:30", "3h") and
previewed as you type. The form returns a validated `Event` (or None when
cancelled) and never touches the store: the app saves what it gets back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from netbalance.domain.errors import DomainError
from netbalance.domain.model import Event, Goal
from netbalance.domain.selective import parse_event_end, parse_event_when
from netbalance.ui.safe_text import plain
from netbalance.ui.screens._form import (
    FORM_CSS,
    ValidatedForm,
    field_row,
    form_bindings,
    message_for,
    show_message,
)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


def _when_text(moment: datetime, tz: object) -> str:
    local = moment.astimezone(tz)  # type: ignore[arg-type]
    return f"{local:%Y-%m-%d %H:%M}"


class EventForm(ValidatedForm[Event]):
    """Add or edit an event; dismisses with the valid Event, or None on escape."""

    ROWS = ("title", "start", "end", "place", "link", "hours", "goals", "tags", "notes")
    ROW_OF_FIELD = {"date": "start", "hours": "hours"}
    FALLBACK_ROW = "title"

    DEFAULT_CSS = (
        FORM_CSS
        + """
    EventForm {
        align: center middle;
    }
    EventForm #goals {
        height: auto;
        max-height: 5;
    }
    EventForm #notes {
        height: 3;
    }
    EventForm .form-hint.-bad {
        color: $text-warning;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = form_bindings(
        "event-form", save_tooltip="Save the event (enter in a text field does the same)"
    )

    def __init__(self, event: Event | None, goals: list[Goal], now: datetime) -> None:
        super().__init__()
        self.event = event
        self.goals = goals
        self.now = now

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        e = self.event
        tz = self.now.tzinfo
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = plain(f"Edit {e.title}") if e is not None else "New event"
            with VerticalScroll(classes="form-fields"):
                yield field_row(
                    "Title",
                    Input(e.title if e else "", placeholder="required", id="title", compact=True),
                    "title",
                )
                yield field_row(
                    "Starts",
                    Input(
                        _when_text(e.start, tz) if e else "",
                        placeholder="next friday 18:30, 12 dec 19:00, 2026-12-12 19:00",
                        id="start",
                        compact=True,
                    ),
                    "start",
                    hint=Static("", id="start-preview", classes="form-hint"),
                )
                yield field_row(
                    "Ends",
                    Input(
                        self._end_text(),
                        placeholder="optional: 3h, 21:00, or a day and time",
                        id="end",
                        compact=True,
                    ),
                    "end",
                    hint=Static("", id="end-preview", classes="form-hint"),
                )
                yield field_row(
                    "Place", Input(e.place if e else "", id="place", compact=True), "place"
                )
                yield field_row(
                    "Link",
                    Input(e.link if e else "", placeholder="optional", id="link", compact=True),
                    "link",
                )
                hours = "" if e is None or e.hours is None else f"{e.hours:g}"
                yield field_row(
                    "Hours",
                    Input(
                        hours,
                        placeholder="travel included; blank: its length, else 2",
                        restrict=r"[0-9.,]*",
                        id="hours",
                        compact=True,
                    ),
                    "hours",
                )
                yield field_row("Goals", self._goal_list(), "goals")
                yield field_row(
                    "Tags",
                    Input(
                        ", ".join(e.tags) if e else "",
                        placeholder="comma separated: python, meetup",
                        id="tags",
                        compact=True,
                    ),
                    "tags",
                )
                yield field_row(
                    "Notes", TextArea(e.notes if e else "", id="notes", compact=True), "notes"
                )
            yield Static(
                "enter or ctrl+s save · esc cancel · tab next field · space ticks a goal",
                classes="form-keys",
            )

    def _end_text(self) -> str:
        """The stored end as typed: a time when on the start's day, so it moves with the start."""
        e = self.event
        if e is None or e.end is None:
            return ""
        start = e.start.astimezone(self.now.tzinfo)
        end = e.end.astimezone(self.now.tzinfo)
        return f"{end:%H:%M}" if end.date() == start.date() else _when_text(e.end, self.now.tzinfo)

    def _goal_list(self) -> SelectionList[int] | Static:
        active = [g for g in self.goals if g.active or (self.event and g.id in self.event.goal_ids)]
        if not active:
            return Static("No goals yet (add them on the Goals screen, key G)", id="goals")
        chosen = set(self.event.goal_ids) if self.event else set()
        return SelectionList[int](
            *(
                Selection(
                    plain(g.title if g.active else f"{g.title} (retired)"), g.id, g.id in chosen
                )
                for g in active
            ),
            id="goals",
            compact=True,
        )

    def on_mount(self) -> None:
        self._preview()
        self.query_one("#title", Input).focus()

    # --- previews ---------------------------------------------------------------------

    def _day_text(self, moment: datetime) -> str:
        local = moment.astimezone(self.now.tzinfo)
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"

    def _preview(self) -> None:
        start_preview = self.query_one("#start-preview", Static)
        end_preview = self.query_one("#end-preview", Static)
        start_text = self.query_one("#start", Input).value
        end_text = self.query_one("#end", Input).value
        start: datetime | None = None
        try:
            start = parse_event_when(start_text, self.now)
            start_preview.update(self._day_text(start))
            start_preview.remove_class("-bad")
        except DomainError as error:
            start_preview.update(
                plain(message_for(error)) if start_text.strip() else "Say when: next friday 18:30"
            )
            start_preview.add_class("-bad")
        end_preview.display = bool(end_text.strip())
        if start is None or not end_text.strip():
            end_preview.update("")
            return
        try:
            end = parse_event_end(end_text, start, self.now)
        except DomainError as error:
            end_preview.update(plain(message_for(error)))
            end_preview.add_class("-bad")
            return
        if end is not None:
            hours = (end - start).total_seconds() / 3600
            bad = end <= start
            end_preview.update(
                "ends before it starts" if bad else f"{self._day_text(end)} ({hours:g} h)"
            )
            end_preview.set_class(bad, "-bad")

    @on(Input.Changed, "#start, #end")
    def preview_when(self, event: Input.Changed) -> None:
        show_message(self, "start", "")
        show_message(self, "end", "")
        self._preview()

    # --- reading the form -------------------------------------------------------------

    def _read(self) -> tuple[Event | None, list[DomainError]]:
        """The event the form describes, or the problems that stop it being valid."""
        errors: list[DomainError] = []
        start_text = self.query_one("#start", Input).value
        start: datetime | None = None
        try:
            start = parse_event_when(start_text, self.now)
        except DomainError as error:
            errors.append(DomainError("start", start_text, error.reason))
        end: datetime | None = None
        end_text = self.query_one("#end", Input).value
        if start is not None:
            try:
                end = parse_event_end(end_text, start, self.now)
            except DomainError as error:
                errors.append(DomainError("end", end_text, error.reason))
        hours: float | None = None
        hours_text = self.query_one("#hours", Input).value.strip().replace(",", ".")
        if hours_text:
            try:
                hours = float(hours_text)
            except ValueError:
                errors.append(DomainError("hours", hours_text, "is not a number of hours"))
        goals = self.query("#goals").first()
        goal_ids: tuple[int, ...] = self.event.goal_ids if self.event else ()
        if isinstance(goals, SelectionList):
            listed = {int(goals.get_option_at_index(i).value) for i in range(goals.option_count)}
            kept = tuple(i for i in goal_ids if i not in listed)
            goal_ids = kept + tuple(int(i) for i in goals.selected)
        if errors or start is None:
            return None, errors
        fields: dict[str, object] = {
            "title": self.query_one("#title", Input).value,
            "start": start.astimezone(UTC),
            "end": end.astimezone(UTC) if end is not None else None,
            "place": self.query_one("#place", Input).value.strip(),
            "link": self.query_one("#link", Input).value.strip(),
            "hours": hours,
            "goal_ids": goal_ids,
            "tags": _split(self.query_one("#tags", Input).value),
            "notes": self.query_one("#notes", TextArea).text,
        }
        try:
            # Editing starts from the stored event so its id, status and who was met survive.
            base = self.event if self.event is not None else Event("new", start.astimezone(UTC))
            return base.edit(**fields), []
        except DomainError as error:
            return None, [error]

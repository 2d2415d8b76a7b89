"""The settings screen: the networking budget, circles, and the signals' thresholds.

Every number the health model works with can be changed here. Each field
shows its default and, when the value is not valid, the domain's message right
under it. The screen returns valid `Settings` (or None when cancelled) and
never touches the store: the app saves what it gets back.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from netbalance.domain.circles import DEFAULT_CADENCE, DEFAULT_CAPACITY, Circle
from netbalance.domain.errors import DomainError
from netbalance.domain.settings import Settings
from netbalance.domain.thresholds import Thresholds
from netbalance.ui.screens._form import FORM_CSS, ValidatedForm, form_bindings, show_message

# Where each group of thresholds starts (fields keep the dataclass's order).
_SECTIONS = {
    "badly_overdue_factor": "Due list",
    "strength_weight_time": "Tie strength",
    "depth_weight_inner": "Depth vs breadth gauge",
    "burnout_budget_factor": "Over-networking signals",
    "triage_weight_goal": "Event triage",
}
_DEFAULT_THRESHOLDS = Thresholds()
_BUDGET = (
    ("weekly_hours", "Hours a week", "events and logged time"),
    ("events_per_month", "Events a month", "going or attended"),
    ("followup_capacity_per_event", "Follow-ups per event", "people met you can follow up"),
)


def row_key(field: str) -> str:
    """The form row of a DomainError field: `cadence.inner` -> `cadence-inner`."""
    if field.startswith("thresholds."):
        return "th-" + field.removeprefix("thresholds.")
    return field.replace(".", "-")


def _label(name: str) -> str:
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def _text(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


class SettingsScreen(ValidatedForm[Settings]):
    """Edit the networking settings; dismisses with valid Settings, or None on escape."""

    HELP_SECTION = "Settings"
    FALLBACK_ROW = "weekly_hours"

    DEFAULT_CSS = (
        FORM_CSS
        + """
    SettingsScreen {
        align: center middle;
    }
    SettingsScreen .form-dialog {
        width: 96;
        height: 1fr;
    }
    SettingsScreen .form-dialog > .form-fields {
        height: 1fr;
    }
    SettingsScreen .settings-section {
        text-style: bold;
        color: $text-primary;
        margin: 1 0 0 0;
    }
    SettingsScreen .form-field .form-label {
        width: 32;
    }
    SettingsScreen .form-field .form-message, SettingsScreen .form-field .form-hint {
        padding: 0 0 0 32;
    }
    SettingsScreen .form-field .form-line > Input {
        width: 10;
    }
    SettingsScreen .form-field .form-line > .settings-default {
        width: 1fr;
        padding: 0 0 0 2;
        color: $text-muted;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        *form_bindings(
            "settings",
            save_tooltip="Save the settings (enter in a field does the same)",
            cancel_tooltip="Close without saving anything",
        ),
        Binding(
            "ctrl+r",
            "defaults",
            "Defaults",
            id="settings.defaults",
            tooltip="Fill every field with its default (saved only with ctrl+s)",
        ),
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        # The text each shown message is about.
        self._shown_for: dict[str, str] = {}

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        s = self.settings
        defaults = Settings()
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = "Settings: networking budget"
            with VerticalScroll(classes="form-fields"):
                yield Static("Budget", classes="settings-section")
                for name, label, hint in _BUDGET:
                    yield self._number_row(
                        label, name, getattr(s, name), getattr(defaults, name), hint
                    )
                yield Static(
                    "Circles: days between follow-ups and people", classes="settings-section"
                )
                for circle in Circle:
                    yield self._number_row(
                        f"{circle.label} cadence (days)",
                        f"cadence-{circle.value}",
                        s.cadence[circle],
                        DEFAULT_CADENCE[circle],
                        "blank: never due",
                    )
                    yield self._number_row(
                        f"{circle.label} capacity (people)",
                        f"capacity-{circle.value}",
                        s.capacity[circle],
                        DEFAULT_CAPACITY[circle],
                        "blank: no limit",
                    )
                for f in dataclasses.fields(Thresholds):
                    section = _SECTIONS.get(f.name)
                    if section:
                        yield Static(section, classes="settings-section")
                    yield self._number_row(
                        _label(f.name),
                        f"th-{f.name}",
                        getattr(s.thresholds, f.name),
                        getattr(_DEFAULT_THRESHOLDS, f.name),
                    )
            yield Static(
                "ctrl+s or enter save · esc cancel · ctrl+r defaults · tab next field",
                classes="form-keys",
            )

    def _number_row(
        self, label: str, key: str, value: float | int | None, default: float | int | None,
        hint: str = "",
    ) -> Vertical:  # fmt: skip
        shown = "none" if default is None else _text(default)
        note = f"default {shown}" + (f" · {hint}" if hint else "")
        # The shared row, with the default beside the field (same ids as field_row).
        line = Horizontal(
            Label(label, classes="form-label"),
            Input(_text(value), id=key, compact=True, restrict=r"[0-9.\-]*"),
            Static(note, classes="settings-default"),
            classes="form-line",
        )
        message = Static("", id=f"{key}-message", classes="form-message")
        return Vertical(line, message, id=f"{key}-field", classes="form-field")

    def on_mount(self) -> None:
        self.query_one("#weekly_hours", Input).focus()

    # --- reactions --------------------------------------------------------------------

    def _forget_message(self, key: str, text: str) -> None:
        # Only a change from the text the message is about makes it stale.
        if self._shown_for.get(key, text) != text:
            show_message(self, key, "")
            del self._shown_for[key]

    def action_defaults(self) -> None:
        defaults = Settings()
        for name, _label_text, _hint in _BUDGET:
            self.query_one(f"#{name}", Input).value = _text(getattr(defaults, name))
        for circle in Circle:
            self.query_one(f"#cadence-{circle.value}", Input).value = _text(DEFAULT_CADENCE[circle])
            self.query_one(f"#capacity-{circle.value}", Input).value = _text(
                DEFAULT_CAPACITY[circle]
            )
        for f in dataclasses.fields(Thresholds):
            self.query_one(f"#th-{f.name}", Input).value = _text(
                getattr(_DEFAULT_THRESHOLDS, f.name)
            )
        self.app.notify("Defaults filled in: ctrl+s saves them.", timeout=3)

    def action_save(self) -> None:
        self._shown_for.clear()
        super().action_save()

    def _row_for(self, field: str) -> str:
        key = row_key(field)
        return key if self.query(f"#{key}-field") else self.FALLBACK_ROW

    def _show_error(self, row: str, error: DomainError) -> None:
        super()._show_error(row, error)
        self._shown_for[row] = self.query_one(f"#{row}", Input).value

    def _focus_first_invalid(self) -> Widget | None:
        row = super()._focus_first_invalid()
        if row is not None:
            # The message is under the field: bring both into view.
            row.scroll_visible()
        return row

    # --- reading the form -------------------------------------------------------------

    def _number(
        self, key: str, field: str, *, whole: bool, blank_ok: bool, errors: list[DomainError]
    ) -> float | int | None:
        text = self.query_one(f"#{key}", Input).value.strip()
        if not text:
            if not blank_ok:
                errors.append(DomainError(field, text, "must not be blank"))
            return None
        try:
            return int(text) if whole else float(text)
        except ValueError:
            reason = "is not a whole number" if whole else "is not a number"
            errors.append(DomainError(field, text, reason))
            return None

    def _read(self) -> tuple[Settings | None, list[DomainError]]:
        """The settings the form describes, or every problem found."""
        errors: list[DomainError] = []
        budget: dict[str, float | int | None] = {}
        for name, _label_text, _hint in _BUDGET:
            whole = name != "weekly_hours"
            budget[name] = self._number(name, name, whole=whole, blank_ok=False, errors=errors)
        cadence: dict[Circle, int | None] = {}
        capacity: dict[Circle, int | None] = {}
        for circle in Circle:
            for key, target in (("cadence", cadence), ("capacity", capacity)):
                value = self._number(
                    f"{key}-{circle.value}",
                    f"{key}.{circle.value}",
                    whole=True,
                    blank_ok=True,
                    errors=errors,
                )
                target[circle] = None if value is None else int(value)
        thresholds = _DEFAULT_THRESHOLDS
        values: dict[str, float | int] = {}
        for f in dataclasses.fields(Thresholds):
            whole = isinstance(getattr(_DEFAULT_THRESHOLDS, f.name), int)
            value = self._number(
                f"th-{f.name}", f"thresholds.{f.name}", whole=whole, blank_ok=False, errors=errors
            )
            if value is None:
                continue
            values[f.name] = value
            try:
                # One field at a time, so each invalid one gets its own message.
                _DEFAULT_THRESHOLDS.edit(**{f.name: value})
            except DomainError as error:
                errors.append(error)
        # Each budget field alone against the defaults, for the same reason.
        for name, value in budget.items():
            if value is not None:
                try:
                    Settings().edit(**{name: value})
                except DomainError as error:
                    errors.append(error)
        for circle in Circle:
            try:
                Settings(cadence={circle: cadence[circle]}, capacity={circle: capacity[circle]})
            except DomainError as error:
                errors.append(error)
        if errors:
            return None, errors
        try:
            thresholds = _DEFAULT_THRESHOLDS.edit(**values)
            settings = self.settings.edit(
                **budget, cadence=cadence, capacity=capacity, thresholds=thresholds
            )
        except DomainError as error:
            return None, [error]
        return settings, []

"""The contact form: add a contact or edit one, with a message next to each field.

The form returns a validated `Contact` (or None when cancelled) and never
touches the store: the app saves what it gets back.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from netbalance.domain.birthdays import parse_birthday
from netbalance.domain.circles import Circle
from netbalance.domain.errors import DomainError
from netbalance.domain.model import Birthday, Contact, Goal
from netbalance.domain.settings import Settings
from netbalance.ui.safe_text import plain
from netbalance.ui.screens._form import FORM_CSS, ValidatedForm, field_row, form_bindings


def _split(text: str) -> tuple[str, ...]:
    """Comma-separated words as a tuple; the model strips and drops blanks and repeats."""
    return tuple(part for part in text.split(","))


class ContactForm(ValidatedForm[Contact]):
    """Add or edit a contact; dismisses with the valid Contact, or None on escape."""

    ROWS = (
        "name", "circle", "cadence", "closeness", "emails", "phones", "company", "role", "tags",
        "goals", "birthday", "notes",
    )  # fmt: skip
    # The model says "email" per address.
    ROW_OF_FIELD = {"email": "emails", "emails": "emails", "phone": "phones"}
    FALLBACK_ROW = "name"

    DEFAULT_CSS = (
        FORM_CSS
        + """
    ContactForm {
        align: center middle;
    }
    ContactForm #goals {
        height: auto;
        max-height: 5;
    }
    ContactForm #notes {
        height: 4;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = form_bindings(
        "contact-form", save_tooltip="Save the contact (enter in a text field does the same)"
    )

    def __init__(self, contact: Contact | None, goals: list[Goal], settings: Settings) -> None:
        super().__init__()
        self.contact = contact
        self.goals = goals
        self.settings = settings

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        c = self.contact
        circle = c.circle if c is not None else Circle.ACTIVE
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = plain(f"Edit {c.name}") if c is not None else "New contact"
            with VerticalScroll(classes="form-fields"):
                yield field_row(
                    "Name",
                    Input(
                        c.name if c else "",
                        placeholder="full name (required)",
                        id="name",
                        compact=True,
                    ),
                    "name",
                )
                yield field_row(
                    "Circle",
                    Select(
                        [(k.label, k) for k in Circle],
                        value=circle,
                        allow_blank=False,
                        id="circle",
                        compact=True,
                    ),
                    "circle",
                )
                cadence = "" if c is None or c.cadence_days is None else str(c.cadence_days)
                yield field_row(
                    "Cadence (days)",
                    Input(
                        cadence,
                        placeholder=self._cadence_placeholder(circle),
                        restrict=r"[0-9]*",
                        id="cadence",
                        compact=True,
                    ),
                    "cadence",
                )
                closeness = "" if c is None or c.closeness is None else str(c.closeness)
                yield field_row(
                    "Closeness (1-7)",
                    Input(
                        closeness,
                        placeholder="how close they feel: 1 distant … 7 very close; blank: unsaid",
                        restrict=r"[0-9]*",
                        max_length=2,
                        id="closeness",
                        compact=True,
                    ),
                    "closeness",
                )
                yield field_row(
                    "Emails",
                    Input(
                        ", ".join(c.emails) if c else "",
                        placeholder="comma separated",
                        id="emails",
                        compact=True,
                    ),
                    "emails",
                )
                yield field_row(
                    "Phones",
                    Input(
                        ", ".join(c.phones) if c else "",
                        placeholder="comma separated",
                        id="phones",
                        compact=True,
                    ),
                    "phones",
                )
                yield field_row(
                    "Company",
                    Input(c.company if c else "", id="company", compact=True),
                    "company",
                )
                yield field_row("Role", Input(c.role if c else "", id="role", compact=True), "role")
                yield field_row(
                    "Tags",
                    Input(
                        ", ".join(c.tags) if c else "",
                        placeholder="comma separated",
                        id="tags",
                        compact=True,
                    ),
                    "tags",
                )
                yield field_row("Goals", self._goal_list(), "goals")
                yield field_row(
                    "Birthday",
                    Input(
                        c.birthday.iso() if c and c.birthday else "",
                        placeholder="1986-03-12, 12 mar, 12 mar 1986 (the year is optional)",
                        id="birthday",
                        compact=True,
                    ),
                    "birthday",
                )
                yield field_row(
                    "Notes", TextArea(c.notes if c else "", id="notes", compact=True), "notes"
                )
            yield Static("enter or ctrl+s save · esc cancel · tab next field", classes="form-keys")

    def _goal_list(self) -> SelectionList[int] | Static:
        if not self.goals:
            return Static("No goals yet (add them on the Goals screen)", id="goals")
        chosen = set(self.contact.goal_ids) if self.contact else set()
        return SelectionList[int](
            *(
                Selection(
                    plain(g.title if g.active else f"{g.title} (inactive)"), g.id, g.id in chosen
                )
                for g in self.goals
            ),
            id="goals",
            compact=True,
        )

    def _cadence_placeholder(self, circle: Circle) -> str:
        days = self.settings.cadence_for(circle)
        default = f"{days}" if days is not None else "none"
        return f"{default} ({circle.label} default; leave blank to follow it)"

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    # --- reactions --------------------------------------------------------------------

    @on(Select.Changed, "#circle")
    def show_circle_cadence(self, event: Select.Changed) -> None:
        if isinstance(event.value, Circle):
            self.query_one("#cadence", Input).placeholder = self._cadence_placeholder(event.value)

    # --- reading the form -------------------------------------------------------------

    def _read(self) -> tuple[Contact | None, list[DomainError]]:
        """The contact the form describes, or the problems that stop it being valid."""
        errors: list[DomainError] = []
        cadence: int | None = None
        cadence_text = self.query_one("#cadence", Input).value.strip()
        if cadence_text:
            try:
                cadence = int(cadence_text)
            except ValueError:
                errors.append(DomainError("cadence", cadence_text, "is not a number of days"))
        closeness: int | None = None
        closeness_text = self.query_one("#closeness", Input).value.strip()
        if closeness_text:
            # The contact itself says what may be rated (1 to 7), as `add --closeness` does.
            closeness = int(closeness_text)
        birthday: Birthday | None = None
        birthday_text = self.query_one("#birthday", Input).value.strip()
        if birthday_text:
            try:
                # The one birthday reader, as `contact edit --birthday`: a day off the
                # calendar says why ("February 1990 has 28 days").
                birthday = parse_birthday(birthday_text)
            except DomainError as error:
                errors.append(DomainError("birthday", birthday_text, error.reason))
        circle = self.query_one("#circle", Select).value
        goals = self.query("#goals").first()
        goal_ids: tuple[int, ...] = ()
        if isinstance(goals, SelectionList):
            listed = {g.id for g in self.goals}
            # Links to goals this form does not list (e.g. deleted ones) are not the form's to drop.
            kept = tuple(
                i for i in (self.contact.goal_ids if self.contact else ()) if i not in listed
            )
            goal_ids = kept + tuple(int(i) for i in goals.selected)
        elif self.contact is not None:
            goal_ids = self.contact.goal_ids
        fields: dict[str, object] = {
            "name": self.query_one("#name", Input).value,
            "circle": circle if isinstance(circle, Circle) else Circle.ACTIVE,
            "cadence_days": cadence,
            "closeness": closeness,
            "emails": _split(self.query_one("#emails", Input).value),
            "phones": _split(self.query_one("#phones", Input).value),
            "company": self.query_one("#company", Input).value,
            "role": self.query_one("#role", Input).value,
            "tags": _split(self.query_one("#tags", Input).value),
            "goal_ids": goal_ids,
            "birthday": birthday,
            "notes": self.query_one("#notes", TextArea).text,
        }
        try:
            # Editing starts from the stored contact so its id, created_at and the
            # fields this form does not show survive.
            base = self.contact if self.contact is not None else Contact("new")
            contact = base.edit(**fields)
        except DomainError as error:
            if not any(e.field == error.field for e in errors):
                errors.append(error)
            return None, errors
        if errors:
            return None, errors
        return contact, []

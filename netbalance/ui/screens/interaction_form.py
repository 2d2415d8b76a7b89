"""The log form: record an interaction with one or more contacts, in detail.

Who, when (in words, previewed as you type), kind, depth, who reached out,
minutes, a note and an optional next step. Returns a validated `Interaction`
(or None when cancelled); the app stores it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from netbalance.domain.dates import human_ago, human_until
from netbalance.domain.errors import DomainError
from netbalance.domain.model import Contact, Initiator, Interaction, InteractionKind
from netbalance.domain.rules import next_step_day, when_happened
from netbalance.ui.safe_text import plain
from netbalance.ui.screens._form import (
    FORM_CSS,
    MatchInput,
    ValidatedForm,
    field_row,
    form_bindings,
    message_for,
    show_message,
)

# How many name matches the "add someone" list offers at once.
MATCH_LIMIT = 8
DEPTHS = ((1, "1 ping"), (2, "2 conversation"), (3, "3 deep"))


class InteractionForm(ValidatedForm[Interaction]):
    """Log an interaction; dismisses with the valid Interaction, or None on escape."""

    # "who-filter" is left out: its message ("Nobody by that name") follows the typing.
    ROWS = (
        "who", "when", "kind", "depth", "initiated", "minutes", "note", "next-step", "next-step-on",
    )  # fmt: skip
    ROW_OF_FIELD = {"contacts": "who", "at": "when", "date": "when", "next_step_on": "next-step-on"}
    FALLBACK_ROW = "who"

    DEFAULT_CSS = (
        FORM_CSS
        + """
    InteractionForm {
        align: center middle;
    }
    InteractionForm #who {
        height: auto;
        max-height: 4;
    }
    InteractionForm #who-matches {
        height: auto;
        max-height: 8;
        margin: 0 0 0 16;
        display: none;
    }
    InteractionForm #who-matches.-shown {
        display: block;
    }
    InteractionForm RadioSet {
        layout: horizontal;
        width: 1fr;
        height: auto;
    }
    InteractionForm .form-hint.-bad {
        color: $text-warning;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = form_bindings(
        "interaction-form",
        save="Log it",
        save_tooltip="Log the interaction (enter in a text field does the same)",
        cancel_tooltip="Close the form without logging anything",
    )

    def __init__(self, contacts: list[Contact], preselected: list[int], now: datetime) -> None:
        super().__init__()
        self.contacts = {c.id: c for c in contacts}
        self.preselected = [i for i in dict.fromkeys(preselected) if i in self.contacts]
        self.now = now
        # Case-folded names once, so each keystroke in the filter is a plain scan.
        self._folded = [(c.name.casefold(), c) for c in contacts]

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = "Log an interaction"
            with VerticalScroll(classes="form-fields"):
                yield field_row(
                    "With",
                    SelectionList[int](
                        *(
                            Selection(plain(self.contacts[i].name), i, True)
                            for i in self.preselected
                        ),
                        id="who",
                        compact=True,
                    ),
                    "who",
                )
                yield field_row(
                    "Add someone",
                    MatchInput(
                        matches="#who-matches",
                        placeholder="type a name, ↑↓ to choose, enter to add",
                        id="who-filter",
                    ),
                    "who-filter",
                )
                yield OptionList(id="who-matches", compact=True)
                yield field_row(
                    "When",
                    Input(
                        "now",
                        placeholder="now, yesterday, 3d, 2025-12-01 18:00",
                        id="when",
                        compact=True,
                    ),
                    "when",
                    hint=Static("", id="when-preview", classes="form-hint"),
                )
                yield field_row(
                    "Kind",
                    Select(
                        [(k.label, k) for k in InteractionKind],
                        value=InteractionKind.MESSAGE,
                        allow_blank=False,
                        id="kind",
                        compact=True,
                    ),
                    "kind",
                )
                yield field_row(
                    "Depth",
                    RadioSet(
                        *(RadioButton(label, value=d == 2, id=f"depth-{d}") for d, label in DEPTHS),
                        id="depth",
                        compact=True,
                    ),
                    "depth",
                )
                yield field_row(
                    "Reached out",
                    RadioSet(
                        RadioButton("me", value=True, id="initiated-me"),
                        RadioButton("them", id="initiated-them"),
                        id="initiated",
                        compact=True,
                    ),
                    "initiated",
                )
                yield field_row(
                    "Minutes",
                    Input(placeholder="optional", restrict=r"[0-9]*", id="minutes", compact=True),
                    "minutes",
                )
                yield field_row(
                    "Note",
                    Input(placeholder="what you talked about", id="note", compact=True),
                    "note",
                )
                yield field_row(
                    "Next step",
                    Input(placeholder="optional: send the intro", id="next-step", compact=True),
                    "next-step",
                )
                yield field_row(
                    "Next step by",
                    Input(
                        placeholder="optional: friday, 2w, 2026-01-15",
                        id="next-step-on",
                        compact=True,
                    ),
                    "next-step-on",
                    hint=Static("", id="next-step-on-preview", classes="form-hint"),
                )
            yield Static(
                "enter or ctrl+s log · esc cancel · tab next field · space toggles",
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self._preview_when("now")
        self._preview_next_step_on("")
        start = "#who-filter" if not self.preselected else "#when"
        self.query_one(start, Input).focus()

    # --- choosing people --------------------------------------------------------------

    def chosen_ids(self) -> list[int]:
        """Ids of the contacts ticked in the "With" list, in the order they were added."""
        who = self.query_one("#who", SelectionList)
        return [int(i) for i in who.selected]

    def _matches(self, text: str) -> list[Contact]:
        needle = text.casefold().strip()
        if not needle:
            return []
        listed = {int(o.value) for o in self._who_options()}
        starts: list[Contact] = []
        contains: list[Contact] = []
        for name, contact in self._folded:
            if contact.id in listed or needle not in name:
                continue
            if name.startswith(needle) or f" {needle}" in name:
                starts.append(contact)
            else:
                contains.append(contact)
        found = sorted(starts, key=lambda c: c.name.casefold())
        found += sorted(contains, key=lambda c: c.name.casefold())
        return found[:MATCH_LIMIT]

    def _who_options(self) -> list[Selection[int]]:
        who = self.query_one("#who", SelectionList)
        return [who.get_option_at_index(i) for i in range(who.option_count)]

    @on(Input.Changed, "#who-filter")
    def show_matches(self, event: Input.Changed) -> None:
        matches = self.query_one("#who-matches", OptionList)
        matches.clear_options()
        found = self._matches(event.value)
        for contact in found:
            detail = f"  ({contact.company})" if contact.company else ""
            matches.add_option(Option(plain(contact.name + detail), id=str(contact.id)))
        if found:
            matches.highlighted = 0
        matches.set_class(bool(found), "-shown")
        if event.value.strip() and not found:
            show_message(self, "who-filter", "Nobody by that name")
        else:
            show_message(self, "who-filter", "")

    @on(OptionList.OptionSelected, "#who-matches")
    def add_clicked_match(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._add_person(int(event.option.id))

    def _add_person(self, contact_id: int) -> None:
        who = self.query_one("#who", SelectionList)
        who.add_option(Selection(plain(self.contacts[contact_id].name), contact_id, True))
        show_message(self, "who", "")
        who_filter = self.query_one("#who-filter", Input)
        who_filter.value = ""
        who_filter.focus()

    # --- previews ---------------------------------------------------------------------

    @on(Input.Changed, "#when")
    def preview_when(self, event: Input.Changed) -> None:
        show_message(self, "when", "")
        self._preview_when(event.value)

    def _preview_when(self, text: str) -> None:
        preview = self.query_one("#when-preview", Static)
        try:
            # The rule the command line's `log --when` reads: read the words, refuse the future.
            at = when_happened(text, self.now)
        except DomainError as error:
            preview.update(
                plain(message_for(error)) if text.strip() else "Say when: now, 2h, yesterday"
            )
            preview.add_class("-bad")
            return
        local = at.astimezone(self.now.tzinfo)
        preview.update(f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({human_ago(at, self.now)})")
        preview.remove_class("-bad")

    @on(Input.Changed, "#next-step-on")
    def preview_next_step_on(self, event: Input.Changed) -> None:
        show_message(self, "next-step-on", "")
        self._preview_next_step_on(event.value)

    def _preview_next_step_on(self, text: str) -> None:
        preview = self.query_one("#next-step-on-preview", Static)
        preview.remove_class("-bad")
        if not text.strip():
            preview.update("")
            preview.display = False
            return
        preview.display = True
        try:
            # As `log --next-step-on`: read forward, refuse a day already past.
            day = next_step_day(text, self.now, field="next_step_on")
        except DomainError as error:
            preview.update(plain(message_for(error)))
            preview.add_class("-bad")
            return
        today = self.now.date()
        preview.update(f"{day:%a} {day.day} {day:%b %Y} ({human_until(day, today)})")

    # --- saving -----------------------------------------------------------------------

    def _submit(self, event: Input.Submitted) -> None:
        if event.input.id == "who-filter" and event.value.strip():
            # Enter in the name filter adds the highlighted person; it never logs.
            matches = self.query_one("#who-matches", OptionList)
            if matches.highlighted is not None:
                option = matches.get_option_at_index(matches.highlighted)
                if option.id is not None:
                    self._add_person(int(option.id))
            return
        super()._submit(event)

    def _focus_first_invalid(self) -> Widget | None:
        # The cursor stays where it was, most often in the name filter, where typing
        # fixes the usual problem (nobody chosen yet).
        return None

    def _read(self) -> tuple[Interaction | None, list[DomainError]]:
        """The interaction the form describes, or the problems that stop it being valid."""
        errors: list[DomainError] = []
        ids = tuple(self.chosen_ids())
        if not ids:
            errors.append(DomainError("contacts", ids, "add at least one person (type a name)"))
        at = self._read_when(errors)
        minutes: int | None = None
        minutes_text = self.query_one("#minutes", Input).value.strip()
        if minutes_text:
            try:
                minutes = int(minutes_text)
            except ValueError:
                errors.append(DomainError("minutes", minutes_text, "is not a number of minutes"))
        next_step_on = self._read_next_step_on(errors)
        kind = self.query_one("#kind", Select).value
        if errors or at is None:
            return None, errors
        try:
            interaction = Interaction(
                contact_ids=ids,
                # Stored in UTC; the form reads it in the user's zone.
                at=at.astimezone(UTC),
                kind=kind if isinstance(kind, InteractionKind) else InteractionKind.MESSAGE,
                depth=self._depth(),
                initiated_by=self._initiator(),
                minutes=minutes,
                note=self.query_one("#note", Input).value.strip(),
                next_step=self.query_one("#next-step", Input).value.strip(),
                next_step_on=next_step_on,
            )
            interaction.check_not_future(self.now)
        except DomainError as error:
            return None, [error]
        return interaction, []

    def _read_when(self, errors: list[DomainError]) -> datetime | None:
        when_text = self.query_one("#when", Input).value
        try:
            # The rule the command line's `log --when` reads: read the words, refuse the future.
            return when_happened(when_text, self.now)
        except DomainError as error:
            errors.append(DomainError("when", when_text, error.reason))
            return None

    def _read_next_step_on(self, errors: list[DomainError]) -> date | None:
        next_text = self.query_one("#next-step-on", Input).value
        if not next_text.strip():
            return None
        try:
            # As `log --next-step-on`: read forward, refuse a day already past.
            return next_step_day(next_text, self.now, field="next_step_on")
        except DomainError as error:
            errors.append(DomainError("next_step_on", next_text, error.reason))
            return None

    def _depth(self) -> int:
        pressed = self.query_one("#depth", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return 2
        return int(pressed.id.removeprefix("depth-"))

    def _initiator(self) -> Initiator:
        pressed = self.query_one("#initiated", RadioSet).pressed_button
        if pressed is not None and pressed.id == "initiated-them":
            return Initiator.THEM
        return Initiator.ME


def when_text(moment: datetime, now: datetime) -> str:
    """An interaction's time as the "When" field reads it back: '2025-10-01 18:00' (local)."""
    return f"{moment.astimezone(now.tzinfo):%Y-%m-%d %H:%M}"


class InteractionEditForm(InteractionForm):
    """Edit a logged interaction: the log form filled in from `base`; dismisses with `base`
    edited (its id, event and uid kept). A time or a next-step day left as shown keeps its
    stored value exactly (an old next step may be past; seconds are not shown)."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings(
        "interaction-edit",
        save="Save",
        save_tooltip="Save the changed fields of the interaction",
        cancel_tooltip="Close the form without changing the interaction",
    )

    def __init__(self, contacts: list[Contact], base: Interaction, now: datetime) -> None:
        super().__init__(contacts, list(base.contact_ids), now)
        self.base = base
        self.shown_when = when_text(base.at, now)
        self.shown_next = f"{base.next_step_on:%Y-%m-%d}" if base.next_step_on else ""

    def on_mount(self) -> None:
        # After the log form's own mount (which previews "now" and focuses a field).
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        base = self.base
        self.query_one(".form-dialog").border_title = "Edit the interaction"
        self.query_one(".form-keys", Static).update(
            "enter or ctrl+s save · esc cancel · tab next field · space toggles"
        )
        self.query_one("#when", Input).value = self.shown_when
        self.query_one("#kind", Select).value = base.kind
        self.query_one(f"#depth-{base.depth}", RadioButton).value = True
        them = base.initiated_by is Initiator.THEM
        self.query_one("#initiated-them" if them else "#initiated-me", RadioButton).value = True
        self.query_one("#minutes", Input).value = str(base.minutes) if base.minutes else ""
        self.query_one("#note", Input).value = base.note
        self.query_one("#next-step", Input).value = base.next_step
        self.query_one("#next-step-on", Input).value = self.shown_next
        self._preview_when(self.shown_when)
        self._preview_next_step_on(self.shown_next)
        self.query_one("#note", Input).focus()

    def _read_when(self, errors: list[DomainError]) -> datetime | None:
        if self.query_one("#when", Input).value == self.shown_when:
            return self.base.at
        return super()._read_when(errors)

    def _read_next_step_on(self, errors: list[DomainError]) -> date | None:
        if self.query_one("#next-step-on", Input).value == self.shown_next:
            return self.base.next_step_on
        return super()._read_next_step_on(errors)

    def _preview_next_step_on(self, text: str) -> None:
        # The stored day, untouched, is kept as it is (even when it has passed): only a
        # day the user types is read as `log --next-step-on` reads it.
        day = self.base.next_step_on
        if text != self.shown_next or day is None:
            super()._preview_next_step_on(text)
            return
        preview = self.query_one("#next-step-on-preview", Static)
        preview.remove_class("-bad")
        preview.display = True
        when = human_until(day, self.now.date()) if day >= self.now.date() else "passed"
        preview.update(f"{day:%a} {day.day} {day:%b %Y} ({when})")

    def _read(self) -> tuple[Interaction | None, list[DomainError]]:
        value, errors = super()._read()
        if value is None:
            return None, errors
        fields = "contact_ids at kind depth initiated_by minutes note next_step next_step_on"
        return self.base.edit(**{f: getattr(value, f) for f in fields.split()}), []

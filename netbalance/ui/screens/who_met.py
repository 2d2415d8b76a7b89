"""Who I met: add the people met at an event, several in a row, without leaving the keyboard.

Type a name, pick an existing contact from the matches or add a new one,
enter; the next name. Each person gets a suggested first follow-up day.
Enter on an empty name (or ctrl+s) finishes; the app writes everything in
one go. Past the follow-up capacity the dialog says plainly that nobody can
follow up with everyone, and still lets the user add more.

The rules are the model's (as `netbalance event met` reads them): nobody is met
at an event before it starts (`rules.check_event_started`, checked by
`events.who_met` before this dialog opens), and each suggested day falls inside
the follow-up window the model counts by, measured from when the user learned of
the person (`first_follow_up_day(known_since=, thresholds=)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from netbalance.domain.model import Contact, Event
from netbalance.domain.selective import first_follow_up_day, over_capacity_message
from netbalance.domain.thresholds import Thresholds
from netbalance.ui.safe_text import plain
from netbalance.ui.screens._form import FORM_CSS, MatchInput, field_row

MATCH_LIMIT = 6
NEW = "new"


@dataclass(frozen=True, slots=True)
class MetPerson:
    """Someone met at the event: an existing contact (`contact_id`) or a new one (None)."""

    name: str
    contact_id: int | None
    follow_up_on: date


class WhoMetDialog(ModalScreen[tuple[MetPerson, ...] | None]):
    """Add people met at `event`; dismisses with the people added, or None when cancelled."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    WhoMetDialog {
        align: center middle;
    }
    WhoMetDialog #who-met-intro {
        padding: 1 0 0 0;
    }
    WhoMetDialog #who-met-list {
        height: auto;
        max-height: 10;
        margin: 1 0;
    }
    WhoMetDialog #who-met-capacity {
        color: $text-muted;
    }
    WhoMetDialog #who-met-capacity.-over {
        color: $text-warning;
    }
    WhoMetDialog #who-met-matches {
        height: auto;
        max-height: 8;
        margin: 0 0 0 16;
        display: none;
    }
    WhoMetDialog #who-met-matches.-shown {
        display: block;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="who-met.cancel",
            tooltip="Close without saving anyone",
        ),
        Binding(
            "ctrl+s",
            "done",
            "Done",
            id="who-met.done",
            tooltip="Save everyone added (enter on an empty name does the same)",
            priority=True,
        ),
        Binding(
            "ctrl+d",
            "remove_last",
            "Remove last",
            id="who-met.remove-last",
            tooltip="Take the last person added off the list",
        ),
    ]

    def __init__(
        self,
        event: Event,
        contacts: list[Contact],
        capacity: int,
        now: datetime,
        *,
        thresholds: Thresholds | None = None,
    ) -> None:
        super().__init__()
        self.event = event
        self.capacity = capacity
        self.now = now
        self.thresholds = thresholds or Thresholds()
        self.by_id = {c.id: c for c in contacts}
        self.already = [i for i in event.met_contact_ids if i in self.by_id]
        self._folded = sorted(((c.name.casefold(), c) for c in contacts), key=lambda p: p[0])
        self.added: list[MetPerson] = []

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        local = self.event.start.astimezone(self.now.tzinfo)
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = plain(f"Who I met · {self.event.title}")
            yield Static(
                plain(
                    f"Who did you meet at {self.event.title} on {local:%a} {local.day} {local:%b}? "
                    "New people join your acquaintance circle, met at this event."
                ),
                id="who-met-intro",
            )
            yield OptionList(id="who-met-list", compact=True)
            yield Static("", id="who-met-capacity")
            yield field_row(
                "Name",
                MatchInput(
                    matches="#who-met-matches",
                    placeholder="type a name, ↑↓ to choose, enter to add",
                    id="who-met-name",
                ),
                "who-met-name",
            )
            yield OptionList(id="who-met-matches", compact=True)
            yield Static(
                "enter adds · enter on an empty name or ctrl+s saves · ctrl+d removes the last · "
                "esc cancels",
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self._show_list()
        self.query_one("#who-met-name", Input).focus()

    def _show_list(self) -> None:
        listing = self.query_one("#who-met-list", OptionList)
        options: list[Option] = []
        for cid in self.already:
            options.append(
                Option(plain(f"  {self.by_id[cid].name}  · already linked"), disabled=True)
            )
        for person in self.added:
            kind = "existing contact" if person.contact_id is not None else "new acquaintance"
            day = person.follow_up_on
            options.append(
                Option(plain(f"+ {person.name}  · {kind} · follow up {day:%a} {day.day} {day:%b}"))
            )
        if not options:
            options.append(Option("Nobody yet: type the first name below.", disabled=True))
        listing.set_options(options)
        total = len(self.already) + len(self.added)
        capacity = self.query_one("#who-met-capacity", Static)
        over = over_capacity_message(total, self.capacity)
        capacity.update(
            over
            or f"{total} of the {self.capacity} people you can follow up with well from one event."
        )
        capacity.set_class(bool(over), "-over")

    # --- choosing ---------------------------------------------------------------------

    def _taken(self) -> set[int]:
        return set(self.already) | {p.contact_id for p in self.added if p.contact_id is not None}

    def _matches(self, text: str) -> list[Contact]:
        needle = text.casefold().strip()
        if not needle:
            return []
        taken = self._taken()
        starts: list[Contact] = []
        contains: list[Contact] = []
        for name, contact in self._folded:
            if contact.id in taken or needle not in name:
                continue
            (starts if name.startswith(needle) or f" {needle}" in name else contains).append(
                contact
            )
        return (starts + contains)[:MATCH_LIMIT]

    @on(Input.Changed, "#who-met-name")
    def show_matches(self, event: Input.Changed) -> None:
        matches = self.query_one("#who-met-matches", OptionList)
        text = " ".join(event.value.split())
        found = self._matches(text)
        options = [
            Option(plain(c.name + (f"  ({c.company})" if c.company else "")), id=str(c.id))
            for c in found
        ]
        if text:
            options.append(Option(plain(f"+ new contact “{text}”"), id=NEW))
        matches.set_options(options)
        if options:
            matches.highlighted = 0
        matches.set_class(bool(options), "-shown")

    @on(OptionList.OptionSelected, "#who-met-matches")
    def add_clicked(self, event: OptionList.OptionSelected) -> None:
        self._add(event.option.id)

    @on(Input.Submitted, "#who-met-name")
    def add_or_finish(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.action_done()
            return
        matches = self.query_one("#who-met-matches", OptionList)
        if matches.highlighted is not None:
            self._add(matches.get_option_at_index(matches.highlighted).id)

    def _add(self, option_id: str | None) -> None:
        name_input = self.query_one("#who-met-name", Input)
        name = " ".join(name_input.value.split())
        if option_id == NEW:
            if not name:
                return
            # Someone new is learned of now: their window opens today.
            self.added.append(MetPerson(name, None, self._follow_up_day(None)))
        elif option_id is not None:
            contact = self.by_id[int(option_id)]
            # Known since they were added (the model reads the same `created_at`).
            day = self._follow_up_day(contact.created_at)
            self.added.append(MetPerson(contact.name, contact.id, day))
        else:
            return
        name_input.value = ""
        self._show_list()
        name_input.focus()

    def _follow_up_day(self, learned: datetime | None) -> date:
        """The next person's suggested first follow-up: inside the model's window."""
        return first_follow_up_day(
            len(self.already) + len(self.added),
            self.capacity,
            self.event,
            self.now,
            known_since=learned,
            thresholds=self.thresholds,
        )

    # --- finishing --------------------------------------------------------------------

    def action_remove_last(self) -> None:
        if self.added:
            self.added.pop()
            self._show_list()

    def action_done(self) -> None:
        self.dismiss(tuple(self.added))

    def action_cancel(self) -> None:
        self.dismiss(None)

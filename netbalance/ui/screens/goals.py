"""Goals: why the user networks right now, and what serves each goal.

The goals screen lists every goal with how many contacts and events serve it
and when any of them was last touched; `enter` opens a goal's page (its
contacts and events, each with when it was last touched). The goal form adds
or edits a goal; the goal picker links a contact to a goal. Screens only read
the core's store and redraw on every `DataChanged`; keys act through the Session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from netbalance.core.selection import keep_place
from netbalance.domain.dates import human_ago, human_until, parse_day
from netbalance.domain.errors import DomainError
from netbalance.domain.model import Contact, Event, Goal, GoalKind
from netbalance.store.store import Store
from netbalance.ui.safe_text import plain
from netbalance.ui.screens._form import (
    FORM_CSS,
    ValidatedForm,
    field_row,
    form_bindings,
    message_for,
    show_message,
)
from netbalance.ui.session import DataChanged, session_of
from netbalance.ui.widgets.events_pane import STATUS_MARK
from netbalance.ui.widgets.footer import FittingFooter


@dataclass(frozen=True, slots=True)
class GoalLinks:
    """What serves one goal: its contacts and events, and when each was last touched."""

    goal: Goal
    contacts: list[tuple[Contact, datetime | None]]
    events: list[Event]

    def last_touched(self, now: datetime) -> datetime | None:
        """The latest interaction with one of its contacts, or past event serving it."""
        times = [t for _c, t in self.contacts if t is not None]
        times += [e.start for e in self.events if e.start <= now]
        return max(times, default=None)


def goal_links(store: Store) -> list[GoalLinks]:
    """Every goal with the contacts and events linked to it (contacts by last touch)."""
    last = store.last_interactions()
    contacts = store.contacts()
    events = store.events()
    out = []
    for g in store.goals():
        linked = [(c, last.get(c.id)) for c in contacts if g.id in c.goal_ids]
        linked.sort(key=lambda p: (p[1] is None, -(p[1].timestamp() if p[1] else 0), p[0].name))
        out.append(GoalLinks(g, linked, [e for e in events if g.id in e.goal_ids]))
    return out


class GoalsScreen(Screen[None]):
    """Every goal; `n` add, `e` edit, `d` retire or bring back, `enter` its page."""

    DEFAULT_CSS = """
    GoalsScreen #goals-intro {
        height: auto;
        padding: 0 1 1 1;
        color: $text-muted;
    }
    GoalsScreen #goals-table {
        height: 1fr;
    }
    GoalsScreen #goals-empty {
        display: none;
        padding: 1 2;
    }
    GoalsScreen.-empty #goals-empty {
        display: block;
    }
    GoalsScreen.-empty #goals-table {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="goals.back", tooltip="Return to the main screen"),
        Binding("n", "new", "New", id="goals.new", tooltip="Add a goal"),
        Binding("e", "edit", "Edit", id="goals.edit", tooltip="Edit this goal"),
        Binding(
            "d",
            "retire",
            "Retire / revive",
            id="goals.retire",
            tooltip="Set this goal aside (or make it active again); u undoes",
        ),
    ]

    def __init__(self, store: Store, now: datetime) -> None:
        super().__init__()
        self.store = store
        self.now = now

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Why you network right now. Link contacts (l on a contact) and events (their form) "
            "to a goal; the gauge's focus signal and event triage weigh these links.",
            id="goals-intro",
        )
        table: DataTable[str | Text] = DataTable(
            id="goals-table", cursor_type="row", zebra_stripes=True
        )
        table.add_column("Goal", key="title")
        table.add_column("Kind", key="kind")
        table.add_column("Status", key="status")
        table.add_column("Target", key="target")
        table.add_column("Contacts", key="contacts")
        table.add_column("Events", key="events")
        table.add_column("Last touched", key="touched")
        yield table
        yield Static(
            "No goals yet. Are you looking to advance your career, learn, or find business? "
            "Press n to write down the first one.",
            id="goals-empty",
        )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.title = "Goals"
        self.sub_title = "why you network"
        self.query_one("#goals-table", DataTable).focus()
        self.refresh_data()

    @on(DataChanged)
    def data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read goals and their links from the store and redraw (on every change)."""
        links = goal_links(self.store)
        table: DataTable[str | Text] = self.query_one("#goals-table", DataTable)
        keep = self.current_goal_id()
        before = [str(k.value) for k in table.rows]
        table.clear()
        today = self.now.date()
        for link in links:
            g = link.goal
            dim = "" if g.active else "dim"
            target = ""
            if g.target_date is not None:
                target = f"{g.target_date:%d %b %Y} ({human_until(g.target_date, today)})"
            touched = link.last_touched(self.now)
            table.add_row(
                Text(g.title, style=dim or "bold"),
                Text(g.kind.value, style=dim),
                Text("active" if g.active else "retired", style=dim),
                Text(target or "—", style=dim),
                Text(str(len(link.contacts)), style=dim, justify="right"),
                Text(str(len(link.events)), style=dim, justify="right"),
                Text(human_ago(touched, self.now), style=dim),
                key=str(g.id),
            )
        self.set_class(not links, "-empty")
        place = keep_place(
            None if keep is None else str(keep), before, [str(link.goal.id) for link in links]
        )
        if place is not None:
            table.move_cursor(row=place, animate=False)

    def current_goal_id(self) -> int | None:
        table: DataTable[str | Text] = self.query_one("#goals-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    @on(DataTable.RowSelected, "#goals-table")
    def open_goal(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(GoalScreen(self.store, int(event.row_key.value), self.now))

    def action_new(self) -> None:
        new_goal(self)

    def action_edit(self) -> None:
        if (goal_id := self.current_goal_id()) is not None:
            edit_goal(self, goal_id)

    def action_retire(self) -> None:
        if (goal_id := self.current_goal_id()) is not None:
            session_of(self).perform(lambda core: core.retire_goal(goal_id))

    def action_back(self) -> None:
        self.dismiss(None)


class GoalScreen(Screen[None]):
    """One goal's page: its contacts and events, each with when it was last touched."""

    DEFAULT_CSS = """
    GoalScreen #goal-page {
        padding: 0 1;
    }
    GoalScreen #goal-details {
        height: auto;
        margin: 0 0 1 0;
    }
    GoalScreen .section-title {
        text-style: bold;
        color: $text-primary;
    }
    GoalScreen OptionList {
        height: auto;
        max-height: 14;
        margin: 0 0 1 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="goal.back", tooltip="Return to the goals"),
        Binding("e", "edit", "Edit", id="goal.edit", tooltip="Edit this goal"),
    ]

    def __init__(self, store: Store, goal_id: int, now: datetime) -> None:
        super().__init__()
        self.store = store
        self.goal_id = goal_id
        self.now = now

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="goal-page"):
            yield Static(id="goal-details")
            yield Static("Contacts", id="goal-contacts-title", classes="section-title")
            yield OptionList(id="goal-contacts", compact=True)
            yield Static("Events", id="goal-events-title", classes="section-title")
            yield OptionList(id="goal-events", compact=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#goal-contacts", OptionList).focus()
        self.refresh_data()

    @on(DataChanged)
    def data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read the goal and what serves it."""
        link = next((x for x in goal_links(self.store) if x.goal.id == self.goal_id), None)
        if link is None:
            self.query_one("#goal-details", Static).update("This goal is no longer there.")
            return
        g = link.goal
        self.title = g.title
        self.sub_title = f"{g.kind.value} goal · {'active' if g.active else 'retired'}"
        details = Text()
        details.append(g.title + "\n", style="bold")
        details.append(f"{g.kind.value} · {'active' if g.active else 'retired'}")
        if g.target_date is not None:
            until = human_until(g.target_date, self.now.date())
            details.append(f" · target {g.target_date:%d %b %Y} ({until})")
        details.append(f" · last touched {human_ago(link.last_touched(self.now), self.now)}")
        if g.notes:
            details.append("\n" + g.notes)
        self.query_one("#goal-details", Static).update(details)
        tz = self.now.tzinfo
        contacts = [
            Option(
                plain(f"{c.name:<28} {c.circle.label:<13} last touched {human_ago(t, self.now)}"),
                id=str(c.id),
            )
            for c, t in link.contacts
        ]
        self.query_one("#goal-contacts", OptionList).set_options(contacts)
        self.query_one("#goal-contacts-title", Static).update(
            f"Contacts · {len(contacts)}"
            if contacts
            else "Contacts · none yet (press l on a contact in the main list to link one)"
        )
        events = []
        for e in sorted(link.events, key=lambda e: e.start, reverse=True):
            local = e.start.astimezone(tz)
            when = human_ago(e.start, self.now) if e.start <= self.now else "ahead"
            events.append(
                Option(
                    plain(f"{local:%d %b %Y}  {e.title:<34} {STATUS_MARK[e.status]:<9} {when}"),
                    id=str(e.id),
                )
            )
        self.query_one("#goal-events", OptionList).set_options(events)
        self.query_one("#goal-events-title", Static).update(
            f"Events · {len(events)}" if events else "Events · none yet (link them in their form)"
        )

    def action_edit(self) -> None:
        edit_goal(self, self.goal_id)

    def action_back(self) -> None:
        self.dismiss(None)


class GoalForm(ValidatedForm[Goal]):
    """Add or edit a goal; dismisses with the valid Goal, or None on escape."""

    ROWS = ("title", "kind", "target", "notes")
    FALLBACK_ROW = "title"

    DEFAULT_CSS = (
        FORM_CSS
        + """
    GoalForm {
        align: center middle;
    }
    GoalForm .form-dialog {
        width: 72;
    }
    GoalForm #notes {
        height: 3;
    }
    GoalForm .form-hint.-bad {
        color: $text-warning;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = form_bindings(
        "goal-form",
        save_tooltip="Save the goal (enter in a text field does the same)",
        cancel_tooltip="Close without saving",
    )

    def __init__(self, goal: Goal | None, now: datetime) -> None:
        super().__init__()
        self.goal = goal
        self.now = now

    def compose(self) -> ComposeResult:
        g = self.goal
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = plain(f"Edit {g.title}") if g else "New goal"
            yield field_row(
                "Goal",
                Input(
                    g.title if g else "",
                    placeholder="e.g. move into product leadership",
                    id="title",
                    compact=True,
                ),
                "title",
            )
            yield field_row(
                "Kind",
                Select(
                    [(k.value, k) for k in GoalKind],
                    value=g.kind if g else GoalKind.CAREER,
                    allow_blank=False,
                    id="kind",
                    compact=True,
                ),
                "kind",
            )
            yield field_row(
                "Target date",
                Input(
                    g.target_date.isoformat() if g and g.target_date else "",
                    placeholder="optional: 6m, 1 jun, 2027-06-01",
                    id="target",
                    compact=True,
                ),
                "target",
                hint=Static("", id="target-preview", classes="form-hint"),
            )
            yield field_row(
                "Notes", TextArea(g.notes if g else "", id="notes", compact=True), "notes"
            )
            yield Static("enter or ctrl+s save · esc cancel · tab next field", classes="form-keys")

    def on_mount(self) -> None:
        self._preview(self.query_one("#target", Input).value)
        self.query_one("#title", Input).focus()

    def _read_target(self, text: str) -> date | None:
        return parse_day(text, self.now) if text.strip() else None

    @on(Input.Changed, "#target")
    def preview_target(self, event: Input.Changed) -> None:
        show_message(self, "target", "")
        self._preview(event.value)

    def _preview(self, text: str) -> None:
        preview = self.query_one("#target-preview", Static)
        preview.display = bool(text.strip())
        preview.remove_class("-bad")
        try:
            day = self._read_target(text)
        except DomainError as error:
            preview.update(plain(message_for(error)))
            preview.add_class("-bad")
            return
        if day is not None:
            preview.update(f"{day:%a} {day.day} {day:%b %Y} ({human_until(day, self.now.date())})")

    def _read(self) -> tuple[Goal | None, list[DomainError]]:
        """The goal the form describes, or the problem that stops it being valid."""
        target_text = self.query_one("#target", Input).value
        try:
            target = self._read_target(target_text)
        except DomainError as error:
            return None, [DomainError("target", target_text, error.reason)]
        kind = self.query_one("#kind", Select).value
        try:
            base = self.goal if self.goal is not None else Goal("new")
            goal = base.edit(
                title=self.query_one("#title", Input).value,
                kind=kind if isinstance(kind, GoalKind) else GoalKind.OTHER,
                target_date=target,
                notes=self.query_one("#notes", TextArea).text.strip(),
            )
        except DomainError as error:
            return None, [error]
        return goal, []

    def _focus_first_invalid(self) -> Widget | None:
        # A wrong target date leaves the cursor where it was; any other problem is the title's.
        if self.query_one("#target-field").has_class("-invalid"):
            return None
        title = self.query_one("#title-field")
        self.query_one("#title", Input).focus()
        return title


class GoalPicker(ModalScreen[int | None]):
    """Pick a goal to link a contact to (or unlink, when it is already linked)."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    GoalPicker {
        align: center middle;
    }
    GoalPicker .form-dialog {
        width: 64;
    }
    GoalPicker #goal-choices {
        height: auto;
        max-height: 12;
        margin: 1 0 0 0;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="goal-picker.cancel", tooltip="Close, no change"),
    ]

    def __init__(self, contact: Contact, goals: list[Goal]) -> None:
        super().__init__()
        self.contact = contact
        self.goals = [g for g in goals if g.active or g.id in contact.goal_ids]

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = plain(f"Link {self.contact.name} to a goal")
            if not self.goals:
                yield Static("No goals yet: add one on the Goals screen (key G).")
            options = []
            for g in self.goals:
                mark = "✓" if g.id in self.contact.goal_ids else " "
                retired = "" if g.active else " (retired)"
                options.append(
                    Option(plain(f"{mark} {g.title}{retired}  · {g.kind.value}"), id=str(g.id))
                )
            yield OptionList(*options, id="goal-choices", compact=True)
            yield Static("enter links (✓ unlinks) · esc cancel", classes="form-keys")

    def on_mount(self) -> None:
        self.query_one("#goal-choices", OptionList).focus()

    @on(OptionList.OptionSelected, "#goal-choices")
    def choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- what the goal keys do -------------------------------------------------------------


def new_goal(widget: Widget) -> None:
    session = session_of(widget)
    if session.core is None:
        return
    form = GoalForm(None, session.clock())
    form.saver = session.form_saver(lambda core, value: core.add_goal(value))
    widget.app.push_screen(form)


def edit_goal(widget: Widget, goal_id: int) -> None:
    session = session_of(widget)
    core = session.core
    base = core.goal(goal_id) if core else None
    if core is None or base is None:
        return
    form = GoalForm(base, session.clock())
    form.saver = session.form_saver(lambda core, value: core.edit_goal(base, value))
    widget.app.push_screen(form)

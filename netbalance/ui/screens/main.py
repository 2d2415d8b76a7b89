"""The main screen: contacts, the depth vs breadth gauge, today's list and upcoming events.

It handles its own panes' messages (a key on a contact or an event) by asking the
core through the Session, and redraws from the core on every `DataChanged`.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static

from netbalance.core import Core
from netbalance.ui import contact_actions
from netbalance.ui.session import DataChanged, session_of
from netbalance.ui.widgets.contact_list import ContactList
from netbalance.ui.widgets.contacts_pane import ContactsPane
from netbalance.ui.widgets.events_pane import EventsPane
from netbalance.ui.widgets.footer import FittingFooter
from netbalance.ui.widgets.gauge_pane import GaugePane
from netbalance.ui.widgets.today_pane import DATES_DAYS, TodayPane


class MainScreen(Screen[None]):
    """Three panes drawn from the core; keys on them act through the Session."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="contacts-column"):
                yield Static("Contacts", classes="pane-title")
                yield ContactsPane(id="contacts")
            with Vertical(id="side-column"):
                with Vertical(id="gauge-box"):
                    yield Static("Depth vs breadth", classes="pane-title")
                    yield GaugePane(id="gauge")
                yield TodayPane(id="today")
                with Vertical(id="events-box"):
                    yield Static("Upcoming events", classes="pane-title")
                    yield EventsPane(id="events")
        yield Static("Opening your network…", id="loading")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(ContactList).focus()

    # --- focus --------------------------------------------------------------------------

    @on(events.DescendantFocus)
    def show_focus(self, event: events.DescendantFocus) -> None:
        """Mark the pane that has focus (its title and border change) and give a list
        that gets focus a highlighted row, so the keys always act on something shown."""
        focused = event.widget
        for box in self.query("#contacts-column, #gauge-box, #events-box"):
            box.set_class(focused in box.query("*"), "-focused")
        if isinstance(focused, OptionList) and focused.highlighted is None:
            focused.action_first()

    @property
    def core(self) -> Core | None:
        return session_of(self).core

    # --- data down -------------------------------------------------------------------

    @on(DataChanged)
    def redraw(self, message: DataChanged) -> None:
        """Something changed: redraw the panes it touches from the core."""
        changed = message.changed
        if self.core is None:
            return
        self.query_one("#loading").display = False
        if changed.select is not None:
            self.query_one(ContactList).select(changed.select)
        self.show_contacts()
        # The events pane shows statuses and triage hints: a new model brings new hints
        # (install_health says `events`), a follow-up's incremental update does not.
        if changed.events or changed.everything:
            self.show_events()
        if changed.health or changed.everything or changed.settings:
            self.show_gauge()

    def show_contacts(self) -> None:
        """Re-list contacts with the pane's current filter, due-only and order."""
        self.query_one(ContactsPane).relist()

    def show_events(self) -> None:
        core = self.core
        if core is not None:
            self.query_one(EventsPane).show(core.upcoming_events(), core.hints, core.clock())

    def show_gauge(self) -> None:
        core = self.core
        if core is None:
            return
        shown = core.gauge()
        gauge, signals, budget = shown if shown is not None else (None, [], "")
        self.query_one(GaugePane).show(gauge, signals, budget, core.settings.thresholds)
        # Today's list (the model's, as `netbalance due` prints it) and birthdays beside it.
        self.query_one(TodayPane).show(core.today_list(), core.upcoming_dates(DATES_DAYS))

    @property
    def highlighted_contact(self) -> int | None:
        row = self.query_one(ContactList).highlighted
        return row.contact_id if row else None

    # --- the panes' keys ----------------------------------------------------------------

    def _done_with(self, contact_id: int) -> None:
        """The highlighted contact is done with: the cursor goes to the one after it."""
        contacts = self.query_one(ContactList)
        row = contacts.highlighted
        if row is not None and row.contact_id == contact_id:
            contacts.selected_id = contacts.neighbour()

    @on(ContactsPane.FollowUpRequested)
    def follow_up(self, event: ContactsPane.FollowUpRequested) -> None:
        event.stop()
        contacts = self.query_one(ContactList)
        keep = contacts.selected_id
        self._done_with(event.contact_id)
        if not contact_actions.follow_up(self, event.contact_id):
            contacts.selected_id = keep

    @on(ContactsPane.LogRequested)
    def log_requested(self, event: ContactsPane.LogRequested) -> None:
        event.stop()
        contact_actions.log(self, event.contact_id)

    @on(ContactsPane.SnoozeRequested)
    def snooze(self, event: ContactsPane.SnoozeRequested) -> None:
        event.stop()
        contact_actions.snooze(
            self, event.contact_id, chosen=lambda: self._done_with(event.contact_id)
        )

    @on(ContactsPane.NewRequested)
    def new_contact(self, event: ContactsPane.NewRequested) -> None:
        event.stop()
        contact_actions.new_contact(self)

    @on(ContactsPane.EditRequested)
    def edit_contact(self, event: ContactsPane.EditRequested) -> None:
        event.stop()
        contact_actions.edit_contact(self, event.contact_id)

    @on(ContactsPane.ArchiveRequested)
    def archive(self, event: ContactsPane.ArchiveRequested) -> None:
        event.stop()
        contact_actions.archive(self, event.contact_id)

    @on(ContactsPane.BulkRequested)
    def bulk(self, event: ContactsPane.BulkRequested) -> None:
        event.stop()
        contacts = self.query_one(ContactList)
        done = contacts.clear_marks if contacts.marked else None
        contact_actions.bulk(self, event.action, event.contact_ids, done)

    @on(ContactsPane.LinkGoalRequested)
    def link_goal(self, event: ContactsPane.LinkGoalRequested) -> None:
        event.stop()
        contact_actions.link_goal(self, event.contact_id)

    @on(ContactList.Opened)
    def open_contact(self, event: ContactList.Opened) -> None:
        event.stop()
        if self.core is not None:
            # Loaded when first opened, not at start (as the event status below).
            from netbalance.ui.screens.contact import ContactScreen

            self.app.push_screen(ContactScreen(event.contact_id))

    @on(EventsPane.StatusRequested)
    def event_status(self, event: EventsPane.StatusRequested) -> None:
        event.stop()
        from netbalance.ui.screens.events import set_status

        set_status(self, event.event_id, event.status)

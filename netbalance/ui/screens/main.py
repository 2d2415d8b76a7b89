"""The main screen: contacts, upcoming events and the depth vs breadth gauge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from netbalance.ui.widgets.contact_list import ContactList
from netbalance.ui.widgets.contacts_pane import ContactsPane
from netbalance.ui.widgets.events_pane import EventsPane
from netbalance.ui.widgets.gauge_pane import GaugePane

if TYPE_CHECKING:
    from netbalance.ui.network_view import NetworkView


class MainScreen(Screen[None]):
    """Three panes; the app pushes data down with `show_*` and reacts to pane messages."""

    def __init__(self) -> None:
        super().__init__()
        self.view: NetworkView | None = None

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
                with Vertical(id="events-box"):
                    yield Static("Upcoming events", classes="pane-title")
                    yield EventsPane(id="events")
        yield Static("Opening your network…", id="loading")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ContactList).focus()

    # --- data down -------------------------------------------------------------------

    def attach(self, view: NetworkView) -> None:
        """Show this network (called once the store is open, and after reloads)."""
        self.view = view
        self.query_one("#loading").display = False
        self.show_contacts()
        self.show_events({})

    def show_contacts(self, keep: int | None = None) -> None:
        """Re-list contacts with the pane's current filter, due-only and order."""
        if self.view is None:
            return
        pane = self.query_one(ContactsPane)
        rows = self.view.rows(pane.query_text, due_only=pane.due_only, order=pane.order)
        pane.show(rows, total=len(self.view.contacts), due=self.view.due_count(), keep=keep)

    def show_events(self, hints: dict[int, tuple[str, str]]) -> None:
        if self.view is None:
            return
        self.query_one(EventsPane).show(self.view.upcoming_events(), hints, self.view.now())

    def show_gauge(self, gauge: Any | None, signals: list[Any], budget_line: str) -> None:
        if self.view is None:
            return
        self.query_one(GaugePane).show(gauge, signals, budget_line, self.view.settings.thresholds)

    @property
    def highlighted_contact(self) -> int | None:
        row = self.query_one(ContactList).highlighted
        return row.contact_id if row else None

    @on(ContactsPane.ViewChanged)
    def relist(self, event: ContactsPane.ViewChanged) -> None:
        event.stop()
        self.show_contacts(keep=self.highlighted_contact)

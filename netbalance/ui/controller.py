"""What the keys do: each action updates the screen at once, then writes in order.

The app hands every request from the panes and screens to the Controller. It
changes the NetworkView first (so the screen answers within a frame), queues
the store write on the StoreWriter, and on failure reloads the view from the
store (which put itself back to what is on disk) and says what went wrong.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import SystemCommand

from netbalance.domain import Contact, DomainError, EventStatus, Interaction, InteractionKind
from netbalance.domain.health import (
    Gauge,
    NetworkFacts,
    NetworkModel,
    Signal,
    triage_upcoming,
)
from netbalance.store import Store, StoreError
from netbalance.ui.plans import Plans
from netbalance.ui.reflection import Reflection
from netbalance.ui.widgets.contacts_pane import ContactsPane
from netbalance.ui.widgets.events_pane import EventsPane

if TYPE_CHECKING:
    from netbalance.app import NetbalanceApp
    from netbalance.ui.network_view import NetworkView

T = TypeVar("T")


class Controller:
    """Carries out the user's actions for the app."""

    def __init__(self, app: NetbalanceApp) -> None:
        self.app = app
        self.model: NetworkModel | None = None
        self._model_day: date | None = None
        self.hints: dict[int, tuple[str, str]] = {}
        # Events, goals, who I met: netbalance/ui/plans.py.
        self.plans = Plans(self)
        # Weekly review and settings: netbalance/ui/reflection.py.
        self.reflection = Reflection(self)

    # --- helpers ----------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self.app.store is not None and self.app.view is not None

    @property
    def store(self) -> Store:
        assert self.app.store is not None
        return self.app.store

    @property
    def view(self) -> NetworkView:
        assert self.app.view is not None
        return self.app.view

    def _write(
        self,
        work_fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        *,
        rebuild: bool = True,
    ) -> None:
        """Queue a store write; on failure reload the screen from the store and say why.

        `rebuild=False` when `on_done` brings the health model up to date itself
        (incrementally: ~1 ms instead of a ~100 ms rebuild at 5,000 contacts).
        """

        def done(result: T) -> None:
            if on_done is not None:
                on_done(result)
            if rebuild:
                self.refresh_health()

        self.app.writer.submit(work_fn, done, self._write_failed)

    def _write_failed(self, err: Exception) -> None:
        if isinstance(err, DomainError):
            message = f"Not saved: {err}"
        elif isinstance(err, StoreError):
            message = f"Not saved. {err}"
        else:
            message = f"Not saved: unexpected {type(err).__name__}: {err}"
        self.app.notify(message, title="Could not save", severity="error", timeout=12)
        self.reload()

    def reload(self) -> None:
        """Rebuild the view from the store (after another process wrote, or a failed write)."""
        if not self.ready:
            return
        keep = self.app.main.highlighted_contact
        self.view.load()
        self.app.main.show_contacts(keep=keep)
        self.refresh_health()

    def _contact(self, contact_id: int) -> Contact | None:
        return self.view.contacts.get(contact_id)

    def _due_phrase(self, contact_id: int) -> str:
        item = self.view.items.get(contact_id)
        if item is None or item.next_due is None:
            return "no cadence"
        return f"next due {item.next_due:%d %b}"

    # --- follow-ups and interactions -----------------------------------------------------

    def follow_up(self, contact_id: int) -> None:
        """`f`: log a follow-up now; the contact re-ranks and the cursor moves to the next due."""
        if not self.ready or (contact := self._contact(contact_id)) is None:
            return
        now = self.app.clock()
        interaction = Interaction((contact_id,), now, kind=InteractionKind.MESSAGE, depth=2)
        self._log(interaction, now, f"Followed up with {contact.name}")

    def log(self, contact_id: int | None) -> None:
        """`F`: log an interaction with details in a form."""
        if not self.ready:
            return
        from netbalance.ui.screens.interaction_form import InteractionForm

        now = self.app.clock()
        contacts = sorted(self.view.contacts.values(), key=lambda c: c.name.casefold())
        form = InteractionForm(contacts, [contact_id] if contact_id else [], now)

        def logged(result: Interaction | None) -> None:
            if result is not None:
                names = ", ".join(
                    self.view.contacts[c].name
                    for c in result.contact_ids
                    if c in self.view.contacts
                )
                self._log(result, now, f"Logged {result.kind.label.lower()} with {names}")

        self.app.push_screen(form, logged)

    def _log(self, interaction: Interaction, now: datetime, what: str) -> None:
        try:
            interaction.check_not_future(now)
        except DomainError as err:
            self.app.notify(str(err), severity="error")
            return
        self.view.follow_up(interaction)
        self.app.main.show_contacts()
        first = interaction.contact_ids[0]
        self.app.notify(f"{what} · {self._due_phrase(first)}", title="Saved")
        self._write(
            partial(self.store.log_interaction, interaction, now), self._logged, rebuild=False
        )

    def _logged(self, stored: Interaction) -> None:
        self._model_takes(interaction=stored)
        self._refresh_contact_screen()

    def _after_contact_write(self, stored: Contact) -> None:
        self._model_takes(contacts=[stored])
        self._refresh_contact_screen()

    # --- snooze, add, edit, archive --------------------------------------------------------

    def snooze(self, contact_id: int) -> None:
        if not self.ready or (contact := self._contact(contact_id)) is None:
            return
        from netbalance.ui.screens.snooze import SnoozeDialog

        def chosen(until: datetime | None) -> None:
            if until is None:
                return
            self.view.put_contact(contact.edit(snoozed_until=until))
            self.app.main.show_contacts()
            local = until.astimezone(self.app.clock().tzinfo)
            self.app.notify(f"Snoozed {contact.name} until {local:%a %d %b}", title="Saved")
            self._write(
                partial(self.store.snooze, contact_id, until),
                self._after_contact_write,
                rebuild=False,
            )

        self.app.push_screen(SnoozeDialog(contact.name, self.app.clock()), chosen)

    def new_contact(self) -> None:
        if not self.ready:
            return
        from netbalance.ui.screens.contact_form import ContactForm

        def saved(contact: Contact | None) -> None:
            if contact is None:
                return

            def added(stored: Contact) -> None:
                self.view.put_contact(stored)
                self.app.main.show_contacts(keep=stored.id)
                self.app.notify(
                    f"Added {stored.name} · {self._due_phrase(stored.id)}", title="Saved"
                )
                self._model_takes(contacts=[stored])

            self._write(
                partial(self.store.add_contact, contact, self.app.clock()), added, rebuild=False
            )

        form = ContactForm(None, self.store.goals(), self.view.settings)
        self.app.push_screen(form, saved)

    def edit_contact(self, contact_id: int) -> None:
        if not self.ready or (contact := self._contact(contact_id)) is None:
            return
        from netbalance.ui.screens.contact_form import ContactForm

        def saved(edited: Contact | None) -> None:
            if edited is None or edited == contact:
                return
            self.view.put_contact(edited)
            self.app.main.show_contacts(keep=edited.id)
            self.app.notify(f"Saved {edited.name}", title="Saved")
            self._write(
                partial(self.store.update_contact, edited), self._after_contact_write, rebuild=False
            )

        form = ContactForm(contact, self.store.goals(), self.view.settings)
        self.app.push_screen(form, saved)

    def archive(self, contact_id: int) -> None:
        """`d`: archive at once; `u` brings the contact back."""
        if not self.ready or (contact := self._contact(contact_id)) is None:
            return
        self.view.put_contact(contact.edit(archived=True))
        self.app.main.show_contacts()
        self.app.notify(f"Archived {contact.name} · press u to undo", title="Archived")
        self._write(
            partial(self.store.archive_contact, contact_id, True),
            self._after_contact_write,
            rebuild=False,
        )

    def undo(self) -> None:
        """`u`: put back what the last change of this session replaced."""
        if not self.ready:
            return
        self.app.notify("Undoing…", timeout=1)

        def do_undo() -> str | None:
            change = self.store.last_change
            if change is None:
                return None
            self.store.undo(change)
            return change.description

        def undone(description: str | None) -> None:
            if description is None:
                self.app.notify("Nothing to undo.", severity="warning")
                return
            self.reload()
            self._refresh_contact_screen()
            self.app.notify(f"Undid: {description}", title="Undone")

        self._write(do_undo, undone)

    # --- events --------------------------------------------------------------------------

    def set_event_status(self, event_id: int, status: EventStatus) -> None:
        if not self.ready:
            return
        events = {e.id: e for e in self.view.events}
        event = events.get(event_id)
        if event is None or event.status is status:
            return
        self.view.events = [
            e.edit(status=status) if e.id == event_id else e for e in self.view.events
        ]
        self.app.main.show_events(self.hints)
        self.app.notify(f"{event.title}: {status.value}", title="Saved")
        self._write(partial(self.store.set_event_status, event_id, status))

    # --- screens ----------------------------------------------------------------------------

    def open_contact(self, contact_id: int) -> None:
        if not self.ready:
            return
        from netbalance.ui.screens.contact import ContactScreen

        self.app.push_screen(ContactScreen(self.store, contact_id, self.app.clock()))

    def _refresh_contact_screen(self) -> None:
        """If a contact screen is showing, let it re-read the store."""
        refresh = getattr(self.app.screen, "refresh_contact", None)
        if callable(refresh):
            refresh()

    def help(self) -> None:
        """`?`: every key of the main screen, or of whichever screen is showing."""
        from netbalance.ui.screens.help import HelpScreen, sections_from_bindings

        screen = self.app.screen
        if screen is self.app.main:
            self.app.push_screen(HelpScreen(self.key_rows()))
            return
        active = screen.active_bindings
        shown = {key: self.app.get_key_display(b.binding) for key, b in active.items()}
        self.app.push_screen(HelpScreen(sections_from_bindings(active, shown)))

    def key_rows(self) -> list[tuple[str, list[tuple[str, str] | tuple[str, str, str]]]]:
        """Every key, grouped by where it works, with remaps applied."""
        from netbalance.ui.widgets.contact_list import ContactList
        from netbalance.ui.widgets.contacts_pane import ContactsPane
        from netbalance.ui.widgets.events_pane import EventsPane

        keymap = self.app.config.keymap

        def rows(bindings: Iterable[Any]) -> list[tuple[str, str] | tuple[str, str, str]]:
            out: list[tuple[str, str] | tuple[str, str, str]] = []
            for b in bindings:
                key = keymap.get(b.id, b.key) if b.id else b.key
                # "slash" and "question_mark" shown as the footer shows them: / and ?
                shown = ", ".join(
                    self.app.get_key_display(dataclasses.replace(b, key=k.strip()))
                    for k in key.split(",")
                )
                out.append((shown, b.description or b.action, b.id or ""))
            return out

        return [
            ("Contacts", rows(ContactsPane.BINDINGS) + rows(ContactList.BINDINGS[-1:])),
            ("Events", rows(EventsPane.BINDINGS)),
            (
                "Everywhere",
                [
                    *rows(self.app.BINDINGS),
                    ("tab / shift+tab", "Next / previous pane"),
                    ("ctrl+p", "Command palette"),
                ],
            ),
        ]

    def welcome(self) -> None:
        from netbalance.ui.screens.welcome import WelcomeScreen

        def chosen(choice: str | None) -> None:
            if choice == "add":
                self.new_contact()
            elif choice == "demo":
                self.load_demo()
            elif choice == "import":
                self.import_file()

        self.app.push_screen(WelcomeScreen(), chosen)

    def import_file(self) -> None:
        """`i`: preview an import of contacts or events from a file, then write it."""
        if not self.ready:
            return
        from netbalance.ui.screens.import_screen import ImportScreen

        if isinstance(self.app.screen, ImportScreen):
            return
        now = self.app.clock()
        zone = getattr(now.tzinfo, "name", None) or getattr(now.tzinfo, "key", None) or "UTC"
        screen = ImportScreen(self.store, now, default_tz=str(zone), writer=self.app.writer)
        self.app.push_screen(screen)

    def imported(self, counts: dict[str, int]) -> None:
        """The import screen wrote an import: show it."""
        self.reload()
        self._refresh_contact_screen()
        self.app.notify(
            f"Imported {counts['new']} new, merged {counts['merged']}, skipped {counts['skipped']}",
            title="Imported",
        )

    def load_demo(self) -> None:
        from netbalance.demo import write_demo

        if not self.ready:
            return
        now = self.app.clock()

        def done(_result: object) -> None:
            self.reload()
            self.app.notify("Demo network loaded: 500 contacts to explore.", title="Demo data")

        self.app.notify("Loading demo data…", timeout=2)
        self._write(partial(write_demo, self.store, "small", 7, now), done)

    def show_store_error(self, err: StoreError) -> None:
        from netbalance.ui.screens.error import StoreErrorScreen

        self.app.push_screen(StoreErrorScreen(err))

    # --- keeping up -----------------------------------------------------------------------

    def poll_other_processes(self) -> None:
        """Show writes from other processes (e.g. `netbalance log` in another terminal)."""
        if not self.ready or self.app.writer.busy:
            return
        try:
            changed = self.store.refresh()
        except StoreError as err:
            self.app.notify(str(err), title="Database problem", severity="error", timeout=15)
            return
        # Past midnight "3 days late" becomes "4 days late": re-rank once a day too.
        if changed or self.view.now().date() != self.view.loaded_day:
            self.reload()
            self._refresh_contact_screen()

    def refresh_health(self) -> None:
        """Recompute strengths, the gauge and signals from scratch, in the background."""
        if self.ready:
            now = self.app.clock()
            self.app.run_worker(
                partial(self._build_health, now), thread=True, exclusive=True, group="health"
            )

    def _model_takes(
        self, interaction: Interaction | None = None, contacts: Iterable[Contact] = ()
    ) -> None:
        """Bring the health model up to date with one change, incrementally."""
        model = self.model
        if model is None or self._model_day != self.view.now().date():
            self.refresh_health()
            return
        changed: list[int] = []
        if interaction is not None:
            model.apply_interaction(interaction)
            changed += interaction.contact_ids
        for contact in contacts:
            if contact.archived:
                model.remove_contact(contact.id)
            else:
                model.apply_contact(contact)
            changed.append(contact.id)
        for cid in changed:
            self.view.set_strength(cid, model.strength_value(cid))
        self.app.main.show_contacts(keep=self.app.main.highlighted_contact)
        self.app.main.show_gauge(model.gauge(), model.signals(), self._budget_line(model.facts()))

    def _build_health(self, now: datetime) -> None:
        """Runs in a worker thread; hands the results to the UI thread."""
        store = self.store
        revision = store.revision
        by_contact = store.interactions_by_contact()
        model = NetworkModel.build(
            store.contacts(),
            by_contact,
            store.events(),
            store.goals(),
            store.settings(),
            now,
        )
        strengths = model.strengths()
        gauge, signals, facts = model.gauge(), model.signals(), model.facts()
        events = store.events()
        triages = triage_upcoming(events, store.goals(), store.settings(), now, by_contact)
        hints = {t.event_id: (t.recommendation.value, t.reason) for t in triages}
        result = (model, strengths, gauge, signals, facts, hints)
        self.app.call_from_thread(self._health_ready, now, revision, *result)

    def _health_ready(
        self,
        now: datetime,
        revision: int,
        model: NetworkModel,
        strengths: dict[int, int],
        gauge: Gauge,
        signals: list[Signal],
        facts: NetworkFacts,
        hints: dict[int, tuple[str, str]],
    ) -> None:
        if self.store.revision != revision:
            # A write landed while the model was built: it may be missing; build again.
            self.refresh_health()
        self.model = model
        self._model_day = now.date()
        self.hints = hints
        self.view.set_strengths(strengths)
        self.app.main.show_contacts(keep=self.app.main.highlighted_contact)
        self.app.main.show_gauge(gauge, signals, self._budget_line(facts))
        self.app.main.show_events(hints)

    def _budget_line(self, facts: NetworkFacts) -> str:
        settings = self.view.settings
        hours = facts.networking_hours_week
        mark = "over budget" if hours > settings.weekly_hours else "within budget"
        return (
            f"This week {hours:.1f} h of {settings.weekly_hours:g} h budget ({mark}) · "
            f"{facts.events_month} of {settings.events_per_month} events this month"
        )

    # --- command palette ---------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        def on_contact(fn: Callable[[int], None]) -> Callable[[], None]:
            def run() -> None:
                cid = self.app.main.highlighted_contact
                if cid is not None:
                    fn(cid)

            return run

        yield SystemCommand(
            "Contact: follow up",
            "Log a follow-up now with the highlighted contact",
            on_contact(self.follow_up),
        )
        yield SystemCommand(
            "Contact: log an interaction",
            "Kind, depth, note, several people",
            lambda: self.log(self.app.main.highlighted_contact),
        )
        yield SystemCommand(
            "Contact: snooze", "Quiet the highlighted contact for a while", on_contact(self.snooze)
        )
        yield SystemCommand("Contact: add", "Add a new contact", self.new_contact)
        yield SystemCommand(
            "Contact: edit", "Edit the highlighted contact", on_contact(self.edit_contact)
        )
        yield SystemCommand(
            "Contact: archive",
            "Archive the highlighted contact (u undoes)",
            on_contact(self.archive),
        )
        yield SystemCommand(
            "Contact: open", "Profile, strength and timeline", on_contact(self.open_contact)
        )
        yield SystemCommand(
            "Contacts: filter",
            "Filter by name, tag or company",
            lambda: self._contacts_pane().action_filter(),
        )
        yield SystemCommand(
            "Contacts: toggle due only",
            "Show only contacts that are due",
            lambda: self._contacts_pane().action_due_only(),
        )
        yield SystemCommand(
            "Contacts: change sort order",
            "Due, name or strength",
            lambda: self._contacts_pane().action_sort(),
        )
        yield SystemCommand(
            "Events: all events", "Past and upcoming, triage and return", self.plans.open_events
        )
        yield SystemCommand("Event: add", "Title, when, hours, goals", self.plans.new_event)
        for status, verb in (("going", "going"), ("declined", "decline"), ("attended", "attended")):
            yield SystemCommand(
                f"Event: {verb}",
                f"Mark the highlighted upcoming event {status}",
                partial(self._events_pane_status, status),
            )
        yield SystemCommand(
            "Goals: all goals", "Why you network, and what serves each goal", self.plans.open_goals
        )
        yield SystemCommand("Goal: add", "Career, learning, business or other", self.plans.new_goal)
        yield SystemCommand(
            "Contact: link to a goal",
            "Link the highlighted contact to a goal",
            on_contact(self.plans.link_goal),
        )
        yield SystemCommand(
            "Review: this week",
            "What happened, what paid off, the gauge's trend, your note",
            self.reflection.open_review,
        )
        yield SystemCommand(
            "Settings: networking budget",
            "Hours a week, events a month, circles, thresholds",
            self.reflection.open_settings,
        )
        yield SystemCommand("Edit: undo", "Undo the last change", self.undo)
        yield SystemCommand("Help: keys", "Every key on one page", self.help)
        yield SystemCommand(
            "Data: import contacts or events",
            "vCard, LinkedIn, Google, Outlook, calendar or a netbalance backup",
            self.import_file,
        )
        yield SystemCommand(
            "Data: load demo network", "Only into an empty database", self._demo_if_empty
        )

    def _events_pane_status(self, status: str) -> None:
        self.app.main.query_one(EventsPane).action_status(status)

    def _contacts_pane(self) -> ContactsPane:
        return self.app.main.query_one(ContactsPane)

    def _demo_if_empty(self) -> None:
        if self.ready and not self.store.is_empty():
            self.app.notify("Demo data only goes into an empty database.", severity="warning")
            return
        self.load_demo()

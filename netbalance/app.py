"""The Textual app: stylesheet, global keys, palette commands, and the Store it owns.

`make_app(db_path, config, now)` is the one way to build it: the command line,
pilot tests, snapshot tests and the screenshot script all use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import pendulum
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from netbalance.config import AppConfig
from netbalance.store import Store, StoreError
from netbalance.ui.controller import Controller
from netbalance.ui.network_view import NetworkView
from netbalance.ui.screens import duplicates, network_picture
from netbalance.ui.screens.contact import ContactScreen
from netbalance.ui.screens.events import EventsScreen
from netbalance.ui.screens.goals import GoalsScreen
from netbalance.ui.screens.import_screen import ImportScreen
from netbalance.ui.screens.main import MainScreen
from netbalance.ui.widgets.contact_list import ContactList
from netbalance.ui.widgets.contacts_pane import ContactsPane
from netbalance.ui.widgets.events_pane import EventsPane
from netbalance.ui.writer import StoreWriter

# How often the app looks for writes made by other processes (two stat calls when idle).
POLL_SECONDS = 2.0


class NetbalanceApp(App[None]):
    """Full-screen netbalance."""

    CSS_PATH = "netbalance.tcss"
    TITLE = "netbalance"

    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit netbalance", id="app.quit"),
        Binding("question_mark", "help", "Help", tooltip="Every key on one page", id="app.help"),
        # The footer keeps to the everyday keys; the rest are in help (?) and the palette.
        Binding("u", "undo", "Undo", show=False, tooltip="Undo the last change", id="app.undo"),
        Binding(
            "i",
            "import",
            "Import",
            show=False,
            tooltip="Import contacts or events from a file",
            id="app.import",
        ),
        Binding(
            "E",
            "events",
            "Events",
            tooltip="Every event, past and upcoming",
            id="app.events",
        ),
        Binding(
            "G",
            "goals",
            "Goals",
            tooltip="Your goals and what serves them",
            id="app.goals",
        ),
        Binding(
            "r", "review", "Review", tooltip="The weekly review: look back, adjust", id="app.review"
        ),
        Binding(
            "D",
            "duplicates",
            "Duplicates",
            show=False,
            tooltip="Contacts that may be one person: merge or keep apart",
            id="app.duplicates",
        ),
        Binding(
            "N",
            "picture",
            "Network",
            show=False,
            tooltip="Your circles as rings: everyone a mark, kept / due / overdue",
            id="app.picture",
        ),
        Binding(
            "comma",
            "settings",
            "Settings",
            show=False,
            key_display=",",
            tooltip="Networking budget, circles and thresholds",
            id="app.settings",
        ),
    ]

    def __init__(self, db_path: Path, config: AppConfig, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.db_path = db_path
        self.config = config
        self.clock = clock
        self.store: Store | None = None
        self.view: NetworkView | None = None
        self.writer = StoreWriter(report=self._callback_failed)
        # Set once the store is open (or has failed to open): the first frame comes before it.
        self.opened = asyncio.Event()
        self.controller = Controller(self)
        self.main = MainScreen()
        if config.keymap:
            self.set_keymap(config.keymap)

    # --- start-up -------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = (
            self.config.theme if self.config.theme in self.available_themes else "textual-dark"
        )
        self.sub_title = f"{self.db_path.name} · {self.clock():%a %d %b %Y}"
        self.push_screen(self.main)
        for warning in self.config.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self.run_worker(self.writer.run(), name="store-writer", group="writer")
        # Open after the first frame: parsing a big file holds the GIL and would delay it.
        self.call_after_refresh(self.open_store)

    @work(thread=True, exclusive=True, group="open")
    def open_store(self) -> None:
        """Open the database off the UI thread, then show it."""
        try:
            store = Store.open(self.db_path)
        except StoreError as err:
            self.call_from_thread(self.controller.show_store_error, err)
            self.call_from_thread(self.opened.set)
            return
        view = NetworkView(store, self.clock)
        view.load()
        self.call_from_thread(self._opened, store, view)

    def _opened(self, store: Store, view: NetworkView) -> None:
        self.store, self.view = store, view
        self.main.attach(view)
        self.controller.refresh_health()
        self.opened.set()
        self.set_interval(POLL_SECONDS, self.controller.poll_other_processes)
        if store.is_empty():
            self.controller.welcome()

    def _callback_failed(self, err: Exception) -> None:
        # The write itself is done and saved; only showing its result went wrong.
        self.log.error(f"after a write: {type(err).__name__}: {err}")
        if self.store is not None and self.view is not None:
            self.controller.reload()

    async def settle(self) -> None:
        """Wait until the store is open, queued writes are done and the gauge is computed.

        For tests, snapshots and screenshots: no sleeping, just waiting for the work.
        """
        # The store opens after the first frame: until then there is no work to wait for.
        await self.opened.wait()
        while True:
            await self.writer.join()
            pending = [w for w in self.workers if w.group != "writer" and w.is_running]
            if not pending and not self.writer.busy:
                break
            await self.workers.wait_for_complete(pending)
        # Let the messages the workers posted be handled.
        for _ in range(3):
            await self.animator.wait_until_complete()
            await asyncio.sleep(0)

    async def on_unmount(self) -> None:
        await self.writer.join()
        if self.store is not None:
            self.store.close()

    # --- global actions -----------------------------------------------------------------

    def action_help(self) -> None:
        self.controller.help()

    def action_undo(self) -> None:
        self.controller.undo()

    def action_import(self) -> None:
        self.controller.import_file()

    def action_events(self) -> None:
        self.controller.plans.open_events()

    def action_goals(self) -> None:
        self.controller.plans.open_goals()

    def action_review(self) -> None:
        self.controller.reflection.open_review()

    def action_settings(self) -> None:
        self.controller.reflection.open_settings()

    def action_duplicates(self) -> None:
        duplicates.open_duplicates(self)

    def action_picture(self) -> None:
        network_picture.open_picture(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # On the import screen a second import or an undo would make its preview stale.
        return not (action in ("import", "undo") and isinstance(self.screen, ImportScreen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from self.controller.palette_commands()
        yield from duplicates.palette_commands(self, screen)
        yield from network_picture.palette_commands(self)

    # --- messages from the panes and screens ----------------------------------------------

    @on(ImportScreen.Imported)
    def handle_imported(self, event: ImportScreen.Imported) -> None:
        self.controller.imported(event.counts)

    @on(duplicates.ContactsChanged)
    def handle_contacts_changed(self, event: duplicates.ContactsChanged) -> None:
        self.controller.reload()
        self.controller._refresh_contact_screen()

    @on(ContactsPane.FollowUpRequested)
    @on(ContactScreen.FollowUpRequested)
    def handle_follow_up(
        self, event: ContactsPane.FollowUpRequested | ContactScreen.FollowUpRequested
    ) -> None:
        self.controller.follow_up(event.contact_id)

    @on(ContactsPane.LogRequested)
    @on(ContactScreen.LogRequested)
    def handle_log(self, event: ContactsPane.LogRequested | ContactScreen.LogRequested) -> None:
        self.controller.log(event.contact_id)

    @on(ContactsPane.SnoozeRequested)
    @on(ContactScreen.SnoozeRequested)
    def handle_snooze(
        self, event: ContactsPane.SnoozeRequested | ContactScreen.SnoozeRequested
    ) -> None:
        self.controller.snooze(event.contact_id)

    @on(ContactsPane.NewRequested)
    def handle_new_contact(self, event: ContactsPane.NewRequested) -> None:
        self.controller.new_contact()

    @on(ContactsPane.EditRequested)
    @on(ContactScreen.EditRequested)
    def handle_edit_contact(
        self, event: ContactsPane.EditRequested | ContactScreen.EditRequested
    ) -> None:
        self.controller.edit_contact(event.contact_id)

    @on(ContactsPane.ArchiveRequested)
    def handle_archive_contact(self, event: ContactsPane.ArchiveRequested) -> None:
        self.controller.archive(event.contact_id)

    @on(ContactList.Opened)
    @on(network_picture.OpenContact)
    def handle_open_contact(self, event: ContactList.Opened | network_picture.OpenContact) -> None:
        self.controller.open_contact(event.contact_id)

    @on(EventsPane.StatusRequested)
    @on(EventsScreen.StatusRequested)
    def handle_event_status(
        self, event: EventsPane.StatusRequested | EventsScreen.StatusRequested
    ) -> None:
        self.controller.plans.set_status(event.event_id, event.status)

    @on(EventsScreen.NewRequested)
    def handle_new_event(self, event: EventsScreen.NewRequested) -> None:
        self.controller.plans.new_event()

    @on(EventsScreen.EditRequested)
    def handle_edit_event(self, event: EventsScreen.EditRequested) -> None:
        self.controller.plans.edit_event(event.event_id)

    @on(EventsScreen.WhoMetRequested)
    def handle_who_met(self, event: EventsScreen.WhoMetRequested) -> None:
        self.controller.plans.who_met(event.event_id)

    @on(GoalsScreen.NewRequested)
    def handle_new_goal(self, event: GoalsScreen.NewRequested) -> None:
        self.controller.plans.new_goal()

    @on(GoalsScreen.EditRequested)
    def handle_edit_goal(self, event: GoalsScreen.EditRequested) -> None:
        self.controller.plans.edit_goal(event.goal_id)

    @on(GoalsScreen.RetireRequested)
    def handle_retire_goal(self, event: GoalsScreen.RetireRequested) -> None:
        self.controller.plans.retire_goal(event.goal_id)

    @on(ContactsPane.LinkGoalRequested)
    def handle_link_goal(self, event: ContactsPane.LinkGoalRequested) -> None:
        self.controller.plans.link_goal(event.contact_id)


def make_app(
    db_path: Path,
    config: AppConfig | None = None,
    now: datetime | None = None,
) -> NetbalanceApp:
    """Build the app. A fixed `now` freezes its clock (tests, snapshots, screenshots)."""

    def clock() -> datetime:
        return now if now is not None else pendulum.now()

    return NetbalanceApp(Path(db_path), config or AppConfig(), clock)


def run_app(db_path: Path | None) -> int:
    """Run the app full screen (`netbalance` with no subcommand).

    `db_path` None means no --db or NETBALANCE_DB: config.toml's database, else the XDG default.
    """
    from netbalance.config import load_config
    from netbalance.paths import config_path, default_db_path

    config = load_config(config_path())
    path = db_path or config.database or default_db_path()
    app = make_app(path, config)
    app.run()
    return app.return_code or 0

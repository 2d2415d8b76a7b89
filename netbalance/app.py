"""The Textual app: stylesheet, global keys, palette commands, and the Store it owns.

`make_app(db_path, config, now)` is the one way to build it: the command line,
pilot tests, snapshot tests and the screenshot script all use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pendulum
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from netbalance.config import AppConfig
from netbalance.core import Core
from netbalance.domain.text import escape_controls
from netbalance.store import Store, StoreError
from netbalance.ui import commands
from netbalance.ui.navigation import SCREEN_ACTIONS, blocks_switching, is_import_screen
from netbalance.ui.palette import PeopleAndEvents
from netbalance.ui.screens.error import StoreErrorScreen
from netbalance.ui.screens.main import MainScreen
from netbalance.ui.session import Session
from netbalance.ui.writer import StoreWriter

if TYPE_CHECKING:
    from netbalance.ui.screens.import_screen import ImportScreen

# How often the app looks for writes made by other processes (two stat calls when idle).
POLL_SECONDS = 2.0


class NetbalanceApp(App[None]):
    """Full-screen netbalance."""

    CSS_PATH = "netbalance.tcss"
    # ctrl+p finds people and events by name too ("Open Lena Kim", "Follow up with Lena Kim").
    COMMANDS = App.COMMANDS | {PeopleAndEvents}
    TITLE = "netbalance"

    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit netbalance", id="app.quit"),
        Binding("question_mark", "help", "Help", tooltip="Every key on one page", id="app.help"),
        # The footer keeps to the everyday keys; the rest are in help (?) and the palette.
        Binding(
            "u,ctrl+z",
            "undo",
            "Undo",
            show=False,
            tooltip="Undo the last change (again: the one before)",
            id="app.undo",
        ),
        Binding(
            "U,ctrl+y",
            "redo",
            "Redo",
            show=False,
            tooltip="Do again what was undone last",
            id="app.redo",
        ),
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
        # The core (store, ranked list, health model) and the one way changes reach screens.
        self.session = Session(self, clock)
        # Set once the store is open (or has failed to open): the first frame comes before it.
        self.opened = asyncio.Event()
        self.main = MainScreen()
        if config.keymap:
            self.set_keymap(config.keymap)

    @property
    def store(self) -> Store | None:
        """The open database (None until it is open)."""
        return self.session.core.store if self.session.core is not None else None

    @property
    def writer(self) -> StoreWriter:
        return self.session.writer

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast names contacts, events or files: show their text as it is, never as
        markup (a name like `Plain [/] close` crashed the app) nor as terminal control."""
        del markup  # no toast uses markup; names in it must not become it
        super().notify(
            escape_controls(message),
            title=escape_controls(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        # Screen titles hold names (a contact's, a goal's) and the database file's name.
        return super().format_title(escape_controls(title), escape_controls(sub_title))

    # --- start-up -------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The main screen is the bottom of the stack, not a screen pushed on Textual's
        blank default one: a screen below counts as a background screen, and any change
        to it (its scrollbars, on every key) makes Textual repaint the whole main screen
        instead of the rows that changed."""
        return self.main

    def on_mount(self) -> None:
        self.theme = (
            self.config.theme if self.config.theme in self.available_themes else "textual-dark"
        )
        self.sub_title = f"{self.db_path.name} · {self.clock():%a %d %b %Y}"
        # What is here now lives as long as the app: the modules, the app and its main
        # screen (see _freeze).
        _freeze()
        for warning in self.config.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self.run_worker(self.session.writer.run(), name="store-writer", group="writer")
        # Open after the first frame: parsing a big file holds the GIL and would delay it.
        self.call_after_refresh(self.open_store)

    @work(thread=True, exclusive=True, group="open")
    def open_store(self) -> None:
        """Open the database and rank its contacts off the UI thread, then show them."""
        try:
            # The store's records and the ranked list live until a reload: the collector
            # is paused while they are made (its passes over them were ~40 ms of the
            # open at 5k/50k), then they are frozen (see _freeze).
            with _collector_paused():
                core = Core.open(Store.open(self.db_path), self.clock)
        except StoreError as err:
            self.call_from_thread(self.push_screen, StoreErrorScreen(err))
            self.call_from_thread(self.opened.set)
            return
        self.call_from_thread(self._opened, core)

    def _opened(self, core: Core) -> None:
        self.session.opened(core)
        self.opened.set()
        self.set_interval(POLL_SECONDS, self.session.poll)
        if core.store.is_empty():
            commands.welcome(self)

    async def settle(self) -> None:
        """Wait until the store is open, queued writes are done and the gauge is computed.

        For tests, snapshots and screenshots: no sleeping, just waiting for the work.
        """
        # The store opens after the first frame: until then there is no work to wait for.
        await self.opened.wait()
        writer = self.session.writer
        while True:
            await writer.join()
            pending = [w for w in self.workers if w.group != "writer" and w.is_running]
            if self.session.health_waiting or self.session.taking_in:
                # The model's build starts once the list is drawn (Session.opened); a
                # stored write is taken in after the frame showing its preview.
                await asyncio.sleep(0.01)
                continue
            if not pending and not writer.busy:
                break
            await self.workers.wait_for_complete(pending)
        # Let the messages the workers posted be handled.
        for _ in range(3):
            await self.animator.wait_until_complete()
            await asyncio.sleep(0)

    async def on_unmount(self) -> None:
        gc.unfreeze()  # what _freeze kept from the collector is its again (tests run many apps)
        await self.session.writer.join()
        if self.store is not None:
            # As the command line: the journal is folded only once it has grown (each
            # write is durable in it already). Folding reads the whole file, which a store
            # opened from its index never did: at every exit it was the app's memory peak
            # (+60 MB at 5k/50k) and a slower exit.
            self.store.close(quick=True)

    # --- global actions -----------------------------------------------------------------

    def action_help(self) -> None:
        commands.help_screen(self, self.config.keymap)

    @dataclass
    class ReplayRequested(Message):
        """`u` or `U`, on its way to the App from the focused widget.

        A key on a pane (`f`, `x`) reaches the Session as a message the pane sends up to
        its screen; `u` and `U` are the App's own keys and would act at once. Sent from
        where the pane's messages start, this one queues behind them at every step, so
        the writes are made in the order of the keys (`f u f U` pressed 50 ms apart on a
        busy screen redid the first follow-up after the second)."""

        side: Literal["undo", "redo"]

    def action_undo(self) -> None:
        self._replay("undo")

    def action_redo(self) -> None:
        self._replay("redo")

    def _replay(self, side: Literal["undo", "redo"]) -> None:
        start = self.focused or self.screen
        start.post_message(self.ReplayRequested(side))

    @on(ReplayRequested)
    def replay(self, event: ReplayRequested) -> None:
        if event.side == "undo":
            self.session.undo()
        else:
            self.session.redo()

    # E, G, r, i and `,` switch to their screen (netbalance/ui/navigation.py).

    def action_import(self) -> None:
        commands.import_file(self)

    def action_events(self) -> None:
        commands.open_events(self)

    def action_goals(self) -> None:
        commands.open_goals(self)

    def action_review(self) -> None:
        commands.open_review(self)

    def action_settings(self) -> None:
        commands.open_settings(self)

    def action_duplicates(self) -> None:
        commands.open_duplicates(self)

    def action_picture(self) -> None:
        commands.open_picture(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # On the import screen an undo or redo would make its preview stale; there and on
        # forms and dialogs, letters are the user's typing, not screen keys.
        if action in SCREEN_ACTIONS and blocks_switching(self.screen):
            return False
        return not (action in ("undo", "redo") and is_import_screen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from commands.palette(self, self.config.keymap, screen)

    def on_import_screen_imported(self, event: ImportScreen.Imported) -> None:
        # By its name, not `@on(ImportScreen.Imported)`: the import screen is loaded when
        # it is first opened, not at every start (~15 ms before the first frame).
        commands.imported(self, event.counts)


def _freeze() -> None:
    """Keep what exists now out of the cyclic collector's full passes (`gc.freeze`).

    The app's start makes hundreds of thousands of objects that live as long as it does
    (modules, styles, widgets, then the records and the list); each collection of the
    older generations walked all of them again: at 5k/50k the collector took 90-150 ms
    of the ~600 ms to the list's first frame. Frozen objects are still freed when no
    longer referenced; only a cycle among them waits for `gc.unfreeze` (on_unmount)."""
    gc.freeze()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector paused for the block; what exists after it is frozen (see
    _freeze) when it succeeds. The pause is the process's: cycles the UI thread drops
    meanwhile are frozen with the rest (until on_unmount); other garbage is freed by its
    reference counts as ever."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        _freeze()
    finally:
        if collecting:
            gc.enable()


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

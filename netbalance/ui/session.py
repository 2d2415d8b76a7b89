"""The UI's side of the core: runs its writes in order and tells the screens what changed.

The App owns one Session. A key's handler (in the screen that owns the pane) asks the
core for a verb, which checks the rules and returns a `Write`; `Session.perform` shows
its preview, queues the store write on the StoreWriter, and once it is stored (and the
preview's frame drawn) sends one `DataChanged` message to every screen in the stack; the
toast saying what was done comes a frame after the preview. Each screen that shows data
redraws itself from the core. On failure the core reloads from the store, the screens
redraw, and the user is told why; a StoreConflict goes to whoever asked (a form stays
open with the user's input and shows it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Literal, Protocol, TypeVar, cast

from textual.app import App
from textual.dom import DOMNode
from textual.message import Message
from textual.signal import SignalError

from netbalance.core import Changed, Core, Health, Step, Write
from netbalance.domain import DomainError
from netbalance.store import StoreConflict, StoreError
from netbalance.ui.writer import StoreWriter

T = TypeVar("T")
# One frame at Textual's 60 a second: the change is drawn first, its toast next.
TOAST_AFTER = 1 / 60
# A stored write's result reaches the screens by this long after it is stored at the latest.
TAKE_IN_BY = 0.1
V = TypeVar("V")


@dataclass
class DataChanged(Message, bubble=False):
    """Sent to each screen after a change: redraw what you show from the core."""

    changed: Changed


class HasSession(Protocol):
    session: Session


def session_of(node: DOMNode) -> Session:
    """The session of the app `node` (a widget, a screen or the app) runs in."""
    return cast(HasSession, node.app).session


def failure_text(err: Exception) -> str:
    """Why a write was not saved, in the user's words (plain text: toasts and form
    messages never read it as markup, see App.notify and ui/safe_text.py)."""
    if isinstance(err, DomainError):
        return f"Not saved: {err}"
    if isinstance(err, StoreConflict):
        return str(err)
    if isinstance(err, StoreError):
        return f"Not saved. {err}"
    return f"Not saved: unexpected {type(err).__name__}: {err}"


# At most this long after the list is sent to the screen, the model's build starts.
FRAME_WAIT = 0.25


class Session:
    """The core (once the store is open), its writer, and the one way changes reach screens."""

    def __init__(self, app: App[Any], clock: Callable[[], datetime]) -> None:
        self.app = app
        self.clock = clock
        self.core: Core | None = None
        self.writer = StoreWriter(report=self._callback_failed)
        self._syncing = False
        self._title_base: str | None = None
        # A model build asked for, to start once the screen has drawn (App.settle waits).
        self.health_waiting = False
        # Stored writes whose results wait for the screen's next frame (App.settle waits).
        self.taking_in = 0

    @property
    def ready(self) -> bool:
        return self.core is not None

    def opened(self, core: Core) -> None:
        self.core = core
        self.broadcast(Changed(everything=True, events=True, goals=True, settings=True))
        self._refresh_health_after_frame()

    # --- writes ----------------------------------------------------------------------------

    def perform(
        self,
        make: Callable[[Core], Write[T]],
        *,
        then: Callable[[T], None] | None = None,
        refused: Callable[[str], None] | None = None,
        say: Literal["at once", "once stored", "never"] = "at once",
    ) -> bool:
        """Ask the core for a write and carry it out; False when the core refused it.

        `make` is called with the core; a DomainError it raises (a rule) is said at
        once and nothing is written. `then` runs after the write is stored; `refused`
        receives the message of a failed write (a form shows it and stays open),
        else it is said in a toast. `say`: when the toast saying what was done shows
        (a form's save is said once stored, as it may be refused).
        """
        core = self.core
        if core is None:
            return False
        try:
            write = make(core)
        except DomainError as err:
            self.app.notify(str(err), title="Not done", severity="warning", timeout=8)
            return False
        if write.preview != Changed():
            self.broadcast(write.preview)
        if say == "at once" and write.said:
            # A frame later than the change itself: a toast is mounted, which lays out
            # the whole screen (~10-15 ms); in the change's frame it would delay the list.
            self.app.set_timer(
                TOAST_AFTER, partial(self.app.notify, write.said, title="Saved", timeout=4)
            )

        def take_in(result: T) -> None:
            self.taking_in -= 1
            self.broadcast(write.done(result))
            if say == "once stored" and write.said:
                self.app.notify(write.said, title="Saved", timeout=4)
            if core.needs_health:
                self.refresh_health()
            if then is not None:
                then(result)

        def done(result: T) -> None:
            # Stored. Taken in after the frame that shows the preview, when that frame is
            # still to come (a durable write is back in a few ms): in it, the gauge and
            # today's list would make the key's own frame wait (App.settle waits for it).
            # The screen's callback is lost if that screen closes first: a timer makes
            # sure, and whichever comes first takes the result in.
            self.taking_in += 1
            pending = [result]

            def once() -> None:
                if pending:
                    take_in(pending.pop())

            if not self.app.screen.call_after_refresh(once):
                once()
            else:
                self.app.set_timer(TAKE_IN_BY, once)

        history, run, name = core.history, write.run, write.step_name

        def named_run() -> T:
            # The change it writes is one step of the undo history, called by this name.
            with history.naming(name):
                return run()

        self.writer.submit(named_run, done, partial(self._failed, refused))
        return True

    def form_saver(
        self, write: Callable[[Core, V], Write[Any]]
    ) -> Callable[[V, Callable[[str | None], None]], None]:
        """What a form's save calls: `write(core, value)` carried out, the form told
        None once it is stored (it closes) or the message when it is refused or
        clashes with another process's change (it stays open with the user's input)."""

        def save(value: V, reply: Callable[[str | None], None]) -> None:
            started = self.perform(
                lambda core: write(core, value),
                then=lambda _stored: reply(None),
                refused=reply,
                say="once stored",
            )
            if not started:  # the core said why in a toast; the form stays open
                reply("Not saved: see the message above.")

        return save

    def _failed(self, refused: Callable[[str], None] | None, err: Exception) -> None:
        message = failure_text(err)
        if self.core is not None:
            self.broadcast(self.core.reload())
            self.refresh_health()
        if refused is not None:
            refused(message)
            return
        title = "Changed elsewhere" if isinstance(err, StoreConflict) else "Could not save"
        self.app.notify(message, title=title, severity="error", timeout=12)

    def _callback_failed(self, err: Exception) -> None:
        # The write itself is done and saved; only showing its result went wrong.
        self.app.log.error(f"after a write: {type(err).__name__}: {err}")
        if self.core is not None:
            self.broadcast(self.core.reload())
            self.refresh_health()

    def sync(self) -> None:
        """ "Data: sync now": a two-way sync with the vdir folders config.toml names,
        served by the writer (app writes wait for it; the UI does not), then every
        screen redraws and the header's status line says what it did."""
        from netbalance.sync.run import SyncError, settings_from_config, sync_now

        core = self.core
        if core is None:
            return
        if self._syncing:
            self.app.notify("A sync is already running.", severity="warning")
            return
        settings = settings_from_config(self.app.config)  # type: ignore[attr-defined]
        self._syncing = True
        self._sync_status("syncing…")

        def synced(result: Any) -> None:
            self._syncing = False
            summary = result.summary()
            self._sync_status(f"{self.clock():%H:%M} {summary}")
            self.app.notify(summary, title="Sync")
            self.broadcast(core.reload())
            self.refresh_health()

        def failed(err: Exception) -> None:
            self._syncing = False
            self._sync_status("sync failed")
            message = str(err) if isinstance(err, SyncError) else failure_text(err)
            self.app.notify(message, title="Sync failed", severity="error", timeout=15)
            self.broadcast(core.reload())
            self.refresh_health()

        self.writer.submit(lambda: sync_now(core.store, settings, self.clock()), synced, failed)

    def _sync_status(self, status: str) -> None:
        """The header's sub-title: the database and day, then the last sync's line."""
        if self._title_base is None:
            self._title_base = self.app.sub_title
        self.app.sub_title = f"{self._title_base} · {status}"

    def undo(self) -> None:
        """`u`: take back the newest step of this run's history (or say why it cannot be)."""
        self._replay("undo")

    def redo(self) -> None:
        """`U`: do again the step undone last."""
        self._replay("redo")

    def _replay(self, side: Literal["undo", "redo"]) -> None:
        def replayed(step: Step | None) -> None:
            if step is None:
                self.app.notify(f"Nothing to {side}.", severity="warning")
            elif side == "undo":
                self.app.notify(f"Undid: {step.name}", title="Undone")
            else:
                self.app.notify(f"Redid: {step.name}", title="Redone")

        def refused(message: str) -> None:
            # The history is as it was: the same step stays next (changed elsewhere since).
            self.app.notify(
                f"Could not {side}{naming}. {message}",
                title="Changed elsewhere",
                severity="error",
                timeout=12,
            )

        core = self.core
        history = core.history if core is not None else None
        step = None
        if history is not None:
            step = history.next_undo() if side == "undo" else history.next_redo()
        naming = f": {step.name}" if step is not None else ""
        self.perform(
            lambda core: core.undo() if side == "undo" else core.redo(),
            then=replayed,
            refused=refused,
            say="never",
        )

    # --- telling the screens --------------------------------------------------------------------

    def broadcast(self, changed: Changed) -> None:
        """One message to every screen in the stack; each redraws from the core."""
        for screen in self.app.screen_stack:
            screen.post_message(DataChanged(changed))

    def reload(self) -> None:
        """Read everything again (an import wrote, or the settings changed)."""
        if self.core is not None:
            self.broadcast(self.core.reload())
            self.refresh_health()

    def poll(self) -> None:
        """Show writes from other processes (e.g. `netbalance log` in another terminal)."""
        if self.core is None or self.writer.busy:
            return
        try:
            changed = self.core.poll()
        except StoreError as err:
            self.app.notify(str(err), title="Database problem", severity="error", timeout=15)
            return
        if changed is not None:
            self.broadcast(changed)
            self.refresh_health()

    # --- the health model -------------------------------------------------------------------------

    def _refresh_health_after_frame(self) -> None:
        """refresh_health, once the screen has drawn what the DataChanged just sent asks for.

        At start the list is what the user waits for: the model's build (a tenth of a
        second at 5k/50k, in a thread) holds the GIL half the time, and the list drawn
        beside it took half as long again. The screen handles that DataChanged, then this
        (posted after it) waits for its next layout refresh, the frame that shows the
        list; a frame that needs no new layout is waited for at most FRAME_WAIT."""
        screen = self.app.screen
        signal = screen.screen_layout_refresh_signal
        self.health_waiting = True

        def start(_screen: object = None) -> None:
            if self.health_waiting:  # not started since (a poll, a reload)
                self.refresh_health()
            signal.unsubscribe(self.app)

        def watch() -> None:
            try:
                signal.subscribe(self.app, start)
            except SignalError:
                start()
                return
            self.app.set_timer(FRAME_WAIT, start)

        if not screen.call_after_refresh(watch):
            start()

    def refresh_health(self) -> None:
        """Build strengths, the gauge and signals from scratch, in the background."""
        self.health_waiting = False
        if self.core is not None:
            self.app.run_worker(
                partial(self._build_health, self.core, self.clock()),
                thread=True,
                exclusive=True,
                group="health",
            )

    def _build_health(self, core: Core, now: datetime) -> None:
        health = core.build_health(now)
        self.app.call_from_thread(self._health_ready, core, health)

    def _health_ready(self, core: Core, health: Health) -> None:
        self.broadcast(core.install_health(health))
        if core.needs_health:
            # A write landed while the model was built: it may be missing; build again.
            self.refresh_health()

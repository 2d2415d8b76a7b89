"""The import screen: choose a kind and a file, preview what would change, then import.

Reading and planning run in a thread worker (a file of thousands of cards must
not freeze the screen), with a progress bar fed by the importer's callback.
The kind is read from the file itself (interop.detect) as soon as the path names
one, preselected and said ("Looks like a Google Contacts CSV (412 rows)"); the user
can still choose another. Nothing is written until the user confirms the preview;
the write is then one all-or-nothing transaction. When new people came in as
acquaintances, the screen then offers to sort them into circles
(`sort_after_import`, in words `sorting_message`, as `netbalance import` prints
them) before any is due; the sorting is a second write. The screen tells the app by
posting `Imported`, and closes; escape leaves without a trace.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Button, DataTable, Footer, Input, ProgressBar, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from netbalance.domain.circles import Circle
from netbalance.domain.model import Contact, Interaction
from netbalance.domain.sorting import CircleSuggestion, sort_after_import
from netbalance.interop import (
    IMPORT_KINDS,
    ImportFormatError,
    ImportOutcome,
    ImportPlan,
    ImportTarget,
    apply_import,
    preview_import,
)
from netbalance.interop.detect import Detected, detect_import
from netbalance.ui.session import DataChanged
from netbalance.ui.writer import StoreWriter

# One line each, in the order of IMPORT_KINDS: what file each kind expects.
KIND_LABELS: dict[str, str] = {
    "vcard": "vCard (.vcf file or a folder of them)",
    "linkedin": "LinkedIn Connections.csv",
    "google": "Google Contacts CSV",
    "outlook": "Outlook contacts CSV",
    "ics": "Calendar events (.ics)",
    "json": "netbalance JSON backup",
}
# What the kind brings in, shown under the fields.
KIND_HINTS: dict[str, str] = {
    "vcard": "Phones, Apple, Google, Outlook, khard; any vCard version.",
    "linkedin": "Settings › Data privacy › Get a copy of your data › Connections.",
    "google": "contacts.google.com › Export › Google CSV. Labels become tags.",
    "outlook": "Outlook › File › Open & Export › Export to a file › CSV.",
    "ics": "Events from any calendar; attendees are suggested, not added.",
    "json": "A file from `netbalance export json`: restore or merge.",
}
ABOUT = (
    "Nothing is written until you have seen the preview and pressed ctrl+s, and then "
    "all at once or not at all. People already here are recognised by email, phone or "
    "name and merged, never doubled: importing the same file again changes nothing."
)
# Rows shown in the preview table; the CLI's `--dry-run --json` lists every item.
MAX_ROWS = 2_000
# Kinds whose new people bring their own circles (a backup) or that add no people.
NO_SORTING = frozenset({"json", "ics"})
# How often the progress bar catches up with the worker (seconds).
PROGRESS_EVERY = 0.1
# The status line before a path is typed.
PROMPT = "Type a path (Tab completes it): the kind is read from the file."
# Completions offered first: folders and the files an import reads.
IMPORTABLE_SUFFIXES = (".vcf", ".vcard", ".ics", ".csv", ".json")

OUTCOME_STYLES = {
    "new": "green",
    "merged": "cyan",
    "unchanged": "dim",
    "skipped": "bold yellow",
    "note": "yellow",
}


class _PreviewCancelled(Exception):
    """Raised from the progress callback to stop a preview nobody waits for."""


def explain(err: ImportFormatError, path: Path) -> str:
    """The importer's message for the screen: without the path typed above, and with
    the kind to choose instead of the command line to run."""
    text = str(err)
    for prefix in (f"{path}: ", f"{path.name}: "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    advice = re.search(r"\s*\(try `netbalance import (\w+) [^`]*`\)", text)
    if advice is not None:
        text = text[: advice.start()] + text[advice.end() :]
        label = KIND_LABELS.get(advice.group(1))
        if label is not None:
            text += f". Choose “{label}” as the kind and press Enter"
    text = text.rstrip(".")
    return f"{text[:1].upper()}{text[1:]}."


class PathSuggester(Suggester):
    """Completes file and folder names as you type (Tab, → or End accepts); `~` is home.

    Folders and files an import reads (.vcf, .ics, .csv, .json) come before other files;
    when several names fit, the part they share is offered first, as a shell does."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str) -> str | None:
    """`value` completed to the folder or file it starts to name, or None."""
    if not value:
        return None
    if value == "~":
        return "~/"
    typed = Path(value).expanduser()
    folder, stem = (typed, "") if value.endswith(("/", os.sep)) else (typed.parent, typed.name)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    fitting: list[tuple[bool, str]] = []
    for name in names:
        if name == stem or not name.startswith(stem):
            continue
        if name.startswith(".") and not stem.startswith("."):
            continue
        is_dir = (folder / name).is_dir()
        fitting.append((is_dir, name + "/" if is_dir else name))
    if not fitting:
        return None
    wanted = [n for d, n in fitting if d or n.lower().endswith(IMPORTABLE_SUFFIXES)]
    candidates = wanted or [n for _, n in fitting]
    shared = candidates[0]
    for name in candidates[1:]:  # the characters all the names start with
        while not name.startswith(shared):
            shared = shared[:-1]
    best = shared if len(candidates) > 1 and len(shared) > len(stem) else candidates[0]
    return value + best[len(stem) :]


class PathInput(Input):
    """The path field: Tab takes the completion shown and stays; without one it moves on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete the path", show=False),
    ]

    def action_complete(self) -> None:
        if self.cursor_at_end and len(self._suggestion) > len(self.value):
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


def what_it_writes(plan: ImportPlan) -> str:
    """What the write adds or changes, for the button: "21 contacts", "3 events"."""

    def count(n: int, noun: str) -> str:
        return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

    contacts = len(plan.add_contacts) + len(plan.update_contacts)
    events = len(plan.add_events) + len(plan.update_events)
    parts = [count(contacts, "contact")] if contacts else []
    parts += [count(events, "event")] if events else []
    if not parts and plan.add_interactions:
        parts = [count(len(plan.add_interactions), "interaction")]
    return ", ".join(parts)


class ImportScreen(Screen[None]):
    """Preview an import of contacts or events, then write it in one transaction."""

    DEFAULT_CSS = """
    ImportScreen {
        layout: vertical;
        padding: 0 1;
    }
    ImportScreen #import-title {
        height: 1;
        text-style: bold;
        color: $accent;
    }
    ImportScreen #import-kind-row {
        height: 3;
    }
    ImportScreen #import-kind {
        width: 46;
    }
    ImportScreen #import-hint {
        width: 1fr;
        height: 3;
        padding: 0 1;
        color: $text-muted;
    }
    ImportScreen #import-status-row {
        height: auto;
        max-height: 2;
        padding: 0 1;
    }
    ImportScreen #import-progress {
        width: 36;
        display: none;
    }
    ImportScreen.-busy #import-progress {
        display: block;
    }
    ImportScreen #import-status {
        width: 1fr;
        height: auto;
    }
    ImportScreen #import-message {
        height: auto;
        max-height: 6;
        padding: 0 1;
        display: none;
    }
    ImportScreen #import-message.-error {
        display: block;
        color: $text-error;
        background: $error-muted;
    }
    ImportScreen #import-table {
        height: 1fr;
        display: none;
    }
    ImportScreen #import-about {
        height: 1fr;
        padding: 1 1 0 1;
        color: $text-muted;
    }
    ImportScreen #import-row {
        height: auto;
        max-height: 3;
        padding: 0 1;
        color: $text-muted;
        display: none;
    }
    ImportScreen.-previewed #import-table, ImportScreen.-previewed #import-row {
        display: block;
    }
    ImportScreen.-previewed #import-about {
        display: none;
    }
    ImportScreen #import-buttons {
        height: 3;
        align-horizontal: right;
    }
    ImportScreen #import-buttons Button {
        margin-left: 1;
        width: auto;
        min-width: 12;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Leave without importing anything",
            id="import.cancel",
        ),
        Binding(
            "p",
            "preview",
            "Preview",
            tooltip="Read the file and show what would change; writes nothing",
            id="import.preview",
        ),
        Binding(
            "ctrl+s",
            "apply",
            "Import",
            tooltip="Write the previewed import in one all-or-nothing step",
            id="import.apply",
            priority=True,
        ),
    ]

    @dataclass
    class Imported(Message):
        """The import was written; counts are the preview's (new, merged, unchanged, skipped)."""

        kind: str
        source: str
        counts: dict[str, int]
        outcome: ImportOutcome

    def __init__(
        self,
        store: ImportTarget,
        now: datetime,
        *,
        default_tz: str = "UTC",
        writer: StoreWriter | None = None,
        kind: str = "vcard",
        path: str = "",
    ) -> None:
        super().__init__()
        self.store = store
        self.now = now
        self.default_tz = default_tz
        # With the app's writer the import queues behind earlier writes, in order.
        self.writer = writer
        self.initial_kind = kind if kind in IMPORT_KINDS else "vcard"
        self.initial_path = path
        self.plan: ImportPlan | None = None
        self.applying = False
        # Written by the worker thread, read by a timer on the UI thread.
        self._progress: tuple[int, int] = (0, 0)
        self._ticker: Timer | None = None
        # The table's rows in full, for the line under it (long notes do not fit a cell).
        self._rows: list[tuple[str, str, str, str]] = []
        # What the file at the path looks like, once read (None before that).
        self._detected: Detected | None = None
        self._detected_path: Path | None = None

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("Import contacts or events", id="import-title")
        with Horizontal(id="import-kind-row"):
            yield Select(
                [(KIND_LABELS[k], k) for k in IMPORT_KINDS],
                value=self.initial_kind,
                allow_blank=False,
                id="import-kind",
                tooltip="What kind of file this is",
            )
            yield Static(KIND_HINTS[self.initial_kind], id="import-hint", markup=False)
        yield PathInput(
            self.initial_path,
            placeholder="Path of the file or folder, e.g. ~/Downloads/contacts.vcf",
            suggester=PathSuggester(),
            id="import-path",
            tooltip="A file or folder; ~ is your home; Tab completes a name; Enter previews",
        )
        with Horizontal(id="import-status-row"):
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(PROMPT, id="import-status", markup=False)
        yield Static("", id="import-message", markup=False)
        yield Static(ABOUT, id="import-about")
        yield DataTable(id="import-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-row", markup=False)
        with Horizontal(id="import-buttons"):
            yield Button("Preview", id="import-preview", variant="default")
            yield Button("Import", id="import-apply", variant="primary", disabled=True)
            yield Button("Cancel", id="import-cancel", variant="default")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Outcome", width=9, key="outcome")
        table.add_column("Item", width=26, key="label")
        table.add_column("Where", key="location")
        table.add_column("Detail", key="detail")
        self._ticker = self.set_interval(PROGRESS_EVERY, self._show_progress, pause=True)
        self.query_one("#import-path", Input).focus()

    # --- state ------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return str(self.query_one("#import-kind", Select).value)

    @property
    def path(self) -> Path:
        return Path(self.query_one("#import-path", Input).value.strip()).expanduser()

    def _busy(self, what: str | None) -> None:
        """Show the progress bar and `what`, or hide it when `what` is None."""
        bar = self.query_one(ProgressBar)
        self.set_class(what is not None, "-busy")
        assert self._ticker is not None
        if what is None:
            self._ticker.pause()
        else:
            self._progress = (0, 0)
            bar.update(total=None, progress=0)
            self._status(what)
            self._ticker.resume()
        self._update_buttons()

    def _status(self, text: str | Text) -> None:
        self.query_one("#import-status", Static).update(text)

    def _error(self, text: str | None) -> None:
        message = self.query_one("#import-message", Static)
        message.update(text or "")
        message.set_class(text is not None, "-error")

    @property
    def previewing(self) -> bool:
        return any(
            w.node is self and w.group == "import-preview" and w.is_running for w in self.workers
        )

    def _update_buttons(self) -> None:
        busy = self.previewing or self.applying
        apply = self.query_one("#import-apply", Button)
        self.query_one("#import-preview", Button).disabled = busy
        if self.plan is None or not self.plan.changes_anything:
            apply.label = "Import"
            apply.disabled = True
        else:
            apply.label = f"Import {what_it_writes(self.plan)}"
            apply.disabled = busy
        # A new label changes the button's width, which Button does not re-measure by itself.
        apply.refresh(layout=True)

    def _forget_plan(self) -> None:
        """The kind or path changed: the preview no longer says what would happen."""
        if self.plan is None:
            return
        self.plan = None
        self.remove_class("-previewed")
        self._status("Changed: press Enter to preview again.")
        self._update_buttons()

    def _show_progress(self) -> None:
        done, total = self._progress
        bar = self.query_one(ProgressBar)
        if total > 0:
            bar.update(total=total, progress=min(done, total))

    # --- preview ----------------------------------------------------------------------------

    @on(Select.Changed, "#import-kind")
    def kind_changed(self, event: Select.Changed) -> None:
        self.query_one("#import-hint", Static).update(KIND_HINTS.get(str(event.value), ""))
        had_plan = self.plan is not None
        self._forget_plan()
        if self._detected is not None and not had_plan and not self.previewing:
            self._status(self._detection_text(self._detected))

    @on(Input.Changed, "#import-path")
    def path_changed(self) -> None:
        self._forget_plan()
        if self.previewing:
            return  # Enter was pressed: the preview reads the kind itself
        had_detection = self._detected is not None
        self._detected, self._detected_path = None, None
        self.workers.cancel_group(self, "import-detect")
        raw = self.query_one("#import-path", Input).value.strip()
        path = self.path
        # Files only while typing: each folder on the way ("/", "~/") would be searched
        # through; a folder is looked at when Enter previews it.
        if raw and path.is_file():
            self._detect(path)
        elif had_detection:
            self._status(PROMPT)

    # --- detection --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="import-detect", exit_on_error=False)
    def _detect(self, path: Path) -> tuple[Path, Detected]:
        return path, detect_import(path)

    @on(Worker.StateChanged)
    def detect_finished(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "import-detect" or worker.is_cancelled:
            return
        if event.state is WorkerState.SUCCESS and isinstance(worker.result, tuple):
            path, found = worker.result
            self._apply_detection(path, found)

    def _apply_detection(self, path: Path, found: Detected, *, reading: bool = False) -> None:
        """Preselect the kind `found` names and say so; unless the path changed meanwhile
        or (`reading` aside) a preview is already reading it as the kind chosen."""
        if path != self.path or (self.previewing and not reading):
            return
        self._detected, self._detected_path = found, path
        if found.kind is not None and found.kind != self.kind:
            self.query_one("#import-kind", Select).value = found.kind
        if reading:
            self._status(f"{found.describe()}. Reading it…")
        else:
            self._status(self._detection_text(found))

    def _detection_text(self, found: Detected) -> Text:
        """ "Looks like a vCard file (2 cards)", and the user's other choice if any."""
        text = Text(found.describe(), style="bold" if found.kind else "yellow")
        if found.kind is None:
            text.append(". Choose the kind, then press Enter.")
        elif found.kind != self.kind:
            text.append(f"; you chose {KIND_LABELS[self.kind]}. Enter previews.")
        else:
            text.append(". Enter previews.")
        return text

    @on(DataChanged)
    def data_changed(self, _message: DataChanged) -> None:
        """Someone wrote (another process, an undo): a preview shown may no longer say
        what the import would do (a person added elsewhere is now a merge), so it is
        made again from the store as it is."""
        if self.plan is not None and not self.applying and not self.previewing:
            self.action_preview()

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#import-preview")
    def preview_requested(self) -> None:
        self.action_preview()

    def action_preview(self) -> None:
        """Read and plan the file in a worker; nothing is written."""
        if self.applying:
            return
        raw = self.query_one("#import-path", Input).value.strip()
        if not raw:
            self._error("Type the path of the file (or folder) to import.")
            self.query_one("#import-path", Input).focus()
            return
        path = self.path
        if not path.exists():
            self._error(f"{path}: no such file or folder.")
            self.query_one("#import-path", Input).focus()
            return
        self.plan = None
        self.remove_class("-previewed")
        self._error(None)
        # Enter before the file was looked at: the preview looks first, then reads.
        detect = self._detected_path != path
        self.workers.cancel_group(self, "import-detect")
        reading = "" if detect else f" as {KIND_LABELS[self.kind]}"
        self._busy(f"Reading {path.name}{reading}…")
        self._preview(self.kind, path, detect=detect)
        self._update_buttons()

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False)
    def _preview(self, kind: str, path: Path, *, detect: bool = False) -> ImportPlan:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise _PreviewCancelled
            self._progress = (done, total)

        if detect:
            found = detect_import(path)
            if worker.is_cancelled:
                raise _PreviewCancelled
            self.app.call_from_thread(self._apply_detection, path, found, reading=True)
            kind = found.kind or kind
        return preview_import(
            kind, path, self.store, self.now, default_tz=self.default_tz, progress=progress
        )

    @on(Worker.StateChanged)
    def preview_finished(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "import-preview" or worker.is_cancelled:
            return
        if event.state is WorkerState.SUCCESS and isinstance(worker.result, ImportPlan):
            self._busy(None)
            self._show_plan(worker.result)
        elif event.state is WorkerState.ERROR:
            self._busy(None)
            err = worker.error
            if isinstance(err, ImportFormatError):
                self._error(explain(err, self.path))
            else:
                self._error(f"Cannot import this file: {type(err).__name__}: {err}")
            self._status("Nothing was written. Check the kind and the path, then try again.")

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        counts = plan.counts()
        status = Text()
        if plan.restore is not None:
            # Into an empty database a netbalance backup is restored whole, ids and links kept.
            status.append(plan.restore.summary().capitalize(), style="bold green")
            status.append(" · ")
        for n, (key, style) in enumerate(
            (("new", "green"), ("merged", "cyan"), ("unchanged", ""), ("skipped", "yellow"))
        ):
            if n:
                status.append(" · ")
            status.append(f"{counts[key]} {key}", style=style if counts[key] else "")
        if plan.warnings:
            status.append(f" · {len(plan.warnings)} note{'s' if len(plan.warnings) > 1 else ''}")
        if plan.suggested_contacts:
            status.append(f" · {len(plan.suggested_contacts)} people to add later")
        if not plan.changes_anything:
            status.append(" · nothing to import", style="bold")
        self._status(status)
        self._fill_table(plan)
        self.add_class("-previewed")
        self._update_buttons()
        button = self.query_one("#import-apply", Button)
        if not button.disabled:
            button.focus()
        else:
            self.query_one(DataTable).focus()

    def _fill_table(self, plan: ImportPlan) -> None:
        table = self.query_one(DataTable)
        table.clear()
        rows: list[tuple[str, str, str, str]] = []
        # What went wrong first: that is what the user has to look at.
        for skip in plan.skipped:
            rows.append(("skipped", "", skip.location, skip.reason))
        for warning in plan.warnings:
            rows.append(("note", "", "", warning))
        for name in plan.suggested_contacts:
            rows.append(("suggested", name, "", "attendee who is not a contact; not added"))
        for entry in plan.entries:
            rows.append((entry.outcome, entry.label, entry.location, entry.detail))
        self._rows = rows[:MAX_ROWS]
        hidden = len(rows) - MAX_ROWS
        # Text, not str: a DataTable reads str cells as markup, and names in files can be "[/]".
        table.add_rows(
            [
                (
                    Text(outcome, style=OUTCOME_STYLES.get(outcome, "")),
                    Text(label),
                    Text(where),
                    Text(detail),
                )
                for outcome, label, where, detail in rows[:MAX_ROWS]
            ]
        )
        if hidden > 0:
            table.add_row(
                Text("…", style="dim"),
                f"{hidden} more",
                "",
                "netbalance import --dry-run --json lists every item",
            )

    @on(DataTable.RowHighlighted, "#import-table")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self._rows[event.cursor_row] if event.cursor_row < len(self._rows) else None
        text = " · ".join(part for part in row if part) if row is not None else ""
        self.query_one("#import-row", Static).update(text)

    # --- apply ------------------------------------------------------------------------------

    @on(Button.Pressed, "#import-apply")
    def apply_pressed(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        """Write the previewed plan in one transaction, then close."""
        if self.applying or self.previewing:
            return
        plan = self.plan
        if plan is None:
            self.notify("Preview first: press Enter in the path.", severity="warning")
            return
        if not plan.changes_anything:
            self.notify("Nothing to import: everything is already here.", severity="warning")
            return
        self.applying = True
        self._busy(f"Importing {what_it_writes(plan)} in one step…")
        if self.writer is not None:
            self.writer.submit(
                lambda: self._import(plan),
                lambda done: self._applied(plan, *done),
                self._apply_failed,
            )
        else:
            self._apply(plan)

    def _import(
        self, plan: ImportPlan
    ) -> tuple[ImportOutcome, list[Contact], list[CircleSuggestion]]:
        """Runs off the UI thread: the write, then who came in new as an acquaintance and
        where each could go."""
        store = self.store
        before = {c.id for c in store.contacts(include_archived=True)}
        outcome = apply_import(store, plan, self._set_progress)
        if plan.kind in NO_SORTING or not outcome.added_contacts:
            return outcome, [], []
        new = [
            c for c in store.contacts() if c.id not in before and c.circle is Circle.ACQUAINTANCE
        ]
        if not new:
            return outcome, [], []
        ids = {c.id for c in new}
        # What the import brought with them ("connected on", past messages): the log.
        by_contact: dict[int, list[Interaction]] = {}
        for i in store.all_interactions():
            for cid in i.contact_ids:
                if cid in ids:
                    by_contact.setdefault(cid, []).append(i)
        return outcome, new, sort_after_import(new, by_contact, self.now)

    def _set_progress(self, done: int, total: int) -> None:
        self._progress = (done, total)

    @work(thread=True, exclusive=True, group="import-apply", exit_on_error=False)
    def _apply(self, plan: ImportPlan) -> None:
        try:
            outcome, new, suggestions = self._import(plan)
        except Exception as err:  # shown in the screen; the store wrote nothing
            self.app.call_from_thread(self._apply_failed, err)
        else:
            self.app.call_from_thread(self._applied, plan, outcome, new, suggestions)

    def _applied(
        self,
        plan: ImportPlan,
        outcome: ImportOutcome,
        new: list[Contact] | None = None,
        suggestions: list[CircleSuggestion] | None = None,
    ) -> None:
        self.applying = False
        self._busy(None)
        if new and suggestions:
            self._offer_sorting(plan, outcome, new, suggestions)
            return
        self._finish(plan, outcome)

    def _offer_sorting(
        self,
        plan: ImportPlan,
        outcome: ImportOutcome,
        new: list[Contact],
        suggestions: list[CircleSuggestion],
    ) -> None:
        """Ask where the new people go; the ticked ones move to the wider circle."""
        from netbalance.ui.screens.sort_imported import SortImportedDialog

        def sorted_out(chosen: frozenset[int] | None) -> None:
            changed = [c for c in new if c.id in (chosen or ())]
            if not changed:
                self._finish(plan, outcome)
                return
            self._write_sorting(changed, lambda: self._finish(plan, outcome))

        self.app.push_screen(SortImportedDialog(len(new), suggestions), sorted_out)

    def _write_sorting(self, changed: list[Contact], then: Callable[[], None]) -> None:
        """The ticked people go to the wider circle: their circle alone, checked against
        the import's own records (another process's edit since is kept or refused)."""

        def write() -> None:
            self.store.edit_contacts(
                {c.id: {"circle": Circle.WIDER} for c in changed},
                f"sort {len(changed)} imported {'person' if len(changed) == 1 else 'people'}"
                " into the wider circle",
                bases={c.id: c for c in changed},
            )

        def failed(err: Exception) -> None:
            self.notify(f"Not sorted: {err}", title="Could not save", severity="error")
            then()

        if self.writer is not None:
            self.writer.submit(write, lambda _r: then(), failed)
            return
        try:
            write()
        except Exception as err:  # shown to the user, never swallowed
            failed(err)
        else:
            then()

    def _finish(self, plan: ImportPlan, outcome: ImportOutcome) -> None:
        # Posted to the app, not this screen: the screen is gone before it would bubble.
        self.app.post_message(self.Imported(plan.kind, plan.source, plan.counts(), outcome))
        if self.is_attached and self.app.screen is self:
            self.dismiss(None)

    def _apply_failed(self, err: Exception) -> None:
        self.applying = False
        self._busy(None)
        self._error(f"Not imported: {err}. Nothing was written.")
        self._status("The database is as it was. Fix the problem and press ctrl+s to try again.")

    # --- leave --------------------------------------------------------------------------------

    @on(Button.Pressed, "#import-cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Leave without writing anything (not while a write is under way)."""
        if self.applying:
            self.notify("Importing… one moment; the write is all or nothing.", severity="warning")
            return
        self.workers.cancel_group(self, "import-preview")
        self.dismiss(None)

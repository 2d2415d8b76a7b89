"""The network picture: the Dunbar circles as rings, each person a mark, with counts.

The picture (widgets/network_picture.py) draws; this screen reads the store, asks the
health model where each person stands (`rank_all`, the due list's own function), and
shows beside the rings each circle's count against its capacity and how many are
kept, due and overdue. Below, whoever the cursor or the mouse is on. Enter opens the
person; in a cell that holds several, a short list asks which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from netbalance.domain.circles import Circle
from netbalance.domain.health import rank_all
from netbalance.domain.settings import Settings
from netbalance.domain.text import escape_controls
from netbalance.store import Store
from netbalance.ui.widgets.network_picture import CARE_ORDER, Care, Mark, NetworkPicture

# The colour of each kind of mark, as the theme names it.
CARE_COLOUR = {
    Care.KEPT: "$text-success",
    Care.DUE: "$text-warning",
    Care.OVERDUE: "$text-error",
    Care.NONE: "$foreground 45%",
}


def shown(text: str) -> str:
    return escape_controls(text).replace("\n", " ")


def mark_line(mark: Mark) -> str:
    """'Ana Silva · inner · overdue 5 days'."""
    care = mark.care.value
    if mark.care is Care.OVERDUE and mark.late_days > 0:
        care = f"overdue {mark.late_days} day{'s' if mark.late_days != 1 else ''}"
    return f"{shown(mark.name)} · {mark.circle.value} · {care}"


class OpenContact(Message):
    """Open this person's contact screen."""

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id


@dataclass(frozen=True)
class _Loaded:
    revision: int
    marks: list[Mark]
    settings: Settings


class CellPicker(ModalScreen[int | None]):
    """The people of one shared cell: pick whom to open."""

    DEFAULT_CSS = """
    CellPicker {
        align: center middle;
    }
    CellPicker #cell-people {
        width: 60;
        max-width: 100%;
        height: auto;
        max-height: 80%;
        border: thick $primary 60%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cell-picker.cancel", tooltip="Open nobody"),
    ]

    def __init__(self, marks: Sequence[Mark]) -> None:
        super().__init__()
        self.marks = sorted(marks, key=lambda m: (m.name.casefold(), m.contact_id))

    def compose(self) -> ComposeResult:
        options = [Option(mark_line(m), id=str(m.contact_id)) for m in self.marks]
        people = OptionList(*options, id="cell-people")
        people.border_title = f"{len(self.marks)} people here: whom to open?"
        yield people

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NetworkPictureScreen(Screen[None]):
    """The rings, the counts beside them, and who is under the cursor."""

    HELP_SECTION = "Network picture"

    DEFAULT_CSS = """
    NetworkPictureScreen #picture-row {
        height: 1fr;
    }
    NetworkPictureScreen #picture-side {
        width: 30;
        padding: 0 1;
        border-left: vkey $foreground 20%;
    }
    NetworkPictureScreen #picture-caption {
        height: 1;
        padding: 0 1;
        color: $text;
        background: $boost;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="picture.back", tooltip="Return"),
    ]

    def __init__(self, store: Store, now: datetime) -> None:
        super().__init__()
        self.store = store
        self.now = now
        self.loaded: _Loaded | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="picture-row"):
            yield NetworkPicture(id="picture")
            with Vertical(id="picture-side"):
                yield Static("Reading your network…", id="picture-legend")
        yield Static("", id="picture-caption")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Network"
        self.sub_title = "your circles as rings"
        self.query_one(NetworkPicture).focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        """Read again, in the background, if the store changed since."""
        if self.loaded is not None and self.loaded.revision == self.store.revision:
            return
        self.run_worker(self._load, thread=True, exclusive=True, group="picture")

    # The app asks a showing contact screen to re-read after an undo; so does this one.
    refresh_contact = refresh_data

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def _load(self) -> None:
        store = self.store
        revision = store.revision
        settings = store.settings()
        items = rank_all(
            store.contacts(), store.last_interactions(), settings, self.now, store.next_steps()
        )
        loaded = _Loaded(revision, [Mark.of(item) for item in items], settings)
        self.app.call_from_thread(self._show, loaded)

    def _show(self, loaded: _Loaded) -> None:
        self.loaded = loaded
        picture = self.query_one(NetworkPicture)
        keep = picture.current[0].contact_id if picture.current else None
        picture.show(loaded.marks, keep)
        self.query_one("#picture-legend", Static).update(self._legend(loaded))

    def _legend(self, loaded: _Loaded) -> Content:
        counts: dict[Circle, dict[Care, int]] = {c: dict.fromkeys(Care, 0) for c in Circle}
        for mark in loaded.marks:
            counts[mark.circle][mark.care] += 1
        parts: list[str | tuple[str, str]] = [("Inner circle in the middle\n", "$text-muted")]
        for circle in Circle:
            total = sum(counts[circle].values())
            capacity = loaded.settings.capacity.get(circle)
            against = f"{total} / {capacity}" if capacity else str(total)
            over = capacity is not None and total > capacity
            parts.append("\n")
            parts.append((f"{circle.label:<14}", "bold"))
            parts.append((f"{against:>12}", "bold $text-error" if over else "bold"))
            parts.append("\n ")
            shown_any = False
            for care in sorted(Care, key=CARE_ORDER.__getitem__):
                n = counts[circle][care]
                if n:
                    parts.append(("● ", CARE_COLOUR[care]))
                    parts.append(f"{n} {care.value}  ")
                    shown_any = True
            if not shown_any:
                parts.append(("nobody yet", "$text-muted"))
        parts.append("\n\n")
        for care in sorted(Care, key=CARE_ORDER.__getitem__):
            parts.append(("● ", CARE_COLOUR[care]))
            parts.append((f"{care.value}\n", "$text-muted"))
        parts.append(("◉ several in one spot\n", "$text-muted"))
        parts.append(("\narrows move · enter open · esc back", "$text-muted"))
        return Content.assemble(*parts)

    @on(NetworkPicture.Pointed)
    def _pointed(self, event: NetworkPicture.Pointed) -> None:
        caption = self.query_one("#picture-caption", Static)
        marks = event.marks
        if not marks:
            if not event.by_mouse:
                caption.update("")
            return
        if len(marks) == 1:
            text = mark_line(marks[0])
        else:
            names = ", ".join(shown(m.name) for m in marks[:4])
            more = f" and {len(marks) - 4} more" if len(marks) > 4 else ""
            text = f"{len(marks)} people here: {names}{more} · enter to pick"
        caption.update(Content(text))

    @on(NetworkPicture.Opened)
    def _opened(self, event: NetworkPicture.Opened) -> None:
        if len(event.marks) == 1:
            self.post_message(OpenContact(event.marks[0].contact_id))
            return

        def picked(contact_id: int | None) -> None:
            if contact_id is not None:
                self.post_message(OpenContact(contact_id))

        self.app.push_screen(CellPicker(event.marks), picked)

    def action_back(self) -> None:
        self.dismiss(None)


# --- the app's hooks ------------------------------------------------------------------------------


def open_picture(app: Any) -> None:
    """Open the picture (from its key or the palette) once the store is open."""
    if app.store is None or isinstance(app.screen, NetworkPictureScreen):
        return
    app.push_screen(NetworkPictureScreen(app.store, app.clock()))


def palette_commands(app: Any) -> list[SystemCommand]:
    return [
        SystemCommand(
            "Network: picture of your circles",
            "Everyone as a mark in rings, inner to acquaintances, kept / due / overdue",
            lambda: open_picture(app),
        )
    ]

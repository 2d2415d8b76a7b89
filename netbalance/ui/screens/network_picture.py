"""The network picture: the Dunbar circles as rings, each person a mark, with counts.

The picture (widgets/network_picture.py) draws; this screen takes from the core where
each person stands (`Core.due_items`, the due list's own items), and shows beside the
rings each circle's count against its capacity and how many are kept, due and overdue.
Below, whoever the cursor or the mouse is on. Enter opens the person; in a cell that
holds several, a short list asks which. It redraws on every `DataChanged` that touches
contacts or settings (a follow-up, an edit, a merge, an undo, another process's write).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from netbalance.domain.circles import Circle
from netbalance.domain.settings import Settings
from netbalance.domain.text import escape_controls
from netbalance.ui.session import DataChanged, session_of
from netbalance.ui.widgets.footer import FittingFooter
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


@dataclass(frozen=True)
class _Loaded:
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

    def __init__(self) -> None:
        super().__init__()
        self.loaded: _Loaded | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="picture-row"):
            yield NetworkPicture(id="picture")
            with Vertical(id="picture-side"):
                yield Static("Reading your network…", id="picture-legend")
        yield Static("", id="picture-caption")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.title = "Network"
        self.sub_title = "your circles as rings"
        self.query_one(NetworkPicture).focus()
        self.refresh_data()

    @on(DataChanged)
    def data_changed(self, message: DataChanged) -> None:
        # Strengths alone do not move a mark; anything about contacts or settings may.
        changed = message.changed
        if changed.contacts or changed.everything or changed.settings:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Draw the marks from the core's due items (cheap: the list already ranked them)."""
        core = session_of(self).core
        if core is None:
            return
        self._show(_Loaded([Mark.of(item) for item in core.due_items()], core.settings))

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
            self.open_contact(event.marks[0].contact_id)
            return

        def picked(contact_id: int | None) -> None:
            if contact_id is not None:
                self.open_contact(contact_id)

        self.app.push_screen(CellPicker(event.marks), picked)

    def open_contact(self, contact_id: int) -> None:
        from netbalance.ui.screens.contact import ContactScreen

        self.app.push_screen(ContactScreen(contact_id))

    def action_back(self) -> None:
        self.dismiss(None)


# --- the app's hooks ------------------------------------------------------------------------------


def open_picture(app: App[Any]) -> None:
    """Open the picture (from its key or the palette) once the store is open."""
    if session_of(app).core is None or isinstance(app.screen, NetworkPictureScreen):
        return
    app.push_screen(NetworkPictureScreen())

"""Upcoming events: date, title, status, hours and the triage hint; g / x / a set the status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable, Static

from netbalance.core.selection import keep_place
from netbalance.domain import Event, EventStatus
from netbalance.domain.text import escape_controls
from netbalance.ui.safe_text import plain
from netbalance.ui.widgets.scrolling import KeepsVirtualSize

STATUS_MARK = {
    EventStatus.CONSIDERING: "? maybe",
    EventStatus.GOING: "✓ going",
    EventStatus.DECLINED: "✗ no",
    EventStatus.ATTENDED: "● went",
    EventStatus.MISSED: "○ missed",
}


_ADVICE_STYLE = {"go": "bold green", "consider": "yellow", "skip": "dim"}

# Past this many characters an event's title is cut; wider panes leave the rest blank.
TITLE_MAX = 40


class EventsTable(KeepsVirtualSize, DataTable[str | Text]):
    """The events, one row each (a table that keeps its scrollbars quiet: scrolling.py)."""


class EventsPane(Vertical):
    """The next weeks of events with their triage hints."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._hints: dict[int, tuple[str, str]] = {}
        self._events: dict[int, Event] = {}
        self._now: datetime | None = None
        self._shown_for = 0

    BINDINGS = [
        Binding(
            "g", "status('going')", "Going", tooltip="Mark this event: going", id="event.going"
        ),
        Binding(
            "x",
            "status('declined')",
            "Decline",
            tooltip="Mark this event: declined",
            id="event.decline",
        ),
        Binding(
            "a",
            "status('attended')",
            "Attended",
            tooltip="Mark this event: attended",
            id="event.attended",
        ),
    ]

    DEFAULT_CSS = """
    EventsPane DataTable { height: 1fr; }
    EventsPane #events-empty { color: $text-muted; padding: 1 1; }
    EventsPane #event-detail { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """

    @dataclass
    class StatusRequested(Message):
        event_id: int
        status: EventStatus

    def compose(self) -> ComposeResult:
        table: DataTable[str | Text] = EventsTable(
            id="events-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static("No events in the coming weeks.", id="events-empty")
        yield Static("", id="event-detail")

    def show(self, events: list[Event], hints: dict[int, tuple[str, str]], now: datetime) -> None:
        """List these events (data down from the screen), keeping the cursor on the same event."""
        table: DataTable[str | Text] = self.query_one(DataTable)
        before = [str(k.value) for k in table.rows]
        keep = self.current_event_id()
        self._hints = hints
        self._now = now
        self._events = {e.id: e for e in events}
        columns, title_width = self._columns(events)
        self._shown_for = self.size.width
        table.clear(columns=True)
        for key, width in columns:
            table.add_column("" if key == "mark" else key, width=width, key=key)
        for e in events:
            local = e.start.astimezone(now.tzinfo)
            style = "dim" if e.status in (EventStatus.DECLINED, EventStatus.MISSED) else ""
            advice = hints.get(e.id, ("", ""))[0]
            title = escape_controls(e.title)
            title = title if len(title) <= title_width else title[: title_width - 1] + "…"
            cells = {
                "When": Text(local.strftime("%d %b"), style=style),
                "Event": Text(title, style=style),
                "Status": Text(STATUS_MARK[e.status], style=style),
                "mark": Text(STATUS_MARK[e.status][:1], style=style),
                "Triage": Text(advice, style=style or _ADVICE_STYLE.get(advice, "")),
                "h": Text(f"{e.cost_hours:g}", style=style, justify="right"),
            }
            table.add_row(*(cells[key] for key, _ in columns), key=str(e.id))
        self.query_one("#events-empty").display = not events
        table.display = bool(events)
        # The cursor stays on its event; when that left the list (declined), on the
        # nearest event that was beside it.
        place = keep_place(None if keep is None else str(keep), before, [str(e.id) for e in events])
        if place is not None:
            table.move_cursor(row=place, animate=False)

    def _columns(self, events: list[Event]) -> tuple[list[tuple[str, int]], int]:
        """The columns that leave the titles the room they need, and the title width.

        Hours and triage are in the line under the table too, so they go first, then
        the status is shown by its mark alone."""
        # The table's width less its scrollbar; a column takes 2 cells of padding.
        room = max(0, self.size.width - 2)
        longest = max((len(e.title) for e in events), default=10)
        need = min(TITLE_MAX, max(10, longest))
        when = ("When", 6)
        layouts = [
            [when, ("Status", 8), ("Triage", 8), ("h", 3)],
            [when, ("Status", 8), ("Triage", 8)],
            [when, ("Status", 8)],
            [when, ("mark", 1)],
        ]
        for others in layouts:
            title_width = room - sum(width + 2 for _, width in others) - 2
            if title_width >= need:
                break
        title_width = max(10, min(title_width, TITLE_MAX))
        return [others[0], ("Event", title_width), *others[1:]], title_width

    def on_resize(self, event: Resize) -> None:
        if self._now is not None and event.size.width != self._shown_for:
            self.show(list(self._events.values()), self._hints, self._now)

    @on(DataTable.RowHighlighted)
    def explain(self, event: DataTable.RowHighlighted) -> None:
        """Say why triage recommends what it does for the highlighted event."""
        key = event.row_key.value
        detail = self.query_one("#event-detail", Static)
        if key is None or int(key) not in self._events:
            detail.update("")
            return
        e = self._events[int(key)]
        advice, reason = self._hints.get(e.id, ("", ""))
        local = e.start.astimezone(self._now.tzinfo) if self._now else e.start
        where = f" · {e.place}" if e.place else ""
        head = f"{e.title} · {local:%a %d %b %H:%M}{where} · {e.cost_hours:g} h"
        detail.update(plain(head + (f"\n{advice}: {reason}" if reason else "")))

    def current_event_id(self) -> int | None:
        """The highlighted event: the one the keys act on."""
        table: DataTable[str | Text] = self.query_one(DataTable)
        if not table.row_count or not 0 <= table.cursor_row < table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else int(key)

    def action_status(self, status: str) -> None:
        if (event_id := self.current_event_id()) is not None:
            self.post_message(self.StatusRequested(event_id, EventStatus(status)))

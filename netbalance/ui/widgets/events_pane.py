"""Upcoming events: date, title, status, hours and the triage hint; g / x / a set the status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from netbalance.domain import Event, EventStatus

STATUS_MARK = {
    EventStatus.CONSIDERING: "? considering",
    EventStatus.GOING: "✓ going",
    EventStatus.DECLINED: "✗ declined",
    EventStatus.ATTENDED: "● attended",
    EventStatus.MISSED: "○ missed",
}


class EventsPane(Vertical):
    """The next weeks of events with their triage hints."""

    BINDINGS = [
        Binding("g", "status('going')", "Going", tooltip="Mark this event: going", id="event.going"),
        Binding("x", "status('declined')", "Decline", tooltip="Mark this event: declined", id="event.decline"),
        Binding("a", "status('attended')", "Attended", tooltip="Mark this event: attended", id="event.attended"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    EventsPane DataTable { height: 1fr; }
    EventsPane #events-empty { color: $text-muted; padding: 1 1; }
    """

    @dataclass
    class StatusRequested(Message):
        event_id: int
        status: EventStatus

    def compose(self) -> ComposeResult:
        table: DataTable[str | Text] = DataTable(id="events-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("When", "Event", "Status", "Hours", "Triage")
        yield table
        yield Static("No events in the coming weeks.", id="events-empty")

    def show(self, events: list[Event], hints: dict[int, str], now: datetime) -> None:
        """List these events (data down from the screen), keeping the cursor on the same event."""
        table: DataTable[str | Text] = self.query_one(DataTable)
        keep = None
        if table.row_count and table.cursor_row < table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        for e in events:
            local = e.start.astimezone(now.tzinfo)
            style = "dim" if e.status in (EventStatus.DECLINED, EventStatus.MISSED) else ""
            table.add_row(
                Text(local.strftime("%a %d %b %H:%M"), style=style),
                Text(e.title, style=style),
                Text(STATUS_MARK[e.status], style=style),
                Text(f"{e.cost_hours:g}", style=style, justify="right"),
                Text(hints.get(e.id, ""), style=style or "italic"),
                key=str(e.id),
            )
        self.query_one("#events-empty").display = not events
        table.display = bool(events)
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:  # the event left the window; the cursor stays where it was
                pass

    def action_status(self, status: str) -> None:
        table: DataTable[str | Text] = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.post_message(self.StatusRequested(int(key), EventStatus(status)))

"""The contacts list: a virtual table that draws only the rows on screen.

A DataTable given 5,000 rows takes over a second to paint; this list keeps the
rows as plain tuples and renders the visible lines on demand, so ranking,
filtering and a follow-up repaint in a few milliseconds at any size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from netbalance.core.ranking import ContactRow
from netbalance.core.selection import keep_place
from netbalance.domain.health import Urgency
from netbalance.domain.text import escape_controls
from netbalance.ui.widgets.scrolling import KeepsVirtualSize

# Urgency is shown by a symbol as well as a colour, so it reads without colour too.
MARKS = {
    Urgency.BADLY_OVERDUE: "‼",
    Urgency.OVERDUE: "!",
    Urgency.DUE: "•",
    Urgency.UPCOMING: "›",
    Urgency.NOT_DUE: " ",
    Urgency.NO_CADENCE: " ",
}


# Lines kept drawn: a few screens' worth, with and without the cursor.
LINES_KEPT = 400

# Past this, a wider list shows where people work rather than a longer name column.
NAME_MAX = 30


class _Columns(NamedTuple):
    name: int
    circle: int
    last: int
    due: int
    bar: int
    work: int


def strength_bar(value: int | None, width: int) -> str:
    """A bar of `width` cells for a 0..100 strength ('…' while it is computed)."""
    if value is None:
        return "…".ljust(width)
    eighths = round(value / 100 * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return bar.ljust(width, "·")[:width]


class ContactList(KeepsVirtualSize, ScrollView, can_focus=True):
    """Ranked contacts with a cursor; posts Highlighted and Opened."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page-down"),
        Binding("home", "jump(0)", "First", show=False, id="list.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="list.last"),
        Binding(
            "space",
            "toggle_mark",
            "Mark",
            show=False,
            tooltip="Mark or unmark this contact and move down (then act on all marked)",
            id="marks.toggle",
        ),
        Binding(
            "shift+down",
            "extend(1)",
            "Mark down",
            show=False,
            tooltip="Mark this contact and the next one",
            id="marks.extend-down",
        ),
        Binding(
            "shift+up",
            "extend(-1)",
            "Mark up",
            show=False,
            tooltip="Mark this contact and the one before",
            id="marks.extend-up",
        ),
        Binding(
            "asterisk",
            "mark_shown",
            "Mark all shown",
            show=False,
            tooltip="Mark every contact the filter shows",
            id="marks.all-shown",
        ),
        Binding(
            "escape",
            "clear_marks",
            "Clear marks",
            show=False,
            tooltip="Unmark every marked contact",
            id="marks.clear",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            show=False,
            tooltip="Open the contact screen",
            id="contact.open",
        ),
    ]

    COMPONENT_CLASSES = {
        "contact-list--header",
        "contact-list--cursor",
        "contact-list--badly-overdue",
        "contact-list--overdue",
        "contact-list--due",
        "contact-list--upcoming",
        "contact-list--quiet",
        "contact-list--bar",
        "contact-list--marked",
    }

    DEFAULT_CSS = """
    ContactList { background: $surface; overflow-x: hidden; }
    ContactList > .contact-list--header { color: $text-muted; text-style: bold; }
    ContactList > .contact-list--cursor { background: $block-cursor-blurred-background; }
    ContactList:focus > .contact-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    ContactList > .contact-list--badly-overdue { color: $error; text-style: bold; }
    ContactList > .contact-list--overdue { color: $warning; }
    ContactList > .contact-list--due { color: $accent; }
    ContactList > .contact-list--upcoming { color: $text; }
    ContactList > .contact-list--quiet { color: $text-muted; }
    ContactList > .contact-list--bar { color: $success; }
    ContactList > .contact-list--marked { background: $accent 25%; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a contact (None: the list is empty)."""

        contact_id: int | None

    @dataclass
    class MarksChanged(Message):
        """Contacts were marked or unmarked (`marked` is the whole set now)."""

        marked: frozenset[int]

    @dataclass
    class Opened(Message):
        """Enter on a contact."""

        contact_id: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ContactRow] = []
        # Lines drawn, by what they show (see render_line).
        self._lines: dict[tuple[ContactRow, int, bool, bool, bool], Strip] = {}
        # The contact the cursor follows (by identity, whatever its row).
        self.selected_id: int | None = None
        # Marked contacts, by id: they stay marked when re-ranked or filtered out of view.
        self.marked: set[int] = set()

    # --- data ---------------------------------------------------------------

    def set_rows(self, rows: list[ContactRow]) -> None:
        """Show `rows`, keeping the cursor on the same contact (by id, whatever its new
        place); when that contact is no longer listed, on the nearest one that was beside
        it and still is."""
        before = self.rows
        selected = self.selected_id
        self.rows = rows
        self._set_length(len(rows) + 1)
        index = self.cursor
        if not (0 <= index < len(rows) and rows[index].contact_id == selected):
            index = next((i for i, r in enumerate(rows) if r.contact_id == selected), -1)
            if index < 0:
                place = keep_place(
                    selected,
                    [r.contact_id for r in before],
                    [r.contact_id for r in rows],
                    self.cursor,
                )
                index = 0 if place is None else place
        self.cursor = max(0, min(index, len(rows) - 1))
        # After the new size is laid out, the cursor's row is scrolled into view.
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def _set_length(self, lines: int) -> None:
        """The list's scrollable height: `lines` (a header and the rows).

        Setting `virtual_size` asks for a layout of the whole screen (~10-15 ms a frame),
        which a filter keystroke would pay every time the number of matches changes.
        The list's own size does not depend on it, only whether its scrollbar shows:
        when that stays as it is, the height is set without a layout and the scrollbar
        and scroll position are brought in line here."""
        size = Size(0, lines)
        if size == self.virtual_size:
            return
        # Textual shows the scrollbar when the height passes the container's.
        view = self.container_size.height
        if not view or (lines > view) != self.show_vertical_scrollbar:
            self.virtual_size = size  # the scrollbar comes or goes: the width changes
            return
        self.set_reactive(ContactList.virtual_size, size)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = lines
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def select(self, contact_id: int | None) -> None:
        """Follow this contact from now on (the cursor goes to it at the next `set_rows`,
        or at once when it is listed)."""
        self.selected_id = contact_id
        for i, row in enumerate(self.rows):
            if row.contact_id == contact_id:
                self.cursor = i
                return

    def neighbour(self) -> int | None:
        """The contact after the highlighted one (else before it): where the cursor goes
        when the highlighted contact is done with (followed up, snoozed)."""
        i = self.cursor
        if i + 1 < len(self.rows):
            return self.rows[i + 1].contact_id
        if 0 < i <= len(self.rows):
            return self.rows[i - 1].contact_id
        return None

    @property
    def highlighted(self) -> ContactRow | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    # --- marks --------------------------------------------------------------

    def set_marks(self, marked: set[int]) -> None:
        if marked != self.marked:
            self.marked = set(marked)
            self.refresh()
            self.post_message(self.MarksChanged(frozenset(self.marked)))

    def clear_marks(self) -> None:
        self.set_marks(set())

    @property
    def hidden_marks(self) -> int:
        """How many marked contacts the list does not show now (filtered out)."""
        shown = sum(1 for r in self.rows if r.contact_id in self.marked)
        return len(self.marked) - shown

    def action_toggle_mark(self) -> None:
        row = self.highlighted
        if row is not None:
            self.set_marks(self.marked ^ {row.contact_id})
            self.action_cursor(1)

    def action_extend(self, step: int) -> None:
        """shift+up/down: mark where the cursor is and where it goes."""
        row = self.highlighted
        if row is None:
            return
        self.action_cursor(step)
        moved = self.highlighted
        self.set_marks(self.marked | {row.contact_id} | ({moved.contact_id} if moved else set()))

    def action_mark_shown(self) -> None:
        self.set_marks(self.marked | {r.contact_id for r in self.rows})

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Without marks, escape is not the list's key (it clears a filter, or goes back).
        return None if action == "clear_marks" and not self.marked else True

    # --- cursor -------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        row = self.highlighted
        if row is not None:
            self.selected_id = row.contact_id
        self.post_message(self.Highlighted(row.contact_id if row else None))

    def _scroll_to_cursor(self) -> None:
        top = self.scroll_offset.y
        # `container_size` is kept from the last layout; `size` looks the widget up in
        # the screen's map, which after a layout is rebuilt first (~3 ms on a key).
        visible = max(1, self.container_size.height - 1)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(self.cursor + step, len(self.rows) - 1))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.container_size.height - 2))

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = where % len(self.rows)

    def action_open(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.Opened(row.contact_id))

    def on_click(self, event: events.Click) -> None:
        index = event.y - 1 + self.scroll_offset.y
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows) + 1)

    # --- drawing -------------------------------------------------------------

    def _columns(self, width: int) -> _Columns:
        """Column widths for this width: narrow terminals drop columns, wide ones add
        where the person works instead of stretching the name."""
        circle, last, due, bar = 8, 14, 14, 12
        if width < 70:
            last = 0
        if width < 52:
            circle = 0
        # The 1 at the end keeps the strength figure off the scrollbar; 2 for the marks.
        name = max(8, width - 3 - circle - last - due - bar - (2 if self.marked else 0))
        work = 0
        if name > NAME_MAX + 12:
            work = name - NAME_MAX - 1
            name = NAME_MAX
        return _Columns(name, circle, last, due, bar, work)

    def notify_style_update(self) -> None:
        # A new theme, focus or CSS: every line drawn before has the old colours.
        super().notify_style_update()
        self._lines.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = y - 1 + self.scroll_offset.y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        # A follow-up moves every row below it up one line: the lines are drawn again
        # from what they were, not built again (a row is immutable; a changed contact
        # is a new row).
        key = (row, width, index == self.cursor, row.contact_id in self.marked, bool(self.marked))
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > LINES_KEPT:
                self._lines.clear()
            line = self._lines[key] = self._line(row, index, width)
        return line

    def _line(self, row: ContactRow, index: int, width: int) -> Strip:
        cols = self._columns(width)
        base = self.rich_style + self._urgency_style(row.urgency)
        marked = row.contact_id in self.marked
        if marked:
            base = base + self.get_component_rich_style("contact-list--marked")
        if index == self.cursor:
            base = base + self.get_component_rich_style("contact-list--cursor")
        mark = MARKS[row.urgency]
        # A mark column while anything is marked: ✓ reads without colour too.
        lead = ("✓ " if marked else "  ") if self.marked else ""
        # Names and workplaces come from users and files: no control character is drawn raw.
        text = f"{lead}{mark} {_fit(escape_controls(row.name), cols.name - 1)} "
        if cols.circle:
            text += _fit(row.circle.value, cols.circle)
        if cols.last:
            text += _fit(row.last_text, cols.last)
        text += _fit(row.due_text, cols.due)
        number = "" if row.strength is None else f"{row.strength:>3}"
        bar = strength_bar(row.strength, cols.bar - 4)
        bar_style = base + self.get_component_rich_style("contact-list--bar", partial=True)
        if index == self.cursor:
            bar_style = base
        segments = [Segment(text, base), Segment(bar, bar_style), Segment(" " + number, base)]
        if cols.work:
            muted = base if index == self.cursor else self.rich_style + self._quiet
            segments.append(Segment("  " + _fit(escape_controls(row.work), cols.work - 2), muted))
        return Strip(segments).crop_extend(0, width, base)

    def _header(self, width: int) -> Strip:
        cols = self._columns(width)
        lead = "  " if self.marked else ""
        text = lead + "  " + _fit(f"Contact ({len(self.rows):,})", cols.name - 1) + " "
        if cols.circle:
            text += _fit("Circle", cols.circle)
        if cols.last:
            text += _fit("Last contact", cols.last)
        text += _fit("Next due", cols.due) + _fit("Strength", cols.bar)
        if cols.work:
            text += "  " + _fit("Works at", cols.work - 2)
        style = self.rich_style + self.get_component_rich_style("contact-list--header")
        return Strip([Segment(text, style)]).crop_extend(0, width, style)

    @property
    def _quiet(self) -> Style:
        return self.get_component_rich_style("contact-list--quiet", partial=True)

    def _urgency_style(self, urgency: Urgency) -> Style:
        name = {
            Urgency.BADLY_OVERDUE: "contact-list--badly-overdue",
            Urgency.OVERDUE: "contact-list--overdue",
            Urgency.DUE: "contact-list--due",
            Urgency.UPCOMING: "contact-list--upcoming",
        }.get(urgency, "contact-list--quiet")
        return self.get_component_rich_style(name, partial=True)


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(text) >= width:
        return text[: max(0, width - 2)] + "… "
    return text.ljust(width)

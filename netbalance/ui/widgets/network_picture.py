"""The network as a picture: every contact a mark in Dunbar-like rings, inner in the middle.

Each circle is a ring (inner the middle disc, acquaintances the outer band); a mark's
colour is what the health model says of that person: kept, due today, overdue (late
on the care their circle asks), or no cadence. Within a ring the marks go clockwise
from twelve o'clock, overdue first, so the share of a ring that is late reads as an arc.

When a ring has more people than cells, a cell holds several (◉) and says how many;
the picture never draws more than its cells, so 5,000 contacts cost what 500 do.
Arrow keys move between marks, enter opens the person (or asks which, in a shared
cell); the mouse names who is under it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from netbalance.domain.circles import Circle
from netbalance.domain.health import DueItem


class Care(StrEnum):
    """What the health model says of one person today, as the picture colours it."""

    OVERDUE = "overdue"
    DUE = "due"
    KEPT = "kept"
    NONE = "no cadence"

    @classmethod
    def of(cls, item: DueItem) -> Care:
        """From the model's answers: late on the care day is overdue (a snooze does not
        hide it), due today is due, no cadence is none, anything else is kept."""
        if not item.kept:
            return cls.OVERDUE
        if item.urgency.is_due:
            return cls.DUE
        if item.cadence_days is None:
            return cls.NONE
        return cls.KEPT


@dataclass(frozen=True, slots=True)
class Mark:
    """One person in the picture."""

    contact_id: int
    name: str
    circle: Circle
    care: Care
    late_days: int = 0

    @classmethod
    def of(cls, item: DueItem) -> Mark:
        return cls(item.contact_id, item.name, item.circle, Care.of(item), item.care_overdue_days)


CIRCLES = list(Circle)
# Outer edge of each ring as a share of the picture's radius, inner first.
RING_EDGES = (0.2, 0.4, 0.6, 0.8, 1.0)
# Order within a ring: the arc of overdue people first, clockwise.
CARE_ORDER = {Care.OVERDUE: 0, Care.DUE: 1, Care.KEPT: 2, Care.NONE: 3}
# Spreads the marks of a ring over its depth without a visible pattern.
GOLDEN = 0.6180339887
# A terminal cell is about twice as tall as it is wide.
CELL_ASPECT = 2.0


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything goes at one size: each cell's ring, and the marks in each cell."""

    width: int
    height: int
    ring_of: dict[tuple[int, int], int]  # (x, y) -> ring index, for cells inside the rings
    cells: dict[tuple[int, int], tuple[Mark, ...]]  # occupied cells
    per_cell: int  # the most marks one cell holds (1: every person has a cell of their own)


def layout(marks: Sequence[Mark], width: int, height: int) -> Layout:
    """Place `marks` in rings filling a `width` x `height` area."""
    ring_of: dict[tuple[int, int], int] = {}
    by_ring: list[list[tuple[float, float, tuple[int, int]]]] = [[] for _ in CIRCLES]
    if width >= 3 and height >= 3:
        ry = height / 2
        rx = min(width / 2, ry * CELL_ASPECT)
        ry = min(ry, rx / CELL_ASPECT)
        cx, cy = width / 2, height / 2
        for y in range(height):
            dy = (y + 0.5 - cy) / ry
            for x in range(width):
                dx = (x + 0.5 - cx) / rx
                d = math.hypot(dx, dy)
                if d > 1.0:
                    continue
                ring = next(i for i, edge in enumerate(RING_EDGES) if d <= edge)
                ring_of[x, y] = ring
                # Clockwise from twelve o'clock.
                angle = math.atan2(dx, -dy) % math.tau
                by_ring[ring].append((angle, d, (x, y)))
    grouped: list[list[Mark]] = [[] for _ in CIRCLES]
    for mark in marks:
        grouped[mark.circle.rank].append(mark)
    cells: dict[tuple[int, int], tuple[Mark, ...]] = {}
    per_cell = 1
    for ring, people in enumerate(grouped):
        spots = sorted(by_ring[ring])
        if not people or not spots:
            continue
        people.sort(key=lambda m: (CARE_ORDER[m.care], m.name.casefold(), m.contact_id))
        n, m = len(people), len(spots)
        if n <= m:  # spread evenly round the ring, each at its own depth in the band
            low = RING_EDGES[ring - 1] if ring else 0.0
            high = RING_EDGES[ring]
            for i, person in enumerate(people):
                bucket = spots[i * m // n : max((i + 1) * m // n, i * m // n + 1)]
                depth = low + (high - low) * ((0.5 + i * GOLDEN) % 1.0)
                cell = min(bucket, key=lambda s: abs(s[1] - depth))[2]
                cells[cell] = (person,)
        else:  # more people than cells: each cell holds a run of them
            for j, spot in enumerate(spots):
                run = tuple(people[j * n // m : (j + 1) * n // m])
                if run:
                    cells[spot[2]] = run
                    per_cell = max(per_cell, len(run))
    return Layout(width, height, ring_of, cells, per_cell)


def worst(marks: Sequence[Mark]) -> Care:
    """The colour of a shared cell: its most common care, the more pressing on a tie."""
    counts: dict[Care, int] = {}
    for mark in marks:
        counts[mark.care] = counts.get(mark.care, 0) + 1
    return min(counts, key=lambda c: (-counts[c], CARE_ORDER[c]))


class NetworkPicture(Widget, can_focus=True):
    """The rings and their marks; posts `Pointed` when the cursor or the mouse names
    someone, and `Opened` on enter (with every person of the cell)."""

    HELP_SECTION = "Network picture"

    DEFAULT_CSS = """
    NetworkPicture {
        width: 1fr;
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(0,-1)", "Up", show=False, id="picture.up", tooltip="Mark above"),
        Binding("down,j", "move(0,1)", "Down", show=False, id="picture.down", tooltip="Mark below"),
        Binding("left,h", "move(-1,0)", "Left", show=False, id="picture.left", tooltip="Mark left"),
        Binding(
            "right,l", "move(1,0)", "Right", show=False, id="picture.right", tooltip="Mark right"
        ),
        Binding("enter", "open", "Open", id="picture.open", tooltip="Open this person"),
    ]

    GLYPH_ONE = "●"
    GLYPH_MANY = "◉"

    @dataclass
    class Pointed(Message):
        """The cursor or the mouse is on these people (none: on nobody)."""

        marks: tuple[Mark, ...]
        by_mouse: bool

    @dataclass
    class Opened(Message):
        """Enter on a cell: the people in it."""

        marks: tuple[Mark, ...]

    cursor: reactive[tuple[int, int] | None] = reactive(None, layout=False)
    hover: reactive[tuple[int, int] | None] = reactive(None, layout=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.marks: list[Mark] = []
        self._layout: Layout | None = None
        self._lines: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}

    # --- data down ---------------------------------------------------------------------

    def show(self, marks: Sequence[Mark], keep: int | None = None) -> None:
        """Draw these people; the cursor stays on `keep` (a contact id) where it can."""
        self.marks = list(marks)
        self._layout = None
        self._relayout(keep)

    @property
    def current(self) -> tuple[Mark, ...]:
        """The people under the cursor."""
        if self._layout is None or self.cursor is None:
            return ()
        return self._layout.cells.get(self.cursor, ())

    @property
    def cells(self) -> dict[tuple[int, int], tuple[Mark, ...]]:
        return self._layout.cells if self._layout is not None else {}

    def cell_of(self, contact_id: int) -> tuple[int, int] | None:
        """Where a person is drawn."""
        for xy, marks in self.cells.items():
            if any(m.contact_id == contact_id for m in marks):
                return xy
        return None

    # --- geometry -------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        keep = self.current[0].contact_id if self.current else None
        self._relayout(keep)

    def _relayout(self, keep: int | None = None) -> None:
        size: Size = self.size
        self._layout = layout(self.marks, size.width, size.height)
        self._lines.clear()
        cells = self._layout.cells
        cursor = self.cell_of(keep) if keep is not None else None
        if cursor is None and cells:
            # Start in the middle: the innermost person, else the first of the ring.
            cursor = min(cells, key=lambda xy: (cells[xy][0].circle.rank, xy[1], xy[0]))
        self.cursor = cursor
        self.hover = None
        self.refresh()
        self._point(by_mouse=False)

    def _styles_for_theme(self) -> dict[str, Style]:
        v = self.app.theme_variables
        background = Color.parse(v.get("background", "#000000"))
        tint = Color.parse(v.get("primary", "#0178D4"))
        styles: dict[str, Style] = {"outside": Style(bgcolor=background.rich_color)}
        for ring in range(len(CIRCLES)):
            # The middle glows most: closer circles on a stronger tint.
            shade = background.blend(tint, 0.05 + 0.06 * (len(CIRCLES) - 1 - ring))
            styles[f"ring{ring}"] = Style(bgcolor=shade.rich_color)
        for care, key in ((Care.OVERDUE, "error"), (Care.DUE, "warning"), (Care.KEPT, "success")):
            styles[care.value] = Style(color=Color.parse(v.get(key, "#888888")).rich_color)
        # No cadence: present, but quieter than anyone the model has a word about.
        foreground = Color.parse(v.get("foreground", "#e0e0e0"))
        styles[Care.NONE.value] = Style(color=background.blend(foreground, 0.45).rich_color)
        return styles

    def on_mount(self) -> None:
        self._styles = self._styles_for_theme()
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self._styles = self._styles_for_theme()
        self._lines.clear()
        self.refresh()

    # --- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        strip = self._lines.get(y)
        if strip is None:
            strip = self._draw_line(y)
            self._lines[y] = strip
        return strip

    def _draw_line(self, y: int) -> Strip:
        lay = self._layout
        width = self.size.width
        if lay is None or not self._styles:
            return Strip.blank(width)
        styles = self._styles
        segments: list[Segment] = []
        run: list[str] = []
        run_style: Style | None = None
        cursor_style = Style(reverse=True, bold=True)
        hover_style = Style(underline=True, bold=True)

        def flush() -> None:
            if run:
                segments.append(Segment("".join(run), run_style))
                run.clear()

        for x in range(width):
            ring = lay.ring_of.get((x, y))
            base = styles["outside"] if ring is None else styles[f"ring{ring}"]
            people = lay.cells.get((x, y))
            if people:
                char = self.GLYPH_ONE if len(people) == 1 else self.GLYPH_MANY
                style = base + styles[worst(people).value]
                if (x, y) == self.cursor and self.has_focus:
                    style += cursor_style
                elif (x, y) == self.cursor or (x, y) == self.hover:
                    style += hover_style
            else:
                char, style = " ", base
            if style != run_style:
                flush()
                run_style = style
            run.append(char)
        flush()
        return Strip(segments, width)

    def _redraw(self, *cells: tuple[int, int] | None) -> None:
        for cell in cells:
            if cell is not None:
                self._lines.pop(cell[1], None)
                self.refresh(Region(0, cell[1], self.size.width, 1))

    def watch_cursor(self, old: tuple[int, int] | None, new: tuple[int, int] | None) -> None:
        self._redraw(old, new)

    def watch_hover(self, old: tuple[int, int] | None, new: tuple[int, int] | None) -> None:
        self._redraw(old, new)

    def on_focus(self) -> None:
        self._redraw(self.cursor)

    def on_blur(self) -> None:
        self._redraw(self.cursor)

    # --- moving -----------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        """To the nearest mark in that direction (rows count double: cells are tall)."""
        if self.cursor is None:
            return
        x0, y0 = self.cursor
        best: tuple[float, tuple[int, int]] | None = None
        for x, y in self.cells:
            along = (x - x0) * dx + (y - y0) * dy * CELL_ASPECT
            if along <= 0:
                continue
            across = abs((x - x0) * dy) + abs((y - y0) * dx) * CELL_ASPECT
            cost = along + 2 * across
            if best is None or cost < best[0]:
                best = (cost, (x, y))
        if best is not None:
            self.cursor = best[1]
            self._point(by_mouse=False)

    def _point(self, *, by_mouse: bool) -> None:
        cell = self.hover if by_mouse else self.cursor
        marks = self.cells.get(cell, ()) if cell is not None else ()
        self.post_message(self.Pointed(marks, by_mouse))

    def action_open(self) -> None:
        if self.current:
            self.post_message(self.Opened(self.current))

    # --- the mouse -------------------------------------------------------------------------

    def on_mouse_move(self, event: events.MouseMove) -> None:
        cell = (event.x, event.y)
        hover = cell if cell in self.cells else None
        if hover != self.hover:
            self.hover = hover
            self._point(by_mouse=True)

    def on_leave(self, event: events.Leave) -> None:
        if self.hover is not None:
            self.hover = None
            self._point(by_mouse=False)

    def on_click(self, event: events.Click) -> None:
        cell = (event.x, event.y)
        if cell in self.cells:
            self.cursor = cell
            self._point(by_mouse=False)
            if event.chain >= 2:
                self.action_open()

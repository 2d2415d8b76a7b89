"""A frame hook for a headless Textual app: what the terminal shows, and when.

Textual draws a frame in `Screen._compositor_refresh`: the compositor renders the
dirty regions into a `CompositorUpdate` and hands it to `App._display(screen, update)`,
which turns it into escape sequences and writes them to the driver. Headless, the
update is still rendered (widgets' lines, compositing) but `_display` skips the
write. `FrameWatch` wraps `_display` on the app instance: for each update it does
the terminal's part too (`update.render_segments(console)`, the escape sequences a
real terminal would be sent), then applies the update to a character grid, so the
grid is the screen a user would see after that frame, and notes the time.

A measurement arms a wait with a condition on the screen text; the first frame whose
text meets it resolves the wait with that frame's time. So "key to frame" is the time
from the key event reaching the app's driver to the first frame that shows the result,
including waiting for Textual's refresh timer (60 frames a second at most).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.geometry import Region

Condition = Callable[["Frame"], bool]


@dataclass
class Frame:
    """One drawn frame: when (time.monotonic), the screen's text after it, what it repainted."""

    at: float
    number: int
    watch: FrameWatch
    spans: list[tuple[int, int, int]]  # (y, x from, x to) of each repainted stretch

    @property
    def text(self) -> str:
        return self.watch.text()

    def repainted(self, region: Region) -> bool:
        """Did this frame redraw any part of `region` (a widget's place on screen)?"""
        return any(
            region.y <= y < region.bottom and x1 < region.right and x2 > region.x
            for y, x1, x2 in self.spans
        )


class FrameWatch:
    """Keeps the terminal's text as the app's frames draw it and resolves waits on it."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.grid: list[list[str]] = []
        self.frames = 0
        self.first_frame_at: float | None = None
        self.last_frame_at: float | None = None
        self._waits: list[tuple[Condition, asyncio.Future[Frame]]] = []
        self._text: str | None = None
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if isinstance(renderable, CompositorUpdate) and not app._batch_count:
                self._frame(renderable)

        app._display = display  # type: ignore[method-assign]

    # --- the screen -------------------------------------------------------------------

    def text(self) -> str:
        if self._text is None:
            self._text = "\n".join("".join(row) for row in self.grid)
        return self._text

    def _frame(self, update: CompositorUpdate) -> None:
        # The terminal's share of the work: the bytes a real driver would write.
        update.render_segments(self.app.console)
        at = time.monotonic()
        self.frames += 1
        if self.first_frame_at is None:
            self.first_frame_at = at
        self.last_frame_at = at
        spans = self._apply(update)
        self._text = None
        if not self._waits:
            return
        frame = Frame(at, self.frames, self, spans)
        still = []
        for condition, future in self._waits:
            if future.done():
                continue
            try:
                met = condition(frame)
            except Exception as err:  # a broken condition must fail the wait, not the app
                future.set_exception(err)
                continue
            if met:
                future.set_result(frame)
            else:
                still.append((condition, future))
        self._waits = still

    def _apply(self, update: CompositorUpdate) -> list[tuple[int, int, int]]:
        size = self.app.size
        if len(self.grid) != size.height or (self.grid and len(self.grid[0]) != size.width):
            self.grid = [[" "] * size.width for _ in range(size.height)]
        spans: list[tuple[int, int, int]] = []
        if isinstance(update, LayoutUpdate):
            region = update.region
            for y, line in enumerate(update.strips, region.y):
                self._put(region.x, y, "".join(strip.text for strip in line))
                spans.append((y, region.x, region.right))
        elif isinstance(update, ChopsUpdate):
            # The same cuts ChopsUpdate.render_segments sends to a terminal.
            spans = update.spans
            for y, x1, x2 in update.spans:
                for end, (x, strip) in zip(
                    update.chop_ends[y], update.chops[y].items(), strict=False
                ):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    if not (x2 > x >= x1 and end <= x2):
                        strip = strip.crop(0, min(end, x2) - x)
                    self._put(x, y, strip.text)
        return spans

    def _put(self, x: int, y: int, text: str) -> None:
        if not 0 <= y < len(self.grid):
            return
        row = self.grid[y]
        for char in text:
            if x >= len(row):
                break
            row[x] = char
            width = cell_len(char)
            if width == 2 and x + 1 < len(row):
                row[x + 1] = ""
            x += max(width, 1)

    # --- waiting for what a user waits for --------------------------------------------------

    def expect(self, condition: Condition) -> asyncio.Future[Frame]:
        """A future resolved by the first frame from now on that meets `condition`."""
        future: asyncio.Future[Frame] = asyncio.get_running_loop().create_future()
        self._waits.append((condition, future))
        return future

    async def wait(self, future: asyncio.Future[Frame], timeout: float, what: str) -> Frame:
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise SystemExit(
                f"the screen:\n{self.text()}\nno frame showed {what} within {timeout:.0f} s"
            ) from None

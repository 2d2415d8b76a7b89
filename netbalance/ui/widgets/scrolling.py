"""Scroll views that keep their own virtual size through a layout.

A scroll view draws its own lines (the contacts list, a table), so Textual's compositor
does not know how tall its content is: at every layout of the screen it reports the
view's own size as its virtual size, `ScrollView._size_updated` sees a difference from
the real one, and asks both scrollbars to repaint. The layout has just drawn them; the
request stays pending and is flushed at the user's next key, as an extra frame before
the key's own frame, which then waits for the next slot of the 60 Hz refresh timer
(measured: +16 ms on `f` at 5,000 contacts). Passing the view's own virtual size keeps
the check to what changed (the view's size, its container).

Written against Textual 8 (`_size_updated` is not public API); tests/ui/test_frames.py
checks that a layout leaves no scrollbar repaint pending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

    _Base = ScrollView
else:
    # A plain mixin at run time: a Widget base here would change how Textual merges
    # the component classes and CSS of the widget it is mixed into.
    _Base = object


class KeepsVirtualSize(_Base):
    """Mixin for a ScrollView subclass (first in the bases)."""

    _virtual_at_layout: Size | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # The view's own virtual size changed since the last layout (rows added, a
        # filter): let Textual bring the scrollbars in line, as it always would.
        own = self.virtual_size
        if own != self._virtual_at_layout:
            self._virtual_at_layout = own
            return super()._size_updated(size, virtual_size, container_size, layout)
        return super()._size_updated(size, own, container_size, layout)

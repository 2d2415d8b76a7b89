"""Updating a Static only when what it shows changes, and laying out only when its
height does.

`Static.update` asks for a layout of the whole screen (a frame of ~10-15 ms at 120x36
with this app's panes), even for the same text, or a text of the same height. Panes
redraw from the core on every change, and after a follow-up most of their lines stay
the same, or change within the same number of lines: skipping the layout keeps a key's
frame to what it changed.
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


def show_text(widget: Static, content: VisualType, *, layout: bool = True) -> bool:
    """Put `content` in `widget` unless it already shows it; True when it changed.

    The screen is laid out again only when the new text needs another height (the
    widget's width is set by its container, as every Static in these panes is);
    `layout=False` for a one-line widget of fixed size, which never needs it."""
    if widget.content == content:
        return False
    widget.update(content, layout=False)
    if layout and _height_changes(widget):
        widget.refresh(layout=True)
    return True


def _height_changes(widget: Static) -> bool:
    height_rule = widget.styles.height
    if height_rule is not None and not height_rule.is_auto:
        return False  # its height is set by CSS (cells, fr, %), not by its text
    region = widget.content_region
    if not region.width or not widget.display:
        return True
    widget.clear_cached_dimensions()
    height = widget.get_content_height(widget.container_size, widget.app.size, region.width)
    return height != region.height

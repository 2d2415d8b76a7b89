"""Updating a Static only when what it shows changes.

`Static.update` always asks for a layout of the whole screen (a frame of ~10-15 ms at
120x36 with this app's panes), even for the same text. Panes redraw from the core on
every change, and most of their lines stay the same after a follow-up: skipping those
keeps a key's frame to what it changed.
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


def show_text(widget: Static, content: VisualType, *, layout: bool = True) -> bool:
    """Put `content` in `widget` unless it already shows it; True when it changed.
    `layout=False` for a widget whose size cannot change with its text (one line of
    fixed width)."""
    if widget.content == content:
        return False
    widget.update(content, layout=layout)
    return True

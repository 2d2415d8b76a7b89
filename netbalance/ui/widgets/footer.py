"""A compact footer that fits its width: keys it has no room for are left out whole.

Textual's footer scrolls what does not fit behind the command-palette key, so at 80
columns it ended in a cut fragment ("palettev"). This one drops keys from the right
(every key stays in help, `?`, and the palette) and keeps `?` itself.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Never left out: the key that lists all the others.
KEEP = frozenset({"question_mark"})


def _width(key: FooterKey) -> int:
    """Cells a compact footer key takes: key, space, description, margin."""
    text = key.key_display + (f" {key.description}" if key.description else "")
    return len(text) + 1


class FittingFooter(Footer):
    """A footer that leaves out keys rather than cut one."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._fitted_to = 0
        self._recompose_pending = False
        self._shows: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        width = self.size.width or self.app.size.width
        self._fitted_to = width
        self._shows = self._shown_bindings()
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        shown = [k for k in keys if not k.has_class("-command-palette")]
        room = width - sum(_width(k) + 1 for k in keys if k.has_class("-command-palette"))
        used = sum(_width(k) for k in shown)
        for key in reversed(shown):
            if used <= room:
                break
            if key.key not in KEEP:
                key.display = False
                used -= _width(key)
        # A shorter key left out early may fit in what the longer ones left.
        for key in shown:
            if not key.display and used + _width(key) <= room:
                key.display = True
                used += _width(key)
        yield from widgets

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_to:
            self._recompose_soon()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """As Footer's, but one recompose for the changes made before it runs: Footer
        recomposes once per change (`Screen.refresh_bindings`), and the app's start makes
        five in a row (focus, the store opened, ...), each remounting and restyling every
        key, ~100 ms of CPU beside the store's open at 5k/50k."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._recompose_soon()

    def _recompose_soon(self) -> None:
        if not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_now)

    async def _recompose_now(self) -> None:
        # Cleared first: a change while this one is being composed asks for another.
        self._recompose_pending = False
        width = self.size.width or self.app.size.width
        if width == self._fitted_to and self._shows == self._shown_bindings():
            # The same keys, enabled the same way, at the same width: the bindings that
            # changed are not shown here (a recompose and its layout cost ~10-20 ms).
            return
        await self.recompose()

    def _shown_bindings(self) -> tuple[tuple[str, str, str, bool, str], ...] | None:
        """What the footer draws from the screen's bindings (as Footer.compose reads them)."""
        if not self._bindings_ready or not self.is_attached:
            return None
        return tuple(
            (key, binding.action, binding.description, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show
        )

"""What the review and settings keys do: `r` opens the weekly review, `,` the settings.

The Controller owns one `Reflection`. The review screen reads the store
itself and writes its snapshots and notes through the app's writer; the
settings screen returns valid Settings, which are saved in the writer, then
the view reloads so the due list, the gauge and the budget line follow them.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from netbalance.domain.health import week_of
from netbalance.domain.settings import Settings

if TYPE_CHECKING:
    from netbalance.ui.controller import Controller


class Reflection:
    """Opens the weekly review and the settings for the app."""

    def __init__(self, controller: Controller) -> None:
        self.controller = controller
        self.app = controller.app

    def open_review(self) -> None:
        """`r`: the review of the current week (`[` and `]` move from there)."""
        from netbalance.ui.screens.review import ReviewScreen

        if not self.controller.ready or isinstance(self.app.screen, ReviewScreen):
            return
        now = self.app.clock()
        screen = ReviewScreen(self.controller.store, now, week_of(now), writer=self.app.writer)
        self.app.push_screen(screen)

    def open_settings(self) -> None:
        """`,`: the networking budget, circles and thresholds."""
        from netbalance.ui.screens.settings import SettingsScreen

        if not self.controller.ready or isinstance(self.app.screen, SettingsScreen):
            return
        current = self.controller.store.settings()

        def chosen(settings: Settings | None) -> None:
            if settings is None:
                return
            if settings == current:
                self.app.notify("Nothing changed.", timeout=2)
                return
            store = self.controller.store
            self.controller._write(partial(store.save_settings, settings), self._saved)

        self.app.push_screen(SettingsScreen(current), chosen)

    def _saved(self, settings: Settings) -> None:
        self.controller.reload()
        self.app.notify(
            f"Settings saved · budget {settings.weekly_hours:g} h a week, "
            f"{settings.events_per_month} events a month",
            title="Saved",
        )

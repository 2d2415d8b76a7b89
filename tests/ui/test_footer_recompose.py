"""The footer recomposes once for bindings changed together (the app's start makes
several in a row; each recompose remounts and restyles every key), and not at all when
what it shows did not change."""

from __future__ import annotations

from pathlib import Path

from netbalance.app import make_app
from netbalance.ui.widgets.footer import FittingFooter
from tests.ui.conftest import NOW, settle
from tests.ui.test_hostile_text import screen_text


async def test_bindings_changed_together_recompose_the_footer_once(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(FittingFooter)
        composed: list[int] = []
        compose = footer.compose

        def counted():  # type: ignore[no-untyped-def]
            composed.append(1)
            return compose()

        footer.compose = counted  # type: ignore[method-assign]
        before = screen_text(app).split("\n")[-1]
        for _ in range(5):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        # Nothing it shows changed: no recompose (each costs a layout of the screen).
        assert composed == []
        assert screen_text(app).split("\n")[-1] == before
        # The filter field takes focus: its keys come, once, however many changes.
        await pilot.press("slash")
        for _ in range(3):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(composed) == 1
        assert "Clear filter" in screen_text(app).split("\n")[-1]

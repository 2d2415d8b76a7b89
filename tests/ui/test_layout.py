"""Pilot tests of the main screen's layout at 80, 120 and 200 columns (issue 9 item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from netbalance.app import make_app
from netbalance.ui.widgets.contact_list import ContactList
from netbalance.ui.widgets.footer import FittingFooter
from tests.ui.conftest import NOW, settle
from tests.ui.test_hostile_text import screen_text


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 60)])
async def test_the_footer_shows_whole_keys_only(demo_path: Path, size: tuple[int, int]) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        footer = screen_text(app).split("\n")[-1].rstrip()
        assert footer.endswith("▏^p palette"), footer
        keys = footer.split("▏")[0]
        assert keys.startswith("f Followed up F Log… s Snooze") and "? Help" in keys
        assert keys.rstrip().endswith(("? Help", "r Review")), keys


@pytest.mark.parametrize("size", [(120, 36), (200, 60)])
async def test_event_titles_get_the_width_they_need(demo_path: Path, size: tuple[int, int]) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        titles = {e.title for e in app.store.events()}
        table = app.screen.query_one("#events-table", DataTable)
        shown = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert shown and all(title in titles for title in shown), shown
        text = screen_text(app)
        assert all(title in text for title in shown[:3])


async def test_the_strength_figure_does_not_touch_the_scrollbar(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        contacts = app.screen.query_one(ContactList)
        region = contacts.content_region
        lines = screen_text(app).split("\n")
        last = region.x + contacts.scrollable_content_region.width - 1
        rows = lines[region.y + 1 : region.y + region.height]
        assert rows and all(line[last] == " " for line in rows), [
            r[last - 4 : last + 3] for r in rows
        ]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_toasts_stay_off_the_contacts_columns(demo_path: Path, size: tuple[int, int]) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.pause(0.1)
        toasts = list(app.screen.query(Toast))
        side = app.screen.query_one("#side-column").region
        assert toasts and all(t.region.x >= side.x for t in toasts), [t.region for t in toasts]


@pytest.mark.parametrize("keys", ["E", "E enter", "G", "G enter", "r", "enter", "D", "N"])
async def test_every_screens_footer_shows_whole_keys_at_80(demo_path: Path, keys: str) -> None:
    """The events, an event, the goals, a goal, the review, a contact, the duplicates and
    the network picture: no cut key."""
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*keys.split())
        await settle(app, pilot)
        footer = screen_text(app).split("\n")[-1].rstrip()
        assert footer.endswith("▏^p palette"), (type(app.screen).__name__, footer)
        shown = app.screen.query_one(FittingFooter).query(FooterKey)
        visible = [k for k in shown if k.display and not k.has_class("-command-palette")]
        assert visible and all(f"{k.key_display} {k.description}" in footer for k in visible), (
            footer
        )
        assert "? Help" in footer, footer

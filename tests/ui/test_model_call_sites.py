"""The screens call the model's rules, so they answer as the command line does.

Black-box through `make_app` and keys: each test asserts on what was stored (or
not) and on the words shown.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from netbalance.app import make_app
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


def message(screen: Any, key: str) -> str:
    """The validation message shown under field `key` ('' when hidden)."""
    line = screen.query_one(f"#{key}-message", Static)
    return str(line.render()) if line.has_class("-shown") else ""


def shown(widget: Static) -> str:
    return str(widget.render())


# --- 1. the log form: when_happened / next_step_day ------------------------------------


async def test_log_form_refuses_in_3_days_and_keeps_yesterday_at_15(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        top = app.screen.query_one(ContactList).highlighted
        before = len(app.store.interactions_of(top.contact_id))
        await pilot.press("F")
        await pilot.pause()
        form = app.screen
        form.query_one("#when", Input).value = "in 3 days"
        await pilot.pause()
        assert "is in the future" in shown(form.query_one("#when-preview", Static))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not logged
        assert message(form, "when") == (
            "“in 3 days” is in the future; log an interaction once it has happened"
        )
        assert len(app.store.interactions_of(top.contact_id)) == before

        form.query_one("#when", Input).value = "yesterday 15:00"
        await pilot.pause()
        assert "(yesterday)" in shown(form.query_one("#when-preview", Static))
        form.query_one("#note", Input).value = "Coffee at three"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        (logged,) = [
            i for i in app.store.interactions_of(top.contact_id) if i.note == "Coffee at three"
        ]
        local = logged.at.astimezone(NOW.tzinfo)
        assert (local.date(), local.hour, local.minute) == (
            (NOW - timedelta(days=1)).date(),
            15,
            0,
        )


async def test_log_form_refuses_a_next_step_in_the_past(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        top = app.screen.query_one(ContactList).highlighted
        before = len(app.store.interactions_of(top.contact_id))
        await pilot.press("F")
        await pilot.pause()
        form = app.screen
        form.query_one("#next-step", Input).value = "send the deck"
        form.query_one("#next-step-on", Input).value = "yesterday"
        await pilot.pause()
        preview = shown(form.query_one("#next-step-on-preview", Static))
        assert "is in the past; a next step is still to do" in preview
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert message(form, "next-step-on") == (
            "“yesterday” is in the past; a next step is still to do"
        )
        assert len(app.store.interactions_of(top.contact_id)) == before
        form.query_one("#next-step-on", Input).value = "friday"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        (logged,) = [
            i for i in app.store.interactions_of(top.contact_id) if i.next_step == "send the deck"
        ]
        assert logged.next_step_on is not None and logged.next_step_on >= NOW.date()

"""Pilot tests of the flows that go through modal screens, driven from the main screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input

from netbalance.app import make_app
from netbalance.domain import InteractionKind
from netbalance.ui.screens.contact import ContactScreen
from netbalance.ui.screens.help import HelpScreen
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


async def test_F_logs_an_interaction_with_details(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        top = app.screen.query_one(ContactList).highlighted
        await pilot.press("F")
        await pilot.pause()
        when = app.screen.query_one("#when", Input)
        when.value = "yesterday"
        app.screen.query_one("#note", Input).value = "Long lunch, talked about her move"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store is not None
        (logged,) = [
            i for i in app.store.interactions_of(top.contact_id) if i.note.startswith("Long lunch")
        ]
        assert logged.note == "Long lunch, talked about her move"
        assert logged.at.date() == (NOW - timedelta(days=1)).date()
        assert logged.kind is InteractionKind.MESSAGE
        assert any("Logged" in str(n.message) for n in app._notifications)


async def test_s_snoozes_for_a_week(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        top = app.screen.query_one(ContactList).highlighted
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("2")  # 1 week
        await settle(app, pilot)
        assert app.store is not None
        until = app.store.contact(top.contact_id).snoozed_until
        assert until is not None and until.date() == (NOW + timedelta(days=7)).date()
        assert top.contact_id not in [
            r.contact_id for r in app.screen.query_one(ContactList).rows[:3]
        ]


async def test_n_adds_and_e_edits_a_contact(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Zora Quist"
        app.screen.query_one("#emails", Input).value = "zora@example.org"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store is not None
        (zora,) = [c for c in app.store.contacts() if c.name == "Zora Quist"]
        assert zora.emails == ("zora@example.org",) and zora.created_at == NOW
        assert app.screen.query_one(ContactList).highlighted.contact_id == zora.id
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Zora Quist-Berg"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store.contact(zora.id).name == "Zora Quist-Berg"
        assert app.store.contact(zora.id).emails == ("zora@example.org",)


async def test_escape_in_a_form_changes_nothing(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        before = app.store.revision
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Nobody"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.store.revision == before
        assert not [c for c in app.store.contacts() if c.name == "Nobody"]


async def test_enter_opens_the_contact_and_f_there_follows_up(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        top = app.screen.query_one(ContactList).highlighted
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert top.name in str(app.screen.query_one("#profile").render())
        await pilot.press("f")
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.last_interaction_at(top.contact_id) == NOW
        await pilot.press("escape")
        await pilot.pause()
        assert top.contact_id != app.screen.query_one(ContactList).rows[0].contact_id


async def test_help_lists_every_key(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("*") if hasattr(w, "render"))
        for words in ("Followed up", "Snooze", "Archive", "Filter", "Undo", "Going"):
            assert words in text

"""Snapshot tests (fixed size and time) for the forms, dialogs, contact, help and error screens."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from netbalance.core import Core
from netbalance.domain.circles import Circle
from netbalance.domain.model import Contact, Goal, Initiator, Interaction, InteractionKind
from netbalance.domain.settings import Settings
from netbalance.store import Store
from netbalance.store.errors import StoreDamaged
from netbalance.ui.screens.contact import ContactScreen
from netbalance.ui.screens.contact_form import ContactForm
from netbalance.ui.screens.error import StoreErrorScreen
from netbalance.ui.screens.help import HelpScreen
from netbalance.ui.screens.interaction_form import InteractionForm
from netbalance.ui.screens.snooze import SnoozeDialog
from netbalance.ui.session import Session
from tests.ui.conftest import until_still

NOW = datetime(2025, 12, 18, 14, 30, tzinfo=UTC)
GOALS = [Goal("Find a design job", id=1), Goal("Learn Rust", id=2)]
PEOPLE = [Contact("Ana Silva", id=1, company="Acme"), Contact("Anabel Ruiz", id=2)]


class Host(App[None]):
    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.pushed = screen

    def on_mount(self) -> None:
        self.push_screen(self.pushed)


class CoreHost(Host):
    """A host with the core open on `store` (health model built), as the app has it."""

    TITLE = "Host"

    def __init__(self, store: Store, screen: Screen[Any]) -> None:
        super().__init__(screen)
        self.session = Session(self, lambda: NOW)
        core = Core.open(store, lambda: NOW)
        core.install_health(core.build_health(NOW))
        self.session.core = core


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()
    await until_still(pilot)


def test_contact_form_with_messages(snap_compare: Any) -> None:
    async def invalid(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    app = Host(ContactForm(None, GOALS, Settings()))
    assert snap_compare(app, terminal_size=(80, 24), run_before=invalid)


def test_contact_form_editing(snap_compare: Any) -> None:
    contact = Contact(
        "Ana Silva",
        id=3,
        circle=Circle.CLOSE,
        emails=("ana@example.com",),
        goal_ids=(1,),
        notes="Met at PyCon",
    )
    app = Host(ContactForm(contact, GOALS, Settings()))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_interaction_form_choosing_people(snap_compare: Any) -> None:
    async def typing(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*"ana")
        await settle(pilot)

    app = Host(InteractionForm(PEOPLE, [], NOW))
    assert snap_compare(app, terminal_size=(80, 24), run_before=typing)


def test_snooze_dialog(snap_compare: Any) -> None:
    app = Host(SnoozeDialog("Ana Silva", NOW))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def contact_screen_host() -> CoreHost:
    store = Store.in_memory()
    goal = store.add_goal(Goal("Find a design job"), NOW)
    ana = store.add_contact(
        Contact(
            "Ana Silva",
            circle=Circle.CLOSE,
            company="Acme",
            role="Designer",
            goal_ids=(goal.id,),
            tags=("design",),
        ),
        datetime(2025, 9, 1, tzinfo=UTC),
    )
    store.log_interaction(
        Interaction(
            (ana.id,),
            datetime(2025, 10, 1, 18, tzinfo=UTC),
            kind=InteractionKind.COFFEE,
            depth=3,
            initiated_by=Initiator.THEM,
            note="Her new team",
            next_step="send the portfolio",
            next_step_on=date(2025, 10, 8),
        ),
        NOW,
    )
    store.log_interaction(Interaction((ana.id,), datetime(2025, 11, 20, 12, tzinfo=UTC)), NOW)
    return CoreHost(store, ContactScreen(ana.id))


def test_contact_screen(snap_compare: Any) -> None:
    assert snap_compare(contact_screen_host(), terminal_size=(100, 30), run_before=settle)


def test_contact_screen_timeline_focused(snap_compare: Any) -> None:
    # Tab to the timeline, down to the older interaction: its row is highlighted and the
    # footer offers the timeline's keys (edit, delete).
    async def to_timeline(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("tab", "down")
        await settle(pilot)

    assert snap_compare(contact_screen_host(), terminal_size=(100, 30), run_before=to_timeline)


def test_help_screen(snap_compare: Any) -> None:
    sections = [
        ("Contacts", [("f", "Followed up now"), ("F", "Log an interaction"), ("s", "Snooze")]),
        ("Everywhere", [("?", "Help"), ("q", "Quit")]),
    ]
    assert snap_compare(Host(HelpScreen(sections)), terminal_size=(80, 24), run_before=settle)


def test_store_error_screen(snap_compare: Any) -> None:
    error = StoreDamaged(
        "/home/ana/.local/share/netbalance/netbalance.json cannot be read: the file is empty. "
        "The file was left untouched."
    )
    app = Host(StoreErrorScreen(error, backup="~/.local/share/netbalance/backups/2025-12-17.json"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)

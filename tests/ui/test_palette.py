"""Pilot tests of the command palette finding people and events by name (issue 9 item 9)."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette

from netbalance.app import NetbalanceApp, make_app
from netbalance.domain import Contact
from netbalance.store import Store
from netbalance.ui.screens.contact import ContactScreen
from netbalance.ui.screens.events import EventScreen
from tests.ui.conftest import NOW, settle


async def search(app: NetbalanceApp, pilot: object, query: str) -> list[str]:
    """Open the palette, type `query`; the commands it lists."""
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)  # type: ignore[attr-defined]
    palette = app.screen
    for _ in range(100):
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        busy = any(w.is_running for w in palette.workers)
        if not busy and palette.query_one(CommandList).option_count:
            break
    commands = app.screen.query_one(CommandList)
    prompts = (commands.get_option_at_index(i).prompt for i in range(commands.option_count))
    return [str(p).split("\n")[0] for p in prompts]


async def test_the_palette_finds_a_contact_and_follows_up(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        found = await search(app, pilot, "lena kim")
        assert "Open Lena Kim" in found and "Follow up with Lena Kim" in found
        await pilot.press("escape")
        found = await search(app, pilot, "follow up with lena kim")
        assert found[0] == "Follow up with Lena Kim"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.store is not None
        (lena,) = [c for c in app.store.contacts() if c.name == "Lena Kim"]
        assert app.store.last_interaction_at(lena.id) == NOW
        assert any("Followed up with Lena Kim" in str(n.message) for n in app._notifications)
    with Store.open(demo_path) as store:
        assert store.last_interaction_at(lena.id) == NOW


async def test_the_palette_opens_a_contact_and_an_event_from_any_screen(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")  # from another screen: the palette goes there
        await settle(app, pilot)
        found = await search(app, pilot, "open lena kim")
        assert found[0] == "Open Lena Kim"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactScreen) and app.screen.title == "Lena Kim"
        assert [type(s).__name__ for s in app.screen_stack[-2:]] == ["MainScreen", "ContactScreen"]
        assert app.store is not None
        event = app.store.events()[0]
        found = await search(app, pilot, f"open event {event.title}")
        assert found[0] == f"Open event {event.title}"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert [type(s).__name__ for s in app.screen_stack[-3:]] == [
            "MainScreen",
            "EventsScreen",
            "EventScreen",
        ]
        assert app.screen.current_event_id() == event.id


async def test_the_palette_shows_hostile_names_as_typed(demo_path: Path) -> None:
    with Store.open(demo_path) as store:
        for name in ("Plain [/] close", "[link=file:///etc/passwd]x[/]"):
            store.add_contact(Contact(name=name), NOW)
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert "Open Plain [/] close" in await search(app, pilot, "plain")
        await pilot.press("escape")
        assert "Open [link=file:///etc/passwd]x[/]" in await search(app, pilot, "passwd")
        assert app.return_code is None

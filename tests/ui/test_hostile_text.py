"""Hostile names through every screen: markup and control characters are shown, never obeyed.

Names such as `Plain [/] close` crashed the app (a MarkupError from the toast after
`f`); `[link=...]` and `[@click=...]` would have become live links and actions, and a
raw `\\e[2J` in an old file would blank the terminal. Every screen and toast must show
such text as typed (issue 10 item 7).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from netbalance.app import NetbalanceApp, make_app
from netbalance.domain import Contact, Event, Goal, Interaction, InteractionKind
from netbalance.store import Store
from netbalance.ui.screens.contact import ContactScreen
from netbalance.ui.screens.main import MainScreen
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle

# Written through the store (which cleans control characters on the way in), then given
# a raw escape in the file itself, as an old or hand-edited database may hold.
RAW_ESCAPE = "Esc RAWESC[2J Clear"
HOSTILE = [
    "Plain [/] close",
    "[link=file:///etc/passwd]x[/]",
    "[bold red]Boom",
    "[@click=app.quit]Quit[/]",
    "Back\\[slash] [/bold]",
    "$accent [$x] [on red]",
    RAW_ESCAPE,
]
COMPANY = "Hostile Corp"


def shown(name: str) -> str:
    """What the screen shows for `name`: itself, with a raw escape made visible."""
    return name.replace("RAWESC", "\\x1b")


def stored(name: str) -> str:
    return name.replace("RAWESC", "\x1b")


def screen_text(app: NetbalanceApp) -> str:
    """Every character on the screen, toasts included."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def toasts(app: NetbalanceApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def hostile_path(demo_path: Path) -> Path:
    with Store.open(demo_path) as store:
        goal = store.add_goal(Goal("[b]Goal[/b] [/]", notes="[link=x]y[/]"), NOW)
        ids = []
        for name in HOSTILE:
            contact = store.add_contact(
                Contact(
                    name=name,
                    company=COMPANY,
                    role=name,
                    emails=(f"{len(ids)}.[x]@example.org",),
                    tags=("[red]tag[/]",),
                    notes=name,
                    goal_ids=(goal.id,),
                    created_at=NOW - timedelta(days=400),
                ),
                NOW,
            )
            ids.append(contact.id)
            store.log_interaction(
                Interaction(
                    (contact.id,),
                    NOW - timedelta(days=3),
                    kind=InteractionKind.COFFEE,
                    note=f"note {name}",
                ),
                NOW,
            )
        store.add_event(
            Event(
                f"Meetup {HOSTILE[0]} {HOSTILE[1]}",
                NOW + timedelta(days=2),
                place=HOSTILE[3],
                notes=HOSTILE[2],
                goal_ids=(goal.id,),
                met_contact_ids=tuple(ids[:2]),
            )
        )
    # A raw escape, as an old file may hold (the store cleans what it is given).
    text = demo_path.read_text(encoding="utf-8")
    demo_path.write_text(text.replace("RAWESC", "\\u001b"), encoding="utf-8")
    raw = json.loads(demo_path.read_text(encoding="utf-8"))
    assert any(stored(RAW_ESCAPE) == c.get("name") for c in raw["contacts"].values())
    return demo_path


async def pick(app: NetbalanceApp, pilot: object, index: int) -> str:
    """Put the cursor on the `index`-th hostile contact; its name."""
    contacts = app.screen.query_one(ContactList)
    contacts.cursor = index
    await pilot.pause()  # type: ignore[attr-defined]
    row = contacts.highlighted
    assert row is not None
    return row.name


async def test_hostile_names_are_shown_as_typed_on_every_screen(hostile_path: Path) -> None:
    app = make_app(hostile_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        # The filter itself is user text, shown in the status line.
        await pilot.press("slash", *"hostile corp", "enter")
        await settle(app, pilot)
        assert len(app.screen.query_one(ContactList).rows) == len(HOSTILE)
        for index in range(len(HOSTILE)):
            name = await pick(app, pilot, index)
            text = screen_text(app)
            assert "\x1b" not in text
            # The contact screen, and its keys.
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ContactScreen)
            assert shown(name) in screen_text(app)
            forms = (("e", "escape"), ("s", "escape"), ("F", "escape escape"))
            # The forms with the first names and the raw escape (the whole set is slow).
            for key, closing in forms if index in (0, 1, len(HOSTILE) - 1) else ():
                await pilot.press(key)
                await settle(app, pilot)
                assert "\x1b" not in screen_text(app), key
                await pilot.press(*closing.split())
                await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen)
            # `f` and its toast (this crashed on the first name).
            await pilot.press("f")
            await settle(app, pilot)
            assert any(f"Followed up with {shown(name)}" in t for t in toasts(app)), toasts(app)
            assert "\x1b" not in screen_text(app)
            await pilot.press("l")
            await settle(app, pilot)
            assert "\x1b" not in screen_text(app)
            await pilot.press("escape")
            await settle(app, pilot)
        # Events, an event's page, who I met, goals, a goal's page, the review.
        for keys in (("E",), ("enter",), ("w",), ("escape", "escape", "G"), ("enter",), ("r",)):
            await pilot.press(*keys)
            await settle(app, pilot)
            assert "\x1b" not in screen_text(app), keys
        assert app.return_code is None  # still running: nothing crashed, nothing quit


async def test_markup_typed_into_the_filter_is_shown_as_typed(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "left_square_bracket", "slash", "right_square_bracket")
        await pilot.pause()
        assert "filter “[/]”: 0 matches" in screen_text(app)
        assert app.return_code is None

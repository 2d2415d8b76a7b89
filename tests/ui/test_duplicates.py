"""Pilot tests of the duplicates review and the merge: keys in, stored data and screen out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from netbalance.app import NetbalanceApp, make_app
from netbalance.cli import main as cli_main
from netbalance.domain.duplicates import apart_key, find_duplicates
from netbalance.store import Store
from netbalance.ui.screens.duplicates import DuplicatesScreen, MergeDialog, MergeWithPicker
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


def toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def pairs_table(app: NetbalanceApp) -> DataTable[object]:
    return app.screen.query_one("#dupes-table", DataTable)


def listed(app: NetbalanceApp) -> list[tuple[int, int]]:
    """The pairs the screen lists, top to bottom, as (first id, second id)."""
    out = []
    for key in pairs_table(app).rows:
        first, _, second = str(key.value).partition("-")
        out.append((int(first), int(second)))
    return out


def highlighted(app: NetbalanceApp) -> tuple[int, int]:
    screen = app.screen
    assert isinstance(screen, DuplicatesScreen)
    pair = screen.current_pair()
    assert pair is not None
    return pair


def store_of(app: NetbalanceApp) -> Store:
    assert app.store is not None
    return app.store


async def open_review(app: NetbalanceApp, pilot: object) -> None:
    await settle(app, pilot)
    await pilot.press("D")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert isinstance(app.screen, DuplicatesScreen)


async def type_text(pilot: object, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])  # type: ignore[attr-defined]


async def test_review_lists_the_cli_pairs_in_the_cli_order_with_why(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["--db", str(demo_path), "duplicates", "--json"]) == 0
    from_cli = [(p["first"]["id"], p["second"]["id"]) for p in json.loads(capsys.readouterr().out)]
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_review(app, pilot)
        assert listed(app) == from_cli and len(from_cli) == 63
        # The best pair first, with its score and why; below, the two records side by side.
        first = pairs_table(app).get_row_at(0)
        assert str(first[0]) == "59" and str(first[1]) == "same name, same company Quarry & Co"
        assert highlighted(app) == (5, 439)
        detail = str(app.screen.query_one("#dupes-detail", Static).render())
        assert "greta.duarte.5@quarry.example" in detail and "187" in detail
        assert "63 pairs may be one person" in app.screen.sub_title


def main_list_ids(app: NetbalanceApp) -> list[int]:
    return [row.contact_id for row in app.main.query_one(ContactList).rows]


def main_highlighted(app: NetbalanceApp) -> int | None:
    row = app.main.query_one(ContactList).highlighted
    return row.contact_id if row is not None else None


async def test_merge_from_the_review_keeps_every_interaction_and_u_undoes_it(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_review(app, pilot)
        store = store_of(app)
        greta, other = store.contact(5), store.contact(439)
        moved = store.interaction_count(439)
        before = store.interaction_count(5)
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        # The record with more history is kept by default, and the dialog says so.
        who = str(dialog.query_one("#merge-who", Static).render())
        assert "Keeps   #5 Greta Duarte" in who and "Removes #439 Greta Duarte" in who
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        kept = store.contact(5)
        assert store.interaction_count(5) == before + moved
        assert not any(c.id == 439 for c in store.contacts(include_archived=True))
        assert other.uid in kept.aliases
        assert set(greta.emails) | set(other.emails) == set(kept.emails)
        assert kept.circle == greta.circle  # the closer circle (inner)
        # The pair is gone; the cursor is on the pair that took its place.
        assert (5, 439) not in listed(app) and len(listed(app)) == 62
        assert highlighted(app) == listed(app)[0]
        assert any("Merged Greta Duarte into Greta Duarte" in t for t in toasts(app))
        # The one DataChanged redrew the main screen too: the merged-in record is gone
        # from its list and the cursor is on the kept contact.
        assert 439 not in main_list_ids(app) and 5 in main_list_ids(app)
        assert main_highlighted(app) == 5

        await pilot.press("u")
        await settle(app, pilot)
        assert store.contact(439).uid == other.uid
        assert store.interaction_count(5) == before and store.interaction_count(439) == moved
        assert (5, 439) in listed(app) and len(listed(app)) == 63
        assert 439 in main_list_ids(app)


async def test_merge_dialog_swaps_the_kept_record_and_takes_a_chosen_field(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_review(app, pilot)
        store = store_of(app)
        await pilot.press("down", "down")
        assert highlighted(app) == (2, 127)
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        fields: DataTable[object] = dialog.query_one("#merge-fields", DataTable)
        rows = [str(k.value) for k in fields.rows]
        assert "company" in rows and "emails" in rows
        await pilot.press(*["down"] * rows.index("company"))
        await pilot.press("space")  # take the merged-in record's company
        assert str(fields.get_cell("company", "taken")) == "● merged-in's"
        await pilot.press("s")  # keep #127 instead: the company choice follows its value
        who = str(dialog.query_one("#merge-who", Static).render())
        assert "Keeps   #127" in who
        assert str(fields.get_cell("company", "taken")) == "● kept record's"
        await pilot.press("enter")
        await settle(app, pilot)
        kept = store.contact(127)
        assert kept.company == "Umbra AI"
        assert kept.circle.value == "inner"  # the closer of the two circles
        assert not any(c.id == 2 for c in store.contacts(include_archived=True))


async def test_escape_in_the_merge_dialog_writes_nothing(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_review(app, pilot)
        store = store_of(app)
        revision = store.revision
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        assert store.revision == revision and store.contact(439).name == "Greta Duarte"


async def test_not_the_same_person_is_remembered_and_skip_is_not(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_review(app, pilot)
        store = store_of(app)
        await pilot.press("x")
        await settle(app, pilot)
        assert store.kept_apart() == {apart_key(store.contact(5), store.contact(439))}
        assert (5, 439) not in listed(app)
        assert highlighted(app) == (494, 498)
        await pilot.press("s")  # skip: hidden for this visit, nothing written
        await pilot.pause()
        assert (494, 498) not in listed(app) and len(listed(app)) == 61
        assert len(store.kept_apart()) == 1
        # Back and in again: the skipped pair returns, the kept-apart one does not.
        await pilot.press("escape")
        await pilot.pause()
        await open_review(app, pilot)
        assert (494, 498) in listed(app) and (5, 439) not in listed(app)
    # Remembered in the file: the CLI's list leaves it out too.
    with Store.open(demo_path) as store:
        pairs = find_duplicates(
            store.contacts(include_archived=True), kept_apart=store.kept_apart()
        )
        assert (5, 439) not in [p.ids for p in pairs] and len(pairs) == 62


async def test_palette_opens_the_review_and_merges_the_highlighted_contact(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        store = store_of(app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Contacts: review duplicates" in titles and "Contact: merge with…" in titles
        contact_id = app.main.highlighted_contact
        assert contact_id is not None
        me = store.contact(contact_id)
        target = next(c for c in store.contacts() if c.id != contact_id and c.name != me.name)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "merge with")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MergeWithPicker)
        await type_text(pilot, target.name)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        assert dialog.keep.id == contact_id and dialog.other.id == target.id
        await pilot.press("enter")
        await settle(app, pilot)
        assert not any(c.id == target.id for c in store.contacts(include_archived=True))
        assert target.uid in store.contact(contact_id).aliases
        assert app.main.highlighted_contact == contact_id

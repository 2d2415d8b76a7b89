"""Bulk work on the contacts list (issue 15): mark with space, shift+arrows or "mark all
shown", then move, tag, untag, snooze or archive them all as ONE change that `u` undoes.
Black-box: keys in, the stored data and the screen out."""

from __future__ import annotations

from pathlib import Path

from netbalance.app import make_app
from netbalance.domain import Circle
from netbalance.store import Store
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle
from tests.ui.test_main_screen import toasts


def _list(app: object) -> ContactList:
    return app.screen.query_one(ContactList)  # type: ignore[attr-defined, no-any-return]


def _status(app: object) -> str:
    return str(app.screen.query_one("#contacts-status").render())  # type: ignore[attr-defined]


def _screen_text(app: object) -> str:
    """The list's lines as drawn now."""
    contacts = _list(app)
    return "\n".join(contacts.render_line(y).text for y in range(contacts.size.height))


async def test_space_and_shift_arrows_mark_then_m_moves_all_as_one_undoable_change(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        rows = _list(app).rows
        # space marks and moves down; space again on row 1; shift+down marks rows 2 and 3.
        await pilot.press("space", "space", "shift+down")
        marked = {r.contact_id for r in rows[:4]}
        assert _list(app).marked == marked
        assert _list(app).highlighted.contact_id == rows[3].contact_id  # type: ignore[union-attr]
        assert "4 marked" in _status(app)
        assert _screen_text(app).count("✓") == 4
        store = app.store
        assert store is not None
        before = {c.id: c.circle for c in store.contacts(include_archived=True)}
        target = next(c for c in Circle if any(before[cid] != c for cid in marked))
        revision = store.revision
        await pilot.press("m")
        await pilot.pause()
        # The circle picker: choose the target circle.
        await pilot.press("home", *["down"] * list(Circle).index(target))
        picker = app.screen.query_one("#circle-choices")
        assert picker.highlighted == list(Circle).index(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app, pilot)
        after = {c.id: c.circle for c in store.contacts(include_archived=True)}
        assert all(after[cid] == target for cid in marked)
        assert {k: v for k, v in after.items() if k not in marked} == {
            k: v for k, v in before.items() if k not in marked
        }
        assert store.revision == revision + 1  # one transaction
        assert store.last_change is not None
        assert store.last_change.description == f"move 4 contacts to the {target.value} circle"
        assert any(f"Move 4 contacts to the {target.value} circle" in t for t in toasts(app))
        # Once stored, the marks clear; the circle column shows the move.
        assert not _list(app).marked and "marked" not in _status(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert {c.id: c.circle for c in store.contacts(include_archived=True)} == before
    with Store.open(demo_path) as again:
        assert {c.id: c.circle for c in again.contacts(include_archived=True)} == before


async def test_marks_follow_ids_across_filtering_and_tag_reaches_hidden_ones(
    demo_path: Path,
) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "k", "i", "m", "enter")
        kims = {r.contact_id for r in _list(app).rows}
        assert len(kims) >= 2
        await pilot.press("asterisk")
        assert _list(app).marked == kims
        assert f"{len(kims)} marked" in _status(app)
        # Another filter: the Kims are out of view, still marked.
        await pilot.press("slash", "backspace", "backspace", "backspace", "a", "n", "a", "enter")
        shown = {r.contact_id for r in _list(app).rows}
        hidden = len(kims - shown)
        assert hidden > 0
        assert f"{len(kims)} marked, {hidden} not shown" in _status(app)
        # Re-ranking or sorting keeps them marked too.
        await pilot.press("S")
        assert _list(app).marked == kims
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"mentee", "enter")
        await settle(app, pilot)
        store = app.store
        assert store is not None
        tagged = {c.id for c in store.contacts(include_archived=True) if "mentee" in c.tags}
        assert tagged == kims
        await pilot.press("u")
        await settle(app, pilot)
        assert not any("mentee" in c.tags for c in store.contacts(include_archived=True))


async def test_snooze_and_archive_marked_and_esc_clears(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        rows = _list(app).rows
        await pilot.press("space", "space", "escape")
        assert not _list(app).marked and _screen_text(app).count("✓") == 0
        await pilot.press("home", "space", "space", "space")
        marked = {r.contact_id for r in rows[:3]}
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("2")  # one week
        await settle(app, pilot)
        store = app.store
        assert store is not None
        snoozed = {c.id for c in store.contacts() if c.snoozed_until is not None}
        assert marked <= snoozed
        assert store.last_change is not None and "snooze 3 contacts" in (
            store.last_change.description
        )
        # Mark them again (they re-ranked: find them by id) and archive all three.
        contacts = _list(app)
        contacts.set_marks(marked)
        await pilot.press("d")
        await settle(app, pilot)
        assert all(store.contact(cid).archived for cid in marked)
        assert not any(r.contact_id in marked for r in _list(app).rows)
        assert len(_list(app).rows) == 497
        await pilot.press("u")
        await settle(app, pilot)
        assert not any(store.contact(cid).archived for cid in marked)
        assert len(_list(app).rows) == 500

"""Pilot tests of the main screen: every key asserts on the store and on the screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable

from netbalance.app import make_app
from netbalance.config import AppConfig
from netbalance.domain import EventStatus, Interaction
from netbalance.domain.health import due_list
from netbalance.store import Store
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


def toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def listed(app: object) -> list[str]:
    return [r.name for r in app.screen.query_one(ContactList).rows]  # type: ignore[attr-defined]


async def test_contacts_are_ranked_like_the_due_list(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        store = app.store
        assert store is not None
        due = due_list(store.contacts(), store.last_interactions(), store.settings(), NOW)
        rows = app.screen.query_one(ContactList).rows
        assert [r.contact_id for r in rows[: len(due)]] == [d.contact_id for d in due]
        assert all(r.strength is not None for r in rows), "strengths arrive once the model is built"
        status = str(app.screen.query_one("#contacts-status").render())
        assert f"{len(due)} due" in status and "500 contacts" in status


async def test_f_logs_a_follow_up_and_moves_on(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        first = app.screen.query_one(ContactList).rows[0]
        second = app.screen.query_one(ContactList).rows[1]
        await pilot.press("f")
        # The screen answers before the write lands: the cursor is on the next due contact.
        assert app.screen.query_one(ContactList).highlighted.contact_id == second.contact_id
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.last_interaction_at(first.contact_id) == NOW
        assert first.contact_id not in [
            r.contact_id for r in app.screen.query_one(ContactList).rows[:5]
        ]
        assert any(f"Followed up with {first.name}" in t for t in toasts(app))
    # And it is on disk.
    with Store.open(demo_path) as store:
        assert store.last_interaction_at(first.contact_id) == NOW


async def test_filter_due_only_and_sort(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "k", "i", "m")
        rows = app.screen.query_one(ContactList).rows
        assert rows and all("kim" in r.haystack for r in rows)
        assert "filter “kim”" in str(app.screen.query_one("#contacts-status").render())
        await pilot.press("escape")
        assert len(app.screen.query_one(ContactList).rows) == 500
        await pilot.press("o")
        rows = app.screen.query_one(ContactList).rows
        assert rows and all(r.urgency.is_due for r in rows)
        await pilot.press("o", "S")  # sort by name
        names = listed(app)
        assert names == sorted(names, key=str.casefold)
        await pilot.press("S")  # by strength
        values = [r.strength or 0 for r in app.screen.query_one(ContactList).rows]
        assert values == sorted(values, reverse=True)


async def test_d_archives_and_u_undoes(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        target = app.screen.query_one(ContactList).highlighted
        await pilot.press("d")
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.contact(target.contact_id).archived
        assert target.name not in listed(app)
        assert any("press u to undo" in t for t in toasts(app))
        await pilot.press("u")
        await settle(app, pilot)
        assert not app.store.contact(target.contact_id).archived
        assert target.name in listed(app)


async def test_event_keys_set_status(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#events-table", DataTable)
        table.focus()
        await pilot.pause()
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key is not None
        await pilot.press("g")
        await settle(app, pilot)
        if type(app.screen).__name__ == "ConfirmDialog":
            await pilot.press("y")  # the demo's first event stretches the budget: go anyway
            await settle(app, pilot)
        assert app.store is not None
        assert app.store.event(int(key)).status is EventStatus.GOING
        await pilot.press("x")
        await settle(app, pilot)
        assert app.store.event(int(key)).status is EventStatus.DECLINED


async def test_other_processes_writes_appear(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        top = app.screen.query_one(ContactList).rows[0]
        # `netbalance log` in another terminal: another Store on the same file.
        other = Store.open(demo_path)
        other.log_interaction(Interaction((top.contact_id,), NOW - timedelta(minutes=5)), NOW)
        other.close()
        app.session.poll()
        await settle(app, pilot)
        assert app.screen.query_one(ContactList).rows[0].contact_id != top.contact_id


async def test_a_failed_write_rolls_the_screen_back(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        top = app.screen.query_one(ContactList).rows[0]

        def disk_full(fd: int, data: bytes) -> int:
            raise OSError(28, "No space left on device")

        app.store.engine.ops.write = disk_full  # type: ignore[union-attr]
        await pilot.press("f")
        await settle(app, pilot)
        assert any("the disk is full" in t for t in toasts(app))
        assert app.store.last_interaction_at(top.contact_id) != NOW
        assert app.screen.query_one(ContactList).rows[0].contact_id == top.contact_id


async def test_keys_can_be_remapped(demo_path: Path) -> None:
    app = make_app(demo_path, AppConfig(keymap={"contact.follow-up": "y"}), now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        top = app.screen.query_one(ContactList).rows[0]
        await pilot.press("y")
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.last_interaction_at(top.contact_id) == NOW


async def test_empty_database_welcomes_and_loads_demo(tmp_path: Path) -> None:
    app = make_app(tmp_path / "new.json", now=NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "Welcome to netbalance" in str(app.screen.query_one("#welcome-text").render())
        await pilot.press("d")
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.contact_count() == 500
        assert len(listed(app)) == 500


async def test_palette_commands_act_on_the_highlighted_rows(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        for title in ("Contact: follow up", "Contact: snooze", "Event: going", "Review: this week"):
            assert title in commands
        top = app.screen.query_one(ContactList).highlighted
        commands["Contact: follow up"]()
        await settle(app, pilot)
        assert app.store is not None
        assert app.store.last_interaction_at(top.contact_id) == NOW
        table = app.screen.query_one("#events-table", DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key is not None
        commands["Event: decline"]()
        await settle(app, pilot)
        assert app.store.event(int(key)).status is EventStatus.DECLINED


async def test_the_writer_survives_a_failing_callback() -> None:
    from netbalance.ui.writer import StoreWriter

    reported: list[Exception] = []
    writer = StoreWriter(report=reported.append)
    done: list[int] = []

    def broken(_result: int) -> None:
        raise LookupError("the screen is gone")

    import asyncio

    loop = asyncio.create_task(writer.run())
    writer.submit(lambda: 1, broken, reported.append)
    writer.submit(lambda: 2, done.append, reported.append)
    await writer.join()
    loop.cancel()
    assert done == [2], "the second write still ran and reported"
    assert [type(e) for e in reported] == [LookupError]

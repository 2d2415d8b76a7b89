"""The app's "Data: sync now": the palette runs a real sync with the vdir folders of
config.toml; the files appear, the header's status line and a toast say what it did,
and a contact that came in from the folder is on the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandPalette

from netbalance.app import make_app
from netbalance.config import AppConfig
from netbalance.domain import Contact
from netbalance.store import Store
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW

CARD = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:phone-1\r\nFN:Bea From Phone\r\n"
    "N:Phone;Bea;;;\r\nEMAIL:bea@phone.example\r\nEND:VCARD\r\n"
)


async def _sync_from_palette(pilot: Any) -> None:
    app = pilot.app
    await app.settle()
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*"sync now")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await app.settle()
    await pilot.pause()


async def test_sync_now_from_the_palette_writes_reads_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "netbalance.json"
    with Store.open(db) as store:
        store.add_contact(Contact("Ana Silva"), NOW)
    contacts = tmp_path / "vdir" / "contacts"
    calendar = tmp_path / "vdir" / "calendar"
    contacts.mkdir(parents=True)
    calendar.mkdir(parents=True)
    (contacts / "phone-1.vcf").write_text(CARD)
    config = AppConfig(sync_contacts=str(contacts), sync_calendar=str(calendar))
    app = make_app(db, config, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await _sync_from_palette(pilot)
        with Store.open(db) as store:
            assert sorted(c.name for c in store.contacts()) == ["Ana Silva", "Bea From Phone"]
        written = [p.read_text() for p in contacts.glob("*.vcf")]
        assert any("FN:Ana Silva" in text for text in written)
        assert "Synced:" in app.sub_title and "1 file written" in app.sub_title
        shown = app.screen.query_one(ContactList)
        assert "Bea From Phone" in [row.name for row in shown.rows]


async def test_sync_now_without_folders_says_how_to_set_them_up(tmp_path: Path) -> None:
    db = tmp_path / "netbalance.json"
    with Store.open(db) as store:
        store.add_contact(Contact("Ana Silva"), NOW)
    before = db.read_bytes()
    app = make_app(db, AppConfig(), now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await _sync_from_palette(pilot)
        # Toasts are plain text (App.notify never reads markup): "[sync]" shows as typed.
        toasts = [str(n.message) for n in app._notifications]
        assert any("config.toml under [sync]" in t for t in toasts), toasts
        assert app.sub_title.endswith("sync failed")
    assert db.read_bytes() == before

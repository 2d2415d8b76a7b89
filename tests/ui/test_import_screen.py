"""Pilot tests of the import screen: preview, import, wrong kind, cancel, and real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import on
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select, Static

from netbalance.app import NetbalanceApp, make_app
from netbalance.store import Store, StoreWriteError
from netbalance.ui.screens.import_screen import MAX_ROWS, PROMPT, ImportScreen
from netbalance.ui.screens.welcome import WelcomeScreen
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "realworld"

TWO_CARDS = """\
BEGIN:VCARD
VERSION:3.0
FN:Ana Silva
EMAIL:ana@example.com
ORG:Acme
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bo Li
TEL:+49 171 1234567
END:VCARD
BEGIN:VCARD
VERSION:3.0
NOTE:a card with nobody on it
END:VCARD
"""


def text(app: NetbalanceApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def toasts(app: NetbalanceApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def stored_names(app: NetbalanceApp) -> list[str]:
    assert app.store is not None
    return sorted(c.name for c in app.store.contacts(include_archived=True))


async def leave_sorting(app: NetbalanceApp, pilot: Pilot[None]) -> None:
    """New people came in: the sorting is offered; esc leaves them all acquaintances."""
    from netbalance.ui.screens.sort_imported import SortImportedDialog

    await pilot.pause()
    assert isinstance(app.screen, SortImportedDialog)
    await pilot.press("escape")
    await settle(app, pilot)


async def open_import(app: NetbalanceApp, pilot: Pilot[None]) -> ImportScreen:
    """From the welcome screen of an empty database, `i` opens the import screen."""
    await settle(app, pilot)
    assert isinstance(app.screen, WelcomeScreen)
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(app.screen, ImportScreen)
    return app.screen


async def preview(
    app: NetbalanceApp, pilot: Pilot[None], path: Path, kind: str | None = None
) -> None:
    """Type the path, let the screen read the kind from the file, choose `kind` over it
    when given, and press Enter."""
    screen = app.screen
    path_input = screen.query_one("#import-path", Input)
    path_input.value = str(path)
    path_input.focus()
    await settle(app, pilot)
    if kind is not None:
        screen.query_one("#import-kind", Select).value = kind
        await pilot.pause()
    await pilot.press("enter")
    await settle(app, pilot)


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    path = tmp_path / "friends.vcf"
    path.write_text(TWO_CARDS, encoding="utf-8")
    return path


async def test_preview_shows_counts_and_writes_nothing(tmp_path: Path, cards: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await preview(app, pilot, cards)
        status = text(app, "#import-status")
        assert "2 new" in status and "0 merged" in status and "1 skipped" in status
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == "skipped" and "card 3" in rows[0][2]
        assert rows[1][:2] == ["new", "Ana Silva"]
        assert rows[2][:2] == ["new", "Bo Li"]
        assert str(app.screen.query_one("#import-apply", Button).label) == "Import 2 contacts"
        assert stored_names(app) == []


async def test_ctrl_s_imports_and_closes_with_a_toast(tmp_path: Path, cards: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await preview(app, pilot, cards)
        await pilot.press("ctrl+s")
        await app.writer.join()
        await settle(app, pilot)
        await leave_sorting(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert stored_names(app) == ["Ana Silva", "Bo Li"]
        assert "Imported 2 new, merged 0, skipped 1" in toasts(app)
        # The main screen shows them at once.
        assert len(app.screen.query_one(ContactList).rows) == 2
    with Store.open(tmp_path / "db.json") as store:
        assert sorted(c.name for c in store.contacts()) == ["Ana Silva", "Bo Li"]


async def test_the_same_file_again_changes_nothing(tmp_path: Path, cards: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await preview(app, pilot, cards)
        await pilot.click("#import-apply")
        await settle(app, pilot)
        await leave_sorting(app, pilot)
        assert stored_names(app) == ["Ana Silva", "Bo Li"]
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await preview(app, pilot, cards)
        assert "2 unchanged" in text(app, "#import-status")
        assert "nothing to import" in text(app, "#import-status")
        assert app.screen.query_one("#import-apply", Button).disabled
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen), "nothing to write: the screen stays"
        assert stored_names(app) == ["Ana Silva", "Bo Li"]


async def test_wrong_kind_says_so_and_writes_nothing(tmp_path: Path, cards: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await preview(app, pilot, cards, kind="linkedin")
        message = text(app, "#import-message")
        assert "not a LinkedIn Connections.csv file" in message
        assert "looks like a vCard file" in message
        assert app.screen.query_one("#import-message").has_class("-error")
        assert app.screen.query_one("#import-apply", Button).disabled
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen)
        assert stored_names(app) == []
        # The right kind then works from the same screen, and the message goes.
        await preview(app, pilot, cards, kind="vcard")
        assert app.screen.query_one("#import-kind", Select).value == "vcard"
        assert not app.screen.query_one("#import-message").has_class("-error")
        assert "2 new" in text(app, "#import-status")


async def test_missing_and_empty_paths_are_explained(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await pilot.press("enter")
        assert "Type the path" in text(app, "#import-message")
        await preview(app, pilot, tmp_path / "nope.vcf")
        assert "no such file or folder" in text(app, "#import-message")


async def test_escape_after_preview_writes_nothing(tmp_path: Path, cards: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await preview(app, pilot, cards)
        assert "2 new" in text(app, "#import-status")
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert stored_names(app) == []
        assert not any(t.startswith("Imported") for t in toasts(app))
    with Store.open(tmp_path / "db.json") as store:
        assert store.contacts() == []


async def test_changing_the_path_drops_the_preview(tmp_path: Path, cards: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        await preview(app, pilot, cards)
        assert screen.plan is not None
        screen.query_one("#import-path", Input).value = str(cards) + "x"
        await pilot.pause()
        assert screen.plan is None
        assert screen.query_one("#import-apply", Button).disabled
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert stored_names(app) == []


async def test_path_completion(tmp_path: Path, cards: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        path_input = app.screen.query_one("#import-path", Input)
        path_input.value = str(tmp_path / "fr")
        path_input.cursor_position = len(path_input.value)
        await settle(app, pilot)
        await pilot.press("right")
        assert path_input.value == str(cards)


async def test_palette_command_and_key_open_the_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")  # past the welcome screen
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Data: import contacts or events" in titles
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)


@pytest.mark.skipif(not (REALWORLD / "vcf").is_dir(), reason="real-world fixtures not present")
async def test_real_world_vcard_folder(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        await preview(app, pilot, REALWORLD / "vcf")
        assert screen.plan is not None
        counts = screen.plan.counts()
        assert counts["new"] > 0
        assert f"{counts['new']} new" in text(app, "#import-status")
        table = screen.query_one(DataTable)
        assert table.row_count >= len(screen.plan.entries) + len(screen.plan.skipped)
        # Cards of the file that merge into earlier cards are one contact each.
        button = str(screen.query_one("#import-apply", Button).label)
        assert button == f"Import {len(screen.plan.add_contacts)} contacts"
        # The skipped card comes first, and the line under the table tells it in full.
        assert text(app, "#import-row").startswith("skipped · ")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert app.store is not None
        assert len(app.store.contacts(include_archived=True)) == counts["new"]


@pytest.mark.skipif(not (REALWORLD / "ics").is_dir(), reason="real-world fixtures not present")
async def test_real_world_calendar_imports_events_not_attendees(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        await preview(app, pilot, REALWORLD / "ics" / "khal_event_dt_partstat.ics")
        assert screen.plan is not None and screen.plan.suggested_contacts
        status = text(app, "#import-status")
        assert "1 new" in status and "people to add later" in status
        assert str(screen.query_one("#import-apply", Button).label) == "Import 1 event"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store is not None
        assert len(app.store.events()) == 1
        assert app.store.contacts() == []


async def test_a_large_file_is_read_in_the_background(tmp_path: Path) -> None:
    big = tmp_path / "big.vcf"
    big.write_text(
        "".join(
            f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {i}\nEMAIL:p{i}@example.com\nEND:VCARD\n"
            for i in range(5000)
        ),
        encoding="utf-8",
    )
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        path_input = screen.query_one("#import-path", Input)
        path_input.value = str(big)
        screen.action_preview()
        # The action returns before the file is read: that goes on in a worker, with
        # the progress bar shown and Preview disabled meanwhile.
        assert screen.plan is None and screen.has_class("-busy")
        assert screen.query_one("#import-preview", Button).disabled
        assert [w.group for w in app.workers if w.node is screen] == ["import-preview"]
        await settle(app, pilot)
        assert not screen.has_class("-busy")
        assert "5000 new" in text(app, "#import-status")
        table = screen.query_one(DataTable)
        assert table.row_count == MAX_ROWS + 1, "a page of rows, and a line saying how many more"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await leave_sorting(app, pilot)
        assert app.store is not None and app.store.contact_count() == 5000
        assert "Imported 5000 new, merged 0, skipped 0" in toasts(app)


async def test_escape_while_reading_stops_and_writes_nothing(tmp_path: Path) -> None:
    big = tmp_path / "big.vcf"
    big.write_text(
        "".join(f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {i}\nEND:VCARD\n" for i in range(5000)),
        encoding="utf-8",
    )
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        screen.query_one("#import-path", Input).value = str(big)
        screen.action_preview()
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert stored_names(app) == []


async def test_a_failed_write_is_shown_and_nothing_is_half_written(
    tmp_path: Path, cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        await preview(app, pilot, cards)
        assert app.store is not None

        def refuse(*args: object, **kwargs: object) -> None:
            raise StoreWriteError("the disk is full")

        monkeypatch.setattr(app.store, "import_batch", refuse)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen, "the screen stays, so the user can try again"
        assert "the disk is full" in text(app, "#import-message")
        assert "Nothing was written" in text(app, "#import-message")
        assert not screen.applying
        monkeypatch.undo()
        assert stored_names(app) == []
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await leave_sorting(app, pilot)
        assert stored_names(app) == ["Ana Silva", "Bo Li"]


class Host(App[None]):
    """The screen on its own, without the app's writer: it writes in its own worker."""

    def __init__(self, store: Store, path: Path) -> None:
        super().__init__()
        self.store, self.path = store, path
        self.imported: list[ImportScreen.Imported] = []

    def on_mount(self) -> None:
        self.push_screen(ImportScreen(self.store, NOW, path=str(self.path)))

    @on(ImportScreen.Imported)
    def record(self, message: ImportScreen.Imported) -> None:
        self.imported.append(message)


async def test_without_a_writer_the_screen_writes_in_its_own_worker(cards: Path) -> None:
    store = Store.in_memory()
    app = Host(store, cards)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")  # leave the new people acquaintances
        await pilot.pause()
        assert sorted(c.name for c in store.contacts()) == ["Ana Silva", "Bo Li"]
        assert [m.counts for m in app.imported] == [
            {"new": 2, "merged": 0, "unchanged": 0, "skipped": 1}
        ]
        assert app.imported[0].outcome.added_contacts == 2
        assert not isinstance(app.screen, ImportScreen)


async def test_names_that_look_like_markup_are_shown_as_written(tmp_path: Path) -> None:
    odd = tmp_path / "odd.vcf"
    odd.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:[/] [bold]Eve[/bold] [link=x]\nEND:VCARD\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        await preview(app, pilot, odd)
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[1]) == "[/] [bold]Eve[/bold] [link=x]"
        await pilot.pause()  # drawn without a markup error
        assert "1 new" in text(app, "#import-status")


async def test_after_an_import_the_sorting_is_offered_and_ticked_people_go_wider(
    tmp_path: Path, cards: Path
) -> None:
    from textual.widgets import SelectionList

    from netbalance.domain import Circle
    from netbalance.domain.sorting import sort_after_import, sorting_message
    from netbalance.ui.screens.sort_imported import SortImportedDialog

    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await preview(app, pilot, cards)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SortImportedDialog)
        assert app.store is not None
        people = app.store.contacts()
        # Imported people land as acquaintances; the words are the domain's.
        assert {c.circle for c in people} == {Circle.ACQUAINTANCE}
        expected = sorting_message(2, sort_after_import(people, {}, NOW))
        assert text(app, "#sort-message") == expected
        assert expected.startswith("2 people imported. Most people from a list stay acquaintances")
        listing = dialog.query_one("#sort-people", SelectionList)
        assert listing.option_count == 2 and not listing.selected
        # Tick the first (Ana Silva, by name) and sort.
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, (SortImportedDialog, ImportScreen))
        circles = {c.name: c.circle for c in app.store.contacts()}
        assert circles == {"Ana Silva": Circle.WIDER, "Bo Li": Circle.ACQUAINTANCE}
        assert "Imported 2 new, merged 0, skipped 1" in toasts(app)


# --- the kind read from the file, and the path completed -------------------------------------

OUTLOOK_CSV = (
    '"First Name","Last Name","Company","Job Title","Mobile Phone","E-mail Address"\r\n'
    '"Ana","Silva","Acme","CTO","+351 912 345 678","ana@example.com"\r\n'
    '"Bo","Li","","","","bo@example.com"\r\n'
    '"Cy","Dee","","","","cy@example.com"\r\n'
)


def kind_of(app: NetbalanceApp) -> str:
    return str(app.screen.query_one("#import-kind", Select).value)


async def type_path(app: NetbalanceApp, pilot: Pilot[None], path: str) -> Input:
    """Type `path` into the field as a user would, and wait for the screen to look at it."""
    path_input = app.screen.query_one("#import-path", Input)
    path_input.focus()
    await pilot.press(*path)
    await settle(app, pilot)
    return path_input


@pytest.mark.skipif(not (REALWORLD / "csv").is_dir(), reason="real-world fixtures not present")
@pytest.mark.parametrize(
    ("name", "people"),
    [
        ("google_contacts_new_format_example.csv", ["John Doe", "Max Amadeus Mustermann"]),
        ("google_contacts_legacy_format_example.csv", ["John Doe", "Max Mustermann"]),
    ],
)
async def test_a_google_csv_is_recognised_and_imported(
    tmp_path: Path, name: str, people: list[str]
) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        assert kind_of(app) == "vcard"
        await type_path(app, pilot, str(REALWORLD / "csv" / name))
        assert kind_of(app) == "google", "preselected from the file"
        status = text(app, "#import-status")
        assert status == "Looks like a Google Contacts CSV (2 rows). Enter previews."
        assert text(app, "#import-hint").startswith("contacts.google.com")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "2 new" in text(app, "#import-status")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await leave_sorting(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert stored_names(app) == people


@pytest.mark.skipif(not (REALWORLD / "csv").is_dir(), reason="real-world fixtures not present")
async def test_a_linkedin_header_without_rows_is_named_and_imports_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        path = REALWORLD / "csv" / "linkedin_connections_2025_preamble_header.csv"
        await type_path(app, pilot, str(path))
        assert kind_of(app) == "linkedin"
        assert text(app, "#import-status").startswith(
            "Looks like a LinkedIn Connections.csv (0 rows)"
        )
        await pilot.press("enter")
        await settle(app, pilot)
        assert "found nothing to import" in text(app, "#import-message").lower()
        assert stored_names(app) == []


async def test_the_user_can_choose_another_kind(tmp_path: Path, cards: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        app.screen.query_one("#import-kind", Select).value = "ics"
        await type_path(app, pilot, str(cards))
        assert kind_of(app) == "vcard", "the file decides over a kind chosen before it"
        assert text(app, "#import-status") == "Looks like a vCard file (3 cards). Enter previews."
        app.screen.query_one("#import-kind", Select).value = "linkedin"
        await pilot.pause()
        assert kind_of(app) == "linkedin", "and the user over the file"
        assert text(app, "#import-status") == (
            "Looks like a vCard file (3 cards); you chose LinkedIn Connections.csv. Enter previews."
        )
        app.screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert kind_of(app) == "linkedin"
        assert "not a LinkedIn Connections.csv file" in text(app, "#import-message")
        assert stored_names(app) == []


async def test_enter_before_the_file_was_looked_at_reads_its_kind_first(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(OUTLOOK_CSV, encoding="utf-8", newline="")
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        screen.query_one("#import-path", Input).value = str(path)
        screen.action_preview()  # at once: no detection has run yet
        await settle(app, pilot)
        assert kind_of(app) == "outlook"
        assert "3 new" in text(app, "#import-status")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await leave_sorting(app, pilot)
        assert stored_names(app) == ["Ana Silva", "Bo Li", "Cy Dee"]


async def test_a_file_of_no_known_kind_says_so_and_keeps_the_kind(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping: milk, eggs\n", encoding="utf-8")
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await type_path(app, pilot, str(path))
        assert kind_of(app) == "vcard"
        assert text(app, "#import-status").startswith("Cannot tell what kind of file this is")
        assert "Choose the kind" in text(app, "#import-status")


async def test_tab_completes_folders_and_files_and_keeps_the_text(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "contacts.vcf").write_text(TWO_CARDS, encoding="utf-8")
    (folder / "contacts.txt").write_text("not for import", encoding="utf-8")
    (folder / "contacts.csv").write_text(OUTLOOK_CSV, encoding="utf-8")
    (folder / "calendar.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n", encoding="utf-8")
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        path_input = await type_path(app, pilot, str(tmp_path / "ex"))
        await pilot.press("tab")
        await settle(app, pilot)
        assert path_input.value == str(folder) + "/" and path_input.has_focus
        # contacts.vcf and .csv are importable, .txt is not: the part they share first.
        await pilot.press("c", "o", "tab")
        await settle(app, pilot)
        assert path_input.value == str(folder / "contacts.") and path_input.has_focus
        await pilot.press("v", "tab")
        await settle(app, pilot)
        assert path_input.value == str(folder / "contacts.vcf") and path_input.has_focus
        assert text(app, "#import-status") == "Looks like a vCard file (3 cards). Enter previews."
        # Nothing left to complete: Tab moves on and the typed path stays.
        await pilot.press("tab")
        await pilot.pause()
        assert not path_input.has_focus
        assert path_input.value == str(folder / "contacts.vcf")
        await pilot.press("shift+tab")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await leave_sorting(app, pilot)
        assert stored_names(app) == ["Ana Silva", "Bo Li"]


async def test_tilde_is_home(tmp_path: Path, cards: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        path_input = await type_path(app, pilot, "~/fr")
        await pilot.press("tab")
        await settle(app, pilot)
        assert path_input.value == "~/friends.vcf"
        assert text(app, "#import-status") == "Looks like a vCard file (3 cards). Enter previews."
        await pilot.press("enter")
        await settle(app, pilot)
        assert "2 new" in text(app, "#import-status")


@pytest.mark.skipif(not (REALWORLD / "ics").is_dir(), reason="real-world fixtures not present")
async def test_a_folder_is_looked_at_when_enter_previews_it(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json", now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_import(app, pilot)
        path_input = await type_path(app, pilot, str(REALWORLD / "ics"))
        # Typing through folders searches none of them.
        assert kind_of(app) == "vcard" and text(app, "#import-status") == PROMPT
        assert path_input.has_focus
        await pilot.press("enter")
        await settle(app, pilot)
        assert kind_of(app) == "ics"
        assert screen.plan is not None and screen.plan.counts()["new"] > 0


async def test_a_preview_is_made_again_when_another_process_writes(
    tmp_path: Path, cards: Path
) -> None:
    from netbalance.domain import Contact

    db = tmp_path / "db.json"
    app = make_app(db, now=NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_import(app, pilot)
        await preview(app, pilot, cards)
        assert "2 new" in text(app, "#import-status")
        # Meanwhile another process adds Ana, with the card's email.
        with Store.open(db) as other:
            other.add_contact(Contact("Ana Silva", emails=("ana@example.com",)), NOW)
        app.session.poll()
        await settle(app, pilot)
        status = text(app, "#import-status")
        assert "1 new" in status and "2 new" not in status, status
        assert "1 merged" in status or "1 unchanged" in status, status
        await pilot.press("ctrl+s")
        await app.writer.join()
        await settle(app, pilot)
        await leave_sorting(app, pilot)
        assert stored_names(app) == ["Ana Silva", "Bo Li"]

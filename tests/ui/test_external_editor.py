"""F4 in a form: the notes open in $EDITOR (the app suspends) and come back into the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from netbalance.app import make_app
from netbalance.ui.external_editor import editor_command
from netbalance.ui.screens.contact_form import ContactForm
from netbalance.ui.screens.interaction_form import InteractionForm
from tests.ui.conftest import NOW, settle


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """An $EDITOR that needs no terminal: a shell script run on the file to edit."""
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\n{script}\n")
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))


def test_editor_command_prefers_visual_then_editor_then_vi() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano"}) == ["nano"]
    assert editor_command({}) == ["vi"]


async def test_f4_edits_a_contacts_notes_in_the_editor(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The editor sees the notes as they are, and adds two lines.
    fake_editor(tmp_path, monkeypatch, 'printf "\\nMet at PyCon\\nLikes Rust\\n" >> "$1"')
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        contact_id = app.main.highlighted_contact
        assert contact_id is not None
        before = app.store.contact(contact_id).notes
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store.contact(contact_id).notes == f"{before}\nMet at PyCon\nLikes Rust"


async def test_f4_writes_an_interaction_note_and_a_failing_editor_changes_nothing(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, 'printf "Talked about the\\nnew job\\n" > "$1"')
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None
        contact_id = app.main.highlighted_contact
        assert contact_id is not None
        count = app.store.interaction_count(contact_id)
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, InteractionForm)
        await pilot.press("f4")
        await pilot.pause()
        fake_editor(tmp_path, monkeypatch, "exit 3")
        await pilot.press("f4")  # the editor fails: the note stays as it was
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.store.interaction_count(contact_id) == count + 1
        newest = max(app.store.interactions_of(contact_id), key=lambda i: i.id or 0)
        assert newest.note == "Talked about the new job"
        assert any("exited with code 3" in str(n.message) for n in app._notifications)

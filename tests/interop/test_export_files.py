"""Exports are private, whole and never written through a planted file or symlink."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance import files
from netbalance.cli import main
from netbalance.domain import Contact
from netbalance.files import write_file
from netbalance.interop.export_vcard import contact_to_vcard, export_vdir
from netbalance.interop.files import parse_mode
from netbalance.store import Store

KINDS = ("json", "vcard", "ics")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    with Store.open(path) as store:
        store.add_contact(Contact("Ana Silva", circle="inner"), datetime.now(UTC))
    return path


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    # With umask 022 an ordinary create would give 0644: the export must still be 0600.
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def export(db: Path, *args: str) -> int:
    return main(["--db", str(db), "export", *args])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_is_created_0600(
    db: Path, tmp_path: Path, kind: str, permissive_umask: None
) -> None:
    out = tmp_path / f"out.{kind}"
    assert export(db, kind, "-o", str(out)) == 0
    assert mode_of(out) == 0o600
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", KINDS)
def test_an_existing_wider_export_is_replaced_by_a_private_one(
    db: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"out.{kind}"
    out.write_text("old")
    out.chmod(0o644)
    assert export(db, kind, "-o", str(out)) == 0
    assert mode_of(out) == 0o600 and out.read_text() != "old"


def test_mode_widens_it_on_request(db: Path, tmp_path: Path) -> None:
    old = os.umask(0o077)  # the mode asked for wins over the umask
    try:
        assert export(db, "json", "-o", str(tmp_path / "a.json"), "--mode", "644") == 0
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "a.json") == 0o644


@pytest.mark.parametrize("bad", ["abc", "888", "1777", "400", "044"])
def test_a_wrong_mode_is_refused_before_anything_is_written(
    db: Path, tmp_path: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(db, "json", "-o", str(tmp_path / "a.json"), "--mode", bad) == 1
    assert "mode:" in capsys.readouterr().err
    assert not (tmp_path / "a.json").exists()


def test_parse_mode() -> None:
    assert parse_mode("600") == parse_mode("0600") == 0o600
    assert parse_mode("644") == 0o644 and parse_mode("755") == 0o755


@pytest.mark.parametrize("kind", KINDS)
def test_a_symlink_planted_at_the_old_fixed_temp_name_is_not_followed(
    db: Path, tmp_path: Path, kind: str
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    out = tmp_path / f"out.{kind}"
    (tmp_path / f"out.{kind}.tmp").symlink_to(victim)
    assert export(db, kind, "-o", str(out)) == 0
    assert victim.read_text() == "precious"
    assert out.is_file() and not out.is_symlink()


def test_a_symlink_at_the_target_is_replaced_not_written_through(db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    out = tmp_path / "out.json"
    out.symlink_to(victim)
    assert export(db, "json", "-o", str(out)) == 0
    assert victim.read_text() == "precious"
    assert not out.is_symlink() and json.loads(out.read_text())["contacts"]


def test_temp_names_are_unpredictable_and_created_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first random name is already taken by a symlink (as if guessed): O_EXCL
    # refuses it, a fresh name is drawn, and the symlink's target is never touched.
    victim = tmp_path / "victim"
    victim.write_text("precious")
    names = iter(["guessed", "fresh"])
    monkeypatch.setattr(files.secrets, "token_hex", lambda _n: next(names))
    target = tmp_path / "out.json"
    (tmp_path / ".out.json.guessed.tmp").symlink_to(victim)
    write_file(target, b"{}")
    assert target.read_bytes() == b"{}" and victim.read_text() == "precious"
    assert (tmp_path / ".out.json.guessed.tmp").is_symlink()  # left as found


def test_two_exports_never_share_a_temp_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if str(path).endswith(".tmp"):
            seen.append(str(path))
            assert flags & os.O_EXCL and flags & os.O_CREAT
            assert flags & getattr(os, "O_NOFOLLOW", 0) == getattr(os, "O_NOFOLLOW", 0)
        return real_open(path, flags, mode)

    monkeypatch.setattr(files.os, "open", spy)
    write_file(tmp_path / "out.json", b"1")
    write_file(tmp_path / "out.json", b"2")
    assert len(seen) == 2 and seen[0] != seen[1]
    assert all(Path(p).parent == tmp_path for p in seen)  # in the target's own folder


def test_a_failed_write_leaves_the_old_export_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def full_disk(_fd: int, _data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "write", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_the_rename_is_the_last_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A reader sees the old file or the whole new one: the data is synced before the
    # one rename that publishes it.
    target = tmp_path / "out.json"
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        steps.append("fsync")
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        steps.append("replace")
        assert Path(src).read_bytes() == b"whole" and not Path(dst).exists()
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    write_file(target, b"whole")
    assert steps[:2] == ["fsync", "replace"] and target.read_bytes() == b"whole"


def test_an_unwritable_folder_is_a_message(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = export(db, "json", "-o", str(tmp_path / "no" / "such" / "out.json"))
    assert code == 1
    assert "cannot write it" in capsys.readouterr().err


def test_vdir_cards_are_private_and_never_follow_a_planted_link(
    tmp_path: Path, permissive_umask: None
) -> None:
    contact = Contact("Ana Silva", id=1)
    book = tmp_path / "book"
    victim = tmp_path / "victim"
    victim.write_text("precious")
    assert export_vdir(book, [contact]) == 1
    (card,) = book.iterdir()
    assert mode_of(card) == 0o600 and mode_of(book) == 0o700
    card.unlink()
    card.symlink_to(victim)  # someone plants a link where the card goes
    (book / (card.name + ".tmp")).symlink_to(victim)  # and at the old fixed temp name
    export_vdir(book, [contact])
    assert victim.read_text() == "precious"
    assert not card.is_symlink() and card.read_bytes() == contact_to_vcard(contact).encode()


def test_vdir_through_the_command_line_honours_mode(db: Path, tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    assert export(db, "vcard", "-o", str(book), "--mode", "640") == 0
    (card,) = book.iterdir()
    assert mode_of(card) == 0o640


def test_exports_carry_no_control_characters_from_an_old_database(tmp_path: Path) -> None:
    contact = Contact("x", id=1, notes="x")
    object.__setattr__(contact, "name", "Kim\x1b]0;pwned\x07 Lost")
    object.__setattr__(contact, "notes", "one\ntwo\x1b[2J")
    object.__setattr__(contact, "links", ("https://x.org\r\nFN:Injected",))
    card = contact_to_vcard(contact)
    assert "\x1b" not in card and "\x07" not in card
    assert "FN:Kim Lost\r\n" in card and "NOTE:one\\ntwo\r\n" in card
    assert "\r\nFN:Injected" not in card  # a line break in a link cannot add a property

"""`netbalance sync` on the command line: its settings, dry run, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netbalance.cli import main


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A config.toml naming two vdir folders, and a database with one contact."""
    config = tmp_path / "config" / "netbalance"
    config.mkdir(parents=True)
    vdirs = tmp_path / "vdirs"
    (vdirs / "contacts").mkdir(parents=True)
    (vdirs / "calendar").mkdir()
    (config / "config.toml").write_text(
        f'[sync]\ncontacts = "{vdirs / "contacts"}"\ncalendar = "{vdirs / "calendar"}"\n'
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    db = tmp_path / "db.json"
    assert main(["--db", str(db), "add", "Ana Silva"]) == 0
    return db, vdirs


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_says_what_it_would_write_and_writes_nothing(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, vdirs = setup
    capsys.readouterr()
    code, out, _ = run(db, capsys, "sync", "--dry-run")
    assert code == 0 and out.startswith("Would write 1 file(s)")
    assert list((vdirs / "contacts").iterdir()) == []
    code, out, _ = run(db, capsys, "sync", "--json")
    report = json.loads(out)
    assert code == 0 and report["files_written"] == 1 and report["written_to_vdir"] == ["Ana Silva"]
    assert len(list((vdirs / "contacts").iterdir())) == 1


def test_a_broken_file_is_reported_and_the_exit_code_stays_0(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, vdirs = setup
    (vdirs / "contacts" / "bad.vcf").write_bytes(b"BEGIN:VCARD\r\nEND:VCARD\r\n")
    code, out, _ = run(db, capsys, "sync")
    assert code == 0 and "Skipped files" in out and "bad.vcf" in out


def test_no_folders_set_is_exit_1_with_the_lines_to_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty"))
    code, _, err = run(tmp_path / "db.json", capsys, "sync")
    assert code == 1 and "[sync]" in err and "contacts =" in err
    assert not (tmp_path / "db.json").exists()


def test_a_missing_folder_is_exit_1_and_names_it(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, vdirs = setup
    (vdirs / "calendar").rmdir()
    code, _, err = run(db, capsys, "sync")
    assert code == 1 and f"{vdirs / 'calendar'} does not exist" in err
    assert list((vdirs / "contacts").iterdir()) == []

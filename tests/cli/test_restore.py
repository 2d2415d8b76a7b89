"""`netbalance restore`: lists this database's backups; restores one, keeping what it
replaces; refuses (exit 1, nothing changed) a file that is not a usable backup."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from netbalance.cli import main
from netbalance.store import Store
from netbalance.store.migrations import SCHEMA_VERSION
from tests.cli.test_cli_files import run, snapshot

TODAY = datetime.now(UTC).strftime("%Y-%m-%d")


def cli(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """work.json with Ana in yesterday's backup (and home.json beside it), Bo added today."""
    path = tmp_path / "work.json"
    assert cli(path, "add", "Ana", capsys=capsys)[0] == 0
    backups = tmp_path / "backups"
    with Store.open(path) as store:
        store.engine.backup(label="manual")  # type: ignore[union-attr]
    (backups / f"work-{TODAY}-manual.json").rename(backups / "work-2026-01-04.json")
    os.utime(backups / "work-2026-01-04.json", (1_767_500_000, 1_767_500_000))
    assert cli(path, "add", "Bo", capsys=capsys)[0] == 0
    assert cli(tmp_path / "home.json", "add", "Cy", capsys=capsys)[0] == 0
    return path


def names(db: Path) -> list[str]:
    with Store.open(db) as store:
        return sorted(c.name for c in store.contacts())


def test_without_an_argument_it_lists_this_databases_backups(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(db, "restore", capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"Backups of {db}, newest first")
    assert f"work-{TODAY}.json" in lines[1] and "0 contacts" in lines[1]  # newest first
    assert "work-2026-01-04.json" in lines[2] and "1 contacts" in lines[2]
    assert "home" not in out  # another database's backups are not listed
    code, out, _ = cli(db, "restore", "--json", capsys=capsys)
    listed = json.loads(out)
    assert [Path(b["path"]).name for b in listed] == [f"work-{TODAY}.json", "work-2026-01-04.json"]
    assert listed[1]["counts"]["contacts"] == 1 and listed[1]["size"] > 0


def test_restoring_a_backup_keeps_the_current_data_first(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(db, "restore", "work-2026-01-04.json", capsys=capsys)
    assert code == 0
    assert names(db) == ["Ana"]
    assert "Restored" in out and "1 contacts" in out
    kept = next(db.parent.glob(f"backups/work-{TODAY}-before-restore-*.json"))
    assert str(kept) in out
    # What was replaced is itself a backup: restoring it undoes the restore.
    code, _, _ = cli(db, "restore", str(kept), capsys=capsys)
    assert code == 0
    assert names(db) == ["Ana", "Bo"]


def test_restore_brings_back_a_damaged_database(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.write_bytes(b"Dear diary,\n")
    code, _, err = cli(db, "list", capsys=capsys)
    assert code == 3 and f"netbalance --db {db} restore" in err
    code, _, _ = cli(db, "restore", "work-2026-01-04.json", capsys=capsys)
    assert code == 0
    assert names(db) == ["Ana"]


def wrong_files(folder: Path) -> dict[str, tuple[Path, str]]:
    def write(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    meta = {"_meta": {"1": {"schema_version": 1, "generation": 1}}}
    return {
        "not json": (write("a.json", b"Dear diary"), "it is not valid JSON"),
        "not a database": (write("b.json", b'{"x": 1}'), "not a netbalance database"),
        "an export": (
            write("c.json", orjson.dumps({"format": "netbalance-export", "version": 1})),
            "netbalance import json",
        ),
        "damaged": (
            write("d.json", orjson.dumps({**meta, "contacts": {"1": {"circle": "inner"}}})),
            "record 1 in 'contacts'",
        ),
        "newer": (
            write("e.json", orjson.dumps({"_meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}})),
            "written by a newer netbalance",
        ),
    }


def test_a_file_that_is_not_a_usable_backup_is_refused(tmp_path: Path, db: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for what, (path, words) in wrong_files(other).items():
        before = snapshot(tmp_path)
        result = run(db, "restore", str(path))
        assert result.returncode == 1, what
        assert words in result.stderr and "Nothing was changed" in result.stderr, what
        assert snapshot(tmp_path) == before, what
    missing = run(db, "restore", "work-1999-01-01.json")
    assert missing.returncode == 1 and "`netbalance restore` lists the backups" in missing.stderr


def test_import_json_of_a_backup_points_to_restore(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = db.parent / "backups" / "work-2026-01-04.json"
    code, _, err = cli(db, "import", "json", str(backup), capsys=capsys)
    assert code == 1
    assert f"netbalance restore {backup}" in err

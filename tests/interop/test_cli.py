"""`netbalance import` and `netbalance export` end to end on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netbalance.cli import main
from netbalance.store import Store

CSV = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Lovelace,https://l.in/ada,ada@x.org,Engines,Analyst,22 Dec 2025\n"
    ",,,,,,1 Jan 2025\n"
)


def test_import_dry_run_then_real_then_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    src = tmp_path / "Connections.csv"
    src.write_text(CSV)
    assert main(["--db", str(db), "import", "linkedin", str(src), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 new, 0 merged, 0 unchanged, 1 skipped" in out
    assert "Connections.csv line 3" in out and "Dry run" in out
    assert main(["--db", str(db), "import", "linkedin", str(src), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["written"] and data["counts"]["new"] == 1
    assert main(["--db", str(db), "import", "linkedin", str(src)]) == 0
    assert "Nothing to change" in capsys.readouterr().out
    with Store.open(db) as store:
        assert [c.name for c in store.contacts()] == ["Ada Lovelace"]


def test_wrong_kind_exits_1_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "Connections.csv"
    src.write_text(CSV)
    assert main(["--db", str(tmp_path / "db.json"), "import", "vcard", str(src)]) == 1
    err = capsys.readouterr().err
    assert "not a vCard" in err and "import linkedin" in err


def test_export_each_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db.json"
    src = tmp_path / "Connections.csv"
    src.write_text(CSV)
    main(["--db", str(db), "import", "linkedin", str(src)])
    capsys.readouterr()
    assert main(["--db", str(db), "export", "vcard", "--vcard-version", "3"]) == 0
    assert "VERSION:3.0" in capsys.readouterr().out
    out = tmp_path / "all.json"
    assert main(["--db", str(db), "export", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["contacts"][0]["name"] == "Ada Lovelace"
    book = tmp_path / "book"
    book.mkdir()
    assert main(["--db", str(db), "export", "vcard", "-o", str(book)]) == 0
    assert len(list(book.glob("*.vcf"))) == 1
    assert main(["--db", str(db), "export", "ics", "-o", str(tmp_path / "n.ics")]) == 0
    assert b"BEGIN:VCALENDAR" in (tmp_path / "n.ics").read_bytes()


def test_import_without_a_kind_reads_it_from_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    src = tmp_path / "export.txt"  # the name says nothing; the header does
    src.write_text(CSV)
    assert main(["--db", str(db), "import", str(src), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert "export.txt: looks like a LinkedIn Connections.csv (2 rows)" in captured.err
    assert captured.out.startswith("linkedin import of")
    assert main(["--db", str(db), "import", "auto", str(src), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["kind"] == "linkedin" and captured.err == ""
    with Store.open(db) as store:
        assert [c.name for c in store.contacts()] == ["Ada Lovelace"]


def test_import_of_a_file_of_no_known_kind_asks_for_the_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "notes.txt"
    src.write_text("milk, eggs\n")
    assert main(["--db", str(tmp_path / "db.json"), "import", str(src)]) == 1
    err = capsys.readouterr().err
    assert "cannot tell what kind of file this is" in err and "netbalance import {vcard," in err

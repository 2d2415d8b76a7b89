"""`add` refuses a second record of one person; `duplicates`, `merge`; dry runs write no
file; an empty import exits 1 for every kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netbalance.cli import main
from netbalance.store import Store


def cli(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        # The lock and the derived index (store/index.py) never hold data.
        if p.is_file() and not p.name.endswith((".lock", ".index"))
    }


# --- add (issue 12 item 2) -------------------------------------------------------------------


def test_add_refuses_the_same_email_naming_who_has_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    cli(db, "add", "Ana Silva", "--company", "Riverbank", capsys=capsys)  # a namesake, id 1
    cli(db, "add", "Ana Silva", "--email", "ana@example.org", capsys=capsys)  # id 2
    before = db.read_bytes(), db.with_name("db.json.journal").read_bytes()
    code, out, err = cli(db, "add", "Ana Silva", "--email", "ANA@example.org", capsys=capsys)
    assert code == 1 and out == ""
    assert "Ana Silva (id 2) has the email ana@example.org" in err
    assert "id 1" not in err and "--allow-duplicate" in err
    assert (db.read_bytes(), db.with_name("db.json.journal").read_bytes()) == before
    code, _, err = cli(db, "add", "Ana S.", "--phone", "+1 555 010 0123", capsys=capsys)
    assert code == 0
    code, _, err = cli(db, "add", "Someone Else", "--phone", "555 010 0123", capsys=capsys)
    assert code == 1 and "Ana S. (id 3) has the phone 555 010 0123" in err
    with Store.open(db) as store:
        assert store.contact_count() == 3


def test_add_allows_a_duplicate_when_asked_and_names_every_namesake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    cli(db, "add", "Ana Silva", "--company", "Riverbank", capsys=capsys)
    cli(db, "add", "Silva, Ana", "--email", "ana@example.org", capsys=capsys)
    code, out, err = cli(
        db,
        "add",
        "Ana Silva",
        "--email",
        "ana@example.org",
        "--allow-duplicate",
        "--json",
        capsys=capsys,
    )
    added = json.loads(out)
    assert code == 0 and added["id"] == 3 and len(added["uid"]) == 36
    assert "2 others are also called Ana Silva: id 1 (Riverbank), id 2 (active)" in err


# --- duplicates and merge --------------------------------------------------------------------


def _two_anas(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli(db, "add", "Ana Silva", "--email", "ana@x.org", "--company", "Acme", capsys=capsys)
    cli(db, "add", "Ana Silva", "--company", "Globex", "--circle", "close", capsys=capsys)
    cli(db, "add", "Bo Chen", capsys=capsys)
    cli(db, "log", "2", "--with", "Bo Chen", "--note", "lunch", capsys=capsys)
    cli(db, "log", "2", capsys=capsys)


def test_duplicates_lists_pairs_with_why_and_keeps_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    _two_anas(db, capsys)
    code, out, _ = cli(db, "duplicates", capsys=capsys)
    assert code == 0
    assert "1 pair may be one person" in out and "why: same name" in out
    assert "#2 Ana Silva (Globex, 2 interactions)" in out
    code, out, _ = cli(db, "duplicates", "--json", capsys=capsys)
    (pair,) = json.loads(out)
    assert pair["score"] == 45 and pair["why"] == "same name"
    assert (pair["first"]["id"], pair["second"]["id"]) == (1, 2)
    assert pair["second"]["interactions"] == 2 and pair["first"]["uid"]
    code, out, _ = cli(db, "duplicates", "--keep-apart", "1", "2", capsys=capsys)
    assert code == 0 and "Kept apart" in out
    code, out, _ = cli(db, "duplicates", capsys=capsys)
    assert "No likely duplicates." in out


def test_merge_dry_run_shows_the_fields_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    _two_anas(db, capsys)
    before = _files(tmp_path)
    code, out, _ = cli(db, "merge", "1", "2", "--dry-run", capsys=capsys)
    assert code == 0
    assert "Merge #2 Ana Silva into #1 Ana Silva:" in out
    assert "company" in out and "keep: Acme" in out and "other: Globex" in out
    assert "--take company=other" in out
    assert "2 interactions of Ana Silva would move" in out and "nothing was written" in out
    assert _files(tmp_path) == before


def test_merge_keeps_every_interaction(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db.json"
    _two_anas(db, capsys)
    code, out, err = cli(db, "merge", "1", "2", "--take", "company=other", "--json", capsys=capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["written"] and result["interactions_moved"] == 2
    taken = {d["field"]: d["taken"] for d in result["differences"]}
    assert taken["company"] == "other" and taken["circle"] == "other"
    with Store.open(db) as store:
        assert [c.id for c in store.contacts()] == [1, 3]
        ana = store.contact(1)
        assert (ana.company, ana.circle.value, ana.emails) == ("Globex", "close", ("ana@x.org",))
        assert store.interaction_count(1) == 2 and store.interaction_count() == 2
        assert sorted(i.contact_ids for i in store.all_interactions()) == [(1,), (1, 3)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge", "1", "1"], "cannot merge a contact with itself"),
        (["merge", "1", "Nobody"], "no contact matches"),
        (["merge", "1", "2", "--take", "emails=other"], "is not a field to choose"),
        (["merge", "1", "2", "--take", "name"], "must be FIELD=keep or FIELD=other"),
        (["duplicates", "--min-score", "101"], "min-score: must be 0 to 100"),
    ],
)
def test_bad_merge_input_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    db = tmp_path / "db.json"
    _two_anas(db, capsys)
    before = _files(tmp_path)
    code, _, err = cli(db, *args, capsys=capsys)
    assert code == 1 and message in err and "Traceback" not in err
    assert _files(tmp_path) == before


# --- dry runs and empty imports (issue 12 item 7) ---------------------------------------------

HEADERS = {
    "linkedin": "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    "google": "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Group Membership\n",
    "outlook": "First Name,Middle Name,Last Name,E-mail Address,Mobile Phone,Job Title\n",
}


@pytest.mark.parametrize("kind", sorted(HEADERS))
def test_a_header_only_csv_exits_1_for_every_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(HEADERS[kind])
    code, out, err = cli(tmp_path / "db.json", "import", kind, str(path), capsys=capsys)
    assert code == 1, (out, err)
    assert "found nothing to import" in err and path.name in err


def test_an_empty_calendar_exits_1_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.ics"
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n")
    code, _, err = cli(tmp_path / "db.json", "import", "ics", str(path), capsys=capsys)
    assert code == 1 and "the calendar holds no events" in err


@pytest.mark.parametrize("command", ["import", "merge"])
def test_a_dry_run_never_creates_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    cards = tmp_path / "in" / "cards.vcf"
    cards.parent.mkdir()
    cards.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana Silva\nEND:VCARD\n")
    db = tmp_path / "data" / "db.json"
    args = (
        ["import", "vcard", str(cards), "--dry-run"]
        if command == "import"
        else ["merge", "1", "2", "--dry-run"]
    )
    code, out, _ = cli(db, *args, capsys=capsys)
    assert code == (0 if command == "import" else 1)
    if command == "import":
        assert "1 new" in out and "Dry run: nothing was written." in out
    assert not db.parent.exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["cards.vcf", "in"]

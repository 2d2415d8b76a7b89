"""Odd files and odd input at the command line: each gets exit 3 (a file problem) or
1 (bad input) and a message that says what and where, never a traceback; files that
cannot be used are left exactly as they were.

Permission cases run the real command without root's power to ignore file modes
(`setpriv` drops it), since the project's machines run tests as root.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import zlib
from pathlib import Path

import orjson
import pytest

from netbalance.domain.text import MAX_TEXT_CHARS
from netbalance.store import Store

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _unprivileged_prefix() -> list[str] | None:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def run(db: Path | str, *args: str | bytes, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The real `netbalance` in a subprocess, as a user bound by file modes."""
    prefix = _unprivileged_prefix()
    if prefix is None:
        pytest.skip("needs setpriv to run as root without overriding file modes")
    options: dict[str, object] = {"capture_output": True, "env": ENV, "timeout": 60}
    options.update(kwargs)
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "netbalance", "--db", db, *args],  # type: ignore[list-item]
        text=True,
        errors="backslashreplace",
        check=False,
        **options,  # type: ignore[call-overload]
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result  # type: ignore[no-any-return]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and mode (directories as a marker)."""
    out: dict[str, tuple[bytes, int]] = {}
    for p in sorted(folder.rglob("*")):
        mode = stat.S_IMODE(p.lstat().st_mode)
        out[str(p.relative_to(folder))] = (p.read_bytes() if p.is_file() else b"<dir>", mode)
    return out


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "d.json"
    assert run(path, "add", "Ana").returncode == 0
    return path


def journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def lock(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


# --- item 10: files netbalance did not write as they are ------------------------------------


def set_meta(db: Path, key: str, value: object) -> None:
    data = orjson.loads(db.read_bytes())
    data["_meta"]["1"][key] = value
    db.write_bytes(orjson.dumps(data))


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("generation", "abc", "its generation is 'abc', not a whole number"),
        ("schema_version", -1, "its schema_version is -1, not a version number"),
        ("schema_version", "1", "its schema_version is '1', not a version number"),
    ],
)
def test_bookkeeping_that_is_not_a_number(db: Path, key: str, value: object, words: str) -> None:
    set_meta(db, key, value)
    before = snapshot(db.parent)
    result = run(db, "list")
    assert result.returncode == 3
    assert words in result.stderr and str(db) in result.stderr
    assert "reads up to" not in result.stderr  # not "schema 1; this version reads up to 1"
    assert snapshot(db.parent) == before


def test_a_journal_line_with_a_valid_checksum_but_wrong_content(db: Path) -> None:
    payload = orjson.dumps({"ops": [["p", "contacts", "2", "Bo"]]})
    with journal(db).open("ab") as f:
        f.write(b"%08x %s\n" % (zlib.crc32(payload), payload))
        f.write(b"%08x %s\n" % (zlib.crc32(b'{"ops":[]}'), b'{"ops":[]}'))
    before = snapshot(db.parent)
    result = run(db, "list")
    assert result.returncode == 3
    assert "passes its checksum but is not a netbalance write" in result.stderr
    assert snapshot(db.parent) == before


@pytest.mark.parametrize("which", ["journal", "lock"])
def test_a_journal_or_lock_file_that_is_a_folder(db: Path, which: str) -> None:
    path = journal(db) if which == "journal" else lock(db)
    path.unlink()
    path.mkdir()
    before = snapshot(db.parent)
    result = run(db, "list")
    assert result.returncode == 3
    assert f"{path} is a folder" in result.stderr and "move that folder away" in result.stderr
    assert snapshot(db.parent) == before


@pytest.mark.parametrize("which", ["journal", "lock"])
def test_a_journal_or_lock_file_that_cannot_be_read(db: Path, which: str) -> None:
    path = journal(db) if which == "journal" else lock(db)
    path.chmod(0)
    before = snapshot(db.parent)
    result = run(db, "list")
    assert result.returncode == 3
    assert str(path) in result.stderr and f"chmod 600 {path}" in result.stderr
    assert snapshot(db.parent) == before


def test_a_read_only_folder_without_a_lock_file_is_read_and_says_so(db: Path) -> None:
    lock(db).unlink()
    db.parent.chmod(0o500)
    try:
        before = snapshot(db.parent)
        listed = run(db, "list")
        assert listed.returncode == 0 and "Ana" in listed.stdout
        assert f"opened {db} read-only: the folder {db.parent} is read-only" in listed.stderr
        # item 11: a write is refused, not left in a journal nothing can fold.
        added = run(db, "add", "Bo")
        assert added.returncode == 3
        assert f"cannot save to {db}" in added.stderr and "chmod u+w" in added.stderr
        assert snapshot(db.parent) == before
        doctor = run(db, "doctor")
        assert doctor.returncode == 1
        assert f"netbalance cannot save to {db}: the folder" in doctor.stdout
        assert snapshot(db.parent) == before
    finally:
        db.parent.chmod(0o700)


def test_a_read_only_folder_with_writes_waiting_is_not_called_healthy(db: Path) -> None:
    # Writes that reached the journal before the folder became read-only.
    with_writes = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; from datetime import datetime, UTC;"
            "from netbalance.store import Store; from netbalance.domain import Contact;"
            "s = Store.open(sys.argv[1]); s.add_contact(Contact('Bo'), datetime.now(UTC));"
            "os._exit(0)",
            str(db),
        ],
        env=ENV,
        check=True,
    )
    assert with_writes.returncode == 0
    db.parent.chmod(0o500)
    try:
        doctor = run(db, "doctor")
        assert doctor.returncode == 1
        # Ana (the fixture's `add`: a command folds the journal only once it is big) and Bo.
        assert "2 saved write(s) wait in the journal and cannot be folded" in doctor.stdout
    finally:
        db.parent.chmod(0o700)


def test_a_0400_database_is_read_and_never_rewritten(db: Path) -> None:
    db.chmod(0o400)
    before = snapshot(db.parent)
    added = run(db, "add", "Bo")
    assert added.returncode == 3
    assert f"{db} is read-only (mode 400" in added.stderr and "Nothing was changed" in added.stderr
    listed = run(db, "list")
    assert listed.returncode == 0 and "Ana" in listed.stdout
    assert snapshot(db.parent) == before
    assert stat.S_IMODE(db.stat().st_mode) == 0o400


# --- item 10: odd input and output ---------------------------------------------------------------


def test_arguments_that_are_not_utf8(db: Path) -> None:
    before = snapshot(db.parent)
    for args in ((b"add", b"\xff\xfeAna"), (b"log", b"Ana", b"--note", b"caf\xe9")):
        result = run(db, *args)
        assert result.returncode == 2  # a wrong command line (cli/__init__.py)
        assert "is not valid UTF-8" in result.stderr
    assert snapshot(db.parent) == before


def test_a_database_path_that_is_not_utf8_is_fine(tmp_path: Path) -> None:
    odd = os.fsencode(str(tmp_path)) + b"/caf\xe9.json"
    result = run(odd.decode("utf-8", "surrogateescape"), "add", "Ana")
    assert result.returncode == 0
    assert os.path.exists(odd)


def test_review_of_a_week_before_1900(db: Path) -> None:
    result = run(db, "review", "--week", "0001-01-01")
    assert result.returncode == 1
    assert "week" in result.stderr and "is before 1900" in result.stderr


def test_output_to_a_full_disk(db: Path) -> None:
    with open("/dev/full", "w") as full:
        result = run(db, "list", stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert result.returncode == 3
    assert "could not write the output: No space left on device" in result.stderr
    assert result.stderr.count("netbalance:") == 1  # and nothing more at exit


# --- item 11: one limit for text, said in the message -----------------------------------------


def test_text_fields_have_one_limit_everywhere(db: Path, tmp_path: Path) -> None:
    long = "x" * (MAX_TEXT_CHARS + 1)
    for args in (("add", "Bo", "--notes", long), ("log", "Ana", "--note", long)):
        result = run(db, *args)
        assert result.returncode == 1
        assert f"the limit is {MAX_TEXT_CHARS:,} characters" in result.stderr
    card = tmp_path / "c.vcf"
    card.write_text(f"BEGIN:VCARD\nVERSION:3.0\nFN:Cy\nNOTE:{'y' * 30_000}\nEND:VCARD\n")
    imported = run(db, "import", "vcard", str(card))
    assert imported.returncode == 0
    assert f"cut to fit netbalance's limits ({MAX_TEXT_CHARS:,} characters" in (
        imported.stdout + imported.stderr
    )
    shown = run(db, "list", "cy", "--json")
    assert shown.returncode == 0
    with Store.open(db) as store:  # the file and its journal: what the commands saved
        notes = [c.notes for c in store.contacts()]
    assert max(len(n) for n in notes) == MAX_TEXT_CHARS

"""Terminal escapes never reach the terminal: cleaned on the way in, escaped on the way out.

An old database (written before text was cleaned) may hold raw escapes; every command
that shows a name, a title or a note, and every message, must print them escaped.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from netbalance.cli import main
from netbalance.cli.output import safe_output, write_control
from netbalance.domain import Contact, Event, Goal, Interaction
from netbalance.store import Store

R = TypeVar("R")
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
CLEAR = "Clear\x1b[2JX"
TITLE = "Kim\x1b]0;pwned\x07 Lost"
C1 = "Csi\x9b2J Name"
RTL = "Ann\u202eexe.txt"


def _rewrite(db: Path, replace: dict[str, str]) -> None:
    """Put raw text into the stored file, past every cleaning, as an old database holds it."""
    data = json.loads(db.read_text(encoding="utf-8"))
    for table in data.values():
        for doc in table.values():
            for key, value in list(doc.items()):
                if isinstance(value, str) and value in replace:
                    doc[key] = replace[value]
    db.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    """A database whose records hold raw escapes, as one written before cleaning would."""
    db = tmp_path / "old.json"
    now = datetime.now(UTC)
    store = Store.open(db)
    raw_text: dict[str, str] = {"Acme-old": "Acme\x1b[31m"}
    try:
        ids = []
        for n, name in enumerate((CLEAR, TITLE, C1, RTL)):
            raw_text[f"old-name-{n}"] = name
            contact = Contact(
                f"old-name-{n}",
                circle="inner",
                company="Acme-old",
                created_at=now - timedelta(days=90),
            )
            ids.append(store.add_contact(contact, now).id)
        raw_text.update(
            {"old-goal": "Goal\x1b[2J", "old-event": "Meetup\x1b[2J", "old-note": "hi\x1b[2J"}
        )
        store.add_goal(Goal("old-goal", created_at=now), now)
        store.add_event(Event("old-event", start=now + timedelta(days=3)))
        store.log_interaction(
            Interaction(contact_ids=(ids[0],), at=now - timedelta(days=40), note="old-note"), now
        )
    finally:
        store.close()
    _rewrite(db, raw_text)
    stored = db.read_bytes()
    assert stored.count(b"\\u001b") >= 7 and b"\\u202e" in stored
    return db


def run_cli(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_safe(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text
    assert not any("\x80" <= c <= "\x9f" for c in text)
    assert "\u202e" not in text


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--archived"),
        ("due",),
        ("due", "--within", "400"),
        ("gauge",),
        ("events",),
        ("goal", "list"),
        ("review",),
        ("snooze", "1", "2w"),
        ("log", "1", "--note", "ok"),
        ("event", "status", "Meetup", "going"),
        ("goal", "retire", "Goal"),
        ("export", "vcard"),
        ("export", "ics"),
        ("export", "json"),
        ("doctor",),
    ],
)
def test_old_escapes_are_shown_escaped(
    old_db: Path, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(old_db, *args, capsys=capsys)
    assert code in (0, 1), err
    assert_safe(out)
    assert_safe(err)


def test_list_shows_what_is_stored_visibly(
    old_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_cli(old_db, "list", capsys=capsys)
    assert "Clear\\x1b[2JX" in out
    assert "Kim\\x1b]0;pwned\\x07 Lost" in out
    assert "Csi\\x9b2J Name" in out
    assert "Ann\\u202eexe.txt" in out


def test_json_output_stays_valid_and_keeps_the_value(
    old_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (("list", "--json"), ("due", "--json"), ("events", "--json")):
        code, out, _ = run_cli(old_db, *args, capsys=capsys)
        assert code == 0
        assert_safe(out)
        json.loads(out)
    _, out, _ = run_cli(old_db, "list", "--json", capsys=capsys)
    names = {row["name"] for row in json.loads(out)}
    assert names == {CLEAR, TITLE, C1, RTL}  # the encoder escaped them; the values are intact


def test_error_messages_quote_names_escaped(
    old_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ambiguous: the message lists every matching name.
    code, _, err = run_cli(old_db, "log", "s", capsys=capsys)
    assert code == 1 and "matches" in err
    assert_safe(err)
    assert "Clear\\x1b[2JX" in err or "Csi\\x9b2J" in err


def test_a_file_name_in_a_message_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "evil\x1b]0;pwned\x07.vcf"
    code, _, err = run_cli(tmp_path / "db.json", "import", "vcard", str(missing), capsys=capsys)
    assert code == 1
    assert "evil\\x1b]0;pwned\\x07.vcf" in err
    assert_safe(err)


def test_argparse_messages_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "db.json"), "list", "a", "\x1b[2J"])
    assert exit_.value.code == 2
    _, err = capsys.readouterr()
    assert "unrecognized arguments: \\x1b[2J" in err
    assert_safe(err)


def test_new_text_is_cleaned_on_the_way_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    code, out, _ = run_cli(
        db, "add", CLEAR, "--notes", "one\r\ntwo\x1b[5m", "--tag", "v\x07ip", capsys=capsys
    )
    assert code == 0 and out.startswith("Added ClearX (id 1")
    code, out, _ = run_cli(db, "log", "ClearX", "--note", "said\x1b]0;t\x07 hi", capsys=capsys)
    assert code == 0
    store = Store.open(db)
    try:
        (contact,) = store.contacts()
        assert (contact.name, contact.notes, contact.tags) == ("ClearX", "one\ntwo", ("vip",))
        (interaction,) = store.all_interactions()
        assert interaction.note == "said hi"
    finally:
        store.close()


def test_invalid_utf8_in_a_text_argument_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(tmp_path / "db.json", "add", "Bad\udcff\udcfe", capsys=capsys)
    assert code == 2 and out == ""
    assert "name: is not valid UTF-8 (byte 0xff)" in err
    assert not (tmp_path / "db.json").exists() or Store.open(tmp_path / "db.json").is_empty()


def test_invalid_utf8_bytes_from_a_real_command_line(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    proc = subprocess.run(
        [sys.executable, "-m", "netbalance", "--db", str(db), "add", b"Kim \xff\xfe"],
        capture_output=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert b"is not valid UTF-8 (byte 0xff)" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_a_file_name_in_invalid_utf8_still_works(tmp_path: Path) -> None:
    # File names are bytes: they are kept as given, and shown escaped.
    db = tmp_path / "db.json"
    out = os.fsencode(tmp_path) + b"/export-\xff.json"
    proc = subprocess.run(
        [sys.executable, "-m", "netbalance", "--db", str(db), "export", "json", "-o", out],
        capture_output=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert os.path.exists(out)
    assert b"export-\\udcff.json" in proc.stderr


def test_only_our_own_terminal_codes_pass_unescaped() -> None:
    terminal = io.StringIO()
    saved = sys.stderr
    sys.stderr = terminal
    try:
        with safe_output():
            write_control("\r")
            sys.stderr.write("reading evil\x1b[2J.vcf: 50%")
            write_control("\r\x1b[K")
    finally:
        sys.stderr = saved
    assert terminal.getvalue() == "\rreading evil\\x1b[2J.vcf: 50%\r\x1b[K"

"""Hostile names and bytes through every command: no traceback, a known exit code,
nothing a terminal would obey in the output, and clean text in the database.

A curated list (terminal escapes, Rich markup, NUL, bidi overrides, emoji, combining
marks, invalid UTF-8, very long text) plus seeded random strings of the same pieces go
through each command as every kind of argument, and through each importer as file
content. Runs in-process (seconds); a few real command lines check raw argv bytes.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from netbalance.cli import main
from netbalance.store import Store

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}

CURATED = [
    "Clear\x1b[2JX",
    "\x1b]0;pwned\x07Title",
    "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\",
    "Csi\x9b2J\x9d0;c1\x9c",
    "Plain [/] close",
    "[link=file:///etc/passwd]x[/]",
    "[bold red]loud[/bold red] \\[escaped]",
    "Nul\x00Bell\x07Back\x08space\x7f",
    "Ann\u202eexe.txt\u2066iso\u2069",
    "Family 👨\u200d👩\u200d👧 🏳️\u200d🌈",
    "Zalgo e\u0301\u0302\u0303\u0304 a\u0308",
    "Bad\udcff\udcfe bytes",
    "Line\nbreak\r\ncarriage\rreturn\ttab\u2028sep",
    "--looks-like-an-option",
    "%s %(name)s {0} {name!r}",
    " ",
    "x" * 5_000,
]
# Pieces for the random strings: each hostile kind, and plain letters between them.
PIECES = [
    "\x1b",
    "\x1b[",
    "\x1b]",
    "\x07",
    "\x9b",
    "\x00",
    "\r",
    "\n",
    "\t",
    "[",
    "]",
    "[/]",
    "[link=",
    "\u202e",
    "\u200b",
    "\udcff",
    "\u0301",
    "👩\u200d💻",
    "a",
    "Kim",
    " ",
    ";",
    ",",
    ":",
    '"',
    "\\",
    "2J",
    "0;",
]


def random_strings(count: int, seed: int = 20261130) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))) for _ in range(count)]


HOSTILE = CURATED + random_strings(8)
EXIT_CODES = {0, 1, 2, 3}


def dangerous(text: str) -> list[str]:
    """Characters a terminal would obey (CR, LF and tab are plain layout)."""
    return sorted(
        {
            c
            for c in text
            if (ord(c) < 0x20 and c not in "\n\r\t")
            or 0x7F <= ord(c) < 0xA0
            or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
            or 0xD800 <= ord(c) < 0xE000
        }
    )


def file_name(text: str) -> str:
    """`text` as it could appear in a file name (no slash, no NUL, not empty)."""
    return ("f-" + text.replace("/", "_").replace("\x00", "_"))[:120]


class Runner:
    """Runs commands in-process on one database and checks every outcome."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys
        self.runs = 0

    def __call__(self, *args: str) -> int:
        try:
            code = main(["--db", str(self.db), *args])
        except SystemExit as exit_:  # argparse: a wrong command line
            code = exit_.code if isinstance(exit_.code, int) else 2
        out, err = self.capsys.readouterr()
        self.runs += 1
        shown = [a[:60] for a in args]
        assert code in EXIT_CODES, (shown, code, err[-500:])
        assert "Traceback" not in err, (shown, err[-2000:])
        assert dangerous(out) == [], (shown, dangerous(out))
        assert dangerous(err) == [], (shown, dangerous(err))
        return code


def text_values(record: object) -> Iterator[tuple[str, str]]:
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str):
                yield f.name, item


def assert_store_clean(db: Path) -> None:
    """Every text the database holds: no control character (notes keep newline and tab)."""
    with Store.open(db) as store:
        records: list[object] = [
            *store.contacts(include_archived=True),
            *store.all_interactions(),
            *store.events(),
            *store.goals(include_retired=True),
            *store.snapshots(),
        ]
    assert records
    for record in records:
        for name, value in text_values(record):
            bad = dangerous(value)
            if name not in ("notes", "note"):
                bad += [c for c in "\n\r\t" if c in value]
            assert bad == [], (type(record).__name__, name, value[:80])


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Runner:
    runner = Runner(tmp_path / "fuzz.json", capsys)
    assert runner("add", "Safe Person", "--circle", "inner") == 0
    assert runner("goal", "add", "Safe goal") == 0
    assert runner("event", "add", "Safe meetup", "--when", "tomorrow 18:00") == 0
    return runner


@pytest.mark.parametrize("s", HOSTILE, ids=[f"{n}-{ascii(s)[:30]}" for n, s in enumerate(HOSTILE)])
def test_hostile_text_through_every_command(s: str, run: Runner, tmp_path: Path) -> None:
    run("add", s, "--company", s, "--role", s, "--notes", s, "--tag", s, "--phone", s)
    run("add", "Plain " + s[:50], "--email", s, "--circle", s, "--cadence", s)
    run("log", s)
    run("log", "Safe Person", "--with", s)
    run("log", "1", "--note", s, "--next-step", s, "--next-step-on", "friday", "--json")
    run("log", "1", "--kind", s, "--by", s, "--when", s, "--depth", s, "--minutes", s)
    run("list", s)
    run("list", "--json")
    run("due", "--within", s)
    run("snooze", s, "2w")
    run("snooze", "1", s)
    run("events", "--from", s, "--to", s)
    run("events", "--status", s)
    run("event", "add", s, "--when", "tomorrow 19:00", "--place", s, "--link", s,
        "--notes", s, "--tag", s, "--goal", "Safe goal")  # fmt: skip
    run("event", "add", "Plain", "--when", s, "--end", s, "--hours", s, "--goal", s)
    run("event", "status", s, "going")
    run("event", "status", "Safe meetup", s)
    run("goal", "add", s, "--kind", s, "--target", s)
    run("goal", "add", s)
    run("goal", "retire", s)
    run("review", "--week", s)
    run("review", "--note", s)
    run("import", "vcard", str(tmp_path / file_name(s)))  # a hostile path, missing
    run("export", "json", "-o", str(tmp_path / (file_name(s) + ".json")))
    run("export", "vcard", "--mode", s)
    run(s)  # a hostile subcommand
    assert_store_clean(run.db)


def test_every_view_of_a_database_full_of_hostile_text(run: Runner) -> None:
    for s in HOSTILE:
        run("add", s, "--notes", s, "--company", s, "--tag", s)
        run("event", "add", s, "--when", "tomorrow 20:00", "--notes", s, "--place", s)
        run("goal", "add", s)
        run("log", "1", "--with", "2", "--note", s, "--next-step", s)
    run("review", "--note", CURATED[0])
    for args in (
        ("due",),
        ("due", "--json"),
        ("list",),
        ("list", "--archived", "--json"),
        ("gauge",),
        ("gauge", "--json"),
        ("events",),
        ("events", "--json"),
        ("goal", "list", "--all"),
        ("review",),
        ("review", "--json"),
        ("export", "json"),
        ("export", "vcard"),
        ("export", "ics"),
        ("doctor",),
        ("doctor", "--json"),
    ):
        run(*args)
    assert_store_clean(run.db)


def hostile_files(folder: Path) -> dict[str, Path]:
    """One file per import kind, every text field hostile (JSON must be UTF-8, so its
    strings leave out the invalid bytes; the other kinds carry them)."""
    s = CURATED
    utf8 = [v for v in s if not any("\udc80" <= c <= "\udcff" for c in v)]
    vcards = "".join(
        f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:{v}\r\nN:{v};{v};;;\r\nORG:{v}\r\nTITLE:{v}\r\n"
        f"NOTE:{v}\\nnext line\r\nEMAIL:k{n}@example.org\r\nCATEGORIES:{v},b\r\n"
        f"URL:https://x.org/{v}\r\nX-NETBALANCE-GOAL:{v}\r\nX-NETBALANCE-HOW-MET:{v}\r\n"
        "END:VCARD\r\n"
        for n, v in enumerate(x.replace("\n", " ").replace("\r", " ") for x in s)
    )
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:e{n}@x\r\nDTSTART:20261210T180000Z\r\nDTEND:20261210T200000Z\r\n"
        f"SUMMARY:{v}\r\nLOCATION:{v}\r\nDESCRIPTION:{v}\r\nURL:{v}\r\n"
        f'ATTENDEE;CN="{v}":mailto:a{n}@example.org\r\nEND:VEVENT\r\n'
        for n, v in enumerate(x.replace("\n", " ").replace("\r", " ") for x in s)
    )
    csv_cell = [v.replace('"', '""') for v in s]
    linkedin = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "".join(
        f'"{v}","{v}","https://l.in/{n}",l{n}@x.org,"{v}","{v}",22 Dec 2025\n'
        for n, v in enumerate(csv_cell)
    )
    google = "First Name,Last Name,Labels,Notes,E-mail 1 - Value\n" + "".join(
        f'"{v}","{v}","* myContacts ::: {v}","{v}",g{n}@x.org\n' for n, v in enumerate(csv_cell)
    )
    outlook = '"First Name","Last Name","Company","Job Title","E-mail Address","Notes"\n' + "".join(
        f'"{v}","{v}","{v}","{v}","o{n}@x.org","{v}"\n' for n, v in enumerate(csv_cell)
    )
    backup = {
        "format": "netbalance-export",
        "version": 1,
        "exported_at": "2026-11-30T12:00:00+00:00",
        "contacts": [
            {
                "id": n + 1,
                "name": v,
                "company": v,
                "notes": v,
                "tags": [v],
                "circle": "active",
                "created_at": "2026-01-01T00:00:00+00:00",
            }
            for n, v in enumerate(utf8)
        ],
        "interactions": [
            {
                "id": 1,
                "contact_ids": [1],
                "at": "2026-11-01T10:00:00+00:00",
                "note": s[0],
                "next_step": s[1],
                "kind": "coffee",
                "depth": 2,
                "initiated_by": "me",
            }
        ],
        "events": [
            {
                "id": 1,
                "title": s[2],
                "start": "2026-12-12T18:00:00+00:00",
                "notes": s[3],
                "place": s[4],
                "status": "considering",
            }
        ],
        "goals": [{"id": 1, "title": s[5], "kind": "career", "notes": s[6], "active": True}],
        "weekly": [],
        "settings": None,
    }
    texts = {
        "vcard": vcards,
        "ics": f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{events}END:VCALENDAR\r\n",
        "linkedin": linkedin,
        "google": google,
        "outlook": outlook,
        "json": json.dumps(backup, ensure_ascii=False),
    }
    paths = {}
    for kind, text in texts.items():
        path = folder / f"hostile-{kind}\x1b[2J.txt"
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        paths[kind] = path
    return paths


@pytest.mark.parametrize("kind", ["vcard", "ics", "linkedin", "google", "outlook", "json"])
def test_hostile_file_content_through_each_importer(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Into an empty database (a json file is then a restore) and into one with data (a merge).
    for fresh in (True, False):
        db = tmp_path / f"{kind}-{fresh}.json"
        run = Runner(db, capsys)
        if not fresh:
            run("add", "Safe Person")
        path = hostile_files(tmp_path)[kind]
        assert run("import", kind, str(path), "--dry-run") in (0, 1)
        assert run("import", kind, str(path), "--dry-run", "--json") in (0, 1)
        assert run("import", kind, str(path)) == 0
        run("list")
        run("events")
        run("export", "json")
        assert_store_clean(db)


@pytest.mark.parametrize("seed", range(3))
def test_random_bytes_as_import_files(
    seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    run = Runner(tmp_path / "db.json", capsys)
    pieces = [p.encode("utf-8", "surrogateescape") for p in PIECES] + [
        b"BEGIN:VCARD\r\n", b"FN:", b"END:VCARD\r\n", b"BEGIN:VEVENT\n", b"SUMMARY:",
        b"DTSTART:20261201T100000Z\n", b"RRULE:FREQ=SECONDLY\n", b"END:VEVENT\n", b"\xff\xfe",
        b"\xc3", b"First Name,Last Name,Connected On\n", b'{"format": "netbalance-export"',
    ]  # fmt: skip
    for kind in ("vcard", "ics", "linkedin", "google", "outlook", "json"):
        path = tmp_path / f"r-{kind}.dat"
        path.write_bytes(b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))))
        run("import", kind, str(path))
    if (tmp_path / "db.json").exists() and run("list") == 0:
        with Store.open(tmp_path / "db.json") as store:
            empty = store.is_empty()
        if not empty:
            assert_store_clean(tmp_path / "db.json")


def test_demo_into_a_hostile_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Runner(tmp_path / "demo\x1b]0;pwned\x07.json", capsys)
    assert run("demo", "--size", "small") == 0
    assert run("demo", "--size", "small") == 1  # refuses a database that holds data
    assert run("demo", "--seed", "\x1b[2J") == 2


@pytest.mark.parametrize(
    "argv",
    [
        [b"add", b"Kim \xff\xfe Lost"],
        [b"add", b"Kim", b"--notes", b"\xc3\x28"],
        [b"log", b"\xed\xa0\x80"],
        [b"list", b"\x1b[2J\xff"],
        [b"snooze", b"\x9b2J", b"2w"],
        [b"event", b"add", b"\xe2\x80\xae", b"--when", b"\xff"],
        [b"import", b"vcard", b"/nonexistent/\xff\x1b[2J.vcf"],
        [b"\xff"],
    ],
)
def test_raw_argv_bytes_from_a_real_command_line(argv: list[bytes], tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "netbalance", "--db", str(tmp_path / "db.json"), *argv],
        capture_output=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode in EXIT_CODES
    assert b"Traceback" not in proc.stderr
    for stream in (proc.stdout, proc.stderr):
        text = stream.decode("utf-8", "surrogateescape")
        assert dangerous(text) == [], (argv, text)

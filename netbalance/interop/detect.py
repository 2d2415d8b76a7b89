"""Which import kind a file is, from its content: the one rule the app and the CLI use.

`detect_text` names the kind a file's start looks like (a reader's refusal uses it to
say "it looks like a vCard file"); `detect_import` reads a file or folder, names its
kind and counts what it holds, so the import screen can preselect the kind and say
"Looks like a Google Contacts CSV (412 rows)". The CSV kinds are told apart by the
readers' own header tests, so detection and reading never disagree about a header.
Nothing here writes, and nothing raises for a file: what cannot be told is `None`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

from netbalance.interop.common import (
    MAX_FILE_BYTES,
    ImportFormatError,
    decode_text,
    read_bytes,
    split_lines,
)
from netbalance.interop.csv_google import _is_header as _google_header
from netbalance.interop.csv_linkedin import _is_header as _linkedin_header
from netbalance.interop.csv_outlook import _is_header as _outlook_header
from netbalance.interop.csv_rows import rows
from netbalance.interop.json_backup import FORMAT as JSON_FORMAT
from netbalance.interop.vcard import VCARD_SUFFIXES

# How much of a file's start is enough to tell its kind (a Google header with many
# numbered groups runs to a few thousand characters; LinkedIn puts a notice above it).
HEAD_CHARS = 64 * 1024

# Most specific first: each header test is the reader's own, and a header passing one
# does not pass the next (Google's numbered columns, Outlook's 'E-mail Address').
_CSV_KINDS: tuple[tuple[str, Callable[[list[str]], bool], int], ...] = (
    ("google", _google_header, 3),
    ("outlook", _outlook_header, 3),
    ("linkedin", _linkedin_header, 10),
)
# A card's first line (Apple groups even BEGIN: 'home.begin:vcard'); a calendar's start.
_VCARD_BEGIN = re.compile(r"(?:[A-Z0-9-]+\.)?BEGIN:VCARD")
_CALENDAR_START = re.compile(r"BEGIN:(?:VCALENDAR|VEVENT|VTODO|VJOURNAL|VTIMEZONE)\b")

# How the screen names a kind it found: "Looks like a Google Contacts CSV".
KIND_DESCRIPTIONS = {
    "vcard": "a vCard file",
    "ics": "an iCalendar file",
    "linkedin": "a LinkedIn Connections.csv",
    "google": "a Google Contacts CSV",
    "outlook": "an Outlook contacts CSV",
    "json": "a netbalance JSON export",
}


@dataclass(frozen=True, slots=True)
class Detected:
    """What a file or folder looks like: its kind (None when it cannot be told), how many
    items it seems to hold (None when not counted) and what they are ("rows", "cards")."""

    kind: str | None
    count: int | None = None
    unit: str = ""
    folder: bool = False
    why: str = ""

    def describe(self) -> str:
        """One line for the user: "Looks like a Google Contacts CSV (412 rows)"."""
        if self.kind is None:
            return f"Cannot tell what kind of file this is{f' ({self.why})' if self.why else ''}"
        what = KIND_DESCRIPTIONS[self.kind]
        if self.folder:
            what = "a folder of vCards" if self.kind == "vcard" else "a folder of calendars"
        counted = "" if self.count is None else f" ({_plural(self.count, self.unit)})"
        return f"Looks like {what}{counted}"


def _plural(n: int, unit: str) -> str:
    return f"{n:,} {unit if n != 1 else unit.removesuffix('s')}"


def detect_text(text: str) -> str | None:
    """The import kind a file's text looks like, from its start; None when none fits."""
    head = text[:HEAD_CHARS].lstrip("\ufeff").lstrip()
    upper = head[:4000].upper()
    if upper.startswith(("{", "[")):
        return "json"
    if "BEGIN:VCALENDAR" in upper or _CALENDAR_START.match(upper):
        return "ics"
    if any(_VCARD_BEGIN.fullmatch(line.strip()) for line in split_lines(upper)):
        return "vcard"
    for kind, is_header, look_ahead in _CSV_KINDS:
        if rows(head, is_header, look_ahead=look_ahead) is not None:
            return kind
    return None


def detect_import(path: Path) -> Detected:
    """Read `path` (a file, or a folder of .vcf or .ics files) and say what it looks like.

    Never raises for what the file holds: an unreadable or unknown file is
    `Detected(None, why=...)`, and the user chooses the kind.
    """
    path = Path(path)
    try:
        if path.is_dir():
            return _detect_folder(path)
        data = read_bytes(path, MAX_FILE_BYTES)
    except (ImportFormatError, OSError) as err:
        return Detected(None, why=_short(str(err), path))
    text, _ = decode_text(data)
    kind = detect_text(text)
    if kind is None:
        return Detected(None, why="not a vCard, calendar, contacts CSV or netbalance export")
    if kind == "vcard":
        return Detected(kind, _count_lines(text, _VCARD_BEGIN), "cards")
    if kind == "ics":
        return Detected(kind, _count_lines(text, re.compile("BEGIN:VEVENT")), "events")
    if kind == "json":
        return _detect_json(data)
    return Detected(kind, _count_rows(text, kind), "rows")


def _detect_folder(path: Path) -> Detected:
    vcards = ics = 0
    for file in path.rglob("*"):
        suffix = file.suffix.lower()
        vcards += suffix in VCARD_SUFFIXES
        ics += suffix == ".ics"
    if not vcards and not ics:
        return Detected(None, why="the folder holds no .vcf or .ics files")
    if vcards >= ics:
        return Detected("vcard", vcards, "files", folder=True)
    return Detected("ics", ics, "files", folder=True)


def _detect_json(data: bytes) -> Detected:
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        return Detected(None, why="it starts like JSON but is not valid JSON")
    if isinstance(document, dict) and "_meta" in document:
        return Detected(None, why="a copy of a netbalance database: use `netbalance restore`")
    if not isinstance(document, dict) or document.get("format") != JSON_FORMAT:
        return Detected(None, why="JSON, but not a netbalance export")
    contacts = document.get("contacts")
    return Detected("json", len(contacts) if isinstance(contacts, list) else 0, "contacts")


def _count_lines(text: str, pattern: re.Pattern[str]) -> int:
    """Lines that are `pattern` alone (any case, any line ending): cards or events begun."""
    return sum(1 for line in split_lines(text) if pattern.fullmatch(line.strip().upper()))


def _count_rows(text: str, kind: str) -> int | None:
    for name, is_header, look_ahead in _CSV_KINDS:
        if name != kind:
            continue
        found = rows(text, is_header, look_ahead=look_ahead)
        if found is None:
            return None
        try:
            return sum(1 for _ in found[1])
        except ImportFormatError:
            return None  # a damaged CSV: the preview says where
    return None


def _short(message: str, path: Path) -> str:
    """An importer's message without the path in front (the screen shows the path)."""
    for prefix in (f"{path}: ", f"{path.name}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message

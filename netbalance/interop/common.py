"""What every reader shares: what it read, what it skipped and why, and its limits.

A reader turns one file (or folder) into `Incoming` records and `Skipped` notes;
it never touches the store. Planning (`import_plan.py`) decides what is new or merged.
Readers raise `ImportFormatError` only for a file as a whole (wrong kind, too big,
unreadable); one bad card or row becomes a `Skipped` entry instead.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from netbalance.domain import Circle, Contact, Event, Goal, Interaction
from netbalance.domain.identity import CONTENT_UID_PREFIX
from netbalance.domain.text import MAX_NAME_CHARS, MAX_TEXT_CHARS, clean_line

# Where people from another program's file land unless the file says (X-NETBALANCE-CIRCLE):
# the acquaintance circle has no cadence, so an address book of 800 makes nobody due;
# the user sorts the few who matter into closer circles.
IMPORTED_CIRCLE = Circle.ACQUAINTANCE

# Limits so that no file can exhaust memory or time: a real address book of
# 20,000 cards with photos is well under these.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ITEMS = 200_000
MAX_SECONDS = 120.0
# Longest text kept from one field: the domain's one limit (names have their own);
# the rest is cut, and the import says how many fields were cut.
MAX_FIELD_CHARS = MAX_TEXT_CHARS

Progress = Callable[[int, int], None]
"""Called with (done, total) while reading or writing; total may be 0 when unknown."""


class ImportFormatError(Exception):
    """The file as a whole cannot be imported as the KIND asked; the message says why."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """One card, row or event left out, where it was and why."""

    location: str
    reason: str

    def __post_init__(self) -> None:
        # Both quote the file (its name, a title): shown in previews, so cleaned here.
        object.__setattr__(self, "location", clean_line(self.location))
        object.__setattr__(self, "reason", clean_line(self.reason))

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass(frozen=True, slots=True)
class IncomingContact:
    """A contact read from a file, with where it came from.

    `first_interaction_at` starts the cadence clock sensibly (a LinkedIn
    connection date, a vCard's X-NETBALANCE-LAST-INTERACTION); `goal_titles`
    are matched to existing goals by title when planning.
    """

    contact: Contact
    location: str
    first_interaction_at: datetime | None = None
    first_interaction_note: str = ""
    goal_titles: tuple[str, ...] = ()
    # What a synced card (X-NETBALANCE-GOALS, -MET-AT) links to, by uid; the fields the
    # card states (one without X-NETBALANCE-CIRCLE says nothing about the circle); and
    # when the card was last changed (REV), if it says.
    goal_uids: tuple[str, ...] = ()
    met_at_uid: str = ""
    stated: frozenset[str] = frozenset()
    changed_at: datetime | None = None

    def __post_init__(self) -> None:
        # The contact cleaned itself; where it was read (a file name) and the goal titles
        # are matched and shown as text.
        object.__setattr__(self, "location", clean_line(self.location))
        object.__setattr__(self, "goal_titles", tuple(clean_line(t) for t in self.goal_titles))


@dataclass(frozen=True, slots=True)
class IncomingEvent:
    """An event read from a calendar; attendees are suggested contacts, not imported."""

    event: Event
    location: str
    attendees: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Suggested contacts and where the event was read, shown in the preview.
        object.__setattr__(self, "location", clean_line(self.location))
        object.__setattr__(self, "attendees", tuple(clean_line(a) for a in self.attendees))


@dataclass(frozen=True, slots=True)
class IncomingInteraction:
    """An interaction from a netbalance JSON backup; contact ids are the file's own."""

    interaction: Interaction
    location: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "location", clean_line(self.location))


@dataclass(frozen=True, slots=True)
class VdirItem:
    """One file of a synced vdir folder, read: the record it holds and what it says.

    `kind` is "contact", "event", "interaction", "goal" or "followup". Links to other
    records are uids in `links` ("goals", "met", "met_at", "contacts", "event"), the
    record's own link fields being left empty (an interaction holds a stand-in contact
    id). `stated` names the fields the file states: one that leaves out netbalance's
    property for a field says nothing about it. `changed_at` is the file's own stamp
    (REV, LAST-MODIFIED); `cancelled` marks a journal deleted in netbalance elsewhere;
    `done_at` a follow-up ticked off in another client.
    """

    kind: str
    uid: str
    record: Contact | Event | Interaction | Goal | None
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stated: frozenset[str] = frozenset()
    changed_at: datetime | None = None
    cancelled: bool = False
    done_at: datetime | None = None


@dataclass
class ReadResult:
    """Everything one reader got out of one file."""

    kind: str
    source: str
    contacts: list[IncomingContact] = field(default_factory=list)
    events: list[IncomingEvent] = field(default_factory=list)
    interactions: list[IncomingInteraction] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return len(self.contacts) + len(self.events) + len(self.interactions)


class Deadline:
    """A time limit shared by the steps of one import; `check()` raises once it has passed."""

    def __init__(self, seconds: float = MAX_SECONDS) -> None:
        self._until = time.monotonic() + seconds
        self.seconds = seconds

    def check(self) -> None:
        if time.monotonic() > self._until:
            raise ImportFormatError(
                f"the import took longer than {self.seconds:.0f} seconds and was stopped; "
                "nothing was written"
            )


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refusing folders, missing files and files over the size limit."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ImportFormatError(f"{path}: cannot read it ({err.strerror or err})") from None
    if path.is_dir():
        raise ImportFormatError(f"{path}: is a folder, not a file")
    if size > limit:
        raise ImportFormatError(f"{path}: is {size:,} bytes, over {size_limit_text(limit)}")
    try:
        return path.read_bytes()
    except OSError as err:
        raise ImportFormatError(f"{path}: cannot read it ({err.strerror or err})") from None


def size_limit_text(limit: int = MAX_FILE_BYTES) -> str:
    """The importer's size limit in exact bytes: a rounded figure can read the same on
    both sides of it ("210 MB; reads up to 210 MB")."""
    return f"the {limit:,} bytes ({limit / 2**20:,.0f} MiB) the importer reads"


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes to text and the encoding used: BOM first, then UTF-8, then Windows-1252.

    Exports from Outlook and old phones are Windows-1252 or Latin-1 without saying so;
    cp1252 is a superset of Latin-1's printable range, and its five undefined bytes
    fall back to Latin-1 so that decoding never fails.
    """
    if data.startswith(codecs.BOM_UTF8):  # Excel and Outlook write it
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return decode_utf8_or_cp1252(data), "windows-1252"


def decode_cp1252(data: bytes) -> str:
    """Windows-1252 with Latin-1 for the five bytes cp1252 leaves undefined."""
    return data.decode("latin-1").translate(_CP1252_MAP)


def decode_utf8_or_cp1252(data: bytes) -> str:
    """UTF-8 where the bytes are UTF-8 and Windows-1252 for each byte that is not.

    One stray byte (an address book edited by two programs, an Outlook note pasted into
    a UTF-8 card) must not turn every 'José' of the file or value into 'JosÃ©'; a text
    that is Windows-1252 throughout reads the same as decoding it whole."""
    return data.decode("utf-8", errors=_CP1252_FALLBACK)


def _cp1252_bytes(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    return decode_cp1252(err.object[err.start : err.end]), err.end


_CP1252_FALLBACK = "netbalance-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)


_UNDEFINED_1252 = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
# Latin-1 decodes every byte; this maps 0x80-0x9F to what Windows-1252 means by them.
_CP1252_MAP = {
    b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in _UNDEFINED_1252
}


_LINE_BREAKS = re.compile(r"\r*\n|\r+")


def split_lines(text: str) -> list[str]:
    """Lines of `text` whatever the line endings: LF, CRLF, CR CR LF, lone CR."""
    return _LINE_BREAKS.split(text)


def content_uid(kind: str, parts: Iterable[str]) -> str:
    """A uid for a card or row that names none, from its content: the same card imported
    again is found by it, so a file whose cards carry no UID, email or phone can be
    imported twice without doubling anyone (a name alone never merges)."""
    digest = hashlib.sha1("\x1f".join((kind, *parts)).encode("utf-8", "replace"))
    return f"{CONTENT_UID_PREFIX}{kind}-{digest.hexdigest()[:20]}"


# Fields `clip` cut while a file is read (see `counting_clips`).
_clipped: ContextVar[list[int] | None] = ContextVar("clipped", default=None)


def clip(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    """`text` cut to `limit` characters (the last one an ellipsis), so one field
    cannot blow up the database and the record stays within the domain's limit."""
    if len(text) <= limit:
        return text
    counter = _clipped.get()
    if counter is not None:
        counter[0] += 1
    return text[: limit - 1] + "…"


@contextlib.contextmanager
def counting_clips() -> Iterator[list[int]]:
    """Count the fields `clip` cuts inside the block (the count is item 0)."""
    counter = [0]
    token = _clipped.set(counter)
    try:
        yield counter
    finally:
        _clipped.reset(token)


def clipped_warning(count: int) -> str:
    """What an import says about the fields it cut."""
    return (
        f"{count:,} field(s) were cut to fit netbalance's limits "
        f"({MAX_FIELD_CHARS:,} characters for any text, {MAX_NAME_CHARS} for a name)"
    )


def sniff_kind(text: str) -> str | None:
    """Which import kind a file's start looks like, to name it when KIND is wrong.

    The one rule is `detect.detect_text` (imported here late: it uses the readers)."""
    from netbalance.interop.detect import detect_text

    return detect_text(text)


def wrong_kind_message(path: Path | str, kind: str, text: str) -> str:
    """A clear message for a file that is not what KIND says."""
    looks = sniff_kind(text)
    if looks and looks != kind:
        return (
            f"{path}: this is not {KIND_NAMES[kind]} file; it looks like {KIND_NAMES[looks]} "
            f"file (try `netbalance import {looks} {path}`)"
        )
    return f"{path}: this is not {KIND_NAMES[kind]} file ({_WHAT[kind]})"


KIND_NAMES = {
    "vcard": "a vCard",
    "ics": "an iCalendar",
    "linkedin": "a LinkedIn Connections.csv",
    "google": "a Google Contacts CSV",
    "outlook": "an Outlook contacts CSV",
    "json": "a netbalance JSON export",
}
_WHAT = {
    "vcard": "no BEGIN:VCARD line",
    "ics": "no BEGIN:VEVENT line",
    "linkedin": "no 'First Name,Last Name,...,Connected On' header in its first lines",
    "google": "no Google header with 'E-mail 1 - Value' in its first lines",
    "outlook": "no Outlook header with 'First Name', 'Last Name', 'E-mail Address'",
    "json": "it does not start with '{'",
}

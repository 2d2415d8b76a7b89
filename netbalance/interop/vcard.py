"""A tolerant vCard reader (2.1, 3.0, 4.0): one file of cards, or a vdir folder of .vcf files.

Written here rather than taken from vobject because real exports break the rules in
ways vobject 0.9.9 refuses (9 of the real-world samples): quoted-printable soft line
breaks that split UTF-8 sequences, Latin-1 without CHARSET, CR CR LF line endings,
base64 blocks with odd indentation or none, missing END:VCARD, group prefixes on BEGIN.
The reader keeps what netbalance uses (names, emails, phones, company, role, links,
categories, birthday, notes, X-NETBALANCE-*) and reports every card it leaves out.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from netbalance.domain import Birthday, Circle, Contact, DomainError
from netbalance.domain.identity import bare_uid
from netbalance.domain.names import split_name
from netbalance.domain.text import MAX_NAME_CHARS
from netbalance.interop.common import (
    IMPORTED_CIRCLE,
    MAX_FILE_BYTES,
    MAX_ITEMS,
    Deadline,
    ImportFormatError,
    IncomingContact,
    Progress,
    ReadResult,
    Skipped,
    clip,
    content_uid,
    decode_text,
    decode_utf8_or_cp1252,
    read_bytes,
    size_limit_text,
    split_lines,
    wrong_kind_message,
)

VCARD_SUFFIXES = (".vcf", ".vcard")
# Android and Google put every contact in these; they say nothing about the person.
_SYSTEM_CATEGORIES = {"my contacts", "mycontacts", "starred in android", "starred"}
_PROPERTY_START = re.compile(r"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?[;:]")
_QP_BYTE = re.compile(rb"=([0-9A-Fa-f]{2})")
# Phone kinds that reach a desk or a machine, not the person; matching on them would
# merge everyone at one company. A number that is also a voice or cell line is kept.
_NOT_PERSONAL_PHONE = {"FAX", "PAGER", "TLX", "TELEX", "ISDN"}
_PERSONAL_PHONE = {"VOICE", "CELL", "MOBILE", "IPHONE", "TEXT", "VIDEO"}


@dataclass(slots=True)
class Property:
    """One content line: group, upper-case name, parameters and the decoded raw value."""

    name: str
    value: str
    line: int
    group: str = ""
    params: dict[str, list[str]] = field(default_factory=dict)

    def types(self) -> set[str]:
        return {t.upper() for t in self.params.get("TYPE", [])}


@dataclass(slots=True)
class Card:
    """The properties between BEGIN:VCARD and END:VCARD (or where END should have been)."""

    number: int
    line: int
    properties: list[Property] = field(default_factory=list)
    ended: bool = False

    def all(self, name: str) -> list[Property]:
        return [p for p in self.properties if p.name == name]

    def first(self, name: str) -> str:
        for p in self.properties:
            if p.name == name and p.value.strip():
                return p.value
        return ""


# --- lines and properties ---------------------------------------------------------------


def _is_qp(header: str) -> bool:
    return "QUOTED-PRINTABLE" in header.upper()


def unfold(text: str, deadline: Deadline | None = None) -> Iterator[tuple[int, str]]:
    """Logical lines with their first physical line number.

    Joins RFC folds (a leading space or tab), quoted-printable soft breaks (a trailing
    '=' on a QP line) and lines that cannot start a property (base64 photo blocks that
    some exporters forget to indent).
    """
    current: list[str] = []
    current_no = 0
    current_qp = False
    for no, raw in enumerate(split_lines(text), 1):
        if deadline is not None and no % 5000 == 0:
            deadline.check()
        if not raw.strip():
            if current and current_qp and current[-1].endswith("="):
                # A soft break onto an empty line: the value ends there (Outlook writes
                # this); the next line is a property of its own, not more of the value.
                current[-1] = current[-1][:-1]
                current_qp = False
            continue
        if current:
            if current_qp and current[-1].endswith("="):
                current[-1] = current[-1][:-1]
                current.append(raw.lstrip(" \t") if raw[:1] in " \t" else raw)
                continue
            if raw[0] in " \t":
                current.append(raw[1:])
                continue
            if not _PROPERTY_START.match(raw):
                current.append(raw)
                continue
            yield current_no, "".join(current)
        current = [raw]
        current_no = no
        colon = raw.find(":")
        current_qp = _is_qp(raw[: colon if colon >= 0 else len(raw)])
    if current:
        yield current_no, "".join(current)


def _split_outside_quotes(text: str, sep: str, maxsplit: int = -1) -> list[str]:
    if '"' not in text:
        return text.split(sep, maxsplit)  # the same split, without the walk (most lines)
    parts: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            buf.append(ch)
        elif ch == sep and not quoted and maxsplit != 0:
            parts.append("".join(buf))
            buf = []
            maxsplit -= 1
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _caret_decode(value: str) -> str:
    """RFC 6868 parameter escapes: ^n newline, ^' double quote, ^^ caret."""
    if "^" not in value:
        return value
    return re.sub(
        r"\^(.)", lambda m: {"n": "\n", "'": '"', "^": "^"}.get(m.group(1), m.group(0)), value
    )


# Bare 2.1 parameters that are not types.
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}


def parse_property(line: str, no: int) -> Property | None:
    """One logical line as a Property; None when it has no ':' at all."""
    # Split at the first colon outside double quotes; 4.0 quotes parameter values
    # that hold colons (TZ, LABEL), older writers sometimes do not, which only
    # disturbs that property.
    head_value = _split_outside_quotes(line, ":", 1)
    if len(head_value) < 2:
        return None
    head, value = head_value
    pieces = _split_outside_quotes(head, ";")
    name = pieces[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        piece = piece.strip()
        if not piece:
            continue
        if "=" in piece:
            key, _, raw = piece.partition("=")
            key = key.strip().upper()
            values = [
                _caret_decode(v.strip().strip('"'))
                for v in _split_outside_quotes(raw, ",")
                if v.strip()
            ]
            if key in ("TYPE",):
                values = [x for v in values for x in v.split(",") if x]
            params.setdefault(key, []).extend(values)
        elif piece.upper() in _BARE_ENCODINGS:
            params.setdefault("ENCODING", []).append(piece.upper())
        else:
            params.setdefault("TYPE", []).append(piece)
    prop = Property(name=name.upper(), value=value, line=no, group=group, params=params)
    encoding = {e.upper() for e in params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" in encoding:
        prop.value = decode_quoted_printable(value, (params.get("CHARSET") or [""])[0])
    return prop


def decode_quoted_printable(value: str, charset: str) -> str:
    """QP to text: the bytes are joined first, so a UTF-8 sequence split by a soft
    break decodes whole; CHARSET when Python knows it (UTF-8 when none is given), with
    Windows-1252 only for the bytes that are not UTF-8 (never the whole value). Encoded
    line breaks (=0D=0A from Outlook) become plain newlines."""
    raw = _QP_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), value.encode("utf-8", "replace"))
    enc = charset.strip().lower()
    try:
        known = bool(enc) and codecs.lookup(enc).name != "utf-8"
    except LookupError:
        known = False
    text: str | None = None
    if known:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            text = None
    if text is None:
        text = decode_utf8_or_cp1252(raw)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_cards(
    text: str, deadline: Deadline | None = None
) -> tuple[list[Card], list[Skipped], int]:
    """The cards of a text; also lines outside any card, and the count of cards with no END."""
    cards: list[Card] = []
    junk: list[Skipped] = []
    missing_end = 0
    current: Card | None = None
    for no, line in unfold(text, deadline):
        prop = parse_property(line, no)
        if prop is None:
            if current is not None:
                continue  # a stray line inside a card: nothing netbalance could use
            junk.append(Skipped(f"line {no}", "text outside any vCard"))
            continue
        if prop.name == "BEGIN" and prop.value.strip().upper() == "VCARD":
            if current is not None:
                missing_end += 1
                cards.append(current)
            if len(cards) >= MAX_ITEMS:
                raise ImportFormatError(f"more than {MAX_ITEMS} cards; split the file")
            current = Card(number=len(cards) + 1, line=no)
            continue
        if prop.name == "END" and prop.value.strip().upper() == "VCARD":
            if current is not None:
                current.ended = True
                cards.append(current)
                current = None
            continue
        if current is None:
            if len(junk) < 100:
                junk.append(Skipped(f"line {no}", f"{prop.name} outside any vCard"))
            continue
        if len(current.properties) < 5000:
            current.properties.append(prop)
    if current is not None:
        missing_end += 1
        cards.append(current)
    return cards, junk, missing_end


# --- values ------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":", '"': '"'}


def unescape(value: str) -> str:
    """vCard text escapes (\\n, \\, \\; \\\\); an unknown escape keeps its character."""
    if "\\" not in value:
        return value
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value, flags=re.DOTALL)


def split_unescaped(value: str, sep: str) -> list[str]:
    """Split on `sep` where it is not backslash-escaped, then unescape each part."""
    if "\\" not in value:
        return value.split(sep)  # nothing escaped: a plain split (most values)
    parts: list[str] = []
    buf: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            buf.append(value[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return [unescape(p) for p in parts]


_BDAY_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$"), "ymd"),
    (re.compile(r"^--(\d{2})-?(\d{2})$"), "md"),
    (re.compile(r"^(\d{2})-(\d{2})$"), "md"),
    (re.compile(r"^(\d{2})(\d{2})$"), "md"),
]


def parse_birthday(text: str) -> Birthday | None:
    """A birthday from the forms exporters write: 1980-03-22, 19800322, --0203, 02-10, 1604.

    Year-less four-digit forms are read as month-day, and as day-month when that is not
    a date (1604 is 16 April). A year before 1900 (Apple's 1604 placeholder) is dropped.
    """
    t = text.strip()
    for pattern, form in _BDAY_PATTERNS:
        m = pattern.match(t)
        if not m:
            continue
        try:
            if form == "ymd":
                year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
                return Birthday(month, day, year if year >= 1900 else None)
            a, b = int(m.group(1)), int(m.group(2))
            try:
                return Birthday(a, b)
            except DomainError:
                return Birthday(b, a)
        except DomainError:
            return None
    return None


def parse_timestamp(text: str) -> datetime | None:
    """An ISO or basic-format date-time as aware UTC; None when it is not one."""
    t = text.strip()
    if not t:
        return None
    for candidate in (t, t.replace("Z", "+00:00")):
        try:
            value = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    return None


# --- cards to contacts -------------------------------------------------------------------


def _name_from_n(value: str) -> str:
    parts = split_unescaped(value, ";") + [""] * 5
    family, given, additional = parts[0], parts[1], parts[2]
    return " ".join(p.replace(",", " ").strip() for p in (given, additional, family) if p.strip())


def _clean_email(value: str) -> str:
    v = unescape(value).strip()
    if v.lower().startswith("mailto:"):
        v = v[7:]
    return v


# The contact fields every card states (a card without TEL has no phone); the fields
# only netbalance's own properties state, by property.
_STANDARD_FIELDS = (
    "name",
    "emails",
    "phones",
    "company",
    "role",
    "links",
    "tags",
    "birthday",
    "notes",
    "name_parts",
)
_STATED_BY = {
    "CIRCLE": "circle",
    "CADENCE": "cadence_days",
    "HOW-MET": "how_met",
    "ARCHIVED": "archived",
    "SNOOZED-UNTIL": "snoozed_until",
    "CREATED": "created_at",
    "GOALS": "goals",
    "MET-AT": "met_at",
    "ALIASES": "aliases",
}

# Properties that change on every export of the same card.
_VOLATILE = {"REV", "PRODID", "VERSION", "X-NETBALANCE-LAST-INTERACTION"}


def _content_uid(card: Card) -> str:
    """The uid of a card without a UID: from its content (see common.content_uid)."""
    return content_uid(
        "vcard",
        (
            f"{p.name};{sorted(p.params.items())}:{p.value}"
            for p in card.properties
            if p.name not in _VOLATILE
        ),
    )


def _own_name_parts(card: Card, name: str) -> tuple[str, ...]:
    """The card's N when it says more than its name does (kept for export); () when it is
    what the name's own parts are anyway, or absent."""
    raw = card.first("N")
    if not raw:
        return ()
    parts = tuple(" ".join(p.split())[:200] for p in split_unescaped(raw, ";")[:5])
    parts = (parts + ("",) * 5)[:5]
    return () if not any(parts) or parts == split_name(name) else parts


def card_to_contact(
    card: Card, location: str, source: str, now: datetime
) -> tuple[IncomingContact | None, Skipped | None, list[str]]:
    """A card as a contact; or why it was skipped; and warnings about dropped values."""
    warnings: list[str] = []
    emails: list[str] = []
    for p in card.all("EMAIL"):
        email = _clean_email(p.value)
        if not email:
            continue
        if "@" in email and not any(c.isspace() for c in email):
            emails.append(email)
        else:
            warnings.append(f"{location}: email {email[:60]!r} is not an address; left out")
    phones: list[str] = []
    for p in card.all("TEL"):
        phone = unescape(p.value).strip()
        if phone.lower().startswith("tel:"):
            phone = phone[4:]
        types = p.types()
        machine_only = bool(types & _NOT_PERSONAL_PHONE) and not types & _PERSONAL_PHONE
        if phone and any(c.isdigit() for c in phone) and not machine_only:
            phones.append(clip(phone))
    org = split_unescaped(card.first("ORG"), ";")[0].strip() if card.first("ORG") else ""
    name = unescape(card.first("FN")).strip() or _name_from_n(card.first("N"))
    if not name:
        nickname = card.first("NICKNAME")
        name = split_unescaped(nickname, ",")[0].strip() if nickname else ""
        stand_in = next(
            (
                (what, value)
                for what, value in (
                    ("nickname", name),
                    ("organisation", org),
                    ("email", emails[0] if emails else ""),
                    ("phone", phones[0] if phones else ""),
                )
                if value
            ),
            None,
        )
        if stand_in is None:
            return None, Skipped(location, "the card has no name, email or phone"), warnings
        name = stand_in[1]
        warnings.append(
            f"{location}: the card has no name (neither N nor FN); "
            f"named after its {stand_in[0]} {name[:60]!r}"
        )
    links = [unescape(p.value).strip() for p in card.all("URL")]
    links += [unescape(p.value).strip() for p in card.all("X-SOCIALPROFILE")]
    tags: list[str] = []
    for p in card.all("CATEGORIES"):
        tags += [t.strip() for t in split_unescaped(p.value, ",") if t.strip()]
    tags = [t for t in tags if t.lower() not in _SYSTEM_CATEGORIES]
    notes = [unescape(p.value).strip() for p in card.all("NOTE") if p.value.strip()]
    birthday: Birthday | None = None
    for p in card.all("BDAY"):
        birthday = parse_birthday(unescape(p.value))
        if birthday is not None:
            break
    else:
        text_bdays = [unescape(p.value).strip() for p in card.all("BDAY") if p.value.strip()]
        if text_bdays:
            notes.append(f"Birthday: {text_bdays[0]}")
            warnings.append(f"{location}: birthday {text_bdays[0]!r} is not a date; kept in notes")

    fields: dict[str, object] = {}
    last_at: datetime | None = None
    goal_titles: list[str] = []
    goal_uids: list[str] = []
    met_at_uid = ""
    stated = set(_STANDARD_FIELDS)
    for p in card.properties:
        if not p.name.startswith("X-NETBALANCE-"):
            continue
        key = p.name[len("X-NETBALANCE-") :]
        value = unescape(p.value).strip()
        if key in _STATED_BY:
            stated.add(_STATED_BY[key])
        try:
            if key == "GOALS":
                goal_uids += [u.strip() for u in split_unescaped(p.value, ",") if u.strip()]
            elif key == "MET-AT":
                met_at_uid = value
            elif key == "ALIASES":
                fields["aliases"] = tuple(
                    u.strip() for u in split_unescaped(p.value, ",") if u.strip()
                )
            elif key == "CIRCLE":
                fields["circle"] = Circle.parse(value)
            elif key == "CADENCE":
                fields["cadence_days"] = int(value) if value and value != "none" else None
            elif key == "GOAL" and value:
                goal_titles.append(value)
            elif key == "LAST-INTERACTION":
                last_at = parse_timestamp(value)
            elif key == "HOW-MET":
                fields["how_met"] = value
            elif key == "ARCHIVED":
                fields["archived"] = value.lower() in ("true", "yes", "1")
            elif key == "SNOOZED-UNTIL":
                fields["snoozed_until"] = parse_timestamp(value)
            elif key == "CREATED":
                fields["created_at"] = parse_timestamp(value) or now
        except (ValueError, DomainError) as err:
            warnings.append(f"{location}: {p.name} {value[:40]!r} ignored ({err})")

    try:
        contact = Contact(
            name=clip(name, MAX_NAME_CHARS),
            circle=IMPORTED_CIRCLE,
            emails=tuple(emails),
            phones=tuple(phones),
            company=clip(org),
            role=clip(unescape(card.first("TITLE") or card.first("ROLE")).strip()),
            links=tuple(clip(link) for link in links),
            tags=tuple(tags),
            birthday=birthday,
            notes=clip("\n\n".join(notes)),
            created_at=now,
            source=source,
            uid=bare_uid(unescape(card.first("UID")))[:500] or _content_uid(card),
            name_parts=_own_name_parts(card, name),
        )
        if fields:
            contact = contact.edit(**fields)
    except (DomainError, TypeError) as err:
        return None, Skipped(location, f"not a valid contact: {err}"), warnings
    incoming = IncomingContact(
        contact=contact,
        location=location,
        first_interaction_at=last_at,
        first_interaction_note="Last interaction (restored from a vCard)" if last_at else "",
        goal_titles=tuple(goal_titles),
        goal_uids=tuple(goal_uids),
        met_at_uid=met_at_uid,
        stated=frozenset(stated),
        changed_at=parse_timestamp(unescape(card.first("REV"))),
    )
    return incoming, None, warnings


# --- files and folders -------------------------------------------------------------------


def read_vcard_text(
    text: str,
    name: str,
    now: datetime,
    result: ReadResult,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> int:
    """Add the cards of one file's text to `result`; returns how many cards it held."""
    cards, junk, missing_end = parse_cards(text, deadline)
    result.skipped.extend(Skipped(f"{name} {s.location}", s.reason) for s in junk[:20])
    if missing_end:
        result.warnings.append(
            f"{name}: {missing_end} card(s) had no END:VCARD; read to the next card"
        )
    for i, card in enumerate(cards):
        if deadline is not None and i % 500 == 0:
            deadline.check()
        if progress is not None and i % 200 == 0:
            progress(i, len(cards))
        location = f"{name} card {card.number} (line {card.line})"
        incoming, skipped, warnings = card_to_contact(card, location, f"vcard:{name}", now)
        result.warnings.extend(warnings)
        if incoming is not None:
            result.contacts.append(incoming)
        if skipped is not None:
            result.skipped.append(skipped)
    if progress is not None:
        progress(len(cards), len(cards))
    return len(cards)


def read_vcard(
    path: Path,
    now: datetime,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read a .vcf file or a vdir folder of .vcf files into incoming contacts."""
    deadline = deadline or Deadline()
    result = ReadResult(kind="vcard", source=str(path))
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in VCARD_SUFFIXES)
        if not files:
            raise ImportFormatError(f"{path}: the folder holds no .vcf files")
        total = 0
        for i, file in enumerate(files):
            total += file.stat().st_size
            if total > MAX_FILE_BYTES:
                raise ImportFormatError(
                    f"{path}: its vCards add up to more than {size_limit_text()}"
                )
            text, _ = decode_text(read_bytes(file))
            name = str(file.relative_to(path))
            if read_vcard_text(text, name, now, result, deadline) == 0:
                result.skipped.append(Skipped(name, "no BEGIN:VCARD in this file"))
            if progress is not None:
                progress(i + 1, len(files))
        return result
    text, _ = decode_text(read_bytes(path))
    if read_vcard_text(text, path.name, now, result, deadline, progress) == 0:
        raise ImportFormatError(wrong_kind_message(path, "vcard", text))
    return result

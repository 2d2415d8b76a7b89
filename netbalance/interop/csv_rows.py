"""CSV plumbing shared by the LinkedIn, Google and Outlook readers.

Finds the header (LinkedIn puts a 3-line notice above it), yields each row as a
dict with the line it starts on, and parses the dates those exports write.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from netbalance.domain import Birthday, Contact, DomainError
from netbalance.domain.text import MAX_NAME_CHARS
from netbalance.interop.common import (
    IMPORTED_CIRCLE,
    MAX_FIELD_CHARS,
    MAX_ITEMS,
    Deadline,
    ImportFormatError,
    Progress,
    ReadResult,
    Skipped,
    clip,
    decode_text,
    read_bytes,
    wrong_kind_message,
)

# Python's default (128 KB) raises on a big notes cell; ours is clipped later anyway.
csv.field_size_limit(max(MAX_FIELD_CHARS * 10, 1_000_000))

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
)}  # fmt: skip


def rows(
    text: str,
    is_header: Callable[[list[str]], bool],
    deadline: Deadline | None = None,
    look_ahead: int = 10,
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]] | None:
    """The header and (line, row) pairs, or None when no header is found in the first lines.

    Cells are stripped; headers are matched case-insensitively later by the readers.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    header: list[str] | None = None
    try:
        for _ in range(look_ahead):
            candidate = next(reader, None)
            if candidate is None:
                return None
            cells = [c.strip().lstrip("\ufeff").strip() for c in candidate]
            if is_header(cells):
                header = cells
                break
    except csv.Error:
        return None
    if header is None:
        return None
    found = header

    def generate() -> Iterator[tuple[int, dict[str, str]]]:
        count = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader, None)
            except csv.Error as err:
                raise ImportFormatError(f"line {start}: the CSV is damaged ({err})") from None
            if row is None:
                return
            count += 1
            if count > MAX_ITEMS:
                raise ImportFormatError(f"more than {MAX_ITEMS} rows; split the file")
            if deadline is not None and count % 1000 == 0:
                deadline.check()
            if not any(c.strip() for c in row):
                continue
            yield start, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(found)}

    return header, generate()


def header_has(cells: list[str], *names: str) -> bool:
    lower = {c.lower() for c in cells}
    return all(n.lower() in lower for n in names)


def get(row: dict[str, str], *names: str) -> str:
    """The first non-empty value among columns `names` (case-insensitive)."""
    for name in names:
        if row.get(name):
            return row[name]
    lowered = {k.lower(): v for k, v in row.items()}
    for name in names:
        value = lowered.get(name.lower(), "")
        if value:
            return value
    return ""


def parse_connected_on(text: str) -> datetime | None:
    """LinkedIn's dates: '22 Dec 2025', '6-Feb-26', '1/8/18, 6:14 PM', ISO. Noon UTC for
    a bare date, so the day does not shift in any time zone."""
    t = text.strip().strip('"')
    if not t:
        return None
    m = re.match(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -](\d{2}|\d{4})$", t)
    if m:
        month = _MONTHS.get(m.group(2).lower())
        year = int(m.group(3))
        year = year + 2000 if year < 100 else year
        return _noon(year, month, int(m.group(1)))
    m = re.match(r"^([A-Za-z]{3})[A-Za-z]* (\d{1,2}),? (\d{4})$", t)
    if m:
        return _noon(int(m.group(3)), _MONTHS.get(m.group(1).lower()), int(m.group(2)))
    m = re.match(
        r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,?\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?)?$", t
    )
    if m:
        year = int(m.group(3))
        year = year + 2000 if year < 100 else year
        month, day = int(m.group(1)), int(m.group(2))
        if m.group(4) is None:
            return _noon(year, month, day)
        hour, minute = int(m.group(4)), int(m.group(5))
        if m.group(6):
            hour = hour % 12 + (12 if m.group(6).lower() == "pm" else 0)
        try:
            return datetime(year, month, day, hour, minute, tzinfo=UTC)
        except ValueError:
            return None
    try:
        value = datetime.fromisoformat(t)
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _noon(year: int, month: int | None, day: int) -> datetime | None:
    if month is None:
        return None
    try:
        return datetime(year, month, day, 12, tzinfo=UTC)
    except ValueError:
        return None


def parse_csv_birthday(text: str) -> Birthday | None:
    """Birthdays as Google and Outlook write them: '1980-03-22', ' --12-25', '3/22/1980',
    '22.03.1980'; Outlook's '0/0/00' means none."""
    from netbalance.interop.vcard import parse_birthday

    t = text.strip()
    if not t or t in ("0/0/00", "0/0/0000", "00.00.00"):
        return None
    found = parse_birthday(t)
    if found is not None:
        return found
    m = re.match(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{2}|\d{4})(?:\s.*)?$", t)
    if not m:
        return None
    a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if year < 100:
        # A two-digit year: 31-99 are the 1900s (no clock read here; the pivot is fixed).
        year += 1900 if year > 30 else 2000
    # US order with '/', day first with '.'; swap when the first reading is not a date.
    month, day = (a, b) if m.group(2) == "/" else (b, a)
    for mm, dd in ((month, day), (day, month)):
        try:
            return Birthday(mm, dd, year if year >= 1900 else None)
        except DomainError:
            continue
    return None


def valid_emails(values: list[str], location: str, warnings: list[str]) -> list[str]:
    """Addresses that look like addresses; the rest (LinkedIn's urn:li:member:...) noted."""
    kept: list[str] = []
    for value in values:
        v = value.strip()
        if not v:
            continue
        if "@" in v and not any(c.isspace() for c in v):
            kept.append(v)
        else:
            warnings.append(f"{location}: email {v[:60]!r} is not an address; left out")
    return kept


def make_contact(location: str, **fields: object) -> tuple[Contact | None, Skipped | None]:
    """A validated contact from a row, or the reason the row is skipped."""
    name = str(fields.pop("name", "")).strip()
    if not name:
        return None, Skipped(location, "the row has no name, email or phone")
    for key in ("company", "role", "notes", "how_met"):
        if key in fields:
            fields[key] = clip(str(fields[key]))
    fields.setdefault("circle", IMPORTED_CIRCLE)
    try:
        return Contact(name=clip(name, MAX_NAME_CHARS), **fields), None  # type: ignore[arg-type]
    except (DomainError, TypeError, ValueError) as err:
        return None, Skipped(location, f"not a valid contact: {err}")


def csv_body(
    path: Path,
    is_header: Callable[[list[str]], bool],
    result: ReadResult,
    deadline: Deadline,
    progress: Progress | None = None,
    look_ahead: int = 10,
) -> Iterator[tuple[int, dict[str, str], str]]:
    """Decode a CSV export, find its header, and yield (line, row, location) for each row,
    reporting progress as `result` fills. A file without the header `result.kind` expects
    raises ImportFormatError saying what it looks like instead."""
    text, _ = decode_text(read_bytes(path))
    found = rows(text, is_header, deadline, look_ahead)
    if found is None:
        raise ImportFormatError(wrong_kind_message(path, result.kind, text))
    _, body = found
    total_lines = text.count("\n") or 1
    for line, row in body:
        if progress is not None and len(result.contacts) % 500 == 0:
            progress(line, total_lines)
        yield line, row, f"{path.name} line {line}"
    if progress is not None:
        progress(total_lines, total_lines)

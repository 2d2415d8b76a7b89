"""Google Contacts CSV ("Google CSV" export), current (2024+) and legacy headers.

Numbered column groups ("E-mail 2 - Value", "Phone 1 - Label") are matched by
name, since how many there are depends on the data; multi-values share a cell
separated by " ::: ". Labels (current) or Group Membership (legacy) become tags,
except Google's own system groups.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from netbalance.interop.common import (
    Deadline,
    IncomingContact,
    Progress,
    ReadResult,
    content_uid,
)
from netbalance.interop.csv_rows import (
    csv_body,
    get,
    header_has,
    make_contact,
    parse_csv_birthday,
    valid_emails,
)

_GROUP = re.compile(r"^(?P<what>[A-Za-z -]+?) (?P<n>\d+) - (?P<part>.+)$")
MULTI = " ::: "
# Google's own groups: every contact is in myContacts; starred is a UI flag.
_SYSTEM_LABELS = {"mycontacts", "starred", "other", "imported"}


def _is_header(cells: list[str]) -> bool:
    current = header_has(cells, "First Name", "Last Name", "Labels")
    legacy = header_has(cells, "Name", "Given Name", "Family Name")
    numbered = any(c.lower().startswith("e-mail 1 - ") for c in cells)
    return (current or legacy) and (numbered or header_has(cells, "Group Membership"))


def _numbered(row: dict[str, str], what: str, part: str) -> list[str]:
    """All values of a numbered group's `part`, in number order, multi-values split."""
    found: list[tuple[int, str]] = []
    for key, value in row.items():
        m = _GROUP.match(key)
        if m and value and m["what"].lower() == what.lower() and m["part"].lower() == part.lower():
            found.append((int(m["n"]), value))
    values: list[str] = []
    for _, value in sorted(found):
        values += [v.strip() for v in value.split(MULTI) if v.strip()]
    return values


def _labels(value: str) -> list[str]:
    tags: list[str] = []
    for label in value.split(MULTI):
        label = label.strip()
        bare = label.lstrip("*").strip()
        if not bare or bare.lower().replace(" ", "") in _SYSTEM_LABELS:
            continue
        if bare.lower().startswith("imported on "):
            continue
        tags.append(bare)
    return tags


def read_google(
    path: Path,
    now: datetime,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read a Google Contacts CSV into incoming contacts."""
    result = ReadResult(kind="google", source=str(path))
    body = csv_body(path, _is_header, result, deadline or Deadline(), progress, look_ahead=3)
    for _line, row, location in body:
        emails = valid_emails(_numbered(row, "E-mail", "Value"), location, result.warnings)
        phones = _numbered(row, "Phone", "Value")
        parts = (
            get(row, "First Name", "Given Name"),
            get(row, "Middle Name", "Additional Name"),
            get(row, "Last Name", "Family Name"),
        )
        given = " ".join(p for p in parts if p)
        company = get(row, "Organization Name") or next(
            iter(_numbered(row, "Organization", "Name")), ""
        )
        role = get(row, "Organization Title") or next(
            iter(_numbered(row, "Organization", "Title")), ""
        )
        name = (
            get(row, "Name")
            or given
            or get(row, "Nickname", "File As")
            or company
            or (emails[0] if emails else "")
            or (phones[0] if phones else "")
        )
        raw_birthday = get(row, "Birthday")
        birthday = parse_csv_birthday(raw_birthday)
        notes = get(row, "Notes")
        if raw_birthday and birthday is None:
            result.warnings.append(
                f"{location}: birthday {raw_birthday!r} is not a date; kept in notes"
            )
            notes = f"{notes}\n\nBirthday: {raw_birthday}".strip()
        contact, skipped = make_contact(
            location,
            uid=content_uid("google", row.values()),
            name=name,
            emails=tuple(emails),
            phones=tuple(phones),
            company=company,
            role=role,
            links=tuple(_numbered(row, "Website", "Value")),
            tags=tuple(_labels(get(row, "Labels", "Group Membership"))),
            birthday=birthday,
            notes=notes,
            created_at=now,
            source="google",
        )
        if skipped is not None:
            result.skipped.append(skipped)
            continue
        assert contact is not None
        result.contacts.append(IncomingContact(contact=contact, location=location))
    return result

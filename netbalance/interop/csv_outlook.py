"""Outlook contacts CSV: Outlook desktop ("Comma Separated Values (Windows)") and outlook.com.

Desktop exports are usually Windows-1252 with CRLF; "0/0/00" means no date. Columns
are matched by name: the desktop, 2003-2016 and outlook.com layouts differ in order
and in a few names, not in the ones read here.
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

# Phone columns worth keeping, best first; faxes, pagers and telex reach a machine.
_PHONE_COLUMNS = (
    "Mobile Phone", "Primary Phone", "Home Phone", "Business Phone", "Home Phone 2",
    "Business Phone 2", "Other Phone", "Car Phone", "Company Main Phone", "Radio Phone",
)  # fmt: skip


def _is_header(cells: list[str]) -> bool:
    return header_has(cells, "First Name", "Last Name", "E-mail Address")


def _categories(value: str) -> list[str]:
    return [c.strip() for c in re.split(r"[;,]", value) if c.strip()]


def read_outlook(
    path: Path,
    now: datetime,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read an Outlook contacts CSV into incoming contacts."""
    result = ReadResult(kind="outlook", source=str(path))
    body = csv_body(path, _is_header, result, deadline or Deadline(), progress, look_ahead=3)
    for _line, row, location in body:
        emails = valid_emails(
            [
                get(row, "E-mail Address"),
                get(row, "E-mail 2 Address"),
                get(row, "E-mail 3 Address"),
            ],
            location,
            result.warnings,
        )
        phones = [get(row, c) for c in _PHONE_COLUMNS if get(row, c)]
        company = get(row, "Company")
        full = " ".join(
            p for p in (get(row, "First Name"), get(row, "Middle Name"), get(row, "Last Name")) if p
        )
        name = (
            full
            or get(row, "Display Name", "E-mail Display Name", "Nickname")
            or company
            or (emails[0] if emails else "")
            or (phones[0] if phones else "")
        )
        raw_birthday = get(row, "Birthday")
        birthday = parse_csv_birthday(raw_birthday)
        notes = get(row, "Notes")
        if raw_birthday and birthday is None and raw_birthday not in ("0/0/00", "0/0/0000"):
            result.warnings.append(
                f"{location}: birthday {raw_birthday!r} is not a date; kept in notes"
            )
            notes = f"{notes}\n\nBirthday: {raw_birthday}".strip()
        web = get(row, "Web Page", "Personal Web Page", "Business Web Page")
        contact, skipped = make_contact(
            location,
            uid=content_uid("outlook", row.values()),
            name=name,
            emails=tuple(emails),
            phones=tuple(phones),
            company=company,
            role=get(row, "Job Title"),
            links=(web,) if web else (),
            tags=tuple(_categories(get(row, "Categories"))),
            birthday=birthday,
            notes=notes,
            created_at=now,
            source="outlook",
        )
        if skipped is not None:
            result.skipped.append(skipped)
            continue
        assert contact is not None
        result.contacts.append(IncomingContact(contact=contact, location=location))
    return result

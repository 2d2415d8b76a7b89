"""LinkedIn's Connections.csv ("Download your data").

Three shapes are in the wild: the current export with a 3-line "Notes:" preamble
and a URL column; the same without the preamble and with spreadsheet dates
("6-Feb-26"); the 2018 export without URL and with US timestamps ("1/8/18, 6:14 PM").
The connection date becomes the contact's first interaction, so cadences start
from when the user actually connected rather than from the import.
"""

from __future__ import annotations

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
    parse_connected_on,
    valid_emails,
)

CONNECTED_NOTE = "Connected on LinkedIn"


def _is_header(cells: list[str]) -> bool:
    return header_has(cells, "First Name", "Last Name") and (
        header_has(cells, "Connected On") or header_has(cells, "Position")
    )


def read_linkedin(
    path: Path,
    now: datetime,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read Connections.csv into incoming contacts with their connection dates."""
    result = ReadResult(kind="linkedin", source=str(path))
    body = csv_body(path, _is_header, result, deadline or Deadline(), progress)
    for _line, row, location in body:
        first, last = get(row, "First Name"), get(row, "Last Name")
        emails = valid_emails([get(row, "Email Address")], location, result.warnings)
        url = get(row, "URL", "Profile URL")
        name = " ".join(p for p in (first, last) if p) or (emails[0] if emails else "")
        raw_date = get(row, "Connected On")
        connected = parse_connected_on(raw_date)
        if raw_date and connected is None:
            result.warnings.append(
                f"{location}: date {raw_date!r} not understood; no first interaction"
            )
        if connected is not None and connected > now:
            connected = None
        contact, skipped = make_contact(
            location,
            uid=content_uid("linkedin", row.values()),
            name=name,
            emails=tuple(emails),
            company=get(row, "Company"),
            role=get(row, "Position"),
            links=(url,) if url else (),
            created_at=now,
            source="linkedin",
        )
        if skipped is not None:
            result.skipped.append(skipped)
            continue
        assert contact is not None
        result.contacts.append(
            IncomingContact(
                contact=contact,
                location=location,
                first_interaction_at=connected,
                first_interaction_note=CONNECTED_NOTE if connected else "",
            )
        )
    if not result.contacts and not result.skipped:
        result.warnings.append(f"{path.name}: the header is there but no connections follow it")
    return result


__all__ = ["CONNECTED_NOTE", "read_linkedin"]

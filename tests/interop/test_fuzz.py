"""Nothing a file can contain crashes an importer: it imports or raises ImportFormatError."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netbalance.interop import IMPORT_KINDS, ImportFormatError, read_import
from netbalance.interop.import_plan import plan_with
from netbalance.store import Store

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)

# Fragments real files are made of, so the fuzzer reaches deep into each parser.
_PIECES = [
    "BEGIN:VCARD",
    "END:VCARD",
    "VERSION:2.1",
    "FN:",
    "N:",
    "EMAIL:",
    "TEL;CELL:",
    "BDAY:",
    "ENCODING=QUOTED-PRINTABLE:",
    "=C3=",
    "=\r\n",
    "item1.",
    "X-NETBALANCE-CIRCLE:",
    "\\n",
    "\\,",
    "BEGIN:VCALENDAR",
    "END:VCALENDAR",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "DTSTART:",
    "DTSTART;TZID=X:",
    "RRULE:FREQ=SECONDLY",
    "20260101T000000Z",
    "20260101",
    "SUMMARY:",
    "UID:",
    "STATUS:CANCELLED",
    "BEGIN:VTIMEZONE",
    "TZOFFSETFROM:+9999",
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    "Notes:",
    "E-mail 1 - Value",
    "Labels",
    '"',
    ",",
    "\n",
    "\r",
    " ",
    ";",
    ":",
    "{",
    "}",
    '"format": "netbalance-export"',
]
_files = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(_PIECES) | st.text(max_size=8), max_size=40).map(
        lambda p: "".join(p).encode("utf-8", "surrogatepass")
    ),
)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=_files, kind=st.sampled_from(IMPORT_KINDS))
def test_importers_never_crash(tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "fuzz.input"
    path.write_bytes(data)
    store = Store.in_memory()
    # read_import, not preview_import: the preview turns any reader bug into a message,
    # and this test is here to find those bugs.
    try:
        plan = plan_with(store, read_import(kind, path, NOW), NOW)
    except ImportFormatError as err:
        assert str(err)
        return
    plan.to_json()
    plan.counts()

"""Detection: every real-world file is named as the kind it is, with the count SOURCES.md gives;
the kind detected is one the reader then accepts; made-up files and folders are told apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netbalance.interop import preview_import
from netbalance.interop.common import ImportFormatError, wrong_kind_message
from netbalance.interop.detect import Detected, detect_import, detect_text
from netbalance.store import Store

from .conftest import NOW, REALWORLD

KIND_BY_FOLDER = {"vcf": "vcard", "ics": "ics"}


def _sources() -> dict[str, int]:
    """File -> the cards or events SOURCES.md counted (the last figure of its table cell)."""
    found: dict[str, int] = {}
    for line in (REALWORLD / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| `((?:vcf|ics)/[^`]+)` \|.*\| [^|]*· (\d+) \| [^|]*\|$", line)
        if m:
            found[m.group(1)] = int(m.group(2))
    return found


def _files() -> list[Path]:
    if not REALWORLD.exists():
        return []
    return sorted(p for p in REALWORLD.rglob("*") if p.is_file() and p.name != "SOURCES.md")


def _expected_kind(path: Path) -> str:
    if path.parent.name in KIND_BY_FOLDER:
        return KIND_BY_FOLDER[path.parent.name]
    return "linkedin" if "linkedin" in path.name else "google"


@pytest.mark.skipif(not REALWORLD.exists(), reason="../shared/fixtures/realworld is absent")
def test_sources_lists_a_count_for_every_vcard_and_calendar() -> None:
    listed = _sources()
    on_disk = {str(p.relative_to(REALWORLD)) for p in _files() if p.suffix in (".vcf", ".ics")}
    assert on_disk and on_disk <= set(listed)


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_every_realworld_file_is_detected_as_its_kind(path: Path) -> None:
    found = detect_import(path)
    assert found.kind == _expected_kind(path), found.describe()
    relative = str(path.relative_to(REALWORLD))
    if path.suffix in (".vcf", ".ics"):
        assert found.count == _sources()[relative]
        assert found.unit == ("cards" if path.suffix == ".vcf" else "events")
    else:
        # Google's two synthetic contacts; LinkedIn's header without its one data row.
        assert (found.count, found.unit) == (
            (0, "rows") if "linkedin" in path.name else (2, "rows")
        )
    # The reader of the kind found reads what was counted; a file holding nothing is
    # refused for that, never pointed at another kind.
    assert found.kind is not None and found.count is not None
    try:
        plan = preview_import(found.kind, path, Store.in_memory(), NOW)
    except ImportFormatError as err:
        assert found.count == 0 and "looks like" not in str(err), err
    else:
        read = len(plan.entries) + len(plan.skipped)
        # A moved or cancelled occurrence (RECURRENCE-ID) is read into its series.
        assert read == found.count if found.unit != "events" else 0 < read <= found.count


@pytest.mark.skipif(not REALWORLD.exists(), reason="../shared/fixtures/realworld is absent")
def test_folders_of_realworld_files() -> None:
    assert detect_import(REALWORLD / "vcf").describe() == "Looks like a folder of vCards (23 files)"
    assert detect_import(REALWORLD / "ics") == Detected("ics", 33, "files", folder=True)
    assert detect_import(REALWORLD / "csv").kind is None


def test_the_description_names_kind_and_count() -> None:
    assert (
        Detected("google", 412, "rows").describe() == "Looks like a Google Contacts CSV (412 rows)"
    )
    assert Detected("vcard", 1, "cards").describe() == "Looks like a vCard file (1 card)"
    assert (
        Detected("ics", 1_204, "events").describe() == "Looks like an iCalendar file (1,204 events)"
    )
    assert Detected(None, why="empty").describe() == "Cannot tell what kind of file this is (empty)"


OUTLOOK = (
    '"Title","First Name","Middle Name","Last Name","Suffix","Company","Job Title",'
    '"Mobile Phone","E-mail Address","Notes"\r\n'
    '"","Ana","","Silva","","Acme","CTO","+351 912 345 678","ana@example.com",""\r\n'
    '"","Bo","","Li","","","","","bo@example.com","two\r\nlines"\r\n'
)
LINKEDIN = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ana,Silva,https://www.linkedin.com/in/ana,,Acme,CTO,22 Dec 2025\n"
    "\n"
)

CARDS = "home.BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nbegin:vcard\nFN:B\nend:vcard\n"
EXPORT = '{"format": "netbalance-export", "version": 1, "contacts": [{}, {}]}'


@pytest.mark.parametrize(
    ("name", "content", "kind", "count"),
    [
        ("contacts.csv", OUTLOOK, "outlook", 2),
        ("Connections.csv", LINKEDIN, "linkedin", 1),
        (
            "cards.txt",
            "home.BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nbegin:vcard\nFN:B\nend:vcard\n",
            "vcard",
            2,
        ),
        ("cal.dat", "\ufeffBEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VEVENT\nEND:VCALENDAR\n", "ics", 1),
        (
            "export.json",
            '{"format": "netbalance-export", "version": 1, "contacts": [{}, {}]}',
            "json",
            2,
        ),
    ],
)
def test_content_decides_not_the_name(
    tmp_path: Path, name: str, content: str, kind: str, count: int
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    assert (detect_import(path).kind, detect_import(path).count) == (kind, count)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("", "not a vCard, calendar"),
        ("name,email\nAna,ana@example.com\n", "not a vCard, calendar"),
        ('{"_meta": {}}', "a copy of a netbalance database"),
        ('{"people": []}', "not a netbalance export"),
        ("{not json", "not valid JSON"),
    ],
)
def test_what_cannot_be_told_says_why(tmp_path: Path, content: str, why: str) -> None:
    path = tmp_path / "file"
    path.write_text(content, encoding="utf-8")
    found = detect_import(path)
    assert found.kind is None and why in found.why


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    assert detect_import(tmp_path / "nope.vcf").kind is None
    assert "no .vcf or .ics" in detect_import(tmp_path).why


def test_wrong_kind_message_uses_the_same_rule() -> None:
    assert detect_text(LINKEDIN) == "linkedin"
    message = wrong_kind_message("c.csv", "google", LINKEDIN)
    assert "looks like a LinkedIn Connections.csv file" in message

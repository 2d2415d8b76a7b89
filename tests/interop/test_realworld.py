"""Each real-world export imports or fails with a clear reason; none yields zero items silently."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.interop import ImportFormatError, apply_import, preview_import
from netbalance.store import Store

from .conftest import REALWORLD

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
KIND_BY_FOLDER = {"vcf": "vcard", "ics": "ics"}


def _files() -> list[Path]:
    if not REALWORLD.exists():
        return []
    return sorted(
        p for p in REALWORLD.rglob("*") if p.is_file() and p.suffix in (".vcf", ".ics", ".csv")
    )


def _kind(path: Path) -> str:
    if path.parent.name in KIND_BY_FOLDER:
        return KIND_BY_FOLDER[path.parent.name]
    return (
        "linkedin" if "linkedin" in path.name else "google" if "google" in path.name else "outlook"
    )


def _declared_items(path: Path) -> int:
    text = path.read_bytes().decode("utf-8", "replace")
    pattern = r"^(?:[\w-]+\.)?BEGIN:VCARD" if path.suffix == ".vcf" else r"^BEGIN:VEVENT"
    return len(re.findall(pattern, text, re.IGNORECASE | re.MULTILINE))


@pytest.mark.skipif(not REALWORLD.exists(), reason="real-world fixtures absent")
@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_imports_or_says_why(path: Path) -> None:
    store = Store.in_memory()
    try:
        plan = preview_import(_kind(path), path, store, NOW)
    except ImportFormatError as err:
        message = str(err)
        assert path.name in message and len(message) > len(path.name) + 20
        assert _declared_items(path) == 0 or "cannot be read" in message
        return
    declared = _declared_items(path)
    accounted = sum(plan.counts().values())
    if declared:
        # Each card/event is imported, merged, or listed as skipped with a reason: never lost.
        assert accounted >= 1, plan.to_json()
        for skip in plan.skipped:
            assert skip.location and skip.reason
    else:
        assert accounted or plan.warnings, "an empty file must say it is empty"
    apply_import(store, plan)
    assert not preview_import(_kind(path), path, store, NOW).changes_anything


@pytest.mark.skipif(not REALWORLD.exists(), reason="real-world fixtures absent")
def test_the_whole_vcard_folder_as_a_vdir() -> None:
    store = Store.in_memory()
    plan = preview_import("vcard", REALWORLD / "vcf", store, NOW)
    counts = plan.counts()
    assert counts["new"] >= 15
    assert counts["skipped"] == 1  # sabre_issue64.vcf holds only a photo
    apply_import(store, plan)

"""Interop: vCard, iCalendar, CSV and JSON readers and writers. No UI.

The import screen and the CLI use three calls:

    plan = preview_import("vcard", path, store, now, progress=cb)   # reads, plans, writes nothing
    plan.counts(), plan.entries, plan.skipped, plan.warnings       # show the preview
    apply_import(store, plan, progress=cb)                          # one all-or-nothing write

A netbalance JSON export previewed against an empty store plans a full restore
(`plan.restore` is set, `plan.summary()` starts "full restore: ..."); against a store
that holds data it merges. `preview_import` raises `ImportFormatError` (a message for
the user) when the file as a whole cannot be imported as KIND; everything smaller is in
the plan.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from netbalance.domain.text import clean_line
from netbalance.interop.common import (
    Deadline,
    ImportFormatError,
    Progress,
    ReadResult,
    Skipped,
    clipped_warning,
    counting_clips,
)
from netbalance.interop.import_plan import (
    ImportOutcome,
    ImportPlan,
    ImportTarget,
    PlanEntry,
    Restore,
    RestoreTarget,
    apply_plan,
    plan_with,
)

IMPORT_KINDS = ("vcard", "linkedin", "google", "outlook", "ics", "json")
EXPORT_KINDS = ("vcard", "ics", "json")


def read_import(
    kind: str,
    path: Path,
    now: datetime,
    *,
    default_tz: str = "UTC",
    progress: Progress | None = None,
    deadline: Deadline | None = None,
) -> ReadResult:
    """Read `path` as `kind` into incoming records, without looking at the database.

    Fields longer than netbalance keeps are cut, and the result says how many."""
    with counting_clips() as cut:
        result = _read(kind, Path(path), now, default_tz, progress, deadline or Deadline())
    if cut[0]:
        result.warnings.append(clipped_warning(cut[0]))
    return result


def _read(
    kind: str,
    path: Path,
    now: datetime,
    default_tz: str,
    progress: Progress | None,
    deadline: Deadline,
) -> ReadResult:
    if kind == "vcard":
        from netbalance.interop.vcard import read_vcard

        return read_vcard(path, now, deadline, progress)
    if kind == "linkedin":
        from netbalance.interop.csv_linkedin import read_linkedin

        return read_linkedin(path, now, deadline, progress)
    if kind == "google":
        from netbalance.interop.csv_google import read_google

        return read_google(path, now, deadline, progress)
    if kind == "outlook":
        from netbalance.interop.csv_outlook import read_outlook

        return read_outlook(path, now, deadline, progress)
    if kind == "ics":
        from netbalance.interop.ics import read_ics

        return read_ics(path, now, default_tz=default_tz, deadline=deadline, progress=progress)
    if kind == "json":
        from netbalance.interop.json_backup import read_json

        return read_json(path, now, deadline, progress)
    raise ImportFormatError(f"unknown import kind {kind!r}; use one of {', '.join(IMPORT_KINDS)}")


def preview_import(
    kind: str,
    path: Path,
    target: ImportTarget,
    now: datetime,
    *,
    default_tz: str = "UTC",
    progress: Progress | None = None,
) -> ImportPlan:
    """Read and plan an import: counts and per-item outcomes; nothing is written.

    Any unexpected failure inside a reader becomes an ImportFormatError naming the
    file, so no file can crash the caller.
    """
    deadline = Deadline()
    try:
        result = read_import(
            kind, path, now, default_tz=default_tz, progress=progress, deadline=deadline
        )
    except ImportFormatError:
        raise
    except (RecursionError, MemoryError) as err:
        raise ImportFormatError(f"{path}: too complex to read ({type(err).__name__})") from None
    except Exception as err:  # a reader bug must not take the app down with it
        raise ImportFormatError(
            f"{path}: could not be read as {kind} ({type(err).__name__}: {err})"
        ) from None
    # Warnings quote the file (a name, a line that could not be read): shown as text.
    result.warnings = [clean_line(w) for w in result.warnings]
    if not result.item_count and not result.skipped:
        # One answer for every kind: a header-only CSV, a calendar without events and a
        # folder without cards all hold nothing to import (exit 1, nothing written).
        why = "; ".join(w.removeprefix(f"{Path(path).name}: ") for w in result.warnings)
        raise ImportFormatError(f"{path}: found nothing to import" + (f" ({why})" if why else ""))
    return plan_with(target, result, now)


def apply_import(
    target: ImportTarget, plan: ImportPlan, progress: Progress | None = None
) -> ImportOutcome:
    """Write a previewed plan in one all-or-nothing transaction (a restore or a merge)."""
    return apply_plan(target, plan, progress)


__all__ = [
    "EXPORT_KINDS",
    "IMPORT_KINDS",
    "ImportFormatError",
    "ImportOutcome",
    "ImportPlan",
    "ImportTarget",
    "PlanEntry",
    "ReadResult",
    "Restore",
    "RestoreTarget",
    "Skipped",
    "apply_import",
    "preview_import",
    "read_import",
]

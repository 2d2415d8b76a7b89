"""The backups of one database file: named after it, in `backups/` beside it.

`work.json` is backed up as `backups/work-2026-03-02.json` (a daily copy) and
`backups/work-2026-03-02-before-restore-120301.json` (a labelled one, kept until the
user deletes it), so two databases in one folder never share or rotate away each
other's backups. The default `netbalance.json` keeps the names it always had.

This module only names, finds and describes backups; the engine writes them under
its lock (engine.py), and `netbalance restore` brings one back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from netbalance.store.migrations import SCHEMA_VERSION

BACKUPS_KEPT = 7
# Tables a netbalance database may hold; a file with none of them (and no _meta) is
# not one.
KNOWN_TABLES = frozenset(
    {"_meta", "contacts", "interactions", "events", "goals", "settings", "weekly"}
)
COUNTED = ("contacts", "interactions", "events", "goals")


class BackupSet:
    """Where the backups of the database at `db` live, and which files are its."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.folder = db.parent / "backups"
        self._stem, self._suffix = db.stem, db.suffix
        # A label starts with a letter, so another database called `work-2026-01-01.json`
        # never has its backups taken for labelled ones of `work.json`.
        self._pattern = re.compile(
            rf"{re.escape(self._stem)}-(\d{{4}}-\d{{2}}-\d{{2}})(?:-([a-z][a-z0-9-]*))?"
            rf"{re.escape(self._suffix)}\Z"
        )

    def path_for(self, day: str, label: str | None = None) -> Path:
        """The backup of `day` (YYYY-MM-DD), with an optional label (`before-restore-...`)."""
        return self.folder / f"{self._stem}-{day}{'-' + label if label else ''}{self._suffix}"

    def _matches(self) -> list[tuple[Path, re.Match[str]]]:
        if not self.folder.is_dir():
            return []
        found = []
        for p in self.folder.iterdir():
            m = self._pattern.match(p.name)
            if m is not None and p.is_file():
                found.append((p, m))
        return found

    def all(self) -> list[Path]:
        """This database's backups, newest first."""

        def newest(p: Path) -> tuple[float, str]:
            try:
                return (p.stat().st_mtime, p.name)
            except OSError:
                return (0.0, p.name)

        return sorted((p for p, _ in self._matches()), key=newest, reverse=True)

    def daily(self) -> list[Path]:
        """The daily (unlabelled) backups, oldest first."""
        return [p for p, m in sorted(self._matches(), key=lambda pm: pm[1][1]) if not m[2]]

    def stale_daily(self, kept: int = BACKUPS_KEPT) -> list[Path]:
        """Daily backups past the newest `kept`: the ones rotation removes."""
        return self.daily()[:-kept] if kept else self.daily()

    def is_temp(self, path: Path) -> bool:
        """A temp file a backup of this database left when it was killed mid-write."""
        return path.name.startswith(f".{self.db.name}.tmp-")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, read without trusting it: counts, or why it cannot be used."""

    path: Path
    size: int
    modified: datetime
    counts: dict[str, int] = field(default_factory=dict)
    schema_version: int | None = None
    database_id: str | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "size": self.size,
            "modified": self.modified.isoformat(),
            "counts": self.counts,
            "schema_version": self.schema_version,
            "problem": self.problem,
        }


def describe(path: Path) -> BackupInfo:
    """Read a backup enough to list it: its size, date and record counts.

    Never raises for a bad file: the problem is in the result. Full validation (every
    record decoded) happens only when a backup is restored.
    """
    try:
        st = path.stat()
        raw = path.read_bytes()
    except OSError as err:
        return BackupInfo(path, 0, datetime.fromtimestamp(0, UTC), problem=err.strerror)
    modified = datetime.fromtimestamp(st.st_mtime, UTC)
    problem = None
    data: Any = None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        problem = "it is not valid JSON"
    if problem is None:
        problem = not_a_database(data)
    if problem is not None:
        return BackupInfo(path, st.st_size, modified, problem=problem)
    meta = data.get("_meta", {}).get("1", {})
    version = meta.get("schema_version", 0) if isinstance(meta, dict) else None
    db_id = meta.get("database_id") if isinstance(meta, dict) else None
    if type(version) is not int or version < 0:
        problem = f"its schema_version is {version!r}, not a version number"
    elif version > SCHEMA_VERSION:
        problem = (
            f"it was written by a newer netbalance (schema version {version}; this netbalance "
            f"reads versions up to {SCHEMA_VERSION})"
        )
    counts = {name: len(data[name]) if isinstance(data.get(name), dict) else 0 for name in COUNTED}
    return BackupInfo(
        path,
        st.st_size,
        modified,
        counts,
        version if type(version) is int else None,
        db_id if isinstance(db_id, str) else None,
        problem,
    )


def not_a_database(data: Any) -> str | None:
    """Why parsed JSON is not a netbalance database file, or None."""
    if isinstance(data, dict) and data.get("format") == "netbalance-export":
        return "it is a netbalance export, not a database file (use `netbalance import json`)"
    if not isinstance(data, dict) or not data or not set(data) & KNOWN_TABLES:
        return "it is not a netbalance database (none of its tables are there)"
    return None

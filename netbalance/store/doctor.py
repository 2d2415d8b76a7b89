"""`netbalance doctor`: a full check of the database file, without changing it.

Opening already refuses damaged and newer files; the doctor goes further:
every record through the validating constructors, references between records,
file permissions, and the backups.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netbalance.domain import DomainError
from netbalance.store import codec
from netbalance.store.errors import StoreError
from netbalance.store.migrations import UID_TABLES
from netbalance.store.store import CONTACTS, EVENTS, GOALS, INTERACTIONS, Store


@dataclass
class Report:
    """What the doctor found: problems (fatal or not) and facts."""

    path: Path
    problems: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    fatal: bool = False

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "healthy": self.healthy,
            "problems": self.problems,
            **self.facts,
        }

    def lines(self) -> list[str]:
        out = [f"Database: {self.path}"]
        for key, value in self.facts.items():
            out.append(f"  {key.replace('_', ' ')}: {value}")
        if self.healthy:
            out.append("Healthy: no problems found.")
        else:
            out.append(f"{len(self.problems)} problem(s):")
            out.extend(f"  - {p}" for p in self.problems)
        return out


def check(path: Path) -> Report:
    """Check the database at `path`; never writes to it."""
    report = Report(path)
    if not path.exists():
        report.problems.append(f"{path} does not exist (run netbalance once to create it)")
        report.fatal = True
        return report
    try:
        store = Store.open(path)
    except StoreError as err:
        report.problems.append(str(err))
        report.fatal = True
        return report
    try:
        _check_records(store, report)
        _check_files(store, report)
    finally:
        store.close()
    return report


def _check_records(store: Store, report: Report) -> None:
    raw = store.raw_tables()
    decoders = {
        CONTACTS: codec.validate_contact_doc,
        INTERACTIONS: codec.validate_interaction_doc,
        EVENTS: codec.event_from_doc,
        GOALS: codec.goal_from_doc,
    }
    for table, decode in decoders.items():
        for key, doc in raw.get(table, {}).items():
            try:
                decode(int(key), dict(doc))
            except (DomainError, KeyError, TypeError, ValueError) as err:
                report.problems.append(f"{table} record {key} is not valid: {err}")
    contacts = {int(k) for k in raw.get(CONTACTS, {})}
    events = {int(k) for k in raw.get(EVENTS, {})}
    goals = {int(k) for k in raw.get(GOALS, {})}
    for key, doc in raw.get(INTERACTIONS, {}).items():
        for cid in doc.get("contacts", ()):
            if cid not in contacts:
                report.problems.append(f"interaction {key} refers to a missing contact {cid}")
        if doc.get("event") is not None and doc["event"] not in events:
            report.problems.append(f"interaction {key} refers to a missing event {doc['event']}")
    for key, doc in raw.get(CONTACTS, {}).items():
        for gid in doc.get("goals", ()):
            if gid not in goals:
                report.problems.append(f"contact {key} refers to a missing goal {gid}")
        met = doc.get("met_at")
        if met is not None and met not in events:
            report.problems.append(f"contact {key} refers to a missing event {met}")
    for key, doc in raw.get(EVENTS, {}).items():
        for gid in doc.get("goals", ()):
            if gid not in goals:
                report.problems.append(f"event {key} refers to a missing goal {gid}")
        for cid in doc.get("met", ()):
            if cid not in contacts:
                report.problems.append(f"event {key} refers to a missing contact {cid}")
    _check_uids(raw, report)
    report.facts.update(
        contacts=len(contacts),
        interactions=len(raw.get(INTERACTIONS, {})),
        events=len(events),
        goals=len(goals),
    )


def _check_uids(raw: Mapping[str, Mapping[str, Mapping[str, Any]]], report: Report) -> None:
    """Each record's uid names it alone: two contacts (or events...) sharing one, or one
    without any, would be taken for each other by an import or a sync."""
    for table in UID_TABLES:
        owner: dict[str, str] = {}
        for key, doc in raw.get(table, {}).items():
            uid = doc.get("uid")
            if not isinstance(uid, str) or not uid:
                report.problems.append(f"{table} record {key} has no uid")
            elif uid in owner:
                report.problems.append(
                    f"{table} records {owner[uid]} and {key} share the uid {uid!r}"
                )
            else:
                owner[uid] = key


def _check_files(store: Store, report: Report) -> None:
    engine = store.engine
    path = store.path
    if path is None:
        return
    for p in (path, path.with_name(path.name + ".journal")):
        if p.exists():
            mode = stat.S_IMODE(p.stat().st_mode)
            if mode & 0o077:
                report.problems.append(
                    f"{p} can be read by other users (mode {mode:o}); run: chmod 600 {p}"
                )
    backups = engine.backups() if hasattr(engine, "backups") else []
    report.facts["backups"] = len(backups)
    report.facts["newest_backup"] = str(backups[0]) if backups else None
    if not backups:
        report.problems.append(
            "no backups yet (one is made the first time netbalance opens each day)"
        )

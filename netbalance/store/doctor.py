"""`netbalance doctor`: a full check of the database file, without changing it.

Opening already refuses damaged and newer files; the doctor goes further:
every record through the validating constructors, references between records,
file permissions, whether netbalance can save there, journal lines dropped after
crashes, and the backups. It opens the file read-only: no fold, no backup, no
repair, not even a lock file is written.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netbalance.domain import DomainError
from netbalance.store import codec
from netbalance.store.backups import BackupSet
from netbalance.store.engine import FileEngine
from netbalance.store.errors import StoreError
from netbalance.store.files import cannot_write_reason, real_path
from netbalance.store.journal import dropped_path, read_dropped
from netbalance.store.migrations import UID_TABLES
from netbalance.store.store import CONTACTS, EVENTS, GOALS, INTERACTIONS, Store


@dataclass
class Report:
    """What the doctor found: problems (fatal or not), notices and facts."""

    path: Path
    problems: list[str] = field(default_factory=list)
    # Worth knowing, not wrong: the file is still healthy.
    notices: list[str] = field(default_factory=list)
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
            "notices": self.notices,
            **self.facts,
        }

    def lines(self) -> list[str]:
        out = [f"Database: {self.path}"]
        for key, value in self.facts.items():
            out.append(f"  {key.replace('_', ' ')}: {value}")
        out.extend(f"Note: {n}" for n in self.notices)
        if self.healthy:
            out.append("Healthy: no problems found.")
        else:
            out.append(f"{len(self.problems)} problem(s):")
            out.extend(f"  - {p}" for p in self.problems)
        return out


def check(path: Path) -> Report:
    """Check the database at `path`; never writes to it, its journal or its folder."""
    report = Report(path)
    if not path.exists():
        report.problems.append(f"{path} does not exist (run netbalance once to create it)")
        report.fatal = True
        return report
    real = real_path(path)
    if real != path:
        report.facts["file"] = str(real)
    try:
        engine = FileEngine(path, read_only=True)
        store = Store(engine)
    except StoreError as err:
        report.problems.append(str(err))
        report.fatal = True
        _check_dropped(real, report)
        _check_backups(BackupSet(real), report)
        return report
    try:
        _check_records(store, report)
        _check_files(engine, report)
        _check_journal(engine, report)
        _check_dropped(real, report)
        _check_backups(engine.backup_set, report)
    finally:
        store.close()
    return report


def _check_records(store: Store, report: Report) -> None:
    raw = store.raw_tables()
    decoders = {
        CONTACTS: codec.validate_contact_doc,
        INTERACTIONS: codec.validate_interaction_doc,
        EVENTS: codec.validate_event_doc,
        GOALS: codec.validate_goal_doc,
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


def _check_files(engine: FileEngine, report: Report) -> None:
    report.facts["database_id"] = engine.database_id or "none yet (given at the next open)"
    for p in (engine.path, engine.journal_path):
        if p.is_file():
            mode = stat.S_IMODE(p.stat().st_mode)
            if mode & 0o077:
                report.problems.append(
                    f"{p} can be read by other users (mode {mode:o}); run: chmod 600 {p}"
                )


def _check_journal(engine: FileEngine, report: Report) -> None:
    """Writes that wait in the journal, whether they can ever be folded, a torn end."""
    pending = engine.pending_writes()
    reason = cannot_write_reason(engine.path, engine.journal_path)
    if reason is not None:
        waiting = (
            f"; {pending} saved write(s) wait in the journal and cannot be folded into the "
            f"file until then"
            if pending
            else ""
        )
        report.problems.append(f"netbalance cannot save to {engine.path}: {reason}{waiting}")
    if engine.unfinished_tail:
        report.notices.append(
            f"the journal ends with an unfinished write ({engine.unfinished_tail} bytes, never "
            f"acknowledged); the next netbalance to open the file drops it and keeps its "
            f"bytes in {dropped_path(engine.path)}"
        )


def _check_dropped(path: Path, report: Report) -> None:
    """Journal lines dropped at earlier opens (kept, with their bytes, in a sidecar)."""
    records = read_dropped(path)
    if not records:
        return
    where = dropped_path(path)
    unfinished = [r for r in records if r.get("kind") == "unfinished"]
    bad = [r for r in records if r.get("kind") != "unfinished"]
    if unfinished:
        report.notices.append(
            f"{len(unfinished)} unfinished write(s) were dropped from the journal after a "
            f"crash (the last at {unfinished[-1].get('at')}); none had been acknowledged. "
            f"Their bytes are kept in {where}"
        )
    if bad:
        report.problems.append(
            f"{len(bad)} complete journal line(s) failed their checksum and were dropped (the "
            f"last at {bad[-1].get('at')}); one may have been a saved write. Their bytes are "
            f"kept in {where} (one JSON record a line, the line in base64); once you have "
            f"looked, delete that file"
        )


def _check_backups(backups: BackupSet, report: Report) -> None:
    found = backups.all()
    report.facts["backups"] = len(found)
    report.facts["newest_backup"] = str(found[0]) if found else None
    if not found:
        report.problems.append(
            "no backups yet (one is made the first time netbalance opens each day)"
        )

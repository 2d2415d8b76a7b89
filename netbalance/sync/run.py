"""One sync run: the command before, read and plan, write the files, apply, the command after.

The order is what keeps both sides whole if the run is killed at any point. Files
are written first (each atomically), then the database's changes and the new sync
state in one transaction: killed in between, the next run finds files that say what
the database already says, merges them without a conflict, and completes. The write
lock is held only for that transaction; reading and planning happen outside it, and
every record change is applied field by field against the record as the plan read
it, so an edit another process made meanwhile is never overwritten (that item waits
for the next sync instead).
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from netbalance.config import AppConfig
from netbalance.domain import Contact
from netbalance.domain.health import next_due
from netbalance.domain.identity import uid_key
from netbalance.domain.sync import SyncWrite
from netbalance.store import Store
from netbalance.store.sync_state import bucket_of, same_doc
from netbalance.sync.report import CALENDAR, CONTACTS, Followup, Report
from netbalance.sync.vdir import (
    CALENDAR_SUFFIX,
    CONTACTS_SUFFIX,
    FSYNC_EACH_UP_TO,
    RACY_NS,
    FolderProblem,
    Stats,
    check_folder,
    flush,
    folder_mark,
    remove_item,
    scan,
    stat_folder,
    write_item,
)

if TYPE_CHECKING:
    from netbalance.sync.plan import Plan

# The marks' list of the buckets whose files the last sync wrote too recently to trust.
RACY = "racy"
# Follow-ups due within this many days (and overdue ones) are written as to-dos.
FOLLOWUPS_WITHIN = timedelta(days=30)
# The command before and after gets this long (vdirsyncer against a slow server).
COMMAND_SECONDS = 600


class SyncError(Exception):
    """A sync that could not run or finish; the message says why and what to do."""


class SyncSetupError(SyncError):
    """The sync cannot start or finish: a folder or the settings said no."""


class SyncCommandFailed(SyncSetupError):
    """The command run before or after the sync (vdirsyncer) failed or could not run."""


class SyncDatabaseFailed(SyncError):
    """The database could not be read or written; the vdir files written are whole."""


@dataclass(frozen=True)
class SyncSettings:
    """Where the vdirs are and what to run around the sync (config.toml's [sync])."""

    contacts: Path | None = None
    calendar: Path | None = None
    command: str = ""

    @property
    def configured(self) -> bool:
        """Whether config.toml names at least one folder (else there is nothing to sync)."""
        return self.contacts is not None or self.calendar is not None


@dataclass
class SyncResult:
    """What one run did: its report and counts (written files, store writes)."""

    report: Report
    files_written: int = 0
    files_removed: int = 0
    records_changed: int = 0
    dry_run: bool = False
    commands: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "files_written": self.files_written,
            "files_removed": self.files_removed,
            "records_changed": self.records_changed,
            **self.report.as_dict(),
        }

    def summary(self) -> str:
        """One line for a status bar: what changed, on which side, and what needs a look."""
        r = self.report
        verb = "Would sync" if self.dry_run else "Synced"
        done: list[str] = []
        if self.files_written or self.files_removed:
            files = f"{self.files_written} file{'s' * (self.files_written != 1)} written"
            if self.files_removed:
                files += f", {self.files_removed} removed"
            done.append(files)
        if self.records_changed:
            n = self.records_changed
            done.append(f"{n} record{'s' * (n != 1)} changed here")
        text = f"{verb}: {', '.join(done) if done else 'nothing to do'}"
        notes = [
            (len(r.conflicts), "conflict", "conflicts", " (the other value is in the notes)"),
            (len(r.archived), "deleted elsewhere", "deleted elsewhere", ", archived"),
            (len(r.recreated), "written again", "written again", ""),
            (len(r.broken), "file skipped", "files skipped", ""),
            (len(r.refused) + len(r.waiting), "waiting", "waiting", " for the next sync"),
        ]
        for count, one, many, tail in notes:
            if count:
                text += f" · {count} {one if count == 1 else many}{tail}"
        return text


def run_command(command: str, when: str) -> str:
    """Run the configured command (e.g. `vdirsyncer sync`); its output, or why it failed."""
    try:
        done = subprocess.run(
            shlex.split(command),
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=False,
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as err:
        raise SyncCommandFailed(
            f"the sync command {command!r} ({when}) could not run: {err}"
        ) from err
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        said = "; ".join(tail) or "no output"
        raise SyncCommandFailed(
            f"the sync command {command!r} ({when}) failed with exit code {done.returncode}: {said}"
        )
    return done.stdout


def _local_time(store: Store, now: datetime) -> datetime:
    """When the database last changed: the latest change here can be no later."""
    path = store.path
    if path is None:
        return now.astimezone(UTC)
    times = []
    for p in (path, path.with_name(path.name + ".journal")):
        try:
            times.append(p.stat().st_mtime)
        except OSError:
            continue
    return datetime.fromtimestamp(max(times), UTC) if times else now.astimezone(UTC)


def due_followups(store: Store, now: datetime) -> list[Followup]:
    """Contacts due within FOLLOWUPS_WITHIN (overdue ones too), by the one next-due rule."""
    settings = store.settings()
    last = store.last_interactions()
    steps = store.next_steps()
    horizon = (now + FOLLOWUPS_WITHIN).date()
    out: list[Followup] = []
    for c in store.contacts():
        if not c.uid:
            continue
        due = next_due(c, last.get(c.id), settings, now, steps.get(c.id))
        if due is not None and due <= horizon:
            out.append(Followup(c, due, _step_text(store, c)))
    return out


def _step_text(store: Store, contact: Contact) -> str:
    if store.next_step_of(contact.id) is None:
        return ""
    found = store.interactions_of(contact.id)
    return found[-1].next_step if found else ""


def sync(
    store: Store,
    settings: SyncSettings,
    now: datetime,
    *,
    dry_run: bool = False,
    before_apply: Callable[[Plan], None] | None = None,
) -> SyncResult:
    """One two-way sync of `store` with the two vdir folders (see the module docstring).

    Raises SyncSetupError (nothing written) for a folder or command that cannot be used,
    StoreError for a database that cannot be written. `before_apply` is for tests.
    """
    folders: dict[str, Path] = {}
    for what, path in ((CONTACTS, settings.contacts), (CALENDAR, settings.calendar)):
        if path is not None:
            folders[what] = path
    if not folders:
        raise SyncSetupError(
            "no vdir folders to sync: set contacts and calendar under [sync] in config.toml"
        )
    commands: list[str] = []
    if settings.command and not dry_run:
        run_command(settings.command, "before the sync")
        commands.append("before")
    try:
        for what, path in folders.items():
            check_folder(path, what)
    except FolderProblem as err:
        raise SyncSetupError(str(err)) from err
    store.refresh()
    # Both sides as the last sync left them (the tables' mark, each folder's files and
    # their stats, the day the follow-ups due were counted on): nothing to do, and
    # nothing else read.
    planned_on = store.tables_mark()
    stats = {what: stat_folder(path, _suffix(what)) for what, path in folders.items()}
    marks = _marks(stats, now)
    recorded_tables, recorded = store.sync_marks()
    recorded_marks = {k: v for k, v in recorded.items() if k not in ("at", RACY)}
    # The buckets of files the last sync wrote itself too close to its end to trust
    # their stats: read again (vdir.RACY_NS), the rest as that sync left it.
    racy = frozenset(int(b) for b in recorded.get(RACY, ()))
    if recorded_tables == planned_on and recorded_marks == marks and not racy:
        result = SyncResult(Report(), dry_run=dry_run, commands=commands)
        if settings.command and not dry_run:
            run_command(settings.command, "after the sync")
            commands.append("after")
        return result
    # Something changed: the planner, and with it the vCard and iCalendar code.
    from netbalance.sync.plan import Inputs, plan_sync

    # Only records changed since a settled sync, no file: the buckets of those records
    # (and of the people whose follow-ups they move) are planned, the others left alone.
    buckets = None
    if recorded_marks == marks:
        buckets = _changed_buckets(store, store.sync_bucket_marks(), store.table_marks(), racy)
    entries = store.sync_entries(buckets)
    if buckets is not None and store.sync_state_problem:
        # A part missing or damaged: every file is looked at, every item met by uid.
        buckets = None
        entries = store.sync_entries()
    known: dict[str, dict[str, object]] = {CONTACTS: {}, CALENDAR: {}}
    for e in entries:
        if e.file:
            known[CONTACTS if e.kind == "contact" else CALENDAR][e.file] = e
    # Files modified close to when the last sync looked are read again (vdir.RACY_NS).
    trusted_before = int(recorded.get("at", 0)) - RACY_NS
    looked_at = stats
    if buckets is not None:
        # Every file as the last sync left it: only those of the entries read matter.
        looked_at = {w: {n: s[n] for n in known[w] if n in s} for w, s in stats.items()}
    seen = {
        what: scan(path, _suffix(what), known[what], now, looked_at[what], trusted_before)  # type: ignore[arg-type]
        for what, path in folders.items()
    }

    def read_file(folder: str, name: str) -> bytes | None:
        try:
            return (folders[folder] / name).read_bytes()
        except (OSError, KeyError):
            return None

    inputs = Inputs(
        tables=store.raw_tables(),
        entries=[e for e in entries if _folder_of(e.kind) in folders],
        contacts=seen.get(CONTACTS, {}),
        calendar=seen.get(CALENDAR, {}),
        followups=due_followups(store, now) if CALENDAR in folders else [],
        now=now,
        local_time=_local_time(store, now),
        read_file=read_file,
        buckets=buckets,
    )
    plan = plan_sync(inputs)
    if store.sync_state_problem:
        plan.report.broken.append(
            f"{store.sync_state_problem}: every item was met afresh, by uid, as at a first sync"
        )
    _drop_unsynced(plan, folders)
    result = SyncResult(plan.report, dry_run=dry_run, commands=commands)
    result.records_changed = sum(1 for w in plan.writes if w.action != "none")
    if dry_run:
        result.files_written = sum(1 for f in plan.files if f.data is not None)
        result.files_removed = sum(1 for f in plan.files if f.data is None)
        return result
    writes, written = _write_files(plan, folders, result, stats)
    if before_apply is not None:
        before_apply(plan)
    # A sync that leaves something for the next (a broken file to report again, an item
    # waiting), or a folder with a file modified too recently to trust its stat, records
    # no marks: the next one looks at every item.
    looked = time.time_ns()
    r = plan.report
    # Files this sync wrote may be that recent: their buckets are recorded, and the next
    # sync reads those files again; any other file that recent, no marks.
    recent = [
        (what, name)
        for what, found in stats.items()
        for name, (_size, mtime) in found.items()
        if mtime >= looked - RACY_NS
    ]
    settled = not (r.broken or r.waiting or r.refused) and all(f in written for f in recent)
    racy_now = sorted({written[f] for f in recent if f in written})
    marks_moved = (recorded_tables, recorded_marks, sorted(racy)) != (planned_on, marks, racy_now)
    if writes or (settled and marks_moved):
        outcome = store.apply_sync(
            writes,
            planned_on=planned_on if settled else "",
            marks={**_marks(stats, now), "at": looked, RACY: racy_now}
            if settled
            else {"at": looked},
            buckets=buckets,
        )
        for write, why in outcome.refused:
            plan.report.refused.append(f"{write.kind} {write.uid}: {why} Synced next time.")
        result.records_changed = sum(1 for w in outcome.applied if w.action != "none")
    if settings.command:
        run_command(settings.command, "after the sync")
        commands.append("after")
    return result


def _changed_buckets(
    store: Store, recorded: Mapping[str, str], now: Mapping[str, str], racy: frozenset[int]
) -> frozenset[int] | None:
    """The buckets (store.sync_state.bucket_of) a sync must look at when only records
    changed since the last settled sync: those whose records changed, those of the people
    the interactions among them name (their follow-ups' due days move), and the buckets
    of a merged contact's other uids. None: look at everything (no marks by bucket, a
    setting or a record without a uid changed)."""
    if not recorded:
        return None
    changed = {k for k in {*recorded, *now} if recorded.get(k) != now.get(k)}
    if not (changed or racy) or not all(k.isdigit() for k in changed):
        return None
    dirty = {int(k) for k in changed} | racy
    tables = store.raw_tables()
    contacts = tables.get("contacts", {})
    # The interactions that changed (added, edited, deleted here): their people, before
    # and after.
    bases = {uid_key(e.uid): e.base for e in store.sync_entries(dirty) if e.kind == "interaction"}
    linked: set[int] = set()
    for doc in tables.get("interactions", {}).values():
        uid = doc.get("uid")
        if uid and bucket_of(uid) in dirty:
            was = bases.pop(uid_key(uid), None)
            if was is None or not same_doc(was, doc):
                linked.update(doc.get("contacts", ()))
                linked.update(was.get("contacts", ()) if was is not None else ())
    for was in bases.values():
        linked.update(was.get("contacts", ()))
    for cid in linked:
        person = contacts.get(str(cid))
        if person is not None and person.get("uid"):
            dirty.add(bucket_of(person["uid"]))
    # A contact and its other uids (a merge) are planned together.
    groups = [
        {bucket_of(u) for u in (doc["uid"], *doc["aliases"]) if u}
        for doc in contacts.values()
        if doc.get("aliases") and doc.get("uid")
    ]
    grew = True
    while grew:
        grew = False
        for group in groups:
            if group & dirty and not group <= dirty:
                dirty |= group
                grew = True
    return frozenset(dirty)


def _folder_of(kind: str) -> str:
    return CONTACTS if kind == "contact" else CALENDAR


def _suffix(folder: str) -> str:
    return CONTACTS_SUFFIX if folder == CONTACTS else CALENDAR_SUFFIX


def _marks(stats: Mapping[str, Stats], now: datetime) -> dict[str, str]:
    """What a sync records of the folders (and of the day: the follow-ups due move with
    it) to know, next time, that nothing changed there."""
    return {"day": now.date().isoformat(), **{w: folder_mark(s) for w, s in stats.items()}}


def _drop_unsynced(plan: Plan, folders: Mapping[str, Path]) -> None:
    """Only one folder set: nothing is written to the other (its files stay as they are)."""
    plan.files = [f for f in plan.files if f.folder in folders]


def _write_files(
    plan: Plan, folders: Mapping[str, Path], result: SyncResult, stats: Mapping[str, Stats]
) -> tuple[list[SyncWrite], dict[tuple[str, str], int]]:
    """Write and remove the plan's files; the store writes with each file's stat in its
    entry, and the files written that an entry names, with its bucket. `stats` (each
    folder's files) is kept up to date with what is written."""
    writes = list(plan.writes)
    written: dict[tuple[str, str], int] = {}
    touched: set[str] = set()
    each = sum(1 for op in plan.files if op.data is not None) <= FSYNC_EACH_UP_TO
    for op in plan.files:
        folder = folders[op.folder]
        touched.add(op.folder)
        try:
            if op.data is None:
                remove_item(folder, op.name)
                stats[op.folder].pop(op.name, None)
                result.files_removed += 1
                continue
            size, mtime = write_item(folder, op.name, op.data, durable=each)
            stats[op.folder][op.name] = (size, mtime)
        except OSError as err:
            raise SyncSetupError(
                f"{folder / op.name}: cannot be written ({err.strerror}); "
                "the database was not changed"
            ) from err
        result.files_written += 1
        if op.write is not None:
            w = writes[op.write]
            if w.entry is not None:
                entry = dataclasses.replace(w.entry, size=size, mtime_ns=mtime)
                writes[op.write] = dataclasses.replace(w, entry=entry)
                if entry.file == op.name:
                    written[(op.folder, op.name)] = bucket_of(entry.uid)
    for what in touched:
        flush(folders[what], data_synced=each)
    return writes, written


def sync_now(store: Store, settings: SyncSettings, now: datetime) -> SyncResult:
    """One sync as the app runs it ("Data: sync now"); no Textual, no printing.

    `result.summary()` is the status line. Raises SyncSetupError (no folders set, a
    folder missing or not writable: nothing written), SyncCommandFailed (vdirsyncer
    failed) or SyncDatabaseFailed (the database could not be written), each with a
    message fit to show as it is. Blocks for as long as the command takes: the app
    runs it off the event loop.
    """
    from netbalance.store import StoreError

    if not settings.configured:
        raise SyncSetupError(
            "sync is not set up: name the vdir folders in config.toml under [sync] "
            '(contacts = "~/.local/share/vdirs/contacts/netbalance", '
            'calendar = "~/.local/share/vdirs/calendar/netbalance")'
        )
    try:
        return sync(store, settings, now)
    except StoreError as err:
        raise SyncDatabaseFailed(f"the database could not be written: {err}") from err


def settings_from_config(config: AppConfig) -> SyncSettings:
    """The sync settings config.toml's [sync] gives (see netbalance.config)."""
    return settings_from_paths(config.sync_contacts, config.sync_calendar, config.sync_command)


def settings_from_paths(
    contacts: str | None, calendar: str | None, command: str | None
) -> SyncSettings:
    """Settings from config text: paths with ~ expanded, a blank command as none."""
    return SyncSettings(
        contacts=Path(os.path.expanduser(contacts)) if contacts else None,
        calendar=Path(os.path.expanduser(calendar)) if calendar else None,
        command=(command or "").strip(),
    )

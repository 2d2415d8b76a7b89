"""Crash soak: SIGKILL netbalance at random moments while it writes; nothing it said it
saved may be lost, and the file must never be damaged.

    .venv/bin/python benchmarks/crash_soak.py [--trials 250] [--seed N]
        [--workloads cli,app,import,fold,race] [--race-api edit|update]

Each trial starts one workload in a child process (benchmarks/soak_child.py), waits until
it is ready, lets it write for a random moment and kills it with SIGKILL (the race kills
both of its children, a moment apart). Then it looks at the database as the user's next
command would, and counts:

- corrupted: the database does not open, `doctor` finds a problem in it, or an import is
  half there (every import is all-or-nothing). The soak stops at the first one.
- acknowledged-lost: a write some child reported as saved, in this trial or any earlier
  one, is missing or different.
- lost updates: in the two-writer race, a field does not hold the value its own writer
  last saved (or the one it was about to save when it was killed): the other writer's
  edit or undo put a stale value over it. The race needs `Store.edit_contact` (field-level
  writes, f1-writes); where it is missing the race is skipped and the column says n/a.
  `--race-api update` races with the old whole-record `update_contact` instead, to show
  the counter does see lost updates.

Workloads: cli (`netbalance log` in a loop: open, write, fold at close, daily backup),
app (the Textual app through a pilot: `f`, then wait for the write), import (`netbalance
import vcard` of 1-25 new contacts), fold (store writes with the journal folded every
2 KB and after every fifth write), race (see above).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netbalance.domain import Circle, Contact  # noqa: E402
from netbalance.store import Store, StoreError  # noqa: E402
from netbalance.store.doctor import check  # noqa: E402

CHILD = Path(__file__).with_name("soak_child.py")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
WORKLOADS = ("cli", "app", "import", "fold", "race")
# How long a child may write before the kill (uniform from 0): about a few writes' worth.
KILL_WITHIN = {"cli": 1.5, "app": 2.0, "import": 2.0, "fold": 0.25, "race": 0.5}
# Doctor findings that say nothing about damage.
BENIGN = ("no backups yet", "can be read by other users")
RACE_FIELDS = ("company", "role")


@dataclass
class Tally:
    trials: int = 0
    acknowledged: int = 0
    lost: int = 0
    lost_updates: int = 0


@dataclass
class RaceWriter:
    """What one race child said: its field, the last value it saved, the one it tried after."""

    field: str
    acked: str
    tried: str | None = None
    count: int = 0


@dataclass
class Soak:
    folder: Path
    rnd: random.Random
    race_api: str
    log: IO[str]
    db: Path = field(init=False)
    interactions: dict[int, str] = field(default_factory=dict)
    contacts: set[str] = field(default_factory=set)
    batches: dict[str, int] = field(default_factory=dict)
    reported_lost: set[str] = field(default_factory=set)
    tallies: dict[str, Tally] = field(default_factory=lambda: {w: Tally() for w in WORKLOADS})
    corrupted: str | None = None
    corrupted_in: str = ""
    race_contact: int = 0

    def __post_init__(self) -> None:
        self.db = self.folder / "netbalance.json"

    def seed(self) -> None:
        with Store.open(self.db) as store:
            store.add_contact(Contact("Ana"), NOW)  # id 1: the CLI and store workloads' contact
            self.race_contact = store.add_contact(Contact("Race Target"), NOW).id
            for n in range(20):  # rows for the app's `f`
                store.add_contact(Contact(f"Friend {n}", circle=Circle.INNER), NOW)

    def spawn(self, workload: str, tag: str, *extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(CHILD), workload, str(self.db), tag, *extra],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def trial(self, number: int, workload: str) -> None:
        tally = self.tallies[workload]
        tally.trials += 1
        tag = f"t{number}"
        if workload == "race":
            writers = [RaceWriter(f, self.race_value(f)) for f in RACE_FIELDS]
            procs = [
                self.spawn(
                    "race",
                    f"{tag}{f[0]}",
                    "--race-field",
                    f,
                    "--race-api",
                    self.race_api,
                    "--race-contact",
                    str(self.race_contact),
                )
                for f in RACE_FIELDS
            ]
        else:
            writers = []
            procs = [self.spawn(workload, tag)]
        try:
            for proc in procs:
                assert proc.stdout is not None
                ready = proc.stdout.readline().strip()
                if ready != "ready":
                    raise SystemExit(f"trial {number} ({workload}): the child did not start")
            time.sleep(self.rnd.uniform(0, KILL_WITHIN[workload]))
            self.rnd.shuffle(procs)
            for proc in procs:
                proc.send_signal(signal.SIGKILL)
                time.sleep(self.rnd.uniform(0, 0.02))
            outputs = [proc.communicate()[0] for proc in procs]
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.communicate()
        for proc, out in zip(procs, outputs, strict=True):
            # Complete lines were printed, flushed, before the kill: acknowledged.
            self.read_acks(out.split("\n")[:-1], writers, proc.args)
        self.verify(workload, writers)

    def race_value(self, name: str) -> str:
        with Store.open(self.db) as store:
            value: str = getattr(store.contact(self.race_contact), name)
            return value

    def read_acks(self, lines: list[str], writers: list[RaceWriter], args: object) -> None:
        race_field = None
        if writers:
            assert isinstance(args, list)
            race_field = args[args.index("--race-field") + 1]
        for line in lines:
            kind, _, rest = line.partition(" ")
            if kind == "i":
                doc_id, _, note = rest.partition(" ")
                self.interactions[int(doc_id)] = note
            elif kind == "batch":
                name, count = rest.split()
                self.batches[name] = int(count)
            elif kind == "c":
                self.contacts.add(rest)
            elif kind in ("try", "ack"):
                name, _, value = rest.partition(" ")
                (writer,) = [w for w in writers if w.field == name == race_field]
                if kind == "try":
                    writer.tried = value
                else:
                    writer.acked, writer.tried = value, None
                    writer.count += 1

    def verify(self, workload: str, writers: list[RaceWriter]) -> None:
        tally = self.tallies[workload]
        try:
            with Store.open(self.db) as store:
                raw = store.raw_tables()
                notes = {int(k): d.get("note", "") for k, d in raw.get("interactions", {}).items()}
                names = {d["name"] for d in raw.get("contacts", {}).values()}
                race = store.contact(self.race_contact)
        except StoreError as err:
            self.corrupted = f"the database does not open: {err}"
            return
        problems = [p for p in check(self.db).problems if not p.startswith(BENIGN)]
        if problems:
            self.corrupted = f"doctor: {problems}"
            return
        for name, count in self.batches.items():
            pattern = re.compile(rf"{re.escape(name)}k\d+\Z")
            there = sum(1 for n in names if pattern.match(n))
            if there not in (0, count):
                self.corrupted = f"import {name} is half there: {there} of {count} contacts"
                return
        lost = {f"i{i}" for i, note in self.interactions.items() if notes.get(i) != note}
        lost |= {f"c{name}" for name in self.contacts - names}
        new = lost - self.reported_lost
        self.reported_lost |= new
        tally.lost += len(new)
        for writer in writers:
            tally.acknowledged += writer.count
            if getattr(race, writer.field) not in (writer.acked, writer.tried):
                tally.lost_updates += 1

    def stray_temp_files(self) -> int:
        Store.open(self.db).close()  # the next open cleans what a kill left; count what stays
        return sum(1 for p in self.folder.rglob(".*.tmp-*"))


def count_acknowledged(soak: Soak, workload_of: dict[str, str]) -> None:
    """Acknowledged writes per workload, from the tags the children wrote (the race
    counts its own edits as it goes)."""
    for note in soak.interactions.values():
        tag = note.split("-")[0] if note else ""
        soak.tallies[workload_of.get(tag, "app")].acknowledged += 1
    soak.tallies["import"].acknowledged += len(soak.contacts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=250)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--race-api", choices=["edit", "update"], default="edit")
    args = parser.parse_args()
    wanted = [w for w in args.workloads.split(",") if w]
    race_possible = hasattr(Store, "edit_contact") or args.race_api == "update"
    if "race" in wanted and not race_possible:
        wanted.remove("race")
    rnd = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nb-soak-") as tmp:
        folder = Path(tmp)
        with (folder / "children.log").open("w") as log:
            soak = Soak(folder / "data", rnd, args.race_api, log)
            soak.folder.mkdir()
            soak.seed()
            workload_of: dict[str, str] = {}
            order: list[str] = []
            for number in range(args.trials):
                if not order:
                    order = list(wanted)
                    rnd.shuffle(order)
                workload = order.pop()
                workload_of[f"t{number}"] = workload
                soak.trial(number, workload)
                if soak.corrupted is not None:
                    soak.corrupted_in = workload
                    print(f"STOPPED at trial {number} ({workload}), seed {args.seed}:")
                    print(f"  {soak.corrupted}")
                    break
            count_acknowledged(soak, workload_of)
            stray = soak.stray_temp_files()
            with Store.open(soak.db) as store:
                size = (store.contact_count(), store.interaction_count())
        if soak.corrupted is not None:
            shutil.copytree(folder, Path(tempfile.gettempdir()) / f"nb-soak-failed-{args.seed}")
    took = time.perf_counter() - started
    print_table(soak, wanted, race_possible, args, took, stray, size)
    failed = soak.corrupted or any(t.lost or t.lost_updates for t in soak.tallies.values())
    raise SystemExit(1 if failed else 0)


def print_table(
    soak: Soak,
    wanted: list[str],
    race_possible: bool,
    args: argparse.Namespace,
    took: float,
    stray: int,
    size: tuple[int, int],
) -> None:
    trials = sum(t.trials for t in soak.tallies.values())
    print(
        f"seed {args.seed}: {trials} SIGKILL trials in {took:.0f} s; the database ended with "
        f"{size[0]:,} contacts and {size[1]:,} interactions"
    )
    head = ("workload", "trials", "corrupted", "acknowledged", "acknowledged-lost", "lost-updates")
    print("  ".join(f"{h:>17}" if i else f"{h:<9}" for i, h in enumerate(head)))
    totals = Tally()
    for name in WORKLOADS:
        t = soak.tallies[name]
        if name == "race" and not race_possible:
            print(f"{'race':<9}  n/a: needs Store.edit_contact (field-level writes, f1-writes)")
            continue
        if name not in wanted:
            continue
        race = name == "race"
        cells = (
            t.trials,
            1 if soak.corrupted_in == name else 0,
            t.acknowledged,
            "-" if race else t.lost,
            t.lost_updates if race else "-",
        )
        print(f"{name:<9}" + "".join(f"  {_n(c):>17}" for c in cells))
        totals.trials += t.trials
        totals.acknowledged += t.acknowledged
        totals.lost += t.lost
        totals.lost_updates += t.lost_updates
    corrupted = 1 if soak.corrupted else 0
    updates: object = totals.lost_updates if race_possible and "race" in wanted else "n/a"
    cells = (totals.trials, corrupted, totals.acknowledged, totals.lost, updates)
    print(f"{'total':<9}" + "".join(f"  {_n(c):>17}" for c in cells))
    print(f"stray temp files after the next open: {stray}")


def _n(cell: object) -> str:
    return f"{cell:,}" if isinstance(cell, int) else str(cell)


if __name__ == "__main__":
    main()

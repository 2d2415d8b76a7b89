"""Sync soak: SIGKILL `netbalance sync` at random moments; the next sync must complete,
converge, and lose nothing either side had.

    .venv/bin/python benchmarks/sync_soak.py [--trials 40] [--size small] [--seed N]

One database (a copy of the demo network of `--size`) and its two vdir folders, synced
once untimed. Each trial then changes both sides: here, 1-3 interactions logged and a
contact added; in the folders, a new card (as a phone would write one) and a card
rewritten by another app with a new note. It runs `netbalance sync` as a whole process
(config.toml in a temp XDG_CONFIG_HOME) and kills it with SIGKILL after a random moment
(uniform from about when its start-up ends to 1.1 times an untimed sync's length, so
most kills land mid-sync). Then:

- corrupted: the database does not open or `doctor` finds a problem, a file in a folder
  is not a whole item (half written), or the sync state the database names is missing.
- lost: after one full sync (in this process), an interaction logged here or a contact
  added on either side, in any trial so far, is missing from the database or has no
  file in the folders; or a note written in the folders is not in its contact's notes.
- not converged: a second full sync right after still has something to do.

The soak stops at the first corrupted trial and prints the counts; it never fails on time.
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import NETBALANCE, demo_db, loadavg, note, user_env  # noqa: E402
from netbalance.domain import Contact, Interaction  # noqa: E402
from netbalance.interop.common import VdirItem  # noqa: E402
from netbalance.store import Store  # noqa: E402
from netbalance.store.doctor import check  # noqa: E402
from netbalance.sync import SyncSettings, sync  # noqa: E402
from netbalance.sync.vdir import read_item  # noqa: E402

BENIGN = ("no backups yet", "can be read by other users")


class Soak:
    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rnd = random.Random(seed)
        self.db = root / "netbalance.json"
        self.contacts = root / "vdirs" / "contacts"
        self.calendar = root / "vdirs" / "calendar"
        self.settings = SyncSettings(contacts=self.contacts, calendar=self.calendar)
        self.env = {**user_env(), "XDG_CONFIG_HOME": str(root / "config")}
        # What must survive: interactions logged here, contacts added on either side,
        # notes another app wrote into a card (contact uid -> note).
        self.interactions: set[str] = set()
        self.contact_uids: set[str] = set()
        self.notes: dict[str, str] = {}
        self.now = datetime.now().astimezone()
        self.startup = 0.0
        self.trial_started = 0

    def setup(self, demo: Path) -> float:
        import shutil

        for p in demo.parent.iterdir():
            if p.name.startswith("netbalance.json"):
                shutil.copy(p, self.root / p.name)
        self.contacts.mkdir(parents=True)
        self.calendar.mkdir(parents=True)
        config = self.root / "config" / "netbalance"
        config.mkdir(parents=True)
        (config / "config.toml").write_text(
            f'[sync]\ncontacts = "{self.contacts}"\ncalendar = "{self.calendar}"\n'
        )
        with Store.open(self.db) as store:
            sync(store, self.settings, self.now)
        # A sync with a few changes, as each trial's, for the kill window (the second
        # one: the first after the full sync reads again the files it wrote last).
        for warm in (-2, -1):
            self.change(warm)
            started = time.perf_counter()
            done = subprocess.run(
                [str(NETBALANCE), "--db", str(self.db), "sync"],
                env=self.env,
                capture_output=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr.decode()
            took = time.perf_counter() - started
        # Start-up and open, before the sync proper begins: `due` does the same.
        started = time.perf_counter()
        subprocess.run(
            [str(NETBALANCE), "--db", str(self.db), "due", "--json"],
            env=self.env,
            capture_output=True,
            check=False,
        )
        self.startup = time.perf_counter() - started
        return took

    def change(self, trial: int) -> None:
        rnd = self.rnd
        with Store.open(self.db) as store:
            people = store.contacts()
            for k in range(rnd.randint(1, 3)):
                who = rnd.choice(people)
                at = self.now - timedelta(minutes=rnd.randint(1, 10_000))
                logged = store.log_interaction(
                    Interaction((who.id,), at, note=f"soak {trial}-{k}"), self.now
                )
                self.interactions.add(logged.uid)
            added = store.add_contact(Contact(f"Soak Here {trial}"), self.now)
            self.contact_uids.add(added.uid)
        uid = f"soak-phone-{trial}"
        (self.contacts / f"{uid}.vcf").write_text(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Soak Phone {trial}\r\n"
            f"EMAIL:soak{trial}@phone.example\r\nEND:VCARD\r\n"
        )
        self.contact_uids.add(uid)
        # Another app rewrites a synced card with a note of its own (atomically).
        cards = sorted(p for p in self.contacts.iterdir() if not p.name.startswith("soak-"))
        card = rnd.choice(cards)
        text = card.read_text()
        item = read_item(text.encode(), card.name, ".vcf", self.now)
        if isinstance(item, VdirItem) and "\r\nNOTE:" not in text:
            said = f"soak note {trial}"
            tmp = card.with_name(f".{card.name}.tmp")
            tmp.write_text(text.replace("END:VCARD", f"NOTE:{said}\r\nEND:VCARD"))
            tmp.replace(card)
            self.notes[item.uid] = said

    def killed_sync(self, within: float) -> bool:
        """Run `netbalance sync`, SIGKILL it at a random moment from about when its start-up
        ends to a little after it would finish; True if it was killed before it finished."""
        child = subprocess.Popen(
            [str(NETBALANCE), "--db", str(self.db), "sync"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            child.wait(timeout=self.rnd.uniform(0.8 * min(self.startup, within), 1.1 * within))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
        child.wait()
        return child.returncode == -signal.SIGKILL

    def damage(self) -> str | None:
        problems = [p for p in check(self.db).problems if not p.startswith(BENIGN)]
        if problems:
            return "; ".join(problems)
        for folder, suffix in ((self.contacts, ".vcf"), (self.calendar, ".ics")):
            for path in folder.iterdir():
                if path.name.startswith(".") or path.stat().st_mtime_ns < self.trial_started:
                    continue  # a temp file the kill left, or a file no sync wrote since
                item = read_item(path.read_bytes(), path.name, suffix, self.now)
                if not isinstance(item, VdirItem):
                    return f"{path.name}: {item}"
        with Store.open(self.db) as store:
            store.sync_entries()
            if store.sync_state_problem:
                return store.sync_state_problem
        return None

    def settle(self) -> tuple[list[str], bool]:
        """One full sync, then what is lost, and whether a second sync had nothing to do."""
        with Store.open(self.db) as store:
            sync(store, self.settings, self.now)
            again = sync(store, self.settings, self.now)
            converged = (again.files_written, again.files_removed, again.records_changed) == (
                0,
                0,
                0,
            )
            entries = {e.uid: e for e in store.sync_entries()}
            lost: list[str] = []
            have = {i.uid for c in store.contacts(include_archived=True) for i in _of(store, c)}
            for uid in self.interactions - have:
                lost.append(f"interaction {uid} is not in the database")
            for uid in self.contact_uids:
                found = store.contact_by_uid(uid)
                if found is None or found.archived:
                    lost.append(f"contact {uid} is not in the database (or archived)")
            for uid in self.interactions | self.contact_uids:
                e = entries.get(uid)
                folder = self.contacts if uid in self.contact_uids else self.calendar
                if e is None or not e.file or not (folder / e.file).exists():
                    lost.append(f"{uid} has no file in the folders")
            for uid, said in self.notes.items():
                found = store.contact_by_uid(uid)
                if found is None or said not in found.notes:
                    lost.append(f"the note {said!r} of {uid} is lost")
        return lost, converged


def _of(store: Store, contact: Contact) -> list[Interaction]:
    return store.interactions_of(contact.id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--size", default="small")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    demo = demo_db(args.size)
    started = time.perf_counter()
    killed = corrupted = lost_count = not_converged = 0
    with tempfile.TemporaryDirectory() as tmp:
        soak = Soak(Path(tmp), args.seed)
        took = soak.setup(demo.path)
        note(f"sync soak at {args.size}: an untimed sync with changes took {took:.2f} s")
        for trial in range(1, args.trials + 1):
            soak.trial_started = time.time_ns() - 10**9
            soak.change(trial)
            killed += soak.killed_sync(took)
            damage = soak.damage()
            if damage:
                corrupted += 1
                print(f"STOPPED at trial {trial}, seed {args.seed}: {damage}")
                break
            lost, converged = soak.settle()
            lost_count += len(lost)
            not_converged += not converged
            for line in lost[:5]:
                note(f"  trial {trial}: {line}")
    print(
        f"sync soak ({args.size}, seed {args.seed}): {trial} trials, {killed} killed before "
        f"finishing (sync {took:.2f} s, start-up {soak.startup:.2f} s), "
        f"{corrupted} corrupted, {lost_count} lost, {not_converged} not converged "
        f"({time.perf_counter() - started:.0f} s, load {loadavg()})"
    )


if __name__ == "__main__":
    main()

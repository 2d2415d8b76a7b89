"""The crash rule: a sync killed with SIGKILL at any point leaves the database and the
vdir folders whole, and the next sync completes and agrees with a fresh replica."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from netbalance.domain import Contact, Interaction
from netbalance.interop.common import VdirItem
from netbalance.store import Store
from netbalance.sync import SyncSettings, sync
from netbalance.sync.vdir import read_item
from tests.sync.conftest import NOW

CHILD = Path(__file__).with_name("sync_child.py")


def seed(db: Path, people: int = 60) -> None:
    with Store.open(db) as store:
        for n in range(people):
            c = store.add_contact(Contact(f"Person {n}", emails=(f"p{n}@example.org",)), NOW)
            for k in range(3):
                store.log_interaction(
                    Interaction((c.id,), NOW - timedelta(days=k + 1), note=f"talk {k}"), NOW
                )


def run_child(db: Path, root: Path, point: str, after: float | None = None) -> int:
    proc = subprocess.Popen(
        [
            sys.executable,
            str(CHILD),
            str(db),
            str(root / "contacts"),
            str(root / "calendar"),
            point,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "started"
    if after is not None:
        time.sleep(after)
        proc.kill()
    proc.wait(timeout=60)
    return proc.returncode


def check_whole(root: Path) -> None:
    """Every item file reads as an item: none is half written."""
    for folder, suffix in (("contacts", ".vcf"), ("calendar", ".ics")):
        for path in (root / folder).iterdir():
            if path.name.startswith("."):
                continue  # a temp file the kill left: never an item
            item = read_item(path.read_bytes(), path.name, suffix, NOW)
            assert isinstance(item, VdirItem), item


def settled(db: Path, root: Path) -> dict[str, tuple[str, ...]]:
    """Sync to completion, check a second sync has nothing to do, and return who talked when."""
    settings = SyncSettings(contacts=root / "contacts", calendar=root / "calendar")
    with Store.open(db) as store:
        sync(store, settings, NOW)
        again = sync(store, settings, NOW)
        assert (again.files_written, again.files_removed, again.records_changed) == (0, 0, 0)
        return {
            c.uid: tuple(sorted(i.note for i in store.interactions_of(c.id)))
            for c in store.contacts(include_archived=True)
        }


@pytest.mark.parametrize("point", ["file:1", "file:100", "apply", "state", "commit", "after"])
def test_a_first_sync_killed_at_a_point_recovers(tmp_path: Path, point: str) -> None:
    db = tmp_path / "a.json"
    seed(db)
    for folder in ("contacts", "calendar"):
        (tmp_path / folder).mkdir()
    assert run_child(db, tmp_path, point) == -9
    Store.open(db).close()  # the database opens: whole
    check_whole(tmp_path)
    mine = settled(db, tmp_path)
    assert len(mine) == 60 and all(len(talks) == 3 for talks in mine.values())
    # A fresh replica reading the folders holds the same people and interactions.
    assert settled(tmp_path / "b.json", tmp_path) == mine


def test_a_second_replica_killed_while_taking_everything_in_recovers(tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    seed(db)
    for folder in ("contacts", "calendar"):
        (tmp_path / folder).mkdir()
    mine = settled(db, tmp_path)
    other = tmp_path / "b.json"
    assert run_child(other, tmp_path, "commit") == -9
    check_whole(tmp_path)
    assert settled(other, tmp_path) == mine


def test_syncs_killed_at_random_moments_recover(tmp_path: Path) -> None:
    rnd = random.Random(13)
    db = tmp_path / "a.json"
    seed(db, people=40)
    for folder in ("contacts", "calendar"):
        (tmp_path / folder).mkdir()
    for _ in range(4):
        run_child(db, tmp_path, "none", after=rnd.uniform(0.0, 0.8))
        check_whole(tmp_path)
        with Store.open(db) as store:  # each killed run leaves something new to do
            c = store.add_contact(Contact(f"New {rnd.random():.6f}"), NOW)
            store.log_interaction(Interaction((c.id,), NOW - timedelta(hours=1), note="hi"), NOW)
    mine = settled(db, tmp_path)
    assert len(mine) == 44
    assert settled(tmp_path / "b.json", tmp_path) == mine

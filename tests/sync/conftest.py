"""Replicas sharing vdir folders, without a server: what the sync's unit tests start from.

A `Replica` is one database with its own two folders; `share` copies one replica's
folders to another's as a sync tool (vdirsyncer, Syncthing) would: files new or
changed on one side are copied over, files deleted on one side are deleted.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.store import Store
from netbalance.sync import SyncResult, SyncSettings, sync

NOW = datetime(2027, 2, 20, 9, 0, tzinfo=UTC)


@dataclass
class Replica:
    root: Path
    store: Store

    @property
    def contacts(self) -> Path:
        return self.root / "contacts"

    @property
    def calendar(self) -> Path:
        return self.root / "calendar"

    @property
    def settings(self) -> SyncSettings:
        return SyncSettings(contacts=self.contacts, calendar=self.calendar)

    def sync(self, now: datetime = NOW) -> SyncResult:
        return sync(self.store, self.settings, now)

    def age(self) -> None:
        """Every file as if written an hour ago, so a sync may trust their stats
        (vdir.RACY_NS: a file modified as a sync looks is read again next time)."""
        past = time.time_ns() - 3600 * 10**9
        for folder in (self.contacts, self.calendar):
            for path in folder.iterdir():
                os.utime(path, ns=(past, past))


def make_replica(root: Path) -> Replica:
    for folder in ("contacts", "calendar"):
        (root / folder).mkdir(parents=True)
    return Replica(root, Store.open(root / "netbalance.json"))


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    return make_replica(tmp_path / "a")


@pytest.fixture
def two(tmp_path: Path) -> tuple[Replica, Replica]:
    return make_replica(tmp_path / "a"), make_replica(tmp_path / "b")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def mirror(source: Replica, target: Replica, seen: dict[str, dict[str, bytes]]) -> None:
    """A two-way file sync between two replicas' folders (what vdirsyncer does through a
    server): changes since the last mirror go across; `seen` is its status."""
    for name in ("contacts", "calendar"):
        a, b = source.root / name, target.root / name
        last = seen.setdefault(name, {})
        fa, fb = files(a), files(b)
        for file in set(fa) | set(fb) | set(last):
            va, vb, vl = fa.get(file), fb.get(file), last.get(file)
            if va == vb or (va != vl and vb == vl):
                winner = va
            elif vb != vl and va == vl:
                winner = vb
            else:
                winner = va if va is not None else vb  # both changed: one side wins whole
            for folder, value in ((a, va), (b, vb)):
                if winner is None and value is not None:
                    (folder / file).unlink()
                elif winner is not None and value != winner:
                    (folder / file).write_bytes(winner)
            if winner is None:
                last.pop(file, None)
            else:
                last[file] = winner


def copy_folders(source: Replica, target: Replica) -> None:
    for name in ("contacts", "calendar"):
        shutil.rmtree(target.root / name)
        shutil.copytree(source.root / name, target.root / name)

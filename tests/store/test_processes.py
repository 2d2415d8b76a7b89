"""Other processes: SIGKILL at random moments, two writers at once, refresh, compaction.

Children run tests/store/writer_child.py and report every acknowledged write
on stdout; the parent synchronises on those lines, never on sleeps.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from netbalance.domain import Contact, Interaction
from netbalance.store import Store, StoreWriteError
from netbalance.store.engine import FileEngine, FileOps
from tests.store.conftest import NOW, disk_tables, memory_tables

CHILD = Path(__file__).with_name("writer_child.py")
ROOT = Path(__file__).resolve().parents[2]


def spawn(db: Path, tag: str, count: int, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(db), tag, str(count), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@contextmanager
def children(*procs: subprocess.Popen[str]) -> Iterator[None]:
    """Never leave a child running, whatever the test does."""
    try:
        yield
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.communicate()


def read_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        assert proc.stderr is not None
        pytest.fail(f"child ended early ({proc.returncode}): {proc.stderr.read()}")
    return line.strip()


def seeded(db: Path) -> None:
    with Store.open(db) as store:
        store.add_contact(Contact("Ana"), NOW)


def notes_by_id(db: Path) -> dict[int, str]:
    with Store.open(db) as store:
        return {i.id: i.note for i in store.interactions_of(1)}


def crash_rounds(db: Path, rounds: int, rnd: random.Random) -> int:
    """Kill a writing child `rounds` times; returns how many acknowledged writes were checked."""
    acknowledged: dict[int, str] = {}
    for r in range(rounds):
        proc = spawn(db, f"r{r}", 0, "--compact-bytes", "2048")
        with children(proc):
            assert read_line(proc) == "ready"
            for _ in range(rnd.randint(0, 12)):
                doc_id, note = read_line(proc).split()
                acknowledged[int(doc_id)] = note
            # Jitter only: where the kill lands inside the next write is the point.
            time.sleep(rnd.uniform(0, 0.003))
            proc.send_signal(signal.SIGKILL)
            assert proc.stdout is not None
            rest = proc.stdout.read()
            # Lines that were complete before the kill are acknowledged writes.
            for line in rest.split("\n")[:-1]:
                doc_id, note = line.split()
                acknowledged[int(doc_id)] = note
            proc.wait()
        found = notes_by_id(db)
        missing = {i: n for i, n in acknowledged.items() if found.get(i) != n}
        assert not missing, f"round {r}: acknowledged writes lost: {missing}"
    return len(acknowledged)


def test_sigkill_at_random_moments_loses_no_acknowledged_write(db_path: Path) -> None:
    seeded(db_path)
    checked = crash_rounds(db_path, 20, random.Random(20260302))
    assert checked > 20
    assert not list(db_path.parent.glob(".*.tmp-*"))


def test_two_processes_writing_at_once(db_path: Path) -> None:
    seeded(db_path)
    n = 60
    a = spawn(db_path, "a", n, "--wait-go", "--compact-bytes", "4096")
    b = spawn(db_path, "b", n, "--wait-go", "--compact-bytes", "4096")
    with children(a, b):
        assert read_line(a) == read_line(b) == "ready"
        for p in (a, b):
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        outs = [p.communicate()[0].splitlines() for p in (a, b)]
    assert [p.returncode for p in (a, b)] == [0, 0]
    reported = dict(line.split() for out in outs for line in out if line != "done")
    assert len(reported) == 2 * n  # no id handed out twice
    found = notes_by_id(db_path)
    assert {str(i): note for i, note in found.items()} == reported


def test_refresh_sees_another_process_and_its_compaction(db_path: Path) -> None:
    seeded(db_path)
    store = Store.open(db_path)
    assert not store.refresh()
    proc = spawn(db_path, "other", 5)
    with children(proc):
        proc.communicate()
    assert store.refresh()
    assert [i.note for i in store.interactions_of(1)] == [f"other-{n}" for n in range(5)]
    assert store.last_interaction_at(1) == NOW

    proc = spawn(db_path, "folded", 3, "--compact-at-end")
    with children(proc):
        proc.communicate()
    assert store.refresh()
    assert store.interaction_count(1) == 8
    mine = store.log_interaction(Interaction((1,), NOW - timedelta(hours=1), note="mine"), NOW)
    assert memory_tables(store) == disk_tables(db_path)
    assert notes_by_id(db_path)[mine.id] == "mine"
    store.close()


def test_a_stale_view_does_not_clobber_another_process_edit(db_path: Path) -> None:
    seeded(db_path)
    app, cli = Store.open(db_path), Store.open(db_path)
    cli.update_contact(cli.contact(1).edit(notes="Met at PyData", company="Acme"))
    # The app has not refreshed; a snooze and a follow-up must not write its old copy back.
    app.snooze(1, NOW + timedelta(days=2))
    app.log_interaction(Interaction((1,), NOW), NOW)
    app.archive_contact(1)
    with Store.open(db_path) as fresh:
        stored = fresh.contact(1)
        assert (stored.notes, stored.company, stored.archived) == ("Met at PyData", "Acme", True)
    assert app.contact(1).notes == "Met at PyData"


class _FailingJournalReplace(FileOps):
    """Renames onto the journal fail: a compaction stops between its two renames."""

    @staticmethod
    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if str(dst).endswith(".journal"):
            raise OSError(5, "Input/output error")
        os.replace(src, dst)


def test_write_after_a_compaction_stopped_between_renames(db_path: Path) -> None:
    seeded(db_path)
    app = Store.open(db_path)
    other = Store(FileEngine(db_path, _FailingJournalReplace()))
    other.log_interaction(Interaction((1,), NOW, note="before"), NOW)
    with pytest.raises(StoreWriteError, match="could not save"):
        other.engine.compact()  # type: ignore[union-attr]
    # The snapshot is the new generation; the journal is still the old one.
    app.refresh()
    logged = app.log_interaction(Interaction((1,), NOW, note="after"), NOW)
    assert notes_by_id(db_path).get(logged.id) == "after"

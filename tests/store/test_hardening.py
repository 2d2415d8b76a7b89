"""The file as the user set it up: a symlinked path, a mode of their choosing, a doctor
that only looks, a read-only open that reads and says why it will not write."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.domain import Contact, Interaction
from netbalance.store import Store
from netbalance.store.doctor import check
from netbalance.store.engine import FileEngine
from netbalance.store.errors import StoreReadOnly
from tests.store.conftest import NOW
from tests.store.test_file import files_of

TODAY = datetime.now(UTC).strftime("%Y-%m-%d")


def test_a_symlinked_database_is_written_through_to_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real" / "data.json"
    with Store.open(real) as store:
        store.add_contact(Contact("Ana"), NOW)
    link = tmp_path / "link" / "d.json"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "real" / "data.json")
    with Store.open(link) as store:
        store.add_contact(Contact("Bo"), NOW)
        store.engine.compact()  # type: ignore[union-attr]
        store.log_interaction(Interaction((2,), NOW), NOW)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert sorted(os.listdir(link.parent)) == ["d.json"]  # no journal, lock or temp beside it
    with Store.open(real) as store:
        assert [c.name for c in store.contacts()] == ["Ana", "Bo"]
        assert store.interaction_count() == 1
    assert (tmp_path / "real" / "backups" / f"data-{TODAY}.json").exists()


def pending_database(db: Path) -> None:
    """Writes waiting in the journal, an unfinished last line, no backup of today."""
    with Store.open(db) as store:
        store.add_contact(Contact("Ana"), NOW)
    (db.parent / "backups" / f"netbalance-{TODAY}.json").unlink()
    store = Store.open(db)
    store.add_contact(Contact("Bo"), NOW)
    with db.with_name(db.name + ".journal").open("ab") as f:
        f.write(b'1a2b3c4d {"ops":[["p"')
    db.with_name(db.name + ".lock").unlink()


def test_doctor_never_writes(db_path: Path) -> None:
    pending_database(db_path)
    before = {
        name: (data, os.stat(db_path.parent / name).st_mtime_ns)
        for name, data in files_of(db_path.parent).items()
    }
    listing = sorted(p.name for p in db_path.parent.rglob("*"))
    report = check(db_path)
    assert report.facts["contacts"] == 2  # it read the journal's write
    assert any("unfinished write" in n for n in report.notices)
    after = {
        name: (data, os.stat(db_path.parent / name).st_mtime_ns)
        for name, data in files_of(db_path.parent).items()
    }
    assert after == before
    assert sorted(p.name for p in db_path.parent.rglob("*")) == listing  # no lock, no backup


def test_a_fold_keeps_the_mode_the_user_gave_the_file(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add_contact(Contact("Ana"), NOW)
    journal = db_path.with_name(db_path.name + ".journal")
    db_path.chmod(0o640)
    journal.chmod(0o640)
    store = Store.open(db_path)
    store.add_contact(Contact("Bo"), NOW)
    store.engine.compact()  # type: ignore[union-attr]
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o640
    assert stat.S_IMODE(journal.stat().st_mode) == 0o640
    assert [c.name for c in Store.open(db_path).contacts()] == ["Ana", "Bo"]


def test_a_read_only_open_reads_and_refuses_writes(db_path: Path) -> None:
    pending_database(db_path)
    before = files_of(db_path.parent)
    store = Store(FileEngine(db_path, read_only=True))
    assert [c.name for c in store.contacts()] == ["Ana", "Bo"]
    with pytest.raises(StoreReadOnly, match=r"opened for reading only\. Nothing was changed"):
        store.add_contact(Contact("Cy"), NOW)
    store.close()
    assert files_of(db_path.parent) == before


def test_a_file_from_before_the_text_limit_still_opens_and_doctor_names_the_record(
    db_path: Path,
) -> None:
    """An event or goal note longer than today's limit, written by an older version, is
    read as it is (refusing to open would lock the user out of everything else)."""
    import orjson

    from netbalance.domain import Event, Goal
    from netbalance.domain.text import MAX_TEXT_CHARS

    with Store.open(db_path) as store:
        event = store.add_event(Event("Old meetup", NOW))
        goal = store.add_goal(Goal("Old goal"), NOW)
    doc = orjson.loads(db_path.read_bytes())
    long_note = "x" * (MAX_TEXT_CHARS + 5)
    doc["events"][str(event.id)]["notes"] = long_note
    doc["goals"][str(goal.id)]["notes"] = long_note
    db_path.write_bytes(orjson.dumps(doc))
    with Store.open(db_path) as store:
        assert store.event(event.id).notes == long_note
        assert store.goal(goal.id).notes == long_note
    report = check(db_path)
    assert any("events" in p and "notes" in p for p in report.problems), report.problems

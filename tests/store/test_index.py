"""The derived index beside the database (store/index.py): an open from it reads what the
file and journal hold, and an index that does not name the files exactly is not used."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

from netbalance.domain import Circle, Contact, Interaction
from netbalance.store import Store
from netbalance.store.index import index_path
from tests.store.conftest import NOW


def _aged(db: Path) -> None:
    """The file as it is long after its last fold (an index built now is not "racy")."""
    past = time.time() - 60
    os.utime(db, (past, past))


def _network(db: Path) -> None:
    with Store.open(db) as store:
        for n in range(6):
            c = store.add_contact(Contact(f"Person {n}", circle=Circle.CLOSE), NOW)
            for days in (30, 10 + n):
                store.log_interaction(
                    Interaction(
                        (c.id,),
                        NOW - timedelta(days=days),
                        next_step="call" if n % 2 else "",
                        next_step_on=date(2026, 3, 10 + n) if n % 2 else None,
                    ),
                    NOW,
                )
    _aged(db)
    Store.open(db).close()  # writes the index


def _view(store: Store) -> tuple[object, ...]:
    ids = [c.id for c in store.contacts()]
    return (
        store.contacts(include_archived=True),
        store.last_interactions(),
        store.next_steps(),
        {i: store.interaction_count(i) for i in ids},
        store.settings(),
        store.goals(),
    )


def _full(db: Path) -> Store:
    index_path(db).unlink(missing_ok=True)
    return Store.open(db)


def test_an_open_from_the_index_reads_what_the_file_holds(db_path: Path) -> None:
    _network(db_path)
    assert index_path(db_path).exists()
    fast = Store.open(db_path)
    assert fast.engine.partial
    view = _view(fast)
    fast.close()
    full = _full(db_path)
    assert not full.engine.partial
    assert _view(full) == view
    full.close()


def test_a_write_on_an_open_from_the_index_is_the_write_a_full_open_makes(db_path: Path) -> None:
    _network(db_path)
    fast = Store.open(db_path)
    who = fast.contacts()[2]
    fast.snooze(who.id, NOW + timedelta(days=5))
    logged = fast.log_interaction(Interaction((who.id,), NOW - timedelta(hours=1)), NOW)
    assert fast.engine.partial  # a follow-up does not read the interactions
    assert logged.id == 13  # after the 12 there: the id a full open gives
    assert fast.contact(who.id).snoozed_until is None
    assert fast.last_interaction_at(who.id) == NOW - timedelta(hours=1)
    # Reading the interactions reads the rest, and finds the new one there.
    assert fast.interactions_of(who.id)[-1].id == logged.id
    assert not fast.engine.partial
    fast.close(quick=True)  # as a command does: the journal stays, an index is written
    again = Store.open(db_path)  # from the index of the files as they are now
    assert again.engine.partial
    view = _view(again)
    again.close()
    assert _view(_full(db_path)) == view


def test_undo_on_an_open_from_the_index(db_path: Path) -> None:
    _network(db_path)
    fast = Store.open(db_path)
    who = fast.contacts()[0]
    before = fast.last_interaction_at(who.id)
    fast.log_interaction(Interaction((who.id,), NOW - timedelta(hours=1)), NOW)
    assert fast.last_change is not None
    fast.undo(fast.last_change)
    assert fast.last_interaction_at(who.id) == before
    fast.close()
    assert _full(db_path).last_interaction_at(who.id) == before


def test_writes_after_the_index_are_replayed_or_everything_is_read(db_path: Path) -> None:
    _network(db_path)
    other = Store.open(db_path)  # the index is read by this open ...
    other.add_contact(Contact("New"), NOW)  # ... then the journal grows without a close
    who = other.contacts()[0]
    other.log_interaction(Interaction((who.id,), NOW - timedelta(hours=2)), NOW)
    fast = Store.open(db_path)  # adding records: replayed onto the index
    assert fast.engine.partial
    assert "New" in [c.name for c in fast.contacts()]
    assert fast.last_interaction_at(who.id) == NOW - timedelta(hours=2)
    assert fast.interaction_count(who.id) == 3
    fast.close()
    first = other.interactions_of(who.id)[0]
    other.edit_interaction(first.id, {"note": "changed"})  # an interaction changed: read all
    full = Store.open(db_path)
    assert not full.engine.partial
    assert full.interaction(first.id).note == "changed"
    full.close()
    other.close()
    # A journal that does not begin with what the index names (another file's): read all.
    with Store.open(db_path) as store:
        store.engine.compact()  # type: ignore[union-attr]
    assert not Store.open(db_path).engine.partial


def test_a_damaged_or_racy_index_is_not_used(db_path: Path) -> None:
    _network(db_path)
    path = index_path(db_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    store = Store.open(db_path)
    assert not store.engine.partial
    store.close()  # writes a good one again
    assert Store.open(db_path).engine.partial
    # A file changed within the timestamps' granularity of the index's making: not used.
    with Store.open(db_path) as store:
        store.add_contact(Contact("Fold me"), NOW)
        store.engine.compact()  # type: ignore[union-attr]
    Store.open(db_path).close()
    assert not Store.open(db_path).engine.partial


def test_an_open_from_the_index_sees_other_processes_writes(db_path: Path) -> None:
    _network(db_path)
    fast = Store.open(db_path)
    assert fast.engine.partial
    other = Store.open(db_path)
    who = other.contacts()[3]
    other.log_interaction(Interaction((who.id,), NOW - timedelta(minutes=5)), NOW)
    other.edit_contact(who.id, {"company": "Elsewhere"})
    assert fast.refresh()
    assert fast.last_interaction_at(who.id) == NOW - timedelta(minutes=5)
    assert fast.contact(who.id).company == "Elsewhere"
    # And its own next write gets an id past the other's.
    mine = fast.log_interaction(Interaction((who.id,), NOW - timedelta(minutes=1)), NOW)
    assert mine.id == 14
    other.close()
    fast.close()
    assert [i.id for i in _full(db_path).interactions_of(who.id)][-2:] == [13, 14]


def _copied(db: Path, to: Path) -> Path:
    """The database's folder copied keeping times (`cp -a`): other inodes, same bytes."""
    shutil.copytree(db.parent, to)
    return to / db.name


def test_a_copy_that_kept_its_times_opens_from_its_index(db_path: Path, tmp_path: Path) -> None:
    _network(db_path)
    store = Store.open(db_path)
    who = store.contacts()[1]
    store.log_interaction(Interaction((who.id,), NOW - timedelta(hours=3)), NOW)
    store.close(quick=True)  # the journal holds it, past what the index names
    copy = _copied(db_path, tmp_path / "copy")
    assert os.stat(copy).st_ino != os.stat(db_path).st_ino
    fast = Store.open(copy)
    assert fast.engine.partial
    assert fast.last_interaction_at(who.id) == NOW - timedelta(hours=3)
    view = _view(fast)
    fast.close()
    assert _view(_full(copy)) == view


def test_a_copy_with_other_bytes_of_the_same_size_and_time_is_read_whole(
    db_path: Path, tmp_path: Path
) -> None:
    _network(db_path)
    copy = _copied(db_path, tmp_path / "copy")
    data = bytearray(copy.read_bytes())
    at = data.index(b"Person 3")
    data[at : at + 8] = b"Person 9"  # same size; then the times are put back
    st = os.stat(copy)
    copy.write_bytes(bytes(data))
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    store = Store.open(copy)
    assert not store.engine.partial
    assert "Person 9" in [c.name for c in store.contacts()]
    store.close()
    # A copy that did not keep its time is read whole too (then indexed again).
    other = _copied(db_path, tmp_path / "other")
    os.utime(other, (time.time() - 30, time.time() - 30))
    assert not Store.open(other).engine.partial

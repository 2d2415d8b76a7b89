"""A journal knows its database: another database's journal, or one newer than the file,
is never replayed, reset or deleted; files from before ids get one; dropped lines are kept
for `doctor`; a file or journal whose bookkeeping is not what netbalance writes is refused
with a message, never a traceback. Every refused file stays byte for byte."""

from __future__ import annotations

import base64
import shutil
import zlib
from pathlib import Path

import orjson
import pytest

from netbalance.domain import Contact, Interaction
from netbalance.store import Store, StoreDamaged, StoreNewerVersion
from netbalance.store.doctor import check
from netbalance.store.errors import StoreJournalMismatch
from netbalance.store.journal import dropped_path, read_dropped
from netbalance.store.migrations import SCHEMA_VERSION
from tests.store.conftest import NOW
from tests.store.test_file import files_of


def journal_of(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def line(record: object) -> bytes:
    payload = orjson.dumps(record)
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def with_pending(db: Path, *names: str) -> Store:
    """A database whose journal holds writes not yet folded (the store is left open)."""
    store = Store.open(db)
    for name in names:
        store.add_contact(Contact(name), NOW)
    return store


def names_in(db: Path) -> list[str]:
    with Store.open(db) as store:
        return sorted(c.name for c in store.contacts())


def test_files_carry_the_same_database_id(db_path: Path) -> None:
    with_pending(db_path, "Ana")
    meta = orjson.loads(db_path.read_bytes())["_meta"]["1"]
    header = orjson.loads(journal_of(db_path).read_bytes().split(b"\n")[0][9:])
    assert len(meta["database_id"]) == 32
    assert header == {"generation": meta["generation"], "database_id": meta["database_id"]}


def test_a_journal_from_another_database_is_refused_and_left(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "n.json", tmp_path / "b" / "n.json"
    with_pending(a, "Ana").close()
    with_pending(b, "Bo", "Cy")
    shutil.copy(journal_of(b), journal_of(a))
    before = files_of(a.parent)
    with pytest.raises(StoreJournalMismatch) as caught:
        Store.open(a)
    message = str(caught.value)
    assert f"{journal_of(a)} does not belong to {a}" in message
    assert "another netbalance database" in message
    assert "Nothing was replayed, changed or deleted" in message
    assert f"mv {journal_of(a)}" in message  # what to do
    assert files_of(a.parent) == before
    # And what the message says works: with the stray journal moved away, a opens as a.
    journal_of(a).rename(tmp_path / "stray.journal")
    assert names_in(a) == ["Ana"]


def test_another_database_copied_over_the_file_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "n.json", tmp_path / "b" / "n.json"
    with_pending(a, "Ana")
    with_pending(b, "Bo").close()
    shutil.copy(b, a)  # a's journal, b's file
    before = files_of(a.parent)
    with pytest.raises(StoreJournalMismatch, match="does not belong"):
        Store.open(a)
    assert files_of(a.parent) == before


def test_a_journal_newer_than_the_file_is_refused_not_reset(db_path: Path) -> None:
    store = with_pending(db_path, "Ana")
    store.engine.compact()  # type: ignore[union-attr]
    older = db_path.read_bytes()  # what a backup of that moment holds
    store.add_contact(Contact("Bo"), NOW)
    store.engine.compact()  # type: ignore[union-attr]
    store.add_contact(Contact("Cy"), NOW)  # pending in the journal
    db_path.write_bytes(older)  # the older copy put in place of the database
    before = files_of(db_path.parent)
    with pytest.raises(StoreJournalMismatch) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert f"{journal_of(db_path)} is newer than {db_path}" in message
    assert "holds 1 write(s)" in message and "older copy" in message
    assert "put back the database file" in message and "mv " in message
    assert files_of(db_path.parent) == before
    # The journal's writes are still there to be recovered: put back the newer file.
    assert b'"Cy"' in journal_of(db_path).read_bytes()


def legacy_files(db: Path, file_generation: int, journal_generation: int) -> None:
    """A database as netbalance wrote it before ids: no id in _meta nor in the journal."""
    db.parent.mkdir(parents=True, exist_ok=True)
    created = "2026-01-01T00:00:00Z"
    db.write_bytes(
        orjson.dumps(
            {
                "_meta": {"1": {"schema_version": 1, "generation": file_generation}},
                "contacts": {"1": {"name": "Ana", "circle": "active", "created": created}},
            }
        )
    )
    doc = {"name": "Bo", "circle": "active", "created": created}
    journal_of(db).write_bytes(
        line({"generation": journal_generation}) + line({"ops": [["p", "contacts", "2", doc]]})
    )


def test_files_from_before_ids_keep_working_and_get_one(db_path: Path) -> None:
    legacy_files(db_path, 3, 3)
    assert names_in(db_path) == ["Ana", "Bo"]
    meta = orjson.loads(db_path.read_bytes())["_meta"]["1"]
    header = orjson.loads(journal_of(db_path).read_bytes().split(b"\n")[0][9:])
    assert meta["database_id"] == header["database_id"]
    assert meta["generation"] > 3
    store = Store.open(db_path)
    store.log_interaction(Interaction((1,), NOW), NOW)
    assert Store.open(db_path).interaction_count() == 1


def test_a_legacy_journal_newer_than_its_file_is_refused(db_path: Path) -> None:
    legacy_files(db_path, 3, 4)
    before = files_of(db_path.parent)
    with pytest.raises(StoreJournalMismatch, match="newer than"):
        Store.open(db_path)
    assert files_of(db_path.parent) == before


@pytest.mark.parametrize(
    ("tail", "kind"),
    [
        (b'1a2b3c4d {"ops":[["p","interactions","9",{"contacts":[1]', "unfinished"),
        (b"deadbeef {}\n", "bad checksum"),
    ],
)
def test_a_dropped_last_line_is_kept_and_reported_by_doctor(
    db_path: Path, tail: bytes, kind: str
) -> None:
    with_pending(db_path, "Ana")
    with journal_of(db_path).open("ab") as f:
        f.write(tail)
    unopened = check(db_path)  # before any open: the line is still there, and said so
    if kind == "unfinished":
        assert any("ends with an unfinished write" in n for n in unopened.notices)
    Store.open(db_path).close()  # the open drops it
    (record,) = read_dropped(db_path)
    assert record["kind"] == kind and base64.b64decode(record["data"]) == tail
    report = check(db_path)
    said = report.problems if kind == "bad checksum" else report.notices
    assert any(str(dropped_path(db_path)) in s and "dropped" in s for s in said)
    assert report.healthy == (kind == "unfinished")


WRONG_CONTENT = [
    ({"nothing": 1}, "no list of changes"),
    ({"ops": "x"}, "no list of changes"),
    ({"ops": [["p", "contacts", "2", "Bo"]]}, "change 1"),
    ({"ops": [["x", "contacts", "2", {}]]}, "change 1"),
    ({"ops": [["p", "contacts", "two", {}]]}, "change 1"),
    ({"ops": [["p", "_meta", "1", {}]]}, "change 1"),
    ({"generation": "abc"}, "generation is 'abc'"),
]


@pytest.mark.parametrize(("record", "problem"), WRONG_CONTENT)
def test_a_journal_line_with_a_valid_checksum_but_wrong_content_is_refused(
    db_path: Path, record: object, problem: str
) -> None:
    with_pending(db_path, "Ana")
    with journal_of(db_path).open("ab") as f:
        f.write(line(record))
        f.write(line({"ops": []}))  # so the odd line is not the last one
    before = files_of(db_path.parent)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert "passes its checksum but is not a netbalance write" in message
    assert problem in message and str(journal_of(db_path)) in message
    assert files_of(db_path.parent) == before


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("generation", "x", "its generation is 'x', not a whole number"),
        ("generation", None, "its generation is None"),
        ("schema_version", -1, "its schema_version is -1, not a version number"),
        ("schema_version", "1", "its schema_version is '1', not a version number"),
        ("database_id", 7, "its database_id is 7"),
    ],
)
def test_bookkeeping_that_is_not_a_number_is_damage_not_a_crash(
    db_path: Path, field: str, value: object, words: str
) -> None:
    with_pending(db_path, "Ana").close()
    data = orjson.loads(db_path.read_bytes())
    data["_meta"]["1"][field] = value
    db_path.write_bytes(orjson.dumps(data))
    before = files_of(db_path.parent)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(db_path)
    assert words in str(caught.value) and "left untouched" in str(caught.value)
    assert files_of(db_path.parent) == before


def test_a_newer_schema_message_says_something_true(db_path: Path) -> None:
    with_pending(db_path, "Ana").close()
    data = orjson.loads(db_path.read_bytes())
    data["_meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    db_path.write_bytes(orjson.dumps(data))
    with pytest.raises(StoreNewerVersion) as caught:
        Store.open(db_path)
    assert (
        f"schema version {SCHEMA_VERSION + 1}, and this netbalance reads versions up to "
        f"{SCHEMA_VERSION}"
    ) in str(caught.value)

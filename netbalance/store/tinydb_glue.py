"""TinyDB as the document engine, on our in-memory tables.

TinyDB's Table rebuilds the whole table dict (ids to int and back) on every
write: about 10 ms at 50,000 interactions. DocTable edits the raw table in
place through a view keyed by int, and remembers which documents it touched so
the store can journal exactly those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

Raw = dict[str, dict[str, Any]]


class EngineStorage(Storage):
    """A TinyDB Storage whose data is the engine's tables, already in memory."""

    def __init__(self, tables_of: Callable[[], dict[str, Raw]]) -> None:
        self._tables_of = tables_of

    def read(self) -> dict[str, Raw]:
        return self._tables_of()

    def write(self, data: dict[str, Raw]) -> None:
        # Memory is already changed in place; the store journals the touched documents.
        pass


class _IdView(MutableMapping[int, Any]):
    """The raw table seen with int ids, recording every id written or read for writing."""

    def __init__(self, raw: Raw, touched: set[int]) -> None:
        self._raw = raw
        self._touched = touched

    def __getitem__(self, doc_id: int) -> Any:
        self._touched.add(doc_id)
        return self._raw[str(doc_id)]

    def __setitem__(self, doc_id: int, doc: Any) -> None:
        self._touched.add(doc_id)
        self._raw[str(doc_id)] = doc

    def __delitem__(self, doc_id: int) -> None:
        self._touched.add(doc_id)
        del self._raw[str(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(k) for k in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)


class DocTable(Table):
    """A TinyDB table that updates in place and reports what it touched."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.touched: set[int] = set()

    def _update_table(self, updater: Callable[[dict[int, Mapping[Any, Any]]], None]) -> None:
        tables = self._storage.read()
        assert tables is not None  # EngineStorage always has the engine's tables
        raw = tables.setdefault(self.name, {})
        # TinyDB hands updaters a plain dict; the view only needs to quack like one.
        updater(_IdView(raw, self.touched))  # type: ignore[arg-type]
        self._storage.write(tables)
        self.clear_cache()

    def saw_id(self, doc_id: int) -> None:
        """Another process added `doc_id`: never hand it out again."""
        if self._next_id is not None and self._next_id <= doc_id:
            self._next_id = doc_id + 1

    def start_ids_at(self, doc_id: int) -> None:
        """The ids from `doc_id` up are free (the caller knows; the table is not read)."""
        if self._next_id is None:
            self._next_id = doc_id  # type: ignore[assignment]  # TinyDB declares it None

    def _get_next_id(self) -> int:
        if self._next_id is None:
            raw = (self._storage.read() or {}).get(self.name)
            # A table only partly in memory must never number ids by what it holds.
            assert not getattr(raw, "partial", False), "ids of a partly loaded table"
        return int(super()._get_next_id())  # type: ignore[no-untyped-call]

    def forget_next_id(self) -> None:
        """Another process may have added documents: recompute the next id."""
        self._next_id = None
        self.clear_cache()


class Database(TinyDB):
    table_class = DocTable

    def tables_map(self) -> Mapping[str, DocTable]:
        tables: dict[str, DocTable] = self._tables  # type: ignore[assignment]
        return tables

"""Fixtures for the store tests: every API test runs in memory and on a real file.

After the Store API tests, `reopen` gives a fresh Store on the same file so a
test can check what really reached the disk (in memory it returns the same store).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from netbalance.store import Store

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

Reopen = Callable[[], Store]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "netbalance.json"


@pytest.fixture(params=["memory", "file"])
def store_and_reopen(
    request: pytest.FixtureRequest, db_path: Path
) -> Iterator[tuple[Store, Reopen]]:
    if request.param == "memory":
        store = Store.in_memory()
        yield store, lambda: store
        return
    store = Store.open(db_path)
    opened: list[Store] = [store]

    def reopen() -> Store:
        again = Store.open(db_path)
        opened.append(again)
        return again

    yield store, reopen
    for s in opened:
        s.close()


@pytest.fixture
def store(store_and_reopen: tuple[Store, Reopen]) -> Store:
    return store_and_reopen[0]


@pytest.fixture
def reopen(store_and_reopen: tuple[Store, Reopen]) -> Reopen:
    return store_and_reopen[1]


def disk_tables(path: Path) -> dict[str, Any]:
    """What a fresh open of `path` holds, as plain documents (for memory == disk checks)."""
    with Store.open(path) as fresh:
        return orjson.loads(orjson.dumps(fresh.raw_tables()))  # type: ignore[no-any-return]


def memory_tables(store: Store) -> dict[str, Any]:
    return orjson.loads(orjson.dumps(store.raw_tables()))  # type: ignore[no-any-return]


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC here and in child processes, so messages show known dates."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()

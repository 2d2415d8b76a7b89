"""Shared fixtures for the interop tests: a fixed clock, the real-world files, a store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.store import Store

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
REALWORLD = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "realworld"


def realworld(*parts: str) -> Path:
    """A file in ../shared/fixtures/realworld; skips the test when they are absent."""
    path = REALWORLD.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real-world fixtures not found at {REALWORLD}")
    return path


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store.in_memory()
    yield s
    s.close()

"""Shared fixtures for pilot and snapshot tests: a frozen clock and demo databases."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pendulum
import pytest

from netbalance.app import NetbalanceApp
from netbalance.demo import write_demo
from netbalance.store import Store

# Every UI test lives on this day, in a fixed zone, so screens never depend on the real clock.
NOW = pendulum.datetime(2026, 11, 29, 10, 30, tz="Europe/Lisbon")


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo network, built once per test session."""
    source = tmp_path_factory.mktemp("demo") / "netbalance.json"
    with Store.open(source) as store:
        write_demo(store, "small", 7, NOW)
    return source


@pytest.fixture
def demo_path(tmp_path: Path, demo_source: Path) -> Path:
    """A private copy of the demo database for one test."""
    target = tmp_path / "netbalance.json"
    shutil.copy(demo_source, target)
    return target


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def frozen() -> Iterator[None]:
    """Freeze pendulum's clock too, for code that asks it (toasts, defaults)."""
    with pendulum.travel_to(NOW, freeze=True):
        yield


async def settle(app: NetbalanceApp, pilot: object) -> None:
    """Wait for the store to open, writes to finish and the gauge to be computed."""
    await app.settle()
    await pilot.pause()  # type: ignore[attr-defined]


async def until_still(pilot: Any, *, limit: int = 40) -> None:
    """Wait until the screen stops changing: the same picture three times in a row.

    A snapshot taken while a table is still refilling or scrolling its cursor into view
    (after a refresh that a loaded machine delays) differs from run to run; waiting for
    the work alone is not enough when the work schedules more work for after a refresh.
    """
    last, same = None, 0
    for _ in range(limit):
        settle_app = getattr(pilot.app, "settle", None)
        if settle_app is not None:
            await settle_app()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        for field in pilot.app.screen.query("Input, TextArea"):
            field.cursor_blink = False  # a blinking cursor is a picture that never stands still
        shot = pilot.app.export_screenshot()
        same = same + 1 if shot == last else 0
        if same >= 2:
            return
        last = shot


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Snapshot tests may run up to twice more (pytest-rerunfailures; see pyproject)."""
    for item in items:
        if "snap_compare" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flaky(reruns=2))

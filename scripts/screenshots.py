"""Regenerate screenshots/*.svg from the demo database through make_app.

Run with `make screenshots`. The clock is frozen and the demo data seeded, so
the pictures change only when the app does.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import pendulum

from netbalance.app import NetbalanceApp, make_app
from netbalance.demo import write_demo
from netbalance.store import Store

NOW = pendulum.datetime(2026, 11, 29, 10, 30, tz="Europe/Lisbon")
SIZE = (120, 36)
OUT = Path(__file__).resolve().parent.parent / "screenshots"

Steps = Callable[[NetbalanceApp, object], Awaitable[None]]


async def _keys(app: NetbalanceApp, pilot: object, *keys: str) -> None:
    await pilot.press(*keys)  # type: ignore[attr-defined]
    await app.settle()
    await pilot.pause()  # type: ignore[attr-defined]


SCENES: dict[str, Callable[[NetbalanceApp, object], Awaitable[None]]] = {
    "main": lambda app, pilot: asyncio.sleep(0),
    "follow-up": lambda app, pilot: _keys(app, pilot, "f"),
    "filtered": lambda app, pilot: _keys(app, pilot, "slash", "k", "i", "m"),
    "contact": lambda app, pilot: _keys(app, pilot, "enter"),
    "log-form": lambda app, pilot: _keys(app, pilot, "F"),
    "snooze": lambda app, pilot: _keys(app, pilot, "s"),
    "contact-form": lambda app, pilot: _keys(app, pilot, "e"),
    "help": lambda app, pilot: _keys(app, pilot, "question_mark"),
    "events": lambda app, pilot: _keys(app, pilot, "E"),
    "who-met": lambda app, pilot: _keys(
        app, pilot, "E", "up", "w", "a", "n", "a", "enter", "Z", "e", "d", "enter"
    ),
    "goals": lambda app, pilot: _keys(app, pilot, "G"),
    "goal": lambda app, pilot: _keys(app, pilot, "G", "enter"),
    "review": lambda app, pilot: _keys(app, pilot, "r"),
    "settings": lambda app, pilot: _keys(app, pilot, "comma"),
    "network": lambda app, pilot: _keys(app, pilot, "N"),
    "duplicates": lambda app, pilot: _keys(app, pilot, "D"),
    "marked": lambda app, pilot: _keys(app, pilot, "space", "space", "down", "space"),
    "timeline": lambda app, pilot: _keys(app, pilot, "enter", "tab"),
}


async def shoot(name: str, steps: Steps, source: Path, workdir: Path) -> Path:
    db = workdir / f"{name}.json"
    db.write_bytes(source.read_bytes())
    app = make_app(db, now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await app.settle()
        await pilot.pause()
        await steps(app, pilot)
        await pilot.pause()
        path = app.save_screenshot(f"{name}.svg", str(OUT))
    return Path(path)


async def main(only: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = workdir / "demo.json"
        with Store.open(source) as store:
            write_demo(store, "small", 7, NOW)
        for name, steps in SCENES.items():
            if only and name not in only:
                continue
            path = await shoot(name, steps, source, workdir)
            print(f"wrote {path.relative_to(OUT.parent)}")
        if not only or "welcome" in only:
            app = make_app(workdir / "empty.json", now=NOW)
            async with app.run_test(size=SIZE) as pilot:
                await app.settle()
                await pilot.pause()
                print("wrote", app.save_screenshot("welcome.svg", str(OUT)))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))

"""The duplicates review and the network picture at scale: keys to their frames.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/bench_new_screens.py [small,medium,large,xl]

Each size runs the real app (`make_app`, real clock) headless under a Textual pilot on a
copy of the cached demo database, once per terminal size. Figures, from the key to the
screen drawn with its data (the pilot's settle: workers done, messages handled, a frame):

- `N` (the network picture) and then each arrow key (median of 40, to its repaint);
- `D` (the duplicates review, including `find_duplicates` over every contact);
- the cells the picture drew and the most people one cell held (aggregation).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TERMINALS = [(80, 24), (120, 36), (200, 60)]
ARROWS = ["right", "down", "left", "up", "right", "right", "down", "down"] * 5


async def _one(path: Path, size: tuple[int, int]) -> str:
    from netbalance.app import make_app
    from netbalance.ui.widgets.network_picture import NetworkPicture

    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await app.settle()
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("N")
        await app.settle()
        await pilot.pause()
        picture_ms = (time.perf_counter() - started) * 1000
        widget = app.screen.query_one(NetworkPicture)
        lay = widget._layout
        cells = len(lay.cells) if lay else 0
        per_cell = lay.per_cell if lay else 0
        # A key the picture ignores: what the pilot itself costs per key.
        idle = []
        for _ in range(10):
            started = time.perf_counter()
            await pilot.press("z")
            await pilot.pause()
            idle.append((time.perf_counter() - started) * 1000)
        times = []
        for key in ARROWS:
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append((time.perf_counter() - started) * 1000)
        await pilot.press("escape")
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("D")
        await app.settle()
        await pilot.pause()
        dupes_ms = (time.perf_counter() - started) * 1000
    w, h = size
    return (
        f"{w}x{h}: N {picture_ms:6.0f} ms · arrow median {statistics.median(times):5.1f} ms "
        f"(max {max(times):5.1f}; an ignored key {statistics.median(idle):5.1f}) · "
        f"{cells} cells, up to {per_cell} per cell · "
        f"D {dupes_ms:6.0f} ms"
    )


def main() -> None:
    sizes = common.parse_sizes(sys.argv[1] if len(sys.argv) > 1 else "small,medium")
    common.note(f"load average {common.loadavg()}")
    for size in sizes:
        db = common.demo_db(size)
        with tempfile.TemporaryDirectory() as tmp:
            for terminal in TERMINALS:
                path = common.warmed_copy(db, Path(tmp) / f"{terminal[0]}")
                line = asyncio.run(_one(path, terminal))
                print(f"{size} ({db.contacts:,} contacts) {line}", flush=True)


if __name__ == "__main__":
    main()

"""UI figures at demo sizes: first paint, follow-up, filter keystroke, memory.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/bench_ui.py [small|medium|large ...]

- first paint: from process start (the parent's clock before it spawns Python) until the
  headless app has mounted its main screen and drawn once; "contacts shown" until the
  ranked list is on screen (the store opens in a worker after the first paint).
- follow-up: the work `f` does before the next frame (log in the view, re-rank, re-list);
  the durable write follows on the writer thread and is measured by bench_store.py.
- filter: one keystroke of `/` filtering (re-filter 5,000 rows and re-list).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pendulum

ROOT = Path(__file__).resolve().parent.parent
NOW = pendulum.datetime(2026, 11, 29, 10, 30, tz="Europe/Lisbon")


def build(size: str, folder: Path) -> Path:
    from netbalance.demo import write_demo
    from netbalance.store import Store

    path = folder / f"{size}.json"
    with Store.open(path) as store:
        write_demo(store, size, 7, NOW)
    return path


PROBE = r"""
import asyncio, json, sys, time, resource
t0 = float(sys.argv[2])
from netbalance.app import make_app
from netbalance.ui.widgets.contact_list import ContactList
import pendulum
NOW = pendulum.datetime(2026, 11, 29, 10, 30, tz="Europe/Lisbon")

async def main():
    app = make_app(sys.argv[1], now=NOW)
    out = {}
    async with app.run_test(size=(120, 36)) as pilot:
        out["first_paint"] = time.time() - t0
        while not app.screen.query_one(ContactList).rows:
            await asyncio.sleep(0.002)
        out["contacts_shown"] = time.time() - t0
        await app.settle()
        out["health_ready"] = time.time() - t0
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))

asyncio.run(main())
"""


def startup(path: Path) -> dict[str, float]:
    runs = []
    for _ in range(3):
        t0 = time.time()
        result = subprocess.run(
            [sys.executable, "-c", PROBE, str(path), repr(t0)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        if result.returncode != 0:
            raise SystemExit(result.stderr[-2000:])
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


async def interactions(path: Path) -> dict[str, float]:
    from netbalance.app import make_app
    from netbalance.ui.widgets.contact_list import ContactList
    from netbalance.ui.widgets.contacts_pane import ContactsPane

    app = make_app(path, now=NOW)
    follow, filt = [], []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.settle()
        await pilot.pause()
        for _ in range(30):
            cid = app.screen.query_one(ContactList).rows[0].contact_id
            t = time.perf_counter()
            app.controller.follow_up(cid)
            follow.append(time.perf_counter() - t)
            await pilot.pause()
        await app.writer.join()
        pane = app.screen.query_one(ContactsPane)
        for text in ["a", "an", "ana", "ana ", "ana s", "ana", "an", "a", "", "k", "ki", "kim"]:
            t = time.perf_counter()
            pane.query_text = text
            app.main.show_contacts()
            filt.append(time.perf_counter() - t)
            await pilot.pause()
        await app.settle()
    follow.sort()
    filt.sort()
    return {
        "follow_p50_ms": follow[len(follow) // 2] * 1000,
        "follow_p95_ms": follow[int(len(follow) * 0.95)] * 1000,
        "filter_p50_ms": filt[len(filt) // 2] * 1000,
        "filter_max_ms": filt[-1] * 1000,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    sizes = sys.argv[1:] or ["small", "medium", "large"]
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = build(size, Path(tmp))
            s = startup(path)
            line = (
                f"{size:<7} first paint {s['first_paint'] * 1000:6.0f} ms · contacts shown "
                f"{s['contacts_shown'] * 1000:6.0f} ms · gauge ready "
                f"{s['health_ready'] * 1000:6.0f} ms · RSS {s['rss_mb']:.0f} MB"
            )
            print(line, flush=True)
            if size != "large":
                f = asyncio.run(interactions(path))
                print(
                    f"{'':<7} f (view + re-rank + re-list) p50 {f['follow_p50_ms']:.2f} ms, "
                    f"p95 {f['follow_p95_ms']:.2f} ms · filter keystroke p50 "
                    f"{f['filter_p50_ms']:.2f} ms, max {f['filter_max_ms']:.2f} ms",
                    flush=True,
                )


if __name__ == "__main__":
    main()

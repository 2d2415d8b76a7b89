"""Where the time goes: cProfile of `netbalance due --json` and of the app's start.

A script, not a test: it prints profiles for the performance work.

    .venv/bin/python benchmarks/profile_start.py [due|app] [--size large] [--top 25]

Each profile runs in a fresh process on a copy of the cached demo database, profiling
from before netbalance is imported (imports included) until:

- due: `netbalance.cli.main(["--db", DB, "due", "--json"])` returns (output discarded);
- app: the first frame that shows the gauge (benchmarks/frames.py), the real app under
  a headless pilot. The app opens the store and builds the health model in worker
  threads; cProfile sees one thread, so each thread gets its own profiler (Thread.run is
  wrapped) and is reported on its own.

cProfile cannot see the cyclic garbage collector: its pauses are timed separately with
`gc.callbacks` and reported per thread-agnostic total. cProfile's own overhead inflates
many small calls (roughly 1.5-2x here); read the figures as shares, not as wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import sys
import tempfile
import threading
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common


class GcClock:
    """Total time in the cyclic garbage collector, by generation."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.counts = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            generation = info["generation"]
            self.seconds[generation] += time.perf_counter() - self._started
            self.counts[generation] += 1

    def report(self) -> str:
        total = sum(self.seconds) * 1000
        parts = ", ".join(
            f"gen{g} {n} runs {s * 1000:,.0f} ms"
            for g, (n, s) in enumerate(zip(self.counts, self.seconds, strict=True))
        )
        return f"cyclic GC: {total:,.0f} ms in all ({parts})"


def _print_stats(title: str, profile: cProfile.Profile, top: int, wall: float | None) -> None:
    buffer = io.StringIO()
    stats = pstats.Stats(profile, stream=buffer)
    stats.strip_dirs()
    total = stats.total_tt  # type: ignore[attr-defined]
    wall_text = f", wall {wall * 1000:,.0f} ms" if wall is not None else ""
    print(f"\n=== {title}: {total * 1000:,.0f} ms profiled{wall_text}")
    print("--- by own time (tottime)")
    stats.sort_stats("tottime").print_stats(top)
    print(_trim(buffer.getvalue()))
    buffer.seek(0)
    buffer.truncate()
    print("--- by cumulative time")
    stats.sort_stats("cumulative").print_stats(top)
    print(_trim(buffer.getvalue()))


def _trim(text: str) -> str:
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start:])


def profile_due(db: Path, top: int) -> None:
    clock = GcClock()
    gc.callbacks.append(clock)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    from netbalance.cli import main as cli_main

    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        code = cli_main(["--db", str(db), "due", "--json"])
    profile.disable()
    wall = time.perf_counter() - started
    gc.callbacks.remove(clock)
    print(f"netbalance due --json exited {code}; {clock.report()}")
    _print_stats("due --json, main thread", profile, top, wall)


def profile_app(db: Path, top: int) -> None:
    profiles: list[tuple[str, cProfile.Profile]] = []
    original_run = threading.Thread.run

    def run(self: threading.Thread) -> None:
        profile = cProfile.Profile()
        profiles.append((self.name, profile))
        profile.enable()
        try:
            original_run(self)
        finally:
            profile.disable()

    threading.Thread.run = run  # type: ignore[method-assign]
    clock = GcClock()
    gc.callbacks.append(clock)
    main = cProfile.Profile()
    started = time.perf_counter()
    main.enable()
    wall = asyncio.run(_app_until_gauge(db))
    main.disable()
    gc.callbacks.remove(clock)
    total = time.perf_counter() - started
    print(
        f"app start to the gauge frame: {wall * 1000:,.0f} ms under the profiler; {clock.report()}"
    )
    _print_stats("app start, main thread (event loop)", main, top, total)
    for name, profile in profiles:
        stats = pstats.Stats(profile)
        if stats.total_tt * 1000 < 20:  # type: ignore[attr-defined]
            continue  # idle helper threads (driver input, writer waiting)
        _print_stats(f"app start, thread {name}", profile, top, None)


async def _app_until_gauge(db: Path) -> float:
    from frames import FrameWatch

    from netbalance.app import make_app

    started = time.perf_counter()
    app = make_app(db)
    watch = FrameWatch(app)
    async with app.run_test(size=(120, 36), notifications=True):
        gauge = watch.expect(lambda f: "Depth " in f.text and " · Breadth " in f.text)
        await watch.wait(gauge, 300, "the gauge")
        elapsed = time.perf_counter() - started
        await app.settle()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["due", "app"], nargs="?", default="due")
    parser.add_argument("--size", default="large", choices=common.ALL_SIZES)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--db", help=argparse.SUPPRESS)  # the child's database copy
    args = parser.parse_args()
    if args.db:
        (profile_due if args.what == "due" else profile_app)(Path(args.db), args.top)
        return
    db = common.demo_db(args.size)
    print(f"{args.what} at {args.size}; load before: {common.loadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="nb-profile-") as tmp:
        path = common.warmed_copy(db, Path(tmp))
        done = common.run_process(
            [str(common.PYTHON), __file__, args.what, "--db", str(path), "--top", str(args.top)]
        )
        print(done.stdout.decode())
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode()[-3000:])
    print(f"load after: {common.loadavg()}")


if __name__ == "__main__":
    main()

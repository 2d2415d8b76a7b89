"""Store benchmark: our journaled store beside stock TinyDB JSONStorage, same data.

    .venv/bin/python benchmarks/bench_store.py [small medium large] [--keep DIR]

For each demo size it builds a database file with netbalance.demo, then measures
in fresh processes: open time, RSS after open, the durable follow-up latency
(Store.log_interaction: journal append + fsync) p50/p95 over 200 follow-ups, and
`netbalance due` whole-process wall time. Stock TinyDB opens a copy of the same
file and does the same follow-up (insert an interaction + update the contact);
it rewrites the whole file each time (and never fsyncs), so it runs fewer times.
A script, not a test: it prints figures and never fails on time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
FOLLOWUPS = 200
STOCK_FOLLOWUPS = {"small": 40, "medium": 15, "large": 5}
TARGETS = {
    "medium": {"followup": 15, "open": 150, "due": 300, "rss": 150},
    "large": {"followup": 50},
}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child_ours(db: str) -> dict[str, float]:
    """Runs in a fresh process: open, memory, follow-ups."""
    from netbalance.domain import Interaction
    from netbalance.store import Store

    start = time.perf_counter()
    store = Store.open(Path(db))
    opened = time.perf_counter() - start
    memory = rss_mb()
    ids = [c.id for c in store.contacts()]
    lat = []
    for n in range(FOLLOWUPS):
        interaction = Interaction((ids[(n * 7919) % len(ids)],), NOW, note="bench")
        t = time.perf_counter()
        store.log_interaction(interaction, NOW)
        lat.append(time.perf_counter() - t)
    return {"open": opened, "rss": memory, **percentiles(lat)}


def child_stock(db: str, count: int) -> dict[str, float]:
    from tinydb import TinyDB

    start = time.perf_counter()
    tdb = TinyDB(db)
    contacts = tdb.table("contacts")
    ids = [d.doc_id for d in contacts.all()]  # TinyDB reads lazily: force the parse
    opened = time.perf_counter() - start
    memory = rss_mb()
    interactions = tdb.table("interactions")
    lat = []
    for n in range(count):
        cid = ids[(n * 7919) % len(ids)]
        t = time.perf_counter()
        interactions.insert({"contacts": [cid], "at": "2026-03-02T12:00:00Z", "kind": "message"})
        contacts.update({"snoozed_until": None}, doc_ids=[cid])
        lat.append(time.perf_counter() - t)
    return {"open": opened, "rss": memory, **percentiles(lat)}


def percentiles(lat: list[float]) -> dict[str, float]:
    lat = sorted(lat)
    return {"p50": statistics.median(lat), "p95": lat[min(len(lat) - 1, int(len(lat) * 0.95))]}


def in_child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    return result


def build(size: str, folder: Path) -> Path:
    from netbalance.demo import write_demo
    from netbalance.store import Store

    db = folder / size / "netbalance.json"
    with Store.open(db) as store:
        write_demo(store, size, seed=7, now=NOW)
    return db


def due_wall(db: Path, runs: int = 5) -> float | None:
    exe = ROOT / ".venv" / "bin" / "netbalance"
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run([str(exe), "--db", str(db), "due"], capture_output=True)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            return None
    return statistics.median(times)


def fmt_ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:,.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", default=["small", "medium", "large"])
    parser.add_argument("--child-ours")
    parser.add_argument("--child-stock", nargs=2)
    parser.add_argument("--keep", type=Path, help="build the files here and keep them")
    args = parser.parse_args()
    if args.child_ours:
        print(json.dumps(child_ours(args.child_ours)))
        return
    if args.child_stock:
        print(json.dumps(child_stock(args.child_stock[0], int(args.child_stock[1]))))
        return

    folder = args.keep or Path(tempfile.mkdtemp(prefix="nb-bench-"))
    rows = []
    try:
        for size in args.sizes:
            t = time.perf_counter()
            db = build(size, folder)
            built = time.perf_counter() - t
            stock_db = db.with_name("stock.json")
            shutil.copyfile(db, stock_db)
            mb = db.stat().st_size / 1e6
            # `due` first, on the freshly folded file, before follow-ups grow the journal.
            due = due_wall(db)
            ours = in_child("--child-ours", str(db))
            stock = in_child("--child-stock", str(stock_db), str(STOCK_FOLLOWUPS[size]))
            rows.append((size, mb, built, ours, stock, due))
            print(f"built {size}: {mb:.1f} MB in {built:.1f} s", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print_table(rows)


Row = tuple[str, float, float, dict[str, float], dict[str, float], float | None]


def line(*cells: str) -> str:
    widths = (7, 22, 12, 13, 12, 10)
    parts = [
        c.ljust(w) if i < 2 else c.rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    ]
    return "| " + " | ".join(parts) + " |"


def print_table(rows: list[Row]) -> None:
    print(line("size", "measure", "netbalance", "stock TinyDB", "stock / ours", "target"))
    print(line(*("-" * w for w in (7, 22, 12, 13, 12, 10))).replace(" ", "-"))
    for size, mb, _built, ours, stock, due in rows:
        target = TARGETS.get(size, {})
        for label, key, goal in (
            ("follow-up p50", "p50", "followup"),
            ("follow-up p95", "p95", None),
            ("open", "open", "open"),
        ):
            a, b = ours[key], stock[key]
            want = f"<= {target[goal]} ms" if goal in target else ""
            print(line(size, label, fmt_ms(a), fmt_ms(b), f"{b / a:.1f}x", want))
        want = f"<= {target['rss']} MB" if "rss" in target else ""
        ratio = f"{stock['rss'] / ours['rss']:.1f}x"
        print(
            line(
                size,
                "RSS after open",
                f"{ours['rss']:.0f} MB",
                f"{stock['rss']:.0f} MB",
                ratio,
                want,
            )
        )
        want = f"<= {target['due']} ms" if "due" in target else ""
        print(line(size, "`netbalance due` wall", fmt_ms(due), "-", "-", want))
        print(line(size, "file size", f"{mb:.1f} MB", "", "", ""))


if __name__ == "__main__":
    main()

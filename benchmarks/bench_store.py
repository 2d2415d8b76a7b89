"""The store's durable follow-up beside stock TinyDB doing the same write, and the fold.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/bench_store.py [small,medium,large,xl]

Like for like: a follow-up (`f`) on a contact who is not snoozed stores one interaction
and changes nothing else, so both sides insert the same document (the codec's encoding
of the same Interaction) into the same copy of the demo database:

- netbalance: `Store.log_interaction`: one journal line appended and fsynced (durable);
- stock TinyDB: `TinyDB(path).table("interactions").insert(doc)` with its default
  JSONStorage, which re-reads and rewrites the whole file on every write and never
  fsyncs (not durable: a crash mid-write can leave a torn file).

The journal is folded into the JSON file (a full rewrite: temp file, fsync, rename) once
it passes COMPACT_BYTES, and at every close, so every command-line write pays it on exit.
A run of follow-ups long enough to reach the size-triggered fold takes minutes
(4 MB at ~130 bytes a line), so the fold is measured on its own as `Store.close()`
after the follow-ups: the follow-up that triggers a fold costs one append plus that.

Each side runs in a fresh process; open is timed inside it; peak RSS is the process's
own peak from the kernel (ru_maxrss after open, and over the whole run via wait4).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

FOLLOW_UPS = 200
STOCK_FOLLOW_UPS = {"small": 40, "medium": 15, "large": 5, "xl": 2}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _interaction(contact_id: int, now: datetime) -> Any:
    from netbalance.domain import Interaction, InteractionKind

    return Interaction((contact_id,), now, kind=InteractionKind.MESSAGE, depth=2)


def child_ours(db: str, count: int) -> dict[str, Any]:
    """Open, `count` durable follow-ups on unsnoozed contacts, then the fold at close."""
    from netbalance.store import Store

    start = time.perf_counter()
    store = Store.open(Path(db))
    opened = time.perf_counter() - start
    peak_open = _peak_mb()
    now = datetime.now(UTC)
    ids = [c.id for c in store.contacts() if c.snoozed_until is None]
    journal = Path(db + ".journal")
    lat = []
    for n in range(count):
        interaction = _interaction(ids[(n * 7919) % len(ids)], now)
        t = time.perf_counter()
        store.log_interaction(interaction, now)
        lat.append(time.perf_counter() - t)
    line_bytes = journal.stat().st_size / count
    t = time.perf_counter()
    store.close()
    fold = time.perf_counter() - t
    return {"open": opened, "peak_open": peak_open, "lat": lat, "fold": fold, "line": line_bytes}


def child_stock(db: str, count: int) -> dict[str, Any]:
    """Stock TinyDB on the same file: open (parse every table), then `count` inserts."""
    from tinydb import TinyDB

    from netbalance.store import codec

    start = time.perf_counter()
    tdb = TinyDB(db)
    contacts = tdb.table("contacts")
    ids = [int(d.doc_id) for d in contacts.all()]  # TinyDB reads lazily: force the parse
    opened = time.perf_counter() - start
    peak_open = _peak_mb()
    now = datetime.now(UTC)
    interactions = tdb.table("interactions")
    lat = []
    for n in range(count):
        doc = codec.interaction_to_doc(_interaction(ids[(n * 7919) % len(ids)], now))
        t = time.perf_counter()
        interactions.insert(doc)
        lat.append(time.perf_counter() - t)
    return {"open": opened, "peak_open": peak_open, "lat": lat}


def _in_child(mode: str, db: Path, count: int) -> dict[str, Any]:
    done = common.run_process([str(common.PYTHON), __file__, mode, str(db), str(count)])
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed: {done.stderr.decode()[-2000:]}")
    out: dict[str, Any] = json.loads(done.stdout.decode().splitlines()[-1])
    out["peak"] = done.peak_mb
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(db: common.DemoDb, work: Path) -> dict[str, Any]:
    template = common.warmed_copy(db, work / "template")
    ours = _in_child("--child-ours", common.copy_db(template, work / "ours"), FOLLOW_UPS)
    stock_db = common.copy_db(template, work / "stock")
    stock = _in_child("--child-stock", stock_db, STOCK_FOLLOW_UPS[db.size])
    return {"ours": ours, "stock": stock, "mb": db.megabytes}


def describe(size: str, r: dict[str, Any]) -> list[str]:
    ours, stock = r["ours"], r["stock"]
    ms = 1000.0

    def row(measure: str, a: str, b: str, ratio: str = "") -> str:
        return f"| {size:<6} | {measure:<38} | {a:>11} | {b:>12} | {ratio:>8} |"

    rows = []
    for label, q in (("follow-up p50", 0.5), ("follow-up p95", 0.95), ("follow-up max", 1.0)):
        a, b = pct(ours["lat"], q) * ms, pct(stock["lat"], q) * ms
        rows.append(row(label, f"{a:,.1f} ms", f"{b:,.1f} ms", f"{b / a:,.0f}x"))
    from netbalance.store.engine import COMPACT_BYTES

    per_fold = COMPACT_BYTES / ours["line"]
    label = f"fold (at close; 1 in ~{per_fold:,.0f} writes)"
    rows.append(row(label, f"{ours['fold'] * ms:,.0f} ms", "every write"))
    a, b = ours["open"] * ms, stock["open"] * ms
    rows.append(row("open", f"{a:,.0f} ms", f"{b:,.0f} ms", f"{b / a:.1f}x"))
    rows.append(
        row("peak RSS after open", f"{ours['peak_open']:,.0f} MB", f"{stock['peak_open']:,.0f} MB")
    )
    rows.append(row("peak RSS, whole run", f"{ours['peak']:,.0f} MB", f"{stock['peak']:,.0f} MB"))
    rows.append(row("file", f"{r['mb']:.1f} MB", ""))
    return rows


def main() -> None:
    if sys.argv[1:2] == ["--child-ours"]:
        print(json.dumps(child_ours(sys.argv[2], int(sys.argv[3]))))
        return
    if sys.argv[1:2] == ["--child-stock"]:
        print(json.dumps(child_stock(sys.argv[2], int(sys.argv[3]))))
        return
    sizes = common.parse_sizes(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"load before: {common.loadavg()}")
    print(
        f"| size   | {'measure':<38} | {'netbalance':>11} | {'stock TinyDB':>12} "
        f"| {'stock/us':>8} |"
    )
    print(f"|--------|{'-' * 40}|{'-' * 13}|{'-' * 14}|{'-' * 10}|")
    with tempfile.TemporaryDirectory(prefix="nb-bench-store-") as tmp:
        for size in sizes:
            for line in describe(size, measure(common.demo_db(size), Path(tmp))):
                print(line, flush=True)
    print(f"stock TinyDB follow-ups: {STOCK_FOLLOW_UPS}; netbalance: {FOLLOW_UPS} each")
    print(f"load after: {common.loadavg()}")


if __name__ == "__main__":
    main()

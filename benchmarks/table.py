"""Issue 14's table: the command line, the app and import, size by size, against the goals.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/table.py [small,medium,large,xl]     (make bench SIZES=...)

Per size it runs bench_cli.py (`due --json`, `log NAME`), bench_ui.py (frames after
start, `f` and filter keys to their frames, peak RSS) and bench_import.py (5,000 vCards
into a copy of that size's database), then once the anchor: `khard list` over the same
5,000 vCards, and the import into a fresh database. It prints each size's details as
they come, then the table, which goals hold, and the machine's load before and after
(2 cores: a load above 2 means processes wait for a core, and every figure grows).
The figures are also written to benchmarks/out/table-<time>.json (gitignored).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cli
import bench_import
import bench_ui
import common

# The goals of issue 14, per size (ms, MB, or a ratio to khard list).
GOALS: dict[str, dict[str, float]] = {
    "medium": {
        "due": 150,
        "log": 150,
        "contacts_frame": 500,
        "gauge_frame": 800,
        "f_p95": 16,
        "f_saved_p95": 50,
        "filter_p95": 33,
        "rss": 120,
    },
    "large": {
        "due": 300,
        "log": 300,
        "contacts_frame": 1000,
        "gauge_frame": 1500,
        "filter_p95": 50,
        "rss": 250,
    },
    "xl": {"due": 600},
}
IMPORT_GOAL = 0.5  # import 5,000 vCards, whole process, <= 0.5x khard list on the same folder


def goals_text(size: str) -> str:
    g = GOALS.get(size, {})
    parts = []
    if "due" in g:
        parts.append(f"due ≤{g['due']:.0f}")
    if "log" in g:
        parts.append(f"log ≤{g['log']:.0f}")
    if "contacts_frame" in g:
        parts.append(f"frames ≤{g['contacts_frame']:,.0f}/{g['gauge_frame']:,.0f}")
    if "f_p95" in g:
        parts.append(f"f p95 ≤{g['f_p95']:.0f}/{g['f_saved_p95']:.0f}")
    if "filter_p95" in g:
        parts.append(f"filter p95 ≤{g['filter_p95']:.0f}")
    if "rss" in g:
        parts.append(f"RSS ≤{g['rss']:.0f} MB")
    return ", ".join(parts) or "-"


def figures(size: str, row: dict[str, Any]) -> dict[str, float]:
    """The figures the goals are stated on."""
    ui = row["ui"]
    return {
        "due": row["cli"]["due"]["median_ms"],
        "log": row["cli"]["log"]["median_ms"],
        "contacts_frame": ui["contacts_frame"],
        "gauge_frame": ui["gauge_frame"],
        "f_p95": ui["f_listed_p95"],
        "f_saved_p95": ui["f_saved_p95"],
        "filter_p95": ui["filter_p95"],
        "rss": ui["session_peak_mb"],
    }


def verdicts(rows: dict[str, dict[str, Any]], import_ratio: float | None) -> list[str]:
    lines = []
    for size, row in rows.items():
        have = figures(size, row)
        for key, goal in GOALS.get(size, {}).items():
            unit = "MB" if key == "rss" else "ms"
            mark = "holds" if have[key] <= goal else "MISSED"
            lines.append(f"{size} {key}: {have[key]:,.0f} {unit} (goal ≤{goal:,.0f}) {mark}")
    if import_ratio is not None:
        mark = "holds" if import_ratio <= IMPORT_GOAL else "MISSED"
        lines.append(
            f"import 5,000 vCards (fresh database): {import_ratio:.2f}x khard list "
            f"(goal ≤{IMPORT_GOAL}x) {mark}"
        )
    return lines


def _count(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 else str(n)


def table(rows: dict[str, dict[str, Any]], khard_ms: float | None) -> list[str]:
    head = (
        "| size (file) | due | log | contacts frame | gauge frame | f p50/p95 (frame · saved) "
        "| filter p50/p95 | app peak RSS | import vs khard | goals |"
    )
    out = [head, "|" + "---|" * 10]
    for size, row in rows.items():
        cli, ui = row["cli"], row["ui"]
        contacts, interactions = common.COUNTS[size]
        imp = row["import_ms"]
        vs = f"{imp / 1000:.1f} s = {imp / khard_ms:.2f}x" if khard_ms else f"{imp / 1000:.1f} s"
        out.append(
            f"| {size} {_count(contacts)}/{_count(interactions)} ({row['mb']:.1f} MB) "
            f"| {cli['due']['median_ms']:,.0f} ms | {cli['log']['median_ms']:,.0f} ms "
            f"| {ui['contacts_frame']:,.0f} ms | {ui['gauge_frame']:,.0f} ms "
            f"| {ui['f_listed_p50']:.0f}/{ui['f_listed_p95']:.0f} · "
            f"{ui['f_saved_p50']:.0f}/{ui['f_saved_p95']:.0f} ms "
            f"| {ui['filter_p50']:.0f}/{ui['filter_p95']:.0f} ms "
            f"| {ui['session_peak_mb']:.0f} MB | {vs} | {goals_text(size)} |"
        )
    return out


def main() -> None:
    sizes = common.parse_sizes(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SIZES"))
    started = time.monotonic()
    load_before = common.loadavg()
    print(
        f"netbalance benchmarks, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load before: {load_before}",
        flush=True,
    )
    for size in sizes:
        common.demo_db(size)  # build what is missing before any clock runs
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="nb-bench-") as tmp:
        work = Path(tmp)
        inputs = bench_import.Inputs(work / "import")
        for size in sizes:
            db = common.demo_db(size)
            cli = bench_cli.measure(db, work / "cli")
            print(bench_cli.describe(size, cli), flush=True)
            ui = bench_ui.measure(db, work / "ui")
            print(bench_ui.describe(size, ui), flush=True)
            into = bench_import.import_vcards(inputs, db)
            print(f"{size:<7} import 5,000 vCards into it: {into.median_ms:,.0f} ms", flush=True)
            rows[size] = {
                "cli": {k: asdict(v) for k, v in cli.items()},
                "ui": ui,
                "import_ms": into.median_ms,
                "mb": db.megabytes,
            }
        khard = bench_import.khard_list(inputs)
        fresh = bench_import.import_vcards(inputs, None)
    khard_ms = khard.median_ms if khard else None
    ratio = fresh.median_ms / khard_ms if khard_ms else None
    load_after = common.loadavg()
    print()
    print("\n".join(table(rows, khard_ms)))
    print()
    if khard_ms:
        print(
            f"Anchor: khard list over 5,000 vCards {khard_ms:,.0f} ms; netbalance import vcard of "
            f"the same folder into a fresh database {fresh.median_ms:,.0f} ms = {ratio:.2f}x."
        )
        if "medium" in rows:
            due = rows["medium"]["cli"]["due"]["median_ms"]
            print(f"due --json at medium = {due / khard_ms:.3f}x khard list.")
    print("\n".join(verdicts(rows, ratio)))
    minutes = (time.monotonic() - started) / 60
    print(f"Load before: {load_before}; after: {load_after}; {minutes:.1f} min in all.")
    out = common.ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "load_before": load_before,
        "load_after": load_after,
        "rows": rows,
        "khard_ms": khard_ms,
        "fresh_import_ms": fresh.median_ms,
    }
    path = out / f"table-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(record, indent=1))
    print(f"Figures saved to {path.relative_to(common.ROOT)}.")


if __name__ == "__main__":
    main()

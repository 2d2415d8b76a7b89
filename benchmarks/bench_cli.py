"""The command line as a user meets it: whole processes, open and close included.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/bench_cli.py [small,medium,large,xl]

- `netbalance --db DB due --json`: read-only; start Python, open the file, rank, print.
- `netbalance --db DB log NAME`: a durable write (journal append + fsync) and the fold
  of the journal into the JSON file that every command-line write does on exit.

Each is the median wall time of several fresh processes on a copy of the cached database
that one untimed `due` has opened first (the first open of a day folds the journal and
writes the day's backup, once a day), with the median of their peak RSS from the kernel.
NAME is a contact whose name is unique in the demo network, as a user would type it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

RUNS = {"small": 7, "medium": 7, "large": 5, "xl": 3}


def measure(db: common.DemoDb, work: Path) -> dict[str, common.Timing]:
    """`due --json` and `log NAME` at one size, on a copy of its database."""
    path = common.warmed_copy(db, work)
    exe = str(common.NETBALANCE)
    runs = RUNS[db.size]
    due = common.timed_runs([exe, "--db", str(path), "due", "--json"], runs, warmup=0)
    log = common.timed_runs([exe, "--db", str(path), "log", db.log_name], runs, warmup=0)
    return {"due": due, "log": log}


def describe(size: str, r: dict[str, common.Timing]) -> str:
    due, log = r["due"], r["log"]
    return (
        f"{size:<7} due --json {due.median_ms:,.0f} ms ({due.low_ms:,.0f}-{due.high_ms:,.0f}, "
        f"{due.peak_mb:.0f} MB) · log NAME {log.median_ms:,.0f} ms ({log.low_ms:,.0f}-"
        f"{log.high_ms:,.0f}, {log.peak_mb:.0f} MB) · median of {due.runs}"
    )


def main() -> None:
    sizes = common.parse_sizes(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"load before: {common.loadavg()}")
    with tempfile.TemporaryDirectory(prefix="nb-bench-cli-") as tmp:
        for size in sizes:
            db = common.demo_db(size)
            print(describe(size, measure(db, Path(tmp))), flush=True)
    print(f"load after: {common.loadavg()}")


if __name__ == "__main__":
    main()

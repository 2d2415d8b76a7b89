"""The command line as a user meets it: whole processes, open and close included.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/bench_cli.py [small,medium,large,xl] [--against CHECKOUT]

- `netbalance --db DB due --json`: read-only; start Python, open the file, rank, print.
- `netbalance --db DB log NAME`: a durable write (journal append + fsync) and the fold
  of the journal into the JSON file that every command-line write does on exit.

Each is the median wall time of several fresh processes on a copy of the cached database
that one untimed `due` has opened first (the first open of a day folds the journal and
writes the day's backup, once a day), with the median of their peak RSS from the kernel.
NAME is a contact whose name is unique in the demo network, as a user would type it.

`--against CHECKOUT` compares another checkout's code (say `git worktree add /tmp/base
main`) with this one, on the same machine at the same time: each has its own copy of the
database, and their runs alternate (before, after, before, ...), so a change in the
machine's load falls on both. The other code runs in this venv with PYTHONPATH=CHECKOUT.
"""

from __future__ import annotations

import os
import statistics
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


def compare(db: common.DemoDb, work: Path, against: Path) -> dict[str, dict[str, common.Timing]]:
    """`due --json` and `log NAME` with the code at `against` ("before") and this
    checkout's ("after"), runs alternating, each on its own warmed copy."""
    envs = {"before": {**common.user_env(), "PYTHONPATH": str(against)}, "after": None}
    paths = {label: common.warmed_copy(db, work / label, env) for label, env in envs.items()}
    exe = str(common.NETBALANCE)
    seconds: dict[tuple[str, str], list[float]] = {}
    peaks: dict[tuple[str, str], list[float]] = {}
    for _ in range(RUNS[db.size]):
        for command, args in (("due", ["due", "--json"]), ("log", ["log", db.log_name])):
            for label, env in envs.items():
                done = common.run_process([exe, "--db", str(paths[label]), *args], env)
                if done.returncode != 0:
                    raise SystemExit(f"{label} {command}: {done.stderr.decode()[-2000:]}")
                seconds.setdefault((label, command), []).append(done.seconds * 1000)
                peaks.setdefault((label, command), []).append(done.peak_mb)
    out: dict[str, dict[str, common.Timing]] = {}
    for (label, command), values in seconds.items():
        out.setdefault(label, {})[command] = common.Timing(
            statistics.median(values),
            min(values),
            max(values),
            statistics.median(peaks[(label, command)]),
            len(values),
        )
    return out


def describe(size: str, r: dict[str, common.Timing]) -> str:
    due, log = r["due"], r["log"]
    return (
        f"{size:<7} due --json {due.median_ms:,.0f} ms ({due.low_ms:,.0f}-{due.high_ms:,.0f}, "
        f"{due.peak_mb:.0f} MB) · log NAME {log.median_ms:,.0f} ms ({log.low_ms:,.0f}-"
        f"{log.high_ms:,.0f}, {log.peak_mb:.0f} MB) · median of {due.runs}"
    )


def main() -> None:
    args = sys.argv[1:]
    against = None
    if "--against" in args:
        at = args.index("--against")
        against = Path(args[at + 1]).resolve()
        del args[at : at + 2]
    sizes = common.parse_sizes(args[0] if args else None)
    print(f"load before: {common.loadavg()}")
    with tempfile.TemporaryDirectory(prefix="nb-bench-cli-") as tmp:
        for size in sizes:
            db = common.demo_db(size)
            if against is None:
                print(describe(size, measure(db, Path(tmp))), flush=True)
                continue
            both = compare(db, Path(tmp) / size, against)
            for label in ("before", "after"):
                print(f"{describe(size, both[label])} · {label}", flush=True)
            print(f"        load now: {os.getloadavg()[0]:.2f}", flush=True)
    print(f"load after: {common.loadavg()}")


if __name__ == "__main__":
    main()

"""Crash soak: SIGKILL a writing process hundreds of times; no acknowledged write may be lost.

    .venv/bin/python benchmarks/crash_soak.py [--rounds 300] [--seed N]

The CI test (tests/store/test_processes.py) runs 20 rounds; this runs many
more, with compaction forced every few kilobytes so kills also land between a
compaction's renames. Prints the rounds, writes checked, and any loss.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from tests.store.test_processes import crash_rounds, seeded  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nb-soak-") as tmp:
        db = Path(tmp) / "netbalance.json"
        seeded(db)
        start = time.perf_counter()
        try:
            checked = crash_rounds(db, args.rounds, random.Random(args.seed))
        except (AssertionError, pytest.fail.Exception) as err:
            print(f"LOST WRITES (seed {args.seed}): {err}")
            raise SystemExit(1) from None
        took = time.perf_counter() - start
        leftovers = list(db.parent.glob(".*.tmp-*"))
    print(f"seed {args.seed}: {args.rounds} SIGKILLs, {checked} acknowledged writes, none lost")
    per_round = took / args.rounds * 1000
    print(f"{took:.1f} s ({per_round:.0f} ms a round); stray temp files: {len(leftovers)}")


if __name__ == "__main__":
    main()

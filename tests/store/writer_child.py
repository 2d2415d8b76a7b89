"""A child process for the crash and concurrency tests (run as a script, not collected).

    python writer_child.py DB TAG COUNT [--wait-go] [--compact-bytes N] [--compact-at-end]

Opens the store, optionally waits for a line on stdin (so two children start
together), then logs COUNT interactions (0: forever) with contact 1, noted
"TAG-n", printing each acknowledged id as "id note" with a flush.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from netbalance.domain import Interaction
from netbalance.store import Store, engine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("tag")
    parser.add_argument("count", type=int)
    parser.add_argument("--wait-go", action="store_true")
    parser.add_argument("--compact-bytes", type=int)
    parser.add_argument("--compact-at-end", action="store_true")
    args = parser.parse_args()
    if args.compact_bytes:
        # Small journals fold often, so kills also land inside compactions.
        engine.COMPACT_BYTES = args.compact_bytes
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    store = Store.open(args.db)
    print("ready", flush=True)
    if args.wait_go:
        sys.stdin.readline()
    n = 0
    while args.count == 0 or n < args.count:
        note = f"{args.tag}-{n}"
        done = store.log_interaction(Interaction((1,), now, note=note), now)
        print(done.id, note, flush=True)
        n += 1
    if args.compact_at_end:
        store.engine.compact()  # type: ignore[union-attr]
    print("done", flush=True)


if __name__ == "__main__":
    main()

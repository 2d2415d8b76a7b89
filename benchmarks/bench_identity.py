"""Benchmark: one person, one record, at the medium demo (5,000 contacts / 50,000 interactions).

A script, not a test: it prints what each command says and how long it took, as whole
`netbalance` processes (what a user waits for), and never fails on time. It checks the
"done when" of issue 12 at full size: the medium demo exported as vCard and imported into
an empty database gives exactly 5,000 contacts, and into the same database 5,000 unchanged.
Run: .venv/bin/python benchmarks/bench_identity.py [small|medium]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(db: Path, *args: str) -> tuple[float, str]:
    """Run `netbalance --db DB ARGS...`; its seconds and its output."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "netbalance", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"netbalance {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return seconds, done.stdout + done.stderr


def counts(output: str) -> str:
    found = re.search(r"\d+ new, \d+ merged, \d+ unchanged, \d+ skipped", output)
    return found.group(0) if found else output.strip().splitlines()[0]


def main() -> None:
    size = sys.argv[1] if len(sys.argv) > 1 else "medium"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo, empty, cards = folder / "demo.json", folder / "empty.json", folder / "all.vcf"
        seconds, _ = run(demo, "demo", "--size", size)
        print(f"demo --size {size}: {seconds:.2f} s")
        seconds, _ = run(demo, "export", "vcard", "-o", str(cards))
        print(f"export vcard: {seconds:.2f} s, {cards.stat().st_size / 1e6:.1f} MB")
        for label, db in (
            ("import into an empty database", empty),
            ("the same file again", empty),
            ("into the database it came from", demo),
        ):
            seconds, output = run(db, "import", "vcard", str(cards))
            print(f"{label}: {seconds:.2f} s, {counts(output)}")
        seconds, output = run(empty, "list", "--archived")
        print(f"contacts in the imported database: {len(output.strip().splitlines()):,}")
        seconds, output = run(demo, "duplicates", "--limit", "3")
        print(f"duplicates: {seconds:.2f} s, {output.splitlines()[0]}")
        seconds, output = run(demo, "merge", "2", "127", "--dry-run")
        print(f"merge --dry-run: {seconds:.2f} s")
        seconds, output = run(demo, "merge", "2", "127")
        print(f"merge: {seconds:.2f} s, {output.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()

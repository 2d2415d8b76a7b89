"""Benchmark: import 5,000 vCards and a 5,000-row LinkedIn Connections.csv.

A script, not a test: it prints figures and never fails on time. Target: under 5 s
each for preview + apply, into a fresh database file (the real write path: journal,
fsync, lock). Run: .venv/bin/python benchmarks/bench_import.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from netbalance.interop import apply_import, preview_import
from netbalance.store import Store

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
FIRST = [
    "Ada",
    "Bo",
    "Chen",
    "Dana",
    "Eli",
    "Fatima",
    "Goran",
    "Hana",
    "Ivo",
    "Jun",
    "Kemal",
    "Lea",
]
LAST = ["Lovelace", "Park", "Müller", "Okafor", "Silva", "Novak", "Sato", "Haddad", "Berg", "Rossi"]


def _person(rng: random.Random, i: int) -> tuple[str, str, str]:
    return rng.choice(FIRST), f"{rng.choice(LAST)}{i}", f"person{i}@example.org"


def write_vcards(path: Path, n: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as f:
        for i in range(n):
            first, last, email = _person(rng, i)
            f.write(
                "BEGIN:VCARD\r\nVERSION:3.0\r\n"
                f"FN:{first} {last}\r\nN:{last};{first};;;\r\n"
                f"EMAIL;TYPE=INTERNET:{email}\r\nTEL;TYPE=CELL:+49 171 {i:07d}\r\n"
                f"ORG:Company {i % 300}\r\nTITLE:Engineer\r\n"
                f"BDAY:--{1 + i % 12:02d}{1 + i % 28:02d}\r\n"
                "NOTE:Met at a meetup\\, talked about Rust\\nand coffee.\r\n"
                "CATEGORIES:work,rust\r\n"
                "END:VCARD\r\n"
            )


def write_linkedin(path: Path, n: int) -> None:
    rng = random.Random(2)
    with path.open("w", encoding="utf-8") as f:
        f.write('Notes:\n"When exporting your connection data, you may notice..."\n\n')
        f.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        for i in range(n):
            first, last, email = _person(rng, i)
            f.write(
                f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{i},"
                f'{email if i % 3 == 0 else ""},"Company {i % 300}, Inc.",Engineer,'
                f"{1 + i % 28} {['Jan', 'Feb', 'Mar', 'Apr'][i % 4]} 2025\n"
            )


def bench(kind: str, source: Path, folder: Path) -> None:
    db = folder / f"{kind}.json"
    with Store.open(db) as store:
        t0 = time.perf_counter()
        plan = preview_import(kind, source, store, NOW)
        t1 = time.perf_counter()
        apply_import(store, plan)
        t2 = time.perf_counter()
        again = preview_import(kind, source, store, NOW)
        t3 = time.perf_counter()
    print(
        f"{kind:9s} {plan.summary():50s} preview {t1 - t0:5.2f} s  apply {t2 - t1:5.2f} s  "
        f"total {t2 - t0:5.2f} s  | second run: {again.summary()} in {t3 - t2:5.2f} s"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        vcf, csv = folder / "contacts.vcf", folder / "Connections.csv"
        write_vcards(vcf, n)
        write_linkedin(csv, n)
        print(
            f"{n} vCards ({vcf.stat().st_size // 1024} KB), "
            f"{n} LinkedIn rows ({csv.stat().st_size // 1024} KB)"
        )
        bench("vcard", vcf, folder)
        bench("linkedin", csv, folder)


if __name__ == "__main__":
    main()

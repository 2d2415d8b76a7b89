"""Import as a user runs it, beside khard reading the same vCards.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/bench_import.py [small,medium,large,xl]

The anchor is khard (`khard list`, from PyPI in its own venv, benchmarks/.venv-khard,
installed on first use; never a dependency of netbalance) over a vdir of 5,000 .vcf
files, one per person, as khard and vdirsyncer keep them. On the same folder, whole
processes, open and close included:

- `netbalance import vcard FOLDER` into a fresh database (the goal's like-for-like),
- the same import into a copy of each demo database (5,000 new people beside a network
  of that size: the merge check and the fold of the bigger file are in it),
- `netbalance import linkedin Connections.csv` (5,000 rows) into a fresh database.

Medians of several runs after one warm-up run; each run gets a fresh database (untimed).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

PEOPLE = 5_000
# Runs per measure (after one warm-up for khard and the fresh import; the imports into a
# demo database copy an already-opened file, so they need none).
RUNS = {"fresh": 3, "small": 3, "medium": 3, "large": 2, "xl": 1}
KHARD_VENV = common.ROOT / "benchmarks" / ".venv-khard"
KHARD = KHARD_VENV / "bin" / "khard"

FIRST = ["Ada", "Bo", "Chen", "Dana", "Eli", "Fatima", "Goran", "Hana", "Ivo", "Jun", "Kemal"]
LAST = ["Lovelace", "Park", "Müller", "Okafor", "Silva", "Novak", "Sato", "Haddad", "Berg"]


def _person(rng: random.Random, i: int) -> tuple[str, str, str]:
    return rng.choice(FIRST), f"{rng.choice(LAST)}{i}", f"person{i}@example.org"


def write_vdir(folder: Path, n: int) -> None:
    """n people, one vCard 3.0 file each, with the fields phones and khard write."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    for i in range(n):
        first, last, email = _person(rng, i)
        (folder / f"person-{i}.vcf").write_text(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"UID:bench-person-{i}\r\n"
            f"FN:{first} {last}\r\nN:{last};{first};;;\r\n"
            f"EMAIL;TYPE=INTERNET:{email}\r\nTEL;TYPE=CELL:+49 171 {i:07d}\r\n"
            f"ORG:Company {i % 300}\r\nTITLE:Engineer\r\n"
            f"BDAY:--{1 + i % 12:02d}{1 + i % 28:02d}\r\n"
            "NOTE:Met at a meetup\\, talked about Rust\\nand coffee.\r\n"
            "CATEGORIES:work,rust\r\n"
            "END:VCARD\r\n",
            encoding="utf-8",
            newline="",
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


def ensure_khard() -> Path | None:
    """khard in its own venv (installed from PyPI once); None if it cannot be had."""
    if not KHARD.exists():
        common.note(f"installing khard into {KHARD_VENV} (once)")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(KHARD_VENV)], check=True)
            subprocess.run(
                [str(KHARD_VENV / "bin" / "pip"), "install", "--quiet", "khard"],
                check=True,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, subprocess.CalledProcessError) as err:
            common.note(f"khard could not be installed ({err}); no comparison")
            return None
    return KHARD


class Inputs:
    """The vCard folder, the LinkedIn file and khard's config, made once per run of the script."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.vdir = where / "vcards"
        self.linkedin = where / "Connections.csv"
        write_vdir(self.vdir, PEOPLE)
        write_linkedin(self.linkedin, PEOPLE)
        self.khard_conf = where / "khard.conf"
        self.khard_conf.write_text(
            "[addressbooks]\n[[bench]]\n"
            f"path = {self.vdir}\n"
            "[general]\ndefault_action = list\neditor = /bin/true\nmerge_editor = /bin/true\n"
        )
        self._fresh = 0

    def fresh_db(self, template: Path | None = None) -> Path:
        """A new database folder: empty, or a copy of `template`'s folder."""
        self._fresh += 1
        folder = self.where / f"db-{self._fresh}"
        if template is not None:
            return common.copy_db(template, folder)
        return folder / "netbalance.json"

    def cleanup_dbs(self) -> None:
        for old in self.where.glob("db-*"):
            shutil.rmtree(old, ignore_errors=True)


def khard_list(inputs: Inputs) -> common.Timing | None:
    khard = ensure_khard()
    if khard is None:
        return None
    return common.timed_runs([str(khard), "-c", str(inputs.khard_conf), "list"], RUNS["fresh"])


def import_vcards(inputs: Inputs, into: common.DemoDb | None) -> common.Timing:
    """`netbalance import vcard FOLDER` into a fresh database or a copy of a demo one."""
    template = common.warmed_copy(into, inputs.where / "template") if into else None

    def prepare() -> list[str]:
        inputs.cleanup_dbs()
        db = inputs.fresh_db(template)
        return [str(common.NETBALANCE), "--db", str(db), "import", "vcard", str(inputs.vdir)]

    return common.timed_runs(prepare, RUNS[into.size if into else "fresh"], warmup=0 if into else 1)


def import_linkedin(inputs: Inputs) -> common.Timing:
    def prepare() -> list[str]:
        inputs.cleanup_dbs()
        db = inputs.fresh_db()
        return [str(common.NETBALANCE), "--db", str(db), "import", "linkedin", str(inputs.linkedin)]

    return common.timed_runs(prepare, RUNS["fresh"])


def ratio(ours: common.Timing, khard: common.Timing | None) -> str:
    return "-" if khard is None else f"{ours.median_ms / khard.median_ms:.2f}x"


def main() -> None:
    sizes = common.parse_sizes(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"load before: {common.loadavg()}")
    with tempfile.TemporaryDirectory(prefix="nb-bench-import-") as tmp:
        inputs = Inputs(Path(tmp))
        khard = khard_list(inputs)
        if khard is not None:
            print(
                f"khard list, {PEOPLE:,} vCards: {khard.median_ms:,.0f} ms ({khard.peak_mb:.0f} MB)"
            )
        fresh = import_vcards(inputs, None)
        print(
            f"import vcard into a fresh database: {fresh.median_ms:,.0f} ms "
            f"({fresh.peak_mb:.0f} MB) = {ratio(fresh, khard)} khard list"
        )
        linkedin = import_linkedin(inputs)
        print(
            f"import linkedin ({PEOPLE:,} rows) into a fresh database: {linkedin.median_ms:,.0f} ms"
        )
        for size in sizes:
            into = import_vcards(inputs, common.demo_db(size))
            print(
                f"import vcard into {size}: {into.median_ms:,.0f} ms ({into.peak_mb:.0f} MB) = "
                f"{ratio(into, khard)} khard list",
                flush=True,
            )
    print(f"load after: {common.loadavg()}")


if __name__ == "__main__":
    main()

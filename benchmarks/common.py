"""What every benchmark shares: the demo databases, whole-process runs, the machine's load.

- Demo databases are built once, with `netbalance.demo`, into `benchmarks/.cache/`
  (gitignored) and copied before a benchmark writes to them, so reruns skip the build.
  The cache key is a hash of the code that decides the file's content (demo.py, the
  store's codec and migrations, the domain records); a change there, or a cache older
  than a week, rebuilds.
- xl (50,000 contacts / 500,000 interactions) is not a demo size of the product: the
  builder adds it to `netbalance.demo.SIZES` in its own process and calls the same
  generator, so xl is the same kind of network, only bigger.
- A process is measured as the user meets it: wall time from spawn to exit and peak
  resident memory from the kernel. On Linux a process's `ru_maxrss` keeps the peak of
  the process that exec'd it, so a child spawned straight from this (large) benchmark
  process would report our peak, not its own: a small launcher forks the measured
  command and reads its `ru_maxrss` with `wait4` (a grandchild starts from the
  launcher's few MB), and times it from fork to exit.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
# The store's index is not used for a file changed this recently before it was made.
RACY_SECONDS = 2.5
PYTHON = ROOT / ".venv" / "bin" / "python"
NETBALANCE = ROOT / ".venv" / "bin" / "netbalance"
SEED = 7
ALL_SIZES = ("small", "medium", "large", "xl")
# contacts, interactions; small to large are netbalance.demo.SIZES, xl is added here.
COUNTS = {
    "small": (500, 5_000),
    "medium": (5_000, 50_000),
    "large": (20_000, 200_000),
    "xl": (50_000, 500_000),
}
CACHE_DAYS = 7

# Runs in a fresh interpreter: builds one demo database exactly as `netbalance demo` does
# (write_demo into an empty store), and notes a contact whose name is unique (for `log NAME`).
_BUILDER = r"""
import collections, json, sys
from datetime import datetime
from pathlib import Path
import netbalance.demo as demo
from netbalance.store import Store

size, folder, contacts, interactions, seed = sys.argv[1:6]
demo.SIZES.setdefault(size, (int(contacts), int(interactions)))
now = datetime.now().astimezone()
with Store.open(Path(folder) / "netbalance.json") as store:
    data = demo.write_demo(store, size, int(seed), now)
names = collections.Counter(c.name for c in data.contacts)
unique = next(c.name for c in data.contacts if names[c.name] == 1)
meta = {"size": size, "built": now.isoformat(), "contacts": len(data.contacts),
        "interactions": len(data.interactions), "log_name": unique}
(Path(folder) / "meta.json").write_text(json.dumps(meta))
"""


def _code_key() -> str:
    """Hash of the sources that decide what a demo file holds."""
    digest = hashlib.sha256()
    files = [ROOT / "netbalance" / "demo.py"]
    # The store's format (codec, migrations), not its engine: a faster open writes the
    # same file, and rebuilding four demo networks after every engine change wastes minutes.
    files += [ROOT / "netbalance" / "store" / name for name in ("codec.py", "migrations.py")]
    files += sorted((ROOT / "netbalance" / "domain").glob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class DemoDb:
    """A cached demo database: its folder (netbalance.json and friends) and facts about it."""

    size: str
    folder: Path
    log_name: str
    contacts: int
    interactions: int

    @property
    def path(self) -> Path:
        return self.folder / "netbalance.json"

    @property
    def megabytes(self) -> float:
        return self.path.stat().st_size / 1e6


def demo_db(size: str) -> DemoDb:
    """The cached database of `size`, built first if missing or stale."""
    folder = CACHE / f"{size}-{_code_key()}"
    meta_path = folder / "meta.json"
    fresh = meta_path.exists() and time.time() - meta_path.stat().st_mtime < CACHE_DAYS * 86400
    if not fresh:
        for old in CACHE.glob(f"{size}-*"):
            shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True)
        contacts, interactions = COUNTS[size]
        started = time.perf_counter()
        counts = [str(contacts), str(interactions), str(SEED)]
        subprocess.run(
            [str(PYTHON), "-c", _BUILDER, size, str(folder), *counts],
            check=True,
            cwd=ROOT,
            env=user_env(),
        )
        note(f"built {size} in {time.perf_counter() - started:.0f} s")
    meta = json.loads(meta_path.read_text())
    return DemoDb(size, folder, meta["log_name"], meta["contacts"], meta["interactions"])


def working_copy(db: DemoDb, where: Path) -> Path:
    """A copy of the database folder (file, journal, backups) to write to; returns its file."""
    return copy_db(db.path, where / db.size)


def copy_db(path: Path, folder: Path) -> Path:
    """Copy the folder holding the database file `path` to `folder` (replaced)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(path.parent, folder)
    return folder / path.name


def warmed_copy(db: DemoDb, where: Path, env: dict[str, str] | None = None) -> Path:
    """A working copy opened once by `netbalance due`, untimed.

    The first open of a day folds the journal and writes the day's backup; a user pays
    that once a day, so the figures are of the opens after it (and of a warm page cache).
    """
    path = working_copy(db, where)
    for _ in range(2):
        done = run_process([str(NETBALANCE), "--db", str(path), "due", "--json"], env)
        if done.returncode != 0:
            raise SystemExit(f"netbalance due failed on {path}: {done.stderr.decode()[-2000:]}")
        # An index made within 2 s of the file's last change is not trusted (the store's
        # "racily clean" rule, store/index.py): a cache just built or folded would be
        # read whole at every measured open, which a user's file of an earlier day never
        # is. Wait that out and open it once more, so the index is made again.
        age = time.time() - path.stat().st_mtime
        if age >= RACY_SECONDS:
            break
        time.sleep(RACY_SECONDS - age)
    return path


@dataclass(frozen=True)
class Run:
    """One finished process."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: bytes
    stderr: bytes


def user_env() -> dict[str, str]:
    """This environment as a user's shell has it: Python may cache bytecode.

    Some sandboxes set PYTHONDONTWRITEBYTECODE, which makes every run compile
    netbalance's modules from source (~100-200 ms a process); an installed netbalance
    has its .pyc files.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


# The launcher: fork, exec the command, wait4 it, write "peak-KiB seconds" to a pipe.
_LAUNCHER = (
    "import os, sys, time\n"
    "fd = int(sys.argv[1]); argv = sys.argv[2:]\n"
    "started = time.perf_counter(); pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.close(fd)\n"
    "    try:\n"
    "        os.execvp(argv[0], argv)\n"
    "    finally:\n"
    "        os._exit(127)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "os.write(fd, f'{usage.ru_maxrss} {time.perf_counter() - started}'.encode())\n"
    "os._exit(os.waitstatus_to_exitcode(status) & 0xFF)\n"
)


def run_process(argv: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run a command as the user meets it: wall time from its start to its exit, and its
    own peak RSS from the kernel (see the module docstring for the launcher)."""
    env = user_env() if env is None else env
    report_r, report_w = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-S", "-c", _LAUNCHER, str(report_w), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        pass_fds=(report_w,),
    )
    os.close(report_w)
    # Read both pipes to the end (the child may print megabytes).
    stdout, stderr = _drain(child)
    returncode = child.wait()
    with os.fdopen(report_r, "rb") as report:
        peak_kib, seconds = report.read().decode().split()
    return Run(float(seconds), int(peak_kib) / 1024, returncode, stdout, stderr)


def _drain(child: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    import selectors

    assert child.stdout is not None and child.stderr is not None
    chunks: dict[int, list[bytes]] = {child.stdout.fileno(): [], child.stderr.fileno(): []}
    with selectors.DefaultSelector() as sel:
        sel.register(child.stdout, selectors.EVENT_READ)
        sel.register(child.stderr, selectors.EVENT_READ)
        while sel.get_map():
            for key, _ in sel.select():
                data = os.read(key.fd, 1 << 16)
                if data:
                    chunks[key.fd].append(data)
                else:
                    sel.unregister(key.fileobj)
    out = b"".join(chunks[child.stdout.fileno()])
    err = b"".join(chunks[child.stderr.fileno()])
    child.stdout.close()
    child.stderr.close()
    return out, err


@dataclass(frozen=True)
class Timing:
    """Median wall time and median peak RSS of n runs (after warm-up runs not counted)."""

    median_ms: float
    low_ms: float
    high_ms: float
    peak_mb: float
    runs: int


def timed_runs(
    argv: Sequence[str] | Callable[[], Sequence[str]],
    runs: int,
    warmup: int = 1,
    env: dict[str, str] | None = None,
) -> Timing:
    """Run a command `warmup + runs` times; every run must succeed.

    `argv` may be a function: it is called before each run (untimed) to prepare that
    run, e.g. a fresh copy of a database, and returns the command.
    """
    seconds, peaks = [], []
    for n in range(warmup + runs):
        command = list(argv() if callable(argv) else argv)
        done = run_process(command, env)
        if done.returncode != 0:
            raise SystemExit(
                f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-2000:]}"
            )
        if n >= warmup:
            seconds.append(done.seconds * 1000)
            peaks.append(done.peak_mb)
    return Timing(
        statistics.median(seconds), min(seconds), max(seconds), statistics.median(peaks), runs
    )


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages (2 cores: above 2 means waiting for a core)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def note(text: str) -> None:
    """Progress for the person waiting; the figures go to stdout."""
    print(text, file=sys.stderr, flush=True)


def parse_sizes(text: str | None) -> list[str]:
    """`small,medium` -> ["small", "medium"]; empty means all four."""
    sizes = [s.strip() for s in (text or "").split(",") if s.strip()] or list(ALL_SIZES)
    unknown = [s for s in sizes if s not in COUNTS]
    if unknown:
        raise SystemExit(f"unknown size {', '.join(unknown)}; sizes: {', '.join(ALL_SIZES)}")
    return sizes

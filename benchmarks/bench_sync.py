"""`netbalance sync` as whole processes on the demo databases, and vdirsyncer against Radicale.

    python benchmarks/bench_sync.py [SIZES] [--radicale [--items=250]]

For each size (default medium: 5,000 contacts, 50,000 interactions): the first sync of
the demo database to empty vdir folders, a sync with nothing to do, the sync after
one `netbalance log` (a follow-up) and after another logged right after it, each as
the user runs it (`netbalance sync`, a whole process, config.toml in a temp
XDG_CONFIG_HOME, no command around it). With --radicale, vdirsyncer's own first
upload of those folders to a local Radicale and its sync after the follow-up, as
whole processes too, with a sample of the folders (Radicale takes
hours for a medium network's 55,000 items; see _bench_vdirsyncer). Prints figures;
never fails on time.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from typing import TYPE_CHECKING

from benchmarks.common import (
    NETBALANCE,
    demo_db,
    loadavg,
    note,
    parse_sizes,
    run_process,
    user_env,
    warmed_copy,
)

if TYPE_CHECKING:
    from tests.sync.servers import Laptop


def _sync(db: Path, env: dict[str, str]) -> float:
    done = run_process([str(NETBALANCE), "--db", str(db), "sync"], env)
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode()[-2000:])
    return done.seconds


def bench(size: str, with_radicale: bool, radicale_items: int = 250) -> None:
    demo = demo_db(size)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = warmed_copy(demo, root)
        contacts, calendar = root / "vdirs" / "contacts", root / "vdirs" / "calendar"
        contacts.mkdir(parents=True)
        calendar.mkdir()
        config = root / "config" / "netbalance"
        config.mkdir(parents=True)
        (config / "config.toml").write_text(
            f'[sync]\ncontacts = "{contacts}"\ncalendar = "{calendar}"\n'
        )
        env = {**user_env(), "XDG_CONFIG_HOME": str(root / "config")}
        first = _sync(db, env)
        files = sum(1 for _ in contacts.iterdir()) + sum(1 for _ in calendar.iterdir())
        # The second sync looks at every item once more (the files the first wrote in
        # its last seconds are read again) and records the marks; then nothing to do.
        second = _sync(db, env)
        idle = [_sync(db, env) for _ in range(3)]
        due = run_process([str(NETBALANCE), "--db", str(db), "due", "--json"], env)
        logged = run_process(
            [str(NETBALANCE), "--db", str(db), "log", demo.log_name, "--note", "bench"], env
        )
        assert logged.returncode == 0, logged.stderr
        after_log = _sync(db, env)
        # Another follow-up synced at once: the files the last sync wrote are under 2 s old.
        logged = run_process(
            [str(NETBALANCE), "--db", str(db), "log", demo.log_name, "--note", "bench 2"], env
        )
        assert logged.returncode == 0, logged.stderr
        right_after = _sync(db, env)
        print(
            f"{size} ({demo.contacts} contacts, {demo.interactions} interactions, {files} files): "
            f"first sync {first:.1f} s, second {second:.2f} s, "
            f"nothing to do {' / '.join(f'{t:.2f}' for t in idle)} s, "
            f"after one follow-up {after_log:.2f} s, another right after {right_after:.2f} s; "
            f"`due --json` beside it {due.seconds:.2f} s"
            f"   [load {loadavg()}]",
            flush=True,
        )
        if with_radicale:
            _bench_vdirsyncer(root, db, env, demo.log_name, radicale_items)


def _bench_vdirsyncer(root: Path, db: Path, env: dict[str, str], who: str, items: int) -> None:
    """vdirsyncer (whole processes) carrying synced folders to a real Radicale: the first
    upload, a sync with nothing to do, and the sync after one follow-up.

    Radicale takes its items one PUT at a time, and each costs more as the collection
    grows: the 5,620 files of the small network took more than 14 minutes of Radicale's
    CPU (not finished; load 3-9), so a medium upload would take hours. The laptop's
    folders therefore hold a sample: the first `items` files of each folder, by name.
    """
    import shutil

    from tests.sync.servers import make_laptop, start_radicale

    note(f"  vdirsyncer against Radicale: uploading {items} files of each folder first")
    server = start_radicale(root / "radicale")
    try:
        server.make_collections()
        laptop = make_laptop(root, "laptop", server)
        synced = {"contacts": root / "vdirs" / "contacts", "calendar": root / "vdirs" / "calendar"}
        for name, folder in synced.items():
            for path in sorted(folder.iterdir())[:items]:
                shutil.copy2(path, getattr(laptop, name) / path.name)
        files = sum(1 for _ in laptop.contacts.iterdir()) + sum(
            1 for _ in laptop.calendar.iterdir()
        )
        first = _vdirsyncer(laptop)
        idle = _vdirsyncer(laptop)
        before = {
            name: {p.name: p.stat().st_mtime_ns for p in f.iterdir()} for name, f in synced.items()
        }
        logged = run_process([str(NETBALANCE), "--db", str(db), "log", who, "--note", "again"], env)
        assert logged.returncode == 0, logged.stderr
        ours = _sync(db, env)
        # What that sync wrote (the journal, the follow-up's to-do) goes to the laptop too.
        for name, folder in synced.items():
            for path in folder.iterdir():
                if before[name].get(path.name) != path.stat().st_mtime_ns:
                    shutil.copy2(path, getattr(laptop, name) / path.name)
        after = _vdirsyncer(laptop)
        print(
            f"  vdirsyncer against Radicale ({files} files): first upload {first:.1f} s "
            f"({first / files * 1000:.0f} ms a file), nothing to do {idle:.2f} s, "
            f"after one follow-up {after:.2f} s (netbalance's part {ours:.2f} s)"
            f"   [load {loadavg()}]",
            flush=True,
        )
    finally:
        server.stop()


def _vdirsyncer(laptop: Laptop) -> float:
    done = run_process([*laptop.command(), "sync"])
    if done.returncode != 0:
        raise SystemExit("vdirsyncer sync failed: " + done.stderr.decode()[-2000:])
    return done.seconds


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sizes = parse_sizes(args[0]) if args else ["medium"]
    note("netbalance sync: whole processes")
    items = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--items=")), 250)
    for size in sizes:
        bench(size, "--radicale" in sys.argv, items)


if __name__ == "__main__":
    main()

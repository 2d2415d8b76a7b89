"""`netbalance sync` as whole processes on the demo databases, and vdirsyncer against Radicale.

    python benchmarks/bench_sync.py [SIZES] [--radicale]

For each size (default medium: 5,000 contacts, 50,000 interactions): the first sync of
the demo database to empty vdir folders, a sync with nothing to do, and the sync after
one `netbalance log` (a follow-up), each as the user runs it (`netbalance sync`, a whole
process, config.toml in a temp XDG_CONFIG_HOME, no command around it). With --radicale,
vdirsyncer's own first upload of those folders to a local Radicale and its sync after
the follow-up, as whole processes too. Prints figures; never fails on time.
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


def bench(size: str, with_radicale: bool) -> None:
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
        print(
            f"{size} ({demo.contacts} contacts, {demo.interactions} interactions, {files} files): "
            f"first sync {first:.1f} s, second {second:.2f} s, "
            f"nothing to do {' / '.join(f'{t:.2f}' for t in idle)} s, "
            f"after one follow-up {after_log:.2f} s; `due --json` beside it {due.seconds:.2f} s"
            f"   [load {loadavg()}]",
            flush=True,
        )
        if with_radicale:
            _bench_vdirsyncer(root, db, env, demo.log_name)


def _bench_vdirsyncer(root: Path, db: Path, env: dict[str, str], who: str) -> None:
    """vdirsyncer (whole processes) carrying the synced folders to a real Radicale: the
    first upload, a sync with nothing to do, and the sync after one follow-up."""
    from tests.sync.servers import make_laptop, start_radicale

    note("  vdirsyncer against Radicale (uploading every file first; this takes a while)")
    server = start_radicale(root / "radicale")
    try:
        server.make_collections()
        laptop = make_laptop(root, "laptop", server)
        # The laptop's folders are the ones netbalance just synced.
        for name in ("contacts", "calendar"):
            target = getattr(laptop, name)
            target.rmdir()
            (root / "vdirs" / name).rename(target)
        files = sum(1 for _ in laptop.contacts.iterdir()) + sum(
            1 for _ in laptop.calendar.iterdir()
        )
        first = _vdirsyncer(laptop)
        idle = _vdirsyncer(laptop)
        (root / "config" / "netbalance" / "config.toml").write_text(
            f'[sync]\ncontacts = "{laptop.contacts}"\ncalendar = "{laptop.calendar}"\n'
        )
        logged = run_process([str(NETBALANCE), "--db", str(db), "log", who, "--note", "again"], env)
        assert logged.returncode == 0, logged.stderr
        ours = _sync(db, env)
        after = _vdirsyncer(laptop)
        print(
            f"  vdirsyncer against Radicale ({files} files): first upload {first:.1f} s, "
            f"nothing to do {idle:.2f} s, after one follow-up {after:.2f} s "
            f"(netbalance's part {ours:.2f} s)   [load {loadavg()}]",
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
    for size in sizes:
        bench(size, "--radicale" in sys.argv)


if __name__ == "__main__":
    main()

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
        idle = min(_sync(db, env) for _ in range(3))
        logged = run_process(
            [str(NETBALANCE), "--db", str(db), "log", demo.log_name, "--note", "bench"], env
        )
        assert logged.returncode == 0, logged.stderr
        after_log = _sync(db, env)
        print(
            f"{size} ({demo.contacts} contacts, {demo.interactions} interactions, {files} files): "
            f"first sync {first:.1f} s, nothing to do {idle:.2f} s, "
            f"after one follow-up {after_log:.2f} s   [load {loadavg()}]"
        )
        if with_radicale:
            _bench_vdirsyncer(root, db, env, demo.log_name)


def _bench_vdirsyncer(root: Path, db: Path, env: dict[str, str], who: str) -> None:
    from tests.sync.servers import make_laptop, start_radicale

    server = start_radicale(root / "radicale")
    try:
        server.make_collections()
        laptop = make_laptop(root, "laptop", server)
        # The laptop's folders are the ones just synced.
        for name in ("contacts", "calendar"):
            target = getattr(laptop, name)
            target.rmdir()
            (root / "vdirs" / name).rename(target)
        first = run_process([*laptop.command(), "sync"])
        assert first.returncode == 0, first.stderr.decode()[-2000:]
        (root / "config" / "netbalance" / "config.toml").write_text(
            f'[sync]\ncontacts = "{laptop.contacts}"\ncalendar = "{laptop.calendar}"\n'
        )
        run_process([str(NETBALANCE), "--db", str(db), "log", who, "--note", "again"], env)
        _sync(db, env)
        after = run_process([*laptop.command(), "sync"])
        print(
            f"  vdirsyncer against Radicale: first upload {first.seconds:.1f} s, "
            f"sync after one follow-up {after.seconds:.2f} s"
        )
    finally:
        server.stop()


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sizes = parse_sizes(args[0]) if args else ["medium"]
    note("netbalance sync: whole processes")
    for size in sizes:
        bench(size, "--radicale" in sys.argv)


if __name__ == "__main__":
    main()

"""Bulk work as a user meets it: mark everyone shown, move them all to a circle, undo.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/bench_bulk.py [small,medium,large,xl]

A fresh process runs the real app headless (120x36, notifications on) on a warmed copy
of the cached demo database; the frame hook (benchmarks/frames.py) keeps the screen's
text, and each figure is from the key reaching the driver to the first frame showing:

- `*` (mark all shown): the status line "N marked";
- `m`, then enter on a circle: the toast "Move N contacts to the … circle" with the
  list's circle column changed (the preview, before the disk);
- stored: the frame after the one transaction was written and taken in (the marks clear);
- `u`: the toast "Undid: …" with the list's circles back (not all the moved-to one).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from bench_ui import SIZE, TIMEOUT, _list_text, _status

TARGET = "wider"


async def _session(db: str) -> dict[str, float]:
    from frames import FrameWatch

    from netbalance.app import make_app

    app = make_app(Path(db))
    watch = FrameWatch(app)
    out: dict[str, float] = {}
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await app.settle()
        await pilot.pause()
        core = app.session.core
        assert core is not None
        total = core.contact_count()
        marked = watch.expect(lambda f: f"{total:,} marked" in _status(f.text))
        pressed = time.monotonic()
        await pilot.press("asterisk")
        out["mark_all"] = (await watch.wait(marked, TIMEOUT, "marked")).at - pressed
        await pilot.pause()
        picker = watch.expect(lambda f: "to a circle" in f.text)
        pressed = time.monotonic()
        await pilot.press("m")
        out["picker"] = (await watch.wait(picker, TIMEOUT, "the picker")).at - pressed
        await pilot.press("home", "down", "down", "down")  # inner, close, active, wider
        await pilot.pause()
        toast = f"Move {total:,} contacts to the {TARGET} circle"

        def moved_rows(f: Any) -> bool:
            rows = _list_text(f.text).splitlines()[:5]
            return all(TARGET in r for r in rows if r.strip())

        def moved(f: Any) -> bool:
            return toast in f.text and moved_rows(f)

        shown = watch.expect(moved)
        stored = watch.expect(lambda f: "marked" not in _status(f.text) and moved(f))
        pressed = time.monotonic()
        await pilot.press("enter")
        out["move_shown"] = (await watch.wait(shown, TIMEOUT, "the move")).at - pressed
        out["move_stored"] = (await watch.wait(stored, TIMEOUT, "the move stored")).at - pressed
        await app.settle()
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        undone = watch.expect(lambda f: "Undid" in f.text and not moved_rows(f))
        pressed = time.monotonic()
        await pilot.press("u")
        out["undo_shown"] = (await watch.wait(undone, TIMEOUT, "the undo")).at - pressed
        await app.settle()
        circles = {c.circle.value for c in core.store.contacts()}
        out["undone_ok"] = float(circles != {TARGET})
    return out


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(asyncio.run(_session(sys.argv[2]))))
        return
    sizes = common.parse_sizes(sys.argv[1] if len(sys.argv) > 1 else "medium")
    print(f"load before: {common.loadavg()}")
    with tempfile.TemporaryDirectory(prefix="nb-bench-bulk-") as tmp:
        for size in sizes:
            path = common.warmed_copy(common.demo_db(size), Path(tmp))
            done = common.run_process([str(common.PYTHON), __file__, "--child", str(path)])
            if done.returncode != 0:
                raise SystemExit(done.stderr.decode()[-3000:])
            r = json.loads(done.stdout.decode().strip().splitlines()[-1])
            ms = {k: v * 1000 for k, v in r.items() if k != "undone_ok"}
            print(
                f"{size:<7} mark all shown {ms['mark_all']:.0f} ms · m to picker "
                f"{ms['picker']:.0f} ms · move all to its frame {ms['move_shown']:.0f} ms, "
                f"stored and redrawn {ms['move_stored']:.0f} ms · u to its frame "
                f"{ms['undo_shown']:.0f} ms (undone: {bool(r['undone_ok'])}) · "
                f"peak RSS {done.peak_mb:.0f} MB",
                flush=True,
            )
    print(f"load after: {common.loadavg()}")


if __name__ == "__main__":
    main()

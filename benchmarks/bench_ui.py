"""The app as a user meets it: frames on screen after start, keys to their frames, peak memory.

A script, not a test: it prints figures and never fails on time.

    .venv/bin/python benchmarks/bench_ui.py [small,medium,large,xl]

Each run is a fresh process running the real app (`netbalance.app.make_app`, real clock)
headless under a Textual pilot at 120x36 with notifications on, on a copy of the cached
demo database. A frame hook (benchmarks/frames.py) keeps the screen's text as each frame
draws it; every figure is the time to the first frame whose text shows the result:

- contacts frame: from the parent's clock before it spawns Python to the first frame
  showing the ranked list ("N due · M contacts" and rows under it);
- gauge frame: the same, to the first frame showing the gauge's figures ("Depth … Breadth");
- `f`: from the key reaching the driver to the first frame with the list re-ranked (its
  first row changed); to the screen showing the stored write (the journal holds it and the
  gauge pane has been drawn from the model that took it in: the first frame after that,
  or that moment when the pane had nothing new to draw); and to the first frame with the
  toast "Followed up with …" (drawn a frame after the change, see ui/session.py). The
  cursor starts on the most overdue contact, and
  `f` moves it to the next, so each press follows up someone new (contacts already
  followed up today are stepped over, untimed: a press on them changes no row).
- filter: `/`, then each keystroke (typing and deleting) to the first frame whose status
  line shows that query's match count.
- peak RSS: the app process's own peak from the kernel (`wait4`), over the whole session.

Start-up runs are repeated (medians); the keys run in the last process, after start-up.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SIZE = (120, 36)
STARTS = {"small": 3, "medium": 3, "large": 3, "xl": 2}
FOLLOW_UPS = {"small": 40, "medium": 40, "large": 40, "xl": 20}
# Typing and deleting, as someone looking for a person does; each item is one key.
FILTER_KEYS = ["a", "n", "a", "backspace", "backspace", "backspace", "k", "i", "m"]
FILTER_KEYS += ["backspace"] * 3 + ["s", "i", "l", "v", "a"] + ["backspace"] * 5
FILTER_ROUNDS = 2

STATUS = re.compile(r"([\d,]+) due · ([\d,]+) contacts")
GAUGE = re.compile(r"Depth \d\.\d\d · Breadth \d\.\d\d")
TOAST = "Followed up with"
TIMEOUT = 30.0
# No frame for this long: the screen is at rest (two periods of Textual's 60 Hz timer).
AT_REST = 2 / 60


def clear_toasts(app: Any) -> None:
    """Take every toast off the screen, as if each had timed out.

    `App.clear_notifications` alone leaves each toast's empty `ToastHolder` mounted
    (Textual 8.2.8: `ToastRack.show` removes the Toast, not its holder; a toast that
    times out removes both). Forty presses would leave forty empty holders, and every
    later layout of the screen would carry them: a cost the benchmark made, not the app.
    """
    from textual.widgets._toast import ToastHolder

    app.clear_notifications()
    for holder in app.screen.query(ToastHolder):
        if not holder.children:
            holder.remove()


def _list_text(text: str) -> str:
    """The contacts list as shown: the rows under its "Contact (N)" header, left column."""
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if "Contact (" in line:
            # The focused pane has a border on its left ("▊"): the list is the text
            # after it, up to the next pane's border.
            return "\n".join(row.lstrip("▊").split("▊")[0] for row in lines[n + 1 : -1])
    return ""


def _status(text: str) -> str:
    return next((line for line in text.splitlines() if STATUS.search(line)), "")


async def _session(db: str, started: float, follow_ups: int) -> dict[str, Any]:
    """Runs in the child: start the app, time the frames, then the keys if asked."""
    from frames import FrameWatch

    from netbalance.app import make_app

    app = make_app(Path(db))
    watch = FrameWatch(app)
    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        contacts = watch.expect(
            lambda f: STATUS.search(f.text) is not None and bool(_list_text(f.text).strip())
        )
        gauge = watch.expect(lambda f: GAUGE.search(f.text) is not None)
        out["contacts_frame"] = (await watch.wait(contacts, TIMEOUT, "contacts")).at - started
        out["gauge_frame"] = (await watch.wait(gauge, TIMEOUT, "the gauge")).at - started
        assert watch.first_frame_at is not None
        out["first_frame"] = watch.first_frame_at - started
        if not follow_ups:
            return out
        await app.settle()
        await pilot.pause()
        journal = Path(db + ".journal")
        times = [await _follow_up(pilot, watch, journal) for _ in range(follow_ups)]
        out["f_listed"], out["f_shown"], out["f_saved"] = (
            list(t) for t in zip(*times, strict=True)
        )
        clear_toasts(app)
        await pilot.press("slash")
        await app.settle()
        typed, filtered = "", []
        for _ in range(FILTER_ROUNDS):
            for key in FILTER_KEYS:
                typed = typed[:-1] if key == "backspace" else typed + key
                filtered.append(await _filter_key(pilot, watch, key, typed))
        out["filter"] = filtered
        await app.settle()
    return out


async def _quiet(pilot: Any, watch: Any) -> None:
    """Wait until the screen is at rest: everything pending drawn (the toasts taken off,
    the cursor moved) and no frame for two refresh periods. A user's key comes at a
    random moment, mostly long after the last frame; pressed right after the frame that
    took the toasts off, each key would wait for the refresh timer's next slot."""
    screen = pilot.app.screen
    for _ in range(100):
        await pilot.pause(0.02)
        drawing = screen._dirty_widgets or screen._layout_required or screen._repaint_required
        last = watch.last_frame_at
        if not drawing and (last is None or time.monotonic() - last > AT_REST):
            return


async def _follow_up(pilot: Any, watch: Any, journal: Path) -> tuple[float, float, float]:
    """`f` on the highlighted contact: seconds to the list re-ranked, to its toast, and to
    the screen showing the stored write (the list, the gauge and today's list drawn from
    the model that took the write in)."""
    from netbalance.ui.widgets.contact_list import ContactList

    app = pilot.app
    screen = app.screen
    clear_toasts(app)
    # Untimed: move the cursor past anyone already followed up today (once everyone
    # due has been, the rows below are such people), so each press follows up someone
    # whose row changes ("3 weeks ago" becomes "today"), as a user's press would.
    rows = screen.query_one(ContactList)
    while (row := rows.highlighted) is not None and row.last_text == "today":
        await pilot.press("down")
    await _quiet(pilot, watch)
    before = _list_text(watch.text())
    before_size = journal.stat().st_size
    relisted = watch.expect(lambda f: _list_text(f.text) != before)
    shown = watch.expect(lambda f: TOAST in f.text and _list_text(f.text) != before)
    # When the stored write's result reaches the screen: the gauge pane is drawn from
    # the model after the journal holds the write. The pane redraws only what changed,
    # so the figure is the first frame after that, or that moment when nothing there
    # changed (the screen already showed it).
    taken: dict[str, Any] = {}
    show_gauge = type(screen).show_gauge

    def show_gauge_noting() -> None:
        show_gauge(screen)
        if "at" not in taken and journal.stat().st_size > before_size:
            taken["at"] = time.monotonic()
            taken["dirty"] = bool(
                screen._dirty_widgets or screen._layout_required or screen._repaint_required
            )

    screen.show_gauge = show_gauge_noting
    drawn = watch.expect(lambda f: "at" in taken and f.at >= taken["at"])
    pressed = time.monotonic()
    await pilot.press("f")
    try:
        listed = (await watch.wait(relisted, TIMEOUT, "the list re-ranked")).at
        toast = (await watch.wait(shown, TIMEOUT, "the follow-up's toast")).at
        deadline = time.monotonic() + TIMEOUT
        while "at" not in taken and time.monotonic() < deadline:
            await asyncio.sleep(0.001)
        if "at" not in taken:
            raise SystemExit("the write's result never reached the gauge pane")
        if taken["dirty"]:
            gauge = (await watch.wait(drawn, TIMEOUT, "the gauge after the write")).at
        else:
            drawn.cancel()
            gauge = taken["at"]
    finally:
        del screen.show_gauge
    await app.settle()
    return listed - pressed, toast - pressed, max(listed, gauge) - pressed


async def _filter_key(pilot: Any, watch: Any, key: str, typed: str) -> float:
    """One key in the filter field: seconds to the frame whose status shows `typed`'s matches."""
    want = f"filter “{typed}”:" if typed else None
    await _quiet(pilot, watch)

    def shows_query(f: Any) -> bool:
        status = _status(f.text)
        return bool(status) and (want in status if want else "filter “" not in status)

    done = watch.expect(shows_query)
    pressed = time.monotonic()
    await pilot.press(key)
    seconds: float = (await watch.wait(done, TIMEOUT, f"filter {typed!r}")).at - pressed
    await pilot.pause()
    return seconds


def _child(db: str, started: float, follow_ups: int) -> None:
    out = asyncio.run(_session(db, started, follow_ups))
    print(json.dumps(out))


def _run_child(path: Path, follow_ups: int) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    done = common.run_process(
        [str(common.PYTHON), __file__, "--child", str(path), repr(started), str(follow_ups)]
    )
    if done.returncode != 0:
        raise SystemExit(f"the app run failed:\n{done.stderr.decode()[-3000:]}")
    return json.loads(done.stdout.decode().strip().splitlines()[-1]), done.peak_mb


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(db: common.DemoDb, work: Path) -> dict[str, float]:
    """Start-up medians, key latencies (ms) and the session's peak RSS (MB) at one size."""
    starts: list[dict[str, Any]] = []
    peaks: list[float] = []
    runs = STARTS[db.size]
    template = common.warmed_copy(db, work / "template")
    for n in range(runs):
        last = n == runs - 1
        path = common.copy_db(template, work / "run")
        out, peak = _run_child(path, FOLLOW_UPS[db.size] if last else 0)
        starts.append(out)
        peaks.append(peak)
    session = starts[-1]
    ms = 1000.0
    return {
        "first_frame": statistics.median(s["first_frame"] for s in starts) * ms,
        "contacts_frame": statistics.median(s["contacts_frame"] for s in starts) * ms,
        "gauge_frame": statistics.median(s["gauge_frame"] for s in starts) * ms,
        "f_listed_p50": pct(session["f_listed"], 0.5) * ms,
        "f_listed_p95": pct(session["f_listed"], 0.95) * ms,
        "f_p50": pct(session["f_shown"], 0.5) * ms,
        "f_p95": pct(session["f_shown"], 0.95) * ms,
        "f_saved_p50": pct(session["f_saved"], 0.5) * ms,
        "f_saved_p95": pct(session["f_saved"], 0.95) * ms,
        "filter_p50": pct(session["filter"], 0.5) * ms,
        "filter_p95": pct(session["filter"], 0.95) * ms,
        "start_peak_mb": statistics.median(peaks[:-1]) if len(peaks) > 1 else peaks[0],
        "session_peak_mb": peaks[-1],
        "starts": runs,
        "f_count": len(session["f_shown"]),
        "filter_count": len(session["filter"]),
    }


def describe(size: str, r: dict[str, float]) -> str:
    return (
        f"{size:<7} first frame {r['first_frame']:,.0f} ms · contacts frame "
        f"{r['contacts_frame']:,.0f} ms · gauge frame {r['gauge_frame']:,.0f} ms "
        f"(median of {r['starts']:.0f})\n"
        f"{'':<7} f to its frame: list re-ranked p50 {r['f_listed_p50']:.0f} / p95 "
        f"{r['f_listed_p95']:.0f} ms; write acknowledged + gauge p50 {r['f_saved_p50']:.0f} / "
        f"p95 {r['f_saved_p95']:.0f} ms; its toast p50 {r['f_p50']:.0f} / p95 "
        f"{r['f_p95']:.0f} ms ({r['f_count']:.0f} keys)\n"
        f"{'':<7} filter keystroke to its frame p50 {r['filter_p50']:.0f} / p95 "
        f"{r['filter_p95']:.0f} ms ({r['filter_count']:.0f} keys) · peak RSS start "
        f"{r['start_peak_mb']:.0f} MB, session {r['session_peak_mb']:.0f} MB"
    )


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
        return
    sizes = common.parse_sizes(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"load before: {common.loadavg()}")
    with tempfile.TemporaryDirectory(prefix="nb-bench-ui-") as tmp:
        for size in sizes:
            print(describe(size, measure(common.demo_db(size), Path(tmp))), flush=True)
    print(f"load after: {common.loadavg()}")


if __name__ == "__main__":
    main()

"""A child process of the crash soak (benchmarks/crash_soak.py); run as a script, killed by it.

    python benchmarks/soak_child.py WORKLOAD DB TAG [--race-field F] [--race-api edit|update]

Prints "ready" once started, then, flushed, one line per acknowledged write, until killed:

    i ID NOTE             an interaction the CLI, the app or the store said it saved
    batch NAME K          an import of K contacts named NAMEk0..NAMEk(K-1) is about to start
    c NAME                a contact an import said it added
    try FIELD VALUE       the race is about to set FIELD of the race contact to VALUE
    ack FIELD VALUE       ... and it was saved (an edit or an undo)

Workloads: `cli` runs `netbalance log` (open, write, fold at close) in a loop; `app` drives
the Textual app through a pilot, pressing `f` (follow up) and waiting for the write;
`import` runs `netbalance import vcard` on a fresh file of new contacts; `fold` writes
through the store with the journal folded every 2 KB and after every fifth write;
`race` edits one field of a shared contact and undoes some of its edits, while a second
child does the same to another field.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netbalance.domain import Interaction  # noqa: E402
from netbalance.store import Store, StoreError, engine  # noqa: E402

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ANA = 1  # the contact the CLI and the store workloads log with (seeded by the soak)


def say(line: str) -> None:
    print(line, flush=True)


def cli_loop(db: str, tag: str) -> None:
    from netbalance.cli import main

    rnd = random.Random(tag)
    backups = Path(db).parent / "backups"
    say("ready")
    n = 0
    while True:
        note = f"{tag}-{n}"
        if rnd.random() < 0.5:
            # Without today's backup the open folds and backs up: kills land there too.
            for daily in backups.glob(f"netbalance-{datetime.now(UTC):%Y-%m-%d}.json"):
                daily.unlink()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["--db", db, "log", str(ANA), "--note", note, "--json"])
        if code == 0:
            say(f"i {json.loads(out.getvalue())['id']} {note}")
        n += 1


def fold_loop(db: str, tag: str) -> None:
    engine.COMPACT_BYTES = 2048  # small journals fold often: kills land inside folds
    store = Store.open(Path(db))
    say("ready")
    n = 0
    while True:
        note = f"{tag}-{n}"
        done = store.log_interaction(Interaction((ANA,), NOW, note=note), NOW)
        say(f"i {done.id} {note}")
        if n % 5 == 4:
            store.engine.compact()  # type: ignore[union-attr]
        n += 1


def import_loop(db: str, tag: str) -> None:
    from netbalance.cli import main

    rnd = random.Random(tag)
    # Beside the soak's data folder: the soak's temporary folder takes it away at the end.
    folder = Path(db).parent.parent / f"import-{tag}"
    folder.mkdir()
    say("ready")
    n = 0
    while True:
        # One word per name: the importer matches names word by word, in any order.
        name = f"{tag}n{n}"
        count = rnd.randint(1, 25)
        cards = "".join(
            f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}k{k}\nEMAIL:{name}k{k}@soak.example\nEND:VCARD\n"
            for k in range(count)
        )
        path = folder / f"{name}.vcf"
        path.write_text(cards)
        say(f"batch {name} {count}")
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["--db", db, "import", "vcard", str(path)])
        if code == 0:
            for k in range(count):
                say(f"c {name}k{k}")
        path.unlink()
        n += 1


async def app_loop(db: str, tag: str) -> None:
    from netbalance.app import make_app

    app = make_app(Path(db), now=NOW)
    async with app.run_test(size=(110, 32)) as pilot:
        await app.settle()
        await pilot.pause()
        say("ready")
        while True:
            assert app.store is not None
            before = set(app.store.raw_tables().get("interactions", {}))
            await pilot.press("f")
            await app.settle()
            after = app.store.raw_tables().get("interactions", {})
            for key in sorted(set(after) - before, key=int):
                say(f"i {key} {after[key].get('note', '')}")


def race_loop(db: str, tag: str, field: str, api: str, contact_id: int) -> None:
    """Set `field` of the race contact again and again, undoing some of those edits.

    `api` "edit" writes through Store.edit_contact (the field alone, checked against
    the base); "update" through the old whole-record update_contact, which can write a
    stale copy of the other child's field back (the soak must see that as lost updates).
    """
    rnd = random.Random(tag)
    store = Store.open(Path(db))
    say("ready")
    undo_stack: list[tuple[Any, str]] = []
    current = getattr(store.contact(contact_id), field)
    n = 0
    while True:
        if undo_stack and rnd.random() < 0.3:
            change, previous = undo_stack.pop()
            say(f"try {field} {previous}")
            try:
                store.undo(change)
            except StoreError as err:  # a conflict: said, and nothing was written
                print(f"undo refused: {err}", file=sys.stderr, flush=True)
                continue
            current = previous
        else:
            value = f"{tag}-{n}"
            n += 1
            say(f"try {field} {value}")
            if api == "edit":
                store.edit_contact(contact_id, {field: value}, base=store.contact(contact_id))
            else:
                store.update_contact(store.contact(contact_id).edit(**{field: value}))
            assert store.last_change is not None
            undo_stack.append((store.last_change, current))
            current = value
        say(f"ack {field} {current}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=["cli", "app", "import", "fold", "race"])
    parser.add_argument("db")
    parser.add_argument("tag")
    parser.add_argument("--race-field", default="company")
    parser.add_argument("--race-api", choices=["edit", "update"], default="edit")
    parser.add_argument("--race-contact", type=int, default=2)
    args = parser.parse_args()
    if args.workload == "cli":
        cli_loop(args.db, args.tag)
    elif args.workload == "fold":
        fold_loop(args.db, args.tag)
    elif args.workload == "import":
        import_loop(args.db, args.tag)
    elif args.workload == "app":
        asyncio.run(app_loop(args.db, args.tag))
    else:
        race_loop(args.db, args.tag, args.race_field, args.race_api, args.race_contact)


if __name__ == "__main__":
    main()

"""A child process for the sync's crash tests (run as a script, not collected).

    python sync_child.py DB CONTACTS CALENDAR POINT

Runs one sync of DB with the two folders and kills itself with SIGKILL at POINT:
"file:N" (after writing N files), "apply" (after every file, before the database
transaction), "state" (inside the transaction, once the new sync state file is written, before the
journal line), "commit" (inside the transaction, once the journal line is written),
"after" (when the sync returned) or "none". Prints "started" first, for the timed kills.
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netbalance.store import Store
from netbalance.store.engine import FileEngine
from netbalance.store.sync_state import SyncStateFiles
from netbalance.sync import SyncSettings, run, sync

NOW = datetime(2027, 2, 20, 9, 0, tzinfo=UTC)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    db, contacts, calendar, point = sys.argv[1:5]
    store = Store.open(Path(db))
    if point.startswith("file:"):
        left = [int(point[5:])]
        real = run.write_item

        def write_then_die(*args: Any, **kwargs: Any) -> tuple[int, int]:
            done = real(*args, **kwargs)
            left[0] -= 1
            if left[0] <= 0:
                die()
            return done

        run.write_item = write_then_die  # type: ignore[assignment]
    if point == "state":
        real_save = SyncStateFiles.save

        def save_then_die(self: SyncStateFiles, *args: Any) -> None:
            real_save(self, *args)
            die()

        SyncStateFiles.save = save_then_die  # type: ignore[method-assign]
    if point == "commit":
        real_commit = FileEngine.commit

        def commit_then_die(self: FileEngine, ops: Any) -> None:
            real_commit(self, ops)
            die()

        FileEngine.commit = commit_then_die  # type: ignore[method-assign]
    print("started", flush=True)
    settings = SyncSettings(contacts=Path(contacts), calendar=Path(calendar))
    sync(store, settings, NOW, before_apply=(lambda _plan: die()) if point == "apply" else None)
    if point == "after":
        die()
    store.close()


if __name__ == "__main__":
    main()

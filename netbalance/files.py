"""Files written whole and private, never through a link: what every layer that writes
a file for the user or beside the database uses (exports, vdir cards, the sync state).

A file is written to a new temp file in the target's own folder, opened with O_EXCL and
O_NOFOLLOW under a random name, so nobody can plant a file or a symlink there beforehand
and have netbalance write through it; it is created 0600 (owner only) unless the caller
asks for a wider mode, fsynced and renamed over the target in one step: a reader sees
the old file or the new one, never half of one. A symlink at the target itself is
replaced, not followed. (The store's own database, journal and index are written by
its engine, which also holds the lock; see store/engine.py.)
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

# Owner read and write only: what a file is created with unless asked otherwise.
PRIVATE_MODE = 0o600
# A new temp name is tried this many times if one happens to exist (O_EXCL says so).
_ATTEMPTS = 8
_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def write_file(
    target: Path,
    data: bytes,
    *,
    mode: int = PRIVATE_MODE,
    sync_folder: bool = True,
    sync_data: bool = True,
) -> None:
    """Replace `target` with `data` atomically, the new file having exactly `mode`.

    Raises OSError (the caller words it); on any failure the temp file is removed and
    `target` is left as it was. With `sync_folder` and `sync_data` False the caller
    writing many files makes them durable once at the end (os.sync, `fsync_folder`).
    """
    fd, tmp = _create_temp(target)
    try:
        try:
            # fchmod, not the open mode: the umask must not narrow a mode asked for.
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync_data:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync_folder:
        fsync_folder(target.parent)


def _create_temp(target: Path) -> tuple[int, Path]:
    for _ in range(_ATTEMPTS):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, _CREATE, PRIVATE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{target.parent}: could not create a temporary file there")


def fsync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable."""
    # The rename is durable once the folder is synced; some file systems refuse it.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

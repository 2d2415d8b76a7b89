"""What the engine needs to know about files beyond reading and writing them.

Which file a database path really names (a symlink is followed once), whether
netbalance may save there and, if not, why in words a user can act on, how to say
a failed write, and a stat signature to notice another process's changes.
"""

from __future__ import annotations

import errno
import os
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def shell_quote(path: Path | str) -> str:
    """A path as the shell reads it, for commands in messages."""
    return shlex.quote(str(path))


@dataclass
class Signature:
    """Enough of a file's stat to notice that someone changed it."""

    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Signature | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return cls(st.st_ino, st.st_size, st.st_mtime_ns)


def real_path(path: Path) -> Path:
    """The file a database path names. A symlink is followed here, once, so that a fold
    replaces its target (the real data) and never turns the link into a regular file."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def cannot_write_reason(path: Path, journal: Path) -> str | None:
    """Why netbalance could not save to the database at `path`, or None when it can.

    A fold writes new files beside the database and renames them over it, so the
    folder must be writable too, not only the file and its journal.
    """
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # it will be created: its first existing parent decides
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"the folder {folder} is read-only, and netbalance saves by writing new files "
            f"beside the database (to make changes: chmod u+w {shell_quote(folder)})"
        )
    for p in (path, journal):
        if p.is_file() and not os.access(p, os.W_OK):
            mode = stat.S_IMODE(p.stat().st_mode)
            return f"{p} is read-only (mode {mode:o}; to make changes: chmod u+w {shell_quote(p)})"
    return None


def shape_problem(data: Any) -> str | None:
    """Why `data` is not a TinyDB database of documents, or None."""
    if not isinstance(data, dict):
        return f"the top level is a {type(data).__name__}, not an object of tables"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table {name!r} is a {type(table).__name__}, not an object"
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                return f"table {name!r} has a bad record {doc_id!r}"
    return None


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_failure(path: Path, err: OSError) -> str:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
    }.get(err.errno or 0, err.strerror or str(err))
    return f"could not save to {path}: {reason}. Nothing was changed; your data on disk is intact"

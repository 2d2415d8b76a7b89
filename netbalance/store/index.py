"""A derived index beside the database, for opening it without reading all of it.

Opening a 20,000-contact / 200,000-interaction file meant parsing 37 MB of JSON
and indexing every interaction, though `netbalance due` needs only the contacts
and, per contact, when they were last seen. The index (`<db>.index`) holds what
an open builds: every table but the interactions, as stored, and per contact the
ids of their interactions, the time, id and next step of the last one, with the
highest interaction id, and per interaction what the health model reads of it (its
digest: time, depth, initiator, minutes, event, next step's date; decoded only when the
app builds its model). It is read with `marshal` (the fastest reader of plain
dicts, lists, text and numbers in the standard library), about a seventh of the
file.

It is never the only copy and never trusted over the file. It names the exact
state it was built from: the database file's inode, size and modification time,
the journal's inode, size and checksum (it is small), the generation and database
id, the schema version. An open uses it only when the file is that file and the
journal begins with those bytes, under the lock. Writes appended to the journal
since are replayed onto it when they only add interactions or change other
records; anything else, and any mismatch, reads the file as before. A fresh index
is written when a store closes and the journal has grown past INDEX_TAIL_BYTES
(engine.py) beyond what the index names. netbalance only ever replaces the database
file (a new inode, size and time); an editor could rewrite it in place, keeping
its size, within the file system's timestamp granularity, so an index built
less than RACY_NS after the file's last change is not used for it (as git
treats a "racily clean" index): the next open reads the file and writes another.
A copy of the files that kept their times (`cp -p`, `cp -a`, rsync -a, a synced or
restored folder) has other inodes: the index is used for it when the file has the size,
time and CRC32 it names (read only then), and its journal begins with the bytes it names;
otherwise the file is read as for any other change.
A checksum guards against a torn or damaged index (it is not fsynced: losing it
costs one slow open). It is written to a temp file and renamed, as everything else.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import zlib
from pathlib import Path
from typing import Any

from netbalance.store.files import Signature

MAGIC = b"NBIX"
# Bump when the layout of the payload changes: an index of another version is ignored.
VERSION = 3

# (schema version, generation, database id, journal base, the file's (ino, size,
#  mtime_ns), the journal's, the journal's CRC32, when the index was built (ns), the
#  highest interaction id, the file's CRC32)
Key = tuple[int, int, str, int, tuple[int, int, int], tuple[int, int, int], int, int, int, int]
# A change to the file this close to the index's making might not show in its stat.
RACY_NS = 2_000_000_000


def index_path(db: Path) -> Path:
    return db.with_name(db.name + ".index")


def sig_tuple(sig: Signature | None) -> tuple[int, int, int] | None:
    return None if sig is None else (sig.ino, sig.size, sig.mtime_ns)


def crc_of(path: Path) -> int | None:
    """The CRC32 of the file's bytes, read a block at a time (a database file is tens of
    MB: read whole, it would add that much to the process's peak memory)."""
    crc = 0
    try:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                crc = zlib.crc32(block, crc)
    except OSError:
        return None
    return crc


def read(path: Path) -> tuple[Key, Any] | None:
    """The key and payload of the index at `path`; None when there is none, or it is torn,
    damaged or of another version. The caller compares the key with the files."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if len(raw) < 12 or raw[:4] != MAGIC:
        return None
    body = raw[12:]
    try:
        if int(raw[4:12], 16) != zlib.crc32(body):
            return None
        version, stored_key, payload = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None
    if version != VERSION or not isinstance(stored_key, tuple) or len(stored_key) != 10:
        return None
    return stored_key, payload


def write(path: Path, tmp_prefix: str, key: Key, payload: Any) -> None:
    """Write the index for `key` (temp file and rename; failures are ignored)."""
    body = marshal.dumps((VERSION, key, payload))
    data = MAGIC + b"%08x" % zlib.crc32(body) + body
    tmp = path.with_name(f"{tmp_prefix}{os.getpid()}-{path.name}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()

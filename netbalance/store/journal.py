"""The journal's format: one checksummed JSON record a line, the header first.

A line is `CRC32 (8 hex digits) SPACE JSON NEWLINE`. The first line is the header,
{"generation": N, "database_id": ID}, naming the file the journal belongs to; every
other line is one write, {"ops": [[kind, table, id, document or null], ...]}. A line
cut short or failing its checksum is a write that never finished; a line whose
checksum holds but whose content is neither is damage. Last lines dropped at open
are recorded, bytes included, in a sidecar that `doctor` reads.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from pathlib import Path
from typing import Any

import orjson

META = "_meta"


def header_line(generation: int, database_id: str | None) -> bytes:
    """The journal's first line: which file, at which generation, it belongs to."""
    header: dict[str, Any] = {"generation": generation}
    if database_id is not None:
        header["database_id"] = database_id
    payload = orjson.dumps(header)
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def ops_line(ops: list[Any]) -> bytes:
    """One write's line: the changes it makes, checksummed."""
    payload = orjson.dumps({"ops": ops})
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def decode_line(line: bytes) -> dict[str, Any] | None:
    """A journal line's record, or None when it is torn or fails its checksum."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    payload = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(payload):
            return None
        record = orjson.loads(payload)
    except (ValueError, orjson.JSONDecodeError):
        return None
    return record if isinstance(record, dict) else None


def record_problem(record: dict[str, Any]) -> str | None:
    """Why a checksummed journal record is not a header or a list of changes, or None."""
    if "generation" in record:
        generation = record["generation"]
        if type(generation) is not int or generation < 0:
            return f"its generation is {generation!r}, not a whole number"
        database_id = record.get("database_id")
        if database_id is not None and (not isinstance(database_id, str) or not database_id):
            return f"its database id is {database_id!r}"
        return None
    ops = record.get("ops")
    if not isinstance(ops, list):
        return "it holds no list of changes"
    for number, op in enumerate(ops, 1):
        if (
            not isinstance(op, list)
            or len(op) != 4
            or op[0] not in ("p", "d")
            or not isinstance(op[1], str)
            or op[1] == META
            or not isinstance(op[2], str)
            or not op[2].isdigit()
            or (op[0] == "p" and not isinstance(op[3], dict))
        ):
            return f"change {number} is {orjson.dumps(op).decode()[:60]}"
    return None


def dropped_path(path: Path) -> Path:
    """Where the engine keeps the journal lines it dropped at open (see `keep_dropped`)."""
    return path.with_name(path.name + ".journal.dropped")


def read_dropped(path: Path) -> list[dict[str, Any]]:
    """The records of journal lines dropped for the database at `path`, oldest first."""
    try:
        raw = dropped_path(path).read_bytes()
    except OSError:
        return []
    found = []
    for line in raw.splitlines():
        with contextlib.suppress(orjson.JSONDecodeError):
            record = orjson.loads(line)
            if isinstance(record, dict):
                found.append(record)
    return found


def keep_dropped(path: Path, tail: bytes, offset: int, kind: str, at: str) -> None:
    """Record a dropped last journal line, bytes included, before it is cut off.

    A sidecar (`<db>.journal.dropped`), not the file's `_meta`: the record must be on
    disk before the cut, and the snapshot is only rewritten at the next fold (which a
    kill may never reach). It also keeps the bytes: a complete line that fails its
    checksum may have been an acknowledged write, and only a person can judge it.
    `doctor` reports these records; nothing else reads them.
    """
    import base64  # here: only a crash's leftover ever needs it

    entry = {
        "at": at,
        "offset": offset,
        "kind": kind,
        "bytes": len(tail),
        "data": base64.b64encode(tail).decode("ascii"),
    }
    line = orjson.dumps(entry) + b"\n"
    with contextlib.suppress(OSError):
        fd = os.open(dropped_path(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

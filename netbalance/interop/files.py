"""The modes of files netbalance writes for the user (exports, vdir cards).

An export holds the user's whole network, so it is created 0600 (owner only) unless
the caller asks for a wider mode (`--mode`). They are written by
`netbalance.files.write_file`: whole, private, never through a link.
"""

from __future__ import annotations

# The writing itself is netbalance/files.py's, which the store's sync state uses too.
from netbalance.files import PRIVATE_MODE


def parse_mode(text: str) -> int:
    """An octal file mode from the command line ("600", "0644"); the owner must keep
    read and write, and nothing beyond rwx for owner, group and others."""
    try:
        mode = int(text, 8)
    except ValueError:
        raise ValueError(f"{text!r} is not an octal mode such as 600 or 644") from None
    if not 0 <= mode <= 0o777:
        raise ValueError(f"{text!r} is not a mode from 000 to 777")
    if mode & PRIVATE_MODE != PRIVATE_MODE:
        raise ValueError(f"{text!r} would not let you read and write your own export")
    return mode


def folder_mode(mode: int) -> int:
    """The mode for a folder holding files of `mode`: whoever may read may also enter."""
    return mode | (mode & 0o444) >> 2

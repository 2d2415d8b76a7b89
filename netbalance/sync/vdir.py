"""The two vdir folders: which files changed since the last sync, what they hold, writes.

A file whose size and modification time are what the last sync saw is not read
again (at 55,000 files that is the difference between a tenth of a second and ten);
one that changed is read, hashed, and parsed into a VdirItem, or a Skipped saying
why it cannot be synced. Writes go through netbalance.files.write_file: a private temp
file in the same folder renamed over the target, so a reader (vdirsyncer, a phone's
sync) never sees half a file. Files starting with a dot are temp files, never items.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from netbalance.domain.identity import is_content_uid
from netbalance.domain.sync import SyncEntry
from netbalance.files import PRIVATE_MODE, fsync_folder, write_file
from netbalance.interop.common import Skipped, VdirItem, decode_text

CONTACTS_SUFFIX = ".vcf"
CALENDAR_SUFFIX = ".ics"
# A file bigger than this is not an item anyone meant (a card with a huge photo is ~1 MB).
MAX_ITEM_BYTES = 16 * 1024 * 1024


class FolderProblem(Exception):
    """A vdir folder that cannot be synced (missing, not a folder, not writable)."""


@dataclass(frozen=True, slots=True)
class SeenFile:
    """One file of a folder: its stat, its digest, and (when it changed) what it holds.

    `item` is None when the file is as the last sync left it (then it was not read,
    or was read and found the same).
    """

    name: str
    size: int
    mtime_ns: int
    digest: str
    item: VdirItem | Skipped | None = None
    data: bytes | None = None


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def check_folder(folder: Path, what: str) -> None:
    """Refuse, with a message saying what to do, a folder the sync cannot use."""
    if not folder.exists():
        raise FolderProblem(
            f"the {what} folder {folder} does not exist; create it "
            f"(mkdir -p {folder}) or run vdirsyncer discover first"
        )
    if not folder.is_dir():
        raise FolderProblem(f"the {what} folder {folder} is not a folder")
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise FolderProblem(f"the {what} folder {folder} cannot be read and written by you")


# A folder's item files as stat saw them: name -> (size, modification time in ns).
Stats = dict[str, tuple[int, int]]


def stat_folder(folder: Path, suffix: str) -> Stats:
    """Every item file of `folder` (not temp files, not other suffixes), with its stat."""
    found: Stats = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") or not name.lower().endswith(suffix):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found[name] = (st.st_size, st.st_mtime_ns)
    return found


def folder_mark(stats: Stats) -> str:
    """A digest of a folder's files and their stats: equal marks, no file changed.

    Renames and removals change the set of names; a file rewritten in place (vdir
    writers rename a temp file over it) changes its size or modification time.
    """
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(stats):
        size, mtime = stats[name]
        digest.update(f"{name}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


# A file modified this close to when the last sync looked may have changed again within
# the same tick of the file system's clock, its size the same: it is read again.
RACY_NS = 2_000_000_000


def scan(
    folder: Path,
    suffix: str,
    known: Mapping[str, SyncEntry],
    now: datetime,
    stats: Stats | None = None,
    trusted_before_ns: int | None = None,
) -> dict[str, SeenFile]:
    """Every item file of `folder`; `known` maps file names to their sync entries.
    `stats` is the folder as `stat_folder` just found it, if at hand. A file whose stat
    is what its entry says is not read, if it was modified before `trusted_before_ns`
    (RACY_NS before the last sync looked; None: any time)."""
    if stats is None:
        stats = stat_folder(folder, suffix)
    trusted = trusted_before_ns if trusted_before_ns is not None else 1 << 62
    seen: dict[str, SeenFile] = {}
    for name, (size, mtime) in stats.items():
        before = known.get(name)
        if (
            before is not None
            and before.size == size
            and before.mtime_ns == mtime
            and mtime < trusted
        ):
            seen[name] = SeenFile(name, size, mtime, before.digest)
            continue
        seen[name] = _read(folder / name, name, suffix, size, mtime, before, now)
    return seen


def _read(
    path: Path,
    name: str,
    suffix: str,
    size: int,
    mtime_ns: int,
    before: SyncEntry | None,
    now: datetime,
) -> SeenFile:
    if size > MAX_ITEM_BYTES:
        why = Skipped(name, f"is larger than {MAX_ITEM_BYTES // 2**20} MB; not an item")
        return SeenFile(name, size, mtime_ns, "", why)
    try:
        data = path.read_bytes()
    except OSError as err:
        return SeenFile(name, size, mtime_ns, "", Skipped(name, f"cannot be read ({err.strerror})"))
    digest = digest_of(data)
    if before is not None and before.digest == digest:
        return SeenFile(name, size, mtime_ns, digest)
    item = read_item(data, name, suffix, now)
    return SeenFile(name, size, mtime_ns, digest, item, data)


def read_item(data: bytes, name: str, suffix: str, now: datetime) -> VdirItem | Skipped:
    """What one file holds, as a VdirItem, or why it cannot be synced; never raises."""
    try:
        text, _ = decode_text(data)
        if suffix == CALENDAR_SUFFIX:
            from netbalance.interop.ics import read_vdir_item

            return read_vdir_item(text, name, now)
        return _read_card(text, name, now)
    except Exception as err:  # another client's file must never stop a sync
        return Skipped(name, f"cannot be read ({type(err).__name__}: {err})")


def _read_card(text: str, name: str, now: datetime) -> VdirItem | Skipped:
    from netbalance.interop.vcard import card_to_contact, parse_cards

    cards, _junk, _missing = parse_cards(text)
    if not cards:
        return Skipped(name, "holds no vCard")
    if len(cards) > 1:
        return Skipped(name, f"holds {len(cards)} cards; a vdir keeps one per file")
    incoming, skipped, _warnings = card_to_contact(cards[0], name, "sync", now)
    if incoming is None:
        return skipped or Skipped(name, "not a contact")
    contact = incoming.contact
    if is_content_uid(contact.uid):
        # A card without a UID is named by its file, which stays when the card changes.
        contact = contact.edit(uid=name.rsplit(".", 1)[0])
    links = {
        "goals": incoming.goal_uids,
        "met_at": (incoming.met_at_uid,) if incoming.met_at_uid else (),
    }
    return VdirItem(
        kind="contact",
        uid=contact.uid,
        record=contact,
        links=links,
        stated=incoming.stated,
        changed_at=incoming.changed_at,
    )


def write_item(folder: Path, name: str, data: bytes, *, durable: bool = False) -> tuple[int, int]:
    """Write one item file atomically (0600); its size and modification time after.

    `durable`: its data fsynced now (a sync writing few files); else `flush` makes the
    folder's files durable at once. Either way the folder is fsynced by `flush`."""
    path = folder / name
    write_file(path, data, mode=PRIVATE_MODE, sync_folder=False, sync_data=durable)
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def remove_item(folder: Path, name: str) -> None:
    """Remove one item file (merged away, no longer due); gone already is fine."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / name)


# A sync writing at most this many files fsyncs each one; more, one os.sync() for all.
FSYNC_EACH_UP_TO = 64


def flush(folder: Path, *, data_synced: bool = False) -> None:
    """Make the files, renames and removals in `folder` durable, once per sync rather than
    per file (55,000 fsyncs take minutes): before the database records them. With
    `data_synced` (each file was fsynced as written) only the folder is: os.sync() flushes
    every file system of the machine, half a second when others are writing."""
    if not data_synced:
        os.sync()
    fsync_folder(folder)

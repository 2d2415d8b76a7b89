"""The two vdir folders: which files changed since the last sync, what they hold, writes.

A file whose size and modification time are what the last sync saw is not read
again (at 55,000 files that is the difference between a tenth of a second and ten);
one that changed is read, hashed, and parsed into a VdirItem, or a Skipped saying
why it cannot be synced. Writes go through interop.files.write_file: a private temp
file in the same folder renamed over the target, so a reader (vdirsyncer, a phone's
sync) never sees half a file. Files starting with a dot are temp files, never items.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from netbalance.domain.identity import is_content_uid
from netbalance.domain.sync import SyncEntry
from netbalance.interop.common import Skipped, VdirItem, decode_text
from netbalance.interop.files import PRIVATE_MODE, fsync_folder, write_file
from netbalance.interop.ics import read_vdir_item
from netbalance.interop.vcard import card_to_contact, parse_cards

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


def scan(
    folder: Path, suffix: str, known: Mapping[str, SyncEntry], now: datetime
) -> dict[str, SeenFile]:
    """Every item file of `folder`; `known` maps file names to their sync entries."""
    seen: dict[str, SeenFile] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") or not name.lower().endswith(suffix):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            before = known.get(name)
            if (
                before is not None
                and before.size == st.st_size
                and before.mtime_ns == st.st_mtime_ns
            ):
                seen[name] = SeenFile(name, st.st_size, st.st_mtime_ns, before.digest)
                continue
            seen[name] = _read(folder / name, name, suffix, st.st_size, st.st_mtime_ns, before, now)
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
            return read_vdir_item(text, name, now)
        return _read_card(text, name, now)
    except Exception as err:  # another client's file must never stop a sync
        return Skipped(name, f"cannot be read ({type(err).__name__}: {err})")


def _read_card(text: str, name: str, now: datetime) -> VdirItem | Skipped:
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


def write_item(folder: Path, name: str, data: bytes) -> tuple[int, int]:
    """Write one item file atomically (0600); its size and modification time after."""
    path = folder / name
    write_file(path, data, mode=PRIVATE_MODE, sync_folder=False, sync_data=False)
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def remove_item(folder: Path, name: str) -> None:
    """Remove one item file (merged away, no longer due); gone already is fine."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / name)


def flush(folder: Path) -> None:
    """Make the files, renames and removals in `folder` durable, once per sync rather than
    per file (55,000 fsyncs take minutes): before the database records them."""
    os.sync()
    fsync_folder(folder)

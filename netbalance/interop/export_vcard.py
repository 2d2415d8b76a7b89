"""Contacts as vCard 4.0 (or 3.0): one file, or a vdir folder with one .vcf per contact.

netbalance's own fields travel as X-NETBALANCE-* properties, which khard, Apple and
Google keep untouched, so a re-import restores circle, cadence, goals and the last
interaction. Each card's UID is the contact's uid (kept from the card it was imported
from), so a re-export updates a vdir in place instead of adding copies, and a re-import
finds the same people.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from netbalance.domain import Contact, Goal
from netbalance.domain.identity import bare_uid, is_uuid
from netbalance.domain.names import NameParts, parts_fit, split_name
from netbalance.domain.text import clean_line
from netbalance.files import PRIVATE_MODE, write_file
from netbalance.interop.files import folder_mode

_NAMESPACE = uuid.UUID("6f1c8a52-3d4e-4b8f-9a57-0c1d2e3f4a5b")
_SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9@._+-]{1,200}$")


def contact_uid(contact: Contact) -> str:
    """The contact's uid; one derived from its id for a contact never stored (no uid yet)."""
    if contact.uid:
        return contact.uid
    return str(uuid.uuid5(_NAMESPACE, f"contact:{contact.id}:{contact.created_at.isoformat()}"))


def name_parts(contact: Contact) -> NameParts:
    """The N of a contact's card: the card's own while it fits the name, else the name's
    parts, empty for a name that is not a person's (a phone number, an address)."""
    own = contact.name_parts
    if own and parts_fit(contact.name, own):
        return (own[0], own[1], own[2], own[3], own[4])
    return split_name(contact.name)


def uid_line(uid: str, *, v4: bool) -> str:
    """The UID property: a UUID as a 'urn:uuid:' URI in vCard 4, anything else as text."""
    if is_uuid(uid):
        return f"UID:{'urn:uuid:' if v4 else ''}{bare_uid(uid)}"
    return f"UID{';VALUE=text' if v4 else ''}:{escape(uid)}"


def vdir_file_name(uid: str, suffix: str = ".vcf") -> str:
    """A file name for an item of a vdir: the uid when it is safe as one, else its hash
    (a foreign UID may hold '/', spaces or be very long), as vdirsyncer does."""
    if _SAFE_FILE_NAME.match(uid) and not uid.startswith("."):
        return uid + suffix
    return hashlib.sha1(uid.encode("utf-8")).hexdigest() + suffix


def escape(value: str) -> str:
    """vCard text escaping: backslash, comma, semicolon, newline."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 sequence (RFC 6350 3.2)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += ch
        size += n
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True, slots=True)
class SyncLinks:
    """What a synced card says beyond an export: the contact's goals and the event where
    they met by uid, and when the contact last changed (REV).

    A synced card states every netbalance field, empty ones too (X-NETBALANCE-ARCHIVED:
    false, X-NETBALANCE-CADENCE:none...): a field a card leaves out is one it says
    nothing about, so another client that drops netbalance's properties changes nothing.
    """

    goal_uids: tuple[str, ...] = ()
    met_at_uid: str = ""
    changed_at: datetime | None = None


def contact_to_vcard(
    contact: Contact,
    *,
    version: int = 4,
    goal_titles: Mapping[int, str] | None = None,
    last_interaction: datetime | None = None,
    sync: SyncLinks | None = None,
) -> str:
    """One contact as a vCard with CRLF line endings; with `sync`, as a vdir sync writes it."""
    v4 = version >= 4
    lines = ["BEGIN:VCARD", f"VERSION:{'4.0' if v4 else '3.0'}"]
    lines.append(uid_line(contact_uid(contact), v4=v4))
    lines.append(f"FN:{escape(contact.name)}")
    lines.append("N:" + ";".join(escape(p) for p in name_parts(contact)))
    for i, email in enumerate(contact.emails):
        pref = (";PREF=1" if v4 else ";TYPE=pref") if i == 0 else ""
        lines.append(f"EMAIL{pref}:{escape(email)}")
    for i, phone in enumerate(contact.phones):
        pref = (";PREF=1" if v4 else ";TYPE=pref") if i == 0 else ""
        lines.append(f"TEL{';VALUE=text' if v4 else ''}{pref}:{escape(phone)}")
    if contact.company:
        lines.append(f"ORG:{escape(contact.company)}")
    if contact.role:
        lines.append(f"TITLE:{escape(contact.role)}")
    lines += [f"URL:{link}" for link in contact.links]
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in contact.tags))
    if contact.birthday is not None:
        b = contact.birthday
        if b.year is None:
            # 3.0 has no year-less date; --MMDD is what Apple and Google write anyway.
            lines.append(f"BDAY:--{b.month:02d}{b.day:02d}")
        else:
            lines.append(f"BDAY:{b.year:04d}{b.month:02d}{b.day:02d}")
    if contact.notes:
        lines.append(f"NOTE:{escape(contact.notes)}")
    lines.append(f"X-NETBALANCE-CIRCLE:{contact.circle.value}")
    if sync is not None:
        lines += _sync_lines(contact, sync)
        lines.append("END:VCARD")
        return "".join(fold(clean_line(line)) + "\r\n" for line in lines)
    if contact.cadence_days is not None:
        lines.append(f"X-NETBALANCE-CADENCE:{contact.cadence_days}")
    for goal_id in contact.goal_ids:
        title = (goal_titles or {}).get(goal_id)
        if title:
            lines.append(f"X-NETBALANCE-GOAL:{escape(title)}")
    if last_interaction is not None:
        lines.append(f"X-NETBALANCE-LAST-INTERACTION:{_utc(last_interaction)}")
    if contact.how_met:
        lines.append(f"X-NETBALANCE-HOW-MET:{escape(contact.how_met)}")
    if contact.archived:
        lines.append("X-NETBALANCE-ARCHIVED:true")
    if contact.snoozed_until is not None:
        lines.append(f"X-NETBALANCE-SNOOZED-UNTIL:{_utc(contact.snoozed_until)}")
    lines.append(f"X-NETBALANCE-CREATED:{_utc(contact.created_at)}")
    lines.append("END:VCARD")
    # Cleaned line by line (domain/text.py): an old database may hold control characters
    # that no vCard reader should be handed.
    return "".join(fold(clean_line(line)) + "\r\n" for line in lines)


def _sync_lines(contact: Contact, sync: SyncLinks) -> list[str]:
    cadence = contact.cadence_days
    snoozed = contact.snoozed_until
    lines = [
        f"X-NETBALANCE-CADENCE:{cadence if cadence is not None else 'none'}",
        "X-NETBALANCE-GOALS:" + ",".join(escape(u) for u in sync.goal_uids),
        f"X-NETBALANCE-MET-AT:{escape(sync.met_at_uid)}",
        f"X-NETBALANCE-HOW-MET:{escape(contact.how_met)}",
        f"X-NETBALANCE-ARCHIVED:{'true' if contact.archived else 'false'}",
        f"X-NETBALANCE-SNOOZED-UNTIL:{_utc(snoozed) if snoozed is not None else 'none'}",
        "X-NETBALANCE-ALIASES:" + ",".join(escape(u) for u in contact.aliases),
        f"X-NETBALANCE-CREATED:{_utc(contact.created_at)}",
    ]
    if sync.changed_at is not None:
        lines.append(f"REV:{_utc(sync.changed_at)}")
    return lines


# What a synced card's writer owns; every other property of a card another client wrote
# (a photo, an address, a nickname) is kept as it was.
_OWNED = {
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "UID",
    "FN",
    "N",
    "EMAIL",
    "TEL",
    "ORG",
    "TITLE",
    "ROLE",
    "URL",
    "X-SOCIALPROFILE",
    "CATEGORIES",
    "BDAY",
    "NOTE",
    "REV",
}


def card_version(text: str) -> int:
    """The vCard version a card's text declares: 4, or 3 for 3.0 and 2.1 (written as 3.0)."""
    for line in text.splitlines():
        if line.upper().startswith("VERSION:"):
            return 4 if line.split(":", 1)[1].strip().startswith("4") else 3
    return 4


def patch_card(existing: str, card: str) -> str:
    """`card` (as contact_to_vcard wrote it) with the properties of `existing` that
    netbalance does not own: another client's photo or address survives a sync."""
    from netbalance.interop.vcard import parse_property, unfold

    kept: list[str] = []
    for no, line in unfold(existing):
        prop = parse_property(line, no)
        if prop is None or prop.name in _OWNED or prop.name.startswith("X-NETBALANCE-"):
            continue
        if "QUOTED-PRINTABLE" in {e.upper() for e in prop.params.get("ENCODING", [])}:
            continue  # a 2.1 encoding that a 3.0 or 4.0 card cannot hold
        kept.append(fold(clean_line(line)) + "\r\n")
    if not kept:
        return card
    end = card.rindex("END:VCARD")
    return card[:end] + "".join(kept) + card[end:]


def export_vcards(
    contacts: Sequence[Contact],
    *,
    version: int = 4,
    goals: Sequence[Goal] = (),
    last_interactions: Mapping[int, datetime] | None = None,
) -> str:
    """All contacts as one .vcf text."""
    titles = {g.id: g.title for g in goals}
    last = last_interactions or {}
    return "".join(
        contact_to_vcard(c, version=version, goal_titles=titles, last_interaction=last.get(c.id))
        for c in contacts
    )


def export_vdir(
    folder: Path,
    contacts: Sequence[Contact],
    *,
    version: int = 4,
    goals: Sequence[Goal] = (),
    last_interactions: Mapping[int, datetime] | None = None,
    mode: int = PRIVATE_MODE,
) -> int:
    """One <uid>.vcf per contact in `folder` (a khard/vdirsyncer address book); returns the count.

    Each card is written as an export is (interop/files.py: `mode`, 0600 by default,
    a private temp file renamed over the card), so a sync tool never reads half a card.
    """
    folder.mkdir(mode=folder_mode(mode), parents=True, exist_ok=True)
    titles = {g.id: g.title for g in goals}
    last = last_interactions or {}
    for c in contacts:
        text = contact_to_vcard(
            c, version=version, goal_titles=titles, last_interaction=last.get(c.id)
        )
        write_file(folder / vdir_file_name(contact_uid(c)), text.encode("utf-8"), mode=mode)
    return len(contacts)

"""Who is who: stable uids, and the keys that tell when two records are one person.

A uid is a record's identity outside this database (a vCard or iCalendar UID, a sync
peer, a backup). The rules of recognising a person live here once: the import plan,
`add`'s refusal of a second record, the duplicates review and merge all call them.
"""

from __future__ import annotations

import re
import uuid

_URN_UUID = "urn:uuid:"
_UUID_TEXT = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def new_uid() -> str:
    """A fresh uid for a record made here: a random (version 4) UUID as text."""
    return str(uuid.uuid4())


def bare_uid(uid: str) -> str:
    """A uid without a 'urn:uuid:' prefix, its case kept."""
    text = uid.strip()
    if text[: len(_URN_UUID)].lower() == _URN_UUID:
        return text[len(_URN_UUID) :].strip()
    return text


def is_uuid(uid: str) -> bool:
    """True when `uid` (with or without 'urn:uuid:') is a UUID, as every uid netbalance makes is."""
    return bool(_UUID_TEXT.match(bare_uid(uid)))


def uid_key(uid: str) -> str:
    """A uid as compared: 'urn:uuid:' dropped and a UUID lower-cased, other text exact.

    vCard 4 writes UIDs as URNs, vCard 3 and most phones as bare text; the same card
    read from either must be found as the same person.
    """
    text = bare_uid(uid)
    return text.lower() if _UUID_TEXT.match(text) else text

"""Who is who: stable uids, and the keys that tell when two records are one person.

A uid is a record's identity outside this database (a vCard or iCalendar UID, a sync
peer, a backup). The rules of recognising a person live here once: the import plan,
`add`'s refusal of a second record, the duplicates review and merge all call them.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from netbalance.domain.model import Contact

_URN_UUID = "urn:uuid:"
_UUID_TEXT = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


# Readers give a card, row or event that names no UID one made from its content.
CONTENT_UID_PREFIX = "nouid-"


def is_content_uid(uid: str) -> bool:
    """True for a uid a reader made from content: it says nothing a merge should keep."""
    return uid.startswith(CONTENT_UID_PREFIX)


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


# --- keys that recognise a person ------------------------------------------------------


def name_key(name: str) -> str:
    """A name without accents, case, punctuation or word order: 'Doe, John' is 'john doe'.

    Empty for a name that is an email address or holds no letter (a phone number
    standing in for a name says nothing about who it is).
    """
    if "@" in name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = re.findall(r"\w+", plain)
    if not any(ch.isalpha() for w in words for ch in w):
        return ""
    return " ".join(sorted(words))


def phone_key(phone: str) -> str:
    """The last nine digits: '+49 171 1234567' and '0171 1234567' are one phone."""
    digits = re.sub(r"\D", "", phone.split(";")[0])
    # Fewer than 7 digits is an extension or a placeholder, not a way to recognise a person.
    return digits[-9:] if len(digits) >= 7 else ""


def email_key(email: str) -> str:
    """An address as compared: trimmed, lower case, without 'mailto:'."""
    text = email.strip().casefold()
    return text[7:] if text.startswith("mailto:") else text


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def profile_key(link: str) -> str:
    """A link to a page about one person ('linkedin.com/in/ada'): host and path, lower case.

    Empty for a bare site ('https://acme.com'): a company's home page is shared by
    everyone who works there.
    """
    text = _SCHEME.sub("", link.strip().casefold()).split("?")[0].split("#")[0]
    text = text.removeprefix("www.")
    host, _, path = text.partition("/")
    path = path.rstrip("/")
    if not host or not path or any(ch.isspace() for ch in text):
        return ""
    return f"{host}/{path}"


def _word_matches(word: str, others: set[str]) -> bool:
    if word in others:
        return True
    # An initial ('a' of 'A. Silva') stands for any word it starts.
    return len(word) == 1 and any(o.startswith(word) for o in others)


def names_agree(a: str, b: str) -> bool:
    """Whether two names can be one person's: the same words in any order, one the other's
    words with more (a middle name, a nickname dropped), initials for words, or a typo.

    Used with a second key (a phone, a profile link): 'Dummy, Dummy' and 'N N N N N' on
    one number are two entries of a phone book, not one person.
    """
    return keys_agree(name_key(a), name_key(b))


def keys_agree(ka: str, kb: str) -> bool:
    """`names_agree` on name keys already made (the duplicates finder makes each once)."""
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    wa, wb = ka.split(), kb.split()
    shorter, longer = (wa, set(wb)) if len(wa) <= len(wb) else (wb, set(wa))
    if all(_word_matches(w, longer) for w in shorter) and any(len(w) > 1 for w in shorter):
        return True
    return similar_keys(ka, kb)


def similar_keys(ka: str, kb: str) -> bool:
    """Whether two name keys are one name with a typo: the same words but one, and that
    one a letter apart (one changed, added, dropped, or two swapped: 'jon'/'john')."""
    if ka == kb:
        return True
    wa, wb = ka.split(), kb.split()
    if len(wa) != len(wb):
        return False
    rest_a, rest_b = list(wa), list(wb)
    for w in wa:
        if w in rest_b:
            rest_a.remove(w)
            rest_b.remove(w)
    return (
        len(rest_a) == 1
        and len(wa) > 1
        and min(len(rest_a[0]), len(rest_b[0])) >= 3
        and _one_edit(rest_a[0], rest_b[0])
    )


def _one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter changed, added or dropped, or two swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i = diffs[0] if len(diffs) == 2 else -1
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


# --- finding a person among many ------------------------------------------------------

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Found(Generic[K]):
    """A record that an incoming one matched, and why.

    `same_person` is True when the rules say the two are one person (the same uid or
    alias, email, or phone or profile link with an agreeing name) and False when they
    only might be (a namesake, a shared phone under another name): those are never
    merged on their own, only offered for review.
    """

    key: K
    reason: str
    same_person: bool


class IdentityIndex(Generic[K]):
    """Contacts by uid and alias, email, phone, profile link and name, to find one fast.

    `K` is whatever the caller names records by (a contact id, or ("new", n) for a
    record not stored yet). Adding a record again after it changed adds its new keys.
    """

    def __init__(self) -> None:
        self._uid: dict[str, K] = {}
        self._email: dict[str, K] = {}
        self._phone: dict[str, list[K]] = {}
        self._profile: dict[str, list[K]] = {}
        self._name: dict[str, list[K]] = {}
        self._names: dict[K, str] = {}

    def add(self, key: K, contact: Contact) -> None:
        self._names[key] = contact.name
        for uid in (contact.uid, *contact.aliases):
            if uid:
                self._uid.setdefault(uid_key(uid), key)
        for email in contact.emails:
            self._email.setdefault(email_key(email), key)
        for phone in contact.phones:
            _append(self._phone, phone_key(phone), key)
        for link in contact.links:
            _append(self._profile, profile_key(link), key)
        _append(self._name, name_key(contact.name), key)

    def name_of(self, key: K) -> str:
        return self._names[key]

    def by_uid(self, uid: str) -> K | None:
        """The record whose uid or alias `uid` is."""
        return self._uid.get(uid_key(uid)) if uid else None

    def find(self, contact: Contact, *, skip: Callable[[K], bool] | None = None) -> Found[K] | None:
        """The record `contact` is, by the rules in order; else one it might be; else None.

        `skip` leaves records out (a backup's own other records, already claimed ones).
        """

        def ok(key: K) -> bool:
            return skip is None or not skip(key)

        for uid in (contact.uid, *contact.aliases):
            key = self.by_uid(uid)
            if key is not None and ok(key):
                return Found(key, "same uid", True)
        for email in contact.emails:
            key = self._email.get(email_key(email))
            if key is not None and ok(key):
                return Found(key, f"same email {email}", True)
        maybe: Found[K] | None = None
        for what, keys_of, values in (
            ("phone", self._phone, [(phone_key(p), p) for p in contact.phones]),
            ("profile link", self._profile, [(profile_key(u), u) for u in contact.links]),
        ):
            for value_key, shown in values:
                for key in keys_of.get(value_key, ()) if value_key else ():
                    if not ok(key):
                        continue
                    if names_agree(contact.name, self._names[key]):
                        return Found(key, f"same {what} {shown} and name", True)
                    if maybe is None:
                        maybe = Found(key, f"same {what} {shown}, another name", False)
        if maybe is not None:
            return maybe
        for key in self._name.get(name_key(contact.name), ()):
            if ok(key):
                return Found(key, "same name", False)
        return None

    def sharing_email_or_phone(self, contact: Contact) -> list[Found[K]]:
        """Every record with one of `contact`'s emails or phones (whatever its name)."""
        found: dict[K, Found[K]] = {}
        for email in contact.emails:
            key = self._email.get(email_key(email))
            if key is not None:
                found.setdefault(key, Found(key, f"same email {email}", True))
        for phone in contact.phones:
            for key in self._phone.get(phone_key(phone), ()) if phone_key(phone) else ():
                found.setdefault(key, Found(key, f"same phone {phone}", True))
        return list(found.values())

    def namesakes(self, contact: Contact) -> list[K]:
        """Records with the same name (any case, accents, word order)."""
        return list(self._name.get(name_key(contact.name), ()))


def _append(index: dict[str, list[K]], value: str, key: K) -> None:
    if not value:
        return
    keys = index.setdefault(value, [])
    if key not in keys:
        keys.append(key)

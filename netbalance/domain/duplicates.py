"""Likely duplicates: pairs of contacts that may be one person, with why, scored and ranked.

Comparing everyone with everyone is 12.5 million pairs at 5,000 contacts; instead each
contact is put in a few small blocks by what could make two records one person (an
email, a phone, a profile link, the name, and for typos each name word with the first
letter of another), and only contacts sharing a block are compared. A key that many
records share (a switchboard number, info@) identifies nobody and is left out.

Pairs the user marked "not the same person" are never listed again; the decision is
kept by uid, so it survives a merge (through aliases), an export and a sync.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

from netbalance.domain.identity import (
    email_key,
    keys_agree,
    name_key,
    phone_key,
    profile_key,
    uid_key,
)
from netbalance.domain.model import Contact

# A key shared by more records than this is a switchboard or a team address, not a person.
MAX_BLOCK = 25
# Pairs scoring below this are left out of the list (a similar name alone, say).
MIN_SCORE = 30


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing that makes (or, with a negative weight, unmakes) two records one person."""

    kind: str  # uid, email, phone, link, name, similar-name, company, birthday
    text: str  # "same email ana@example.org"
    weight: float

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two contacts that may be one person: the lower id first, a score 0-100, the reasons."""

    first_id: int
    second_id: int
    score: int
    reasons: tuple[Reason, ...]

    @property
    def ids(self) -> tuple[int, int]:
        return self.first_id, self.second_id

    @property
    def why(self) -> str:
        """The reasons in words: 'same email ana@x.org, similar name, same company Acme'."""
        return ", ".join(r.text for r in self.reasons)


# What each kind of evidence is worth, on its own, as the chance of one person.
WEIGHTS = {
    "uid": 1.0,
    "email": 0.9,
    "link": 0.7,
    "phone": 0.6,
    "name": 0.45,
    "similar-name": 0.3,
    "company": 0.25,
    "birthday": 0.3,
}
# Both have a birthday and they differ: almost surely two people.
DIFFERENT_BIRTHDAY = 0.3


def uids_of(contact: Contact) -> frozenset[str]:
    """The uids a contact answers to: its own and its aliases, as compared."""
    return frozenset(uid_key(u) for u in (contact.uid, *contact.aliases) if u)


def apart_key(a: Contact, b: Contact) -> frozenset[str]:
    """How a "not the same person" decision about `a` and `b` is stored: their two uids."""
    return frozenset((uid_key(a.uid), uid_key(b.uid)))


def is_kept_apart(a: Contact, b: Contact, kept_apart: Collection[frozenset[str]]) -> bool:
    """Whether the user said `a` and `b` are two people (also of records merged into them)."""
    if not kept_apart:
        return False
    return any(frozenset((x, y)) in kept_apart for x in uids_of(a) for y in uids_of(b))


@dataclass(frozen=True, slots=True)
class _Keys:
    """A contact's identity keys, made once (a contact meets many others in its blocks)."""

    contact: Contact
    uids: frozenset[str]
    emails: dict[str, str]  # key -> as written
    phones: dict[str, str]
    links: dict[str, str]
    name: str

    @classmethod
    def of(cls, c: Contact) -> _Keys:
        return cls(
            c,
            uids_of(c),
            {k: e for e in c.emails if (k := email_key(e))},
            {k: p for p in c.phones if (k := phone_key(p))},
            {k: u for u in c.links if (k := profile_key(u))},
            name_key(c.name),
        )

    def blocks(self) -> Iterator[str]:
        yield from ("e:" + k for k in self.emails)
        yield from ("p:" + k for k in self.phones)
        yield from ("l:" + k for k in self.links)
        yield from ("u:" + k for k in self.uids)
        if not self.name:
            return
        yield "n:" + self.name
        words = sorted(set(self.name.split()))[:8]
        # One name with a letter changed, added, dropped or two swapped: the rest of the
        # name and the word with one letter deleted agree ('ana silva' / 'anna silva').
        for w in words:
            if len(w) < 3:
                continue
            rest = " ".join(x for x in words if x != w)
            if rest:
                for variant in {w, *(w[:i] + w[i + 1 :] for i in range(len(w)))}:
                    yield f"t:{rest}|{variant}"
        # One name within the other (a middle name, a second surname): two words in common.
        if len(words) > 2:
            for x, y in combinations(words, 2):
                yield f"s:{x} {y}"
        elif len(words) == 2:
            yield f"s:{words[0]} {words[1]}"


def reasons(a: Contact, b: Contact) -> tuple[Reason, ...]:
    """Why `a` and `b` may be one person (and what speaks against it)."""
    return _reasons(_Keys.of(a), _Keys.of(b))


def _reasons(ka: _Keys, kb: _Keys) -> tuple[Reason, ...]:
    found: list[Reason] = []

    def add(kind: str, text: str) -> None:
        found.append(Reason(kind, text, WEIGHTS[kind]))

    if ka.uids & kb.uids:
        add("uid", "same uid")
    for what, mine, theirs in (
        ("email", ka.emails, kb.emails),
        ("phone", ka.phones, kb.phones),
        ("link", ka.links, kb.links),
    ):
        for key, shown in mine.items():
            if key in theirs:
                add(what, f"same {'profile' if what == 'link' else what} {shown}")
    a, b = ka.contact, kb.contact
    if ka.name and ka.name == kb.name:
        add("name", "same name")
    elif keys_agree(ka.name, kb.name):
        add("similar-name", f"similar names ({a.name} / {b.name})")
    identifying = bool(found)
    if identifying and a.company and a.company.casefold() == b.company.casefold():
        add("company", f"same company {a.company}")
    if identifying and a.birthday is not None and b.birthday is not None:
        same_day = (a.birthday.month, a.birthday.day) == (b.birthday.month, b.birthday.day)
        years = {a.birthday.year, b.birthday.year} - {None}
        if same_day and len(years) <= 1:
            add("birthday", f"same birthday {a.birthday.iso()}")
        else:
            found.append(Reason("birthday", "different birthdays", -DIFFERENT_BIRTHDAY))
    return tuple(found)


def score(found: Iterable[Reason]) -> int:
    """0-100: evidence for combines as independent chances; a counter-reason scales it down."""
    missing, factor = 1.0, 1.0
    for r in found:
        if r.weight >= 0:
            missing *= 1.0 - r.weight
        else:
            factor *= -r.weight
    return round(100 * (1.0 - missing) * factor)


def compare(a: Contact, b: Contact) -> DuplicatePair | None:
    """The pair `a`, `b` with its reasons and score; None when nothing makes them one."""
    return _compare(_Keys.of(a), _Keys.of(b))


def _compare(ka: _Keys, kb: _Keys) -> DuplicatePair | None:
    found = _reasons(ka, kb)
    a, b = ka.contact, kb.contact
    if not any(r.kind in ("uid", "email", "phone", "link", "name", "similar-name") for r in found):
        return None
    first, second = (a, b) if a.id <= b.id else (b, a)
    return DuplicatePair(first.id, second.id, score(found), found)


def find_duplicates(
    contacts: Iterable[Contact],
    *,
    kept_apart: Collection[frozenset[str]] = (),
    min_score: int = MIN_SCORE,
) -> list[DuplicatePair]:
    """Likely duplicate pairs among `contacts`, best first (score, then ids).

    `kept_apart` holds the uid pairs the user said are two people (`apart_key`).
    """
    by_id = {c.id: _Keys.of(c) for c in contacts}
    blocks: dict[str, list[int]] = {}
    for keys in by_id.values():
        for block in set(keys.blocks()):
            blocks.setdefault(block, []).append(keys.contact.id)
    candidates: set[tuple[int, int]] = set()
    for ids in blocks.values():
        if 1 < len(ids) <= MAX_BLOCK:
            candidates.update((x, y) if x < y else (y, x) for x, y in combinations(ids, 2))
    pairs: list[DuplicatePair] = []
    for x, y in candidates:
        a, b = by_id[x], by_id[y]
        if kept_apart and is_kept_apart(a.contact, b.contact, kept_apart):
            continue
        pair = _compare(a, b)
        if pair is not None and pair.score >= min_score:
            pairs.append(pair)
    pairs.sort(key=lambda p: (-p.score, p.first_id, p.second_id))
    return pairs

"""A person's name in parts (family, given, additional, prefixes, suffixes), as vCard's N.

Address books sort by the family name (khard, phones), so a card written without its
own N needs one that is right or empty, never a guess that is wrong: 'Zoe O'Brien, Jr.'
is O'Brien, Zoe, suffix Jr.; a name that is a phone number or an address has no parts.
"""

from __future__ import annotations

import re

NameParts = tuple[str, str, str, str, str]  # family, given, additional, prefixes, suffixes
NO_PARTS: NameParts = ("", "", "", "", "")

_PREFIXES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "fr"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "mba", "dds", "jd", "obe"}
# Words that belong to the family name that follows them: Ludwig van Beethoven.
_PARTICLES = {"van", "von", "de", "da", "del", "della", "der", "den", "di", "du", "dos", "la", "le"}


def _bare(word: str) -> str:
    return word.strip(".,").casefold()


def split_name(name: str) -> NameParts:
    """The parts of a person's name; NO_PARTS when it is not one (no letter, an address).

    'Doe, John' is family Doe, given John; a trailing 'Jr.' or 'PhD' is a suffix and a
    leading 'Dr.' a prefix; 'van', 'de'... before the last word join the family name;
    words between the first and the family name are additional names.
    """
    text = " ".join(name.split())
    if "@" in text or not any(ch.isalpha() for ch in text):
        return NO_PARTS
    suffixes: list[str] = []
    pieces = [p.strip() for p in text.split(",")]
    # 'Zoe O'Brien, Jr.' and 'Ann Lee, PhD': a suffix after a comma.
    while len(pieces) > 1 and all(_bare(w) in _SUFFIXES for w in pieces[-1].split()):
        suffixes.insert(0, pieces.pop())
    words: list[str]
    if len(pieces) == 2 and pieces[0] and pieces[1]:
        # 'Doe, John': family first.
        family_words, words = pieces[0].split(), pieces[1].split()
    else:
        words, family_words = " ".join(pieces).split(), []
    prefixes: list[str] = []
    while len(words) > 1 and _bare(words[0]) in _PREFIXES:
        prefixes.append(words.pop(0))
    while len(words) > 1 and _bare(words[-1]) in _SUFFIXES:
        suffixes.insert(0, words.pop())
    if not family_words and len(words) > 1:
        family_words = [words.pop()]
        while len(words) > 1 and _bare(words[-1]) in _PARTICLES:
            family_words.insert(0, words.pop())
    given = words[0] if words else ""
    return (
        " ".join(family_words),
        given,
        " ".join(words[1:]),
        " ".join(prefixes),
        " ".join(suffixes),
    )


def parts_fit(name: str, parts: tuple[str, ...]) -> bool:
    """Whether a card's own N still names `name`: every word of its family and given
    names is a word of `name` (many cards leave middle names out of the full name; a
    name edited in netbalance since no longer fits)."""
    if len(parts) < 2 or not any(parts[:2]):
        return False
    have = {w.strip(".,").casefold() for w in re.split(r"[\s,]+", name) if w}
    wanted = [w.strip(".,").casefold() for p in parts[:2] for w in re.split(r"[\s,]+", p) if w]
    return all(w in have for w in wanted)

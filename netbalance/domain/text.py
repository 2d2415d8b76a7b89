"""Text a user or a file typed: cleaned on the way in, escaped on the way out.

A name or a note can arrive holding terminal control codes (`ESC [2J` clears the
screen, `ESC ]0;...BEL` sets the window title), C1 controls that some terminals obey
as well, bidi overrides that make text read differently than it is stored, or, from
a command line with invalid UTF-8, lone surrogates that cannot be written at all.

- `clean_line` (names, titles, emails, tags...) and `clean_text` (notes, which keep
  newlines and tabs) are what the domain records apply when they are built, so the
  command line, the forms and every importer store clean text.
- `escape_controls` is for showing text that may not have been cleaned (an old
  database, a file name, a value quoted in a message): each unsafe character
  becomes a visible escape such as `\\x1b`, and nothing reaches the terminal raw.
- `escape_json` makes encoded JSON safe to print while keeping its values.
- `check_length` holds every field to one limit (`MAX_TEXT_CHARS`, names
  `MAX_NAME_CHARS`), said in its message; importers cut to exactly that limit.
"""

from __future__ import annotations

import re

from netbalance.domain.errors import DomainError

# Longest text one field may hold: a long set of notes fits; a pasted book does not.
MAX_TEXT_CHARS = 20_000
# Names are shown in lists and rows: a contact's name has its own, shorter limit.
MAX_NAME_CHARS = 200

# Whole terminal escape sequences go at once, so "Kim\x1b[31mRed" cleans to "KimRed"
# rather than leaving "[31m" behind: CSI (ESC [ or C1 0x9b) up to its final byte;
# OSC, DCS, APC, PM (ESC ] P _ ^ or their C1 forms) through their terminator, BEL or
# ST (an unterminated one loses only its introducer); ESC with its intermediate and
# final bytes. Bodies never span a control character, so matching stays linear.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]P_^]|[\x90\x9d\x9e\x9f])[^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]?"
)

# Characters that end a line: in a one-line field they become a space.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Bidi embeddings, overrides and isolates reorder what follows them (the
# "Trojan Source" characters); the plain marks LRM, RLM and ALM are kept, names in
# Hebrew or Arabic use them. A zero-width space and a stray BOM make two equal-looking
# names differ. Zero-width joiners stay: emoji and Persian need them.
_INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff"
_CONTROLS = [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))]
_SURROGATES = range(0xD800, 0xE000)


def _table(keep: str, to_space: str) -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): None for c in (*_CONTROLS, *_INVISIBLE)}
    for c in to_space:
        table[ord(c)] = " "
    for c in keep:
        table.pop(ord(c), None)
    # Invalid UTF-8 read from a command line arrives as lone surrogates; they cannot
    # be stored or printed, so they become the replacement character.
    table.update({c: "\ufffd" for c in _SURROGATES})
    return table


_LINE_TABLE = _table(keep="", to_space="\t" + _LINE_BREAKS)
_TEXT_TABLE = _table(keep="\n\t", to_space="")
_TEXT_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def clean_line(text: str) -> str:
    """`text` for a one-line field: escape sequences and control characters removed,
    line breaks and tabs turned into spaces, lone surrogates made U+FFFD.

    Most text is printable and returns unchanged at the cost of one `isprintable()`.
    """
    if text.isprintable():
        return text
    return _ESCAPE_SEQUENCE.sub("", text).translate(_LINE_TABLE)


def clean_text(text: str) -> str:
    """`text` for a field of several lines (notes): as `clean_line`, but newlines and
    tabs stay, and every other line ending (CR LF, CR, U+2028...) becomes a newline."""
    if text.isprintable():
        return text
    return _TEXT_BREAKS.sub("\n", _ESCAPE_SEQUENCE.sub("", text)).translate(_TEXT_TABLE)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNSAFE_OUT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(_INVISIBLE) + "\u2028\u2029\ud800-\udfff]"
)


def escape_controls(text: str) -> str:
    """`text` made safe to print on a terminal: every control character but newline and
    tab, every bidi override and lone surrogate shown as a visible escape (`\\x1b`,
    `\\u202e`), so what the user reads is what is stored and nothing is obeyed."""
    if text.isprintable():
        return text
    return _UNSAFE_OUT.sub(_visible, text)


_UNSAFE_JSON = re.compile("[\x7f-\x9f" + "".join(_INVISIBLE) + "\u2028\u2029]")


def escape_json(encoded: str) -> str:
    """Encoded JSON with the unsafe characters a JSON encoder leaves raw (DEL, C1,
    bidi overrides, U+2028/9) written as `\\uXXXX` escapes: same values, safe to print.

    Outside strings JSON is plain ASCII, so every match is inside a string, where a
    `\\u` escape means the same character.
    """
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def check_length(field: str, text: str, limit: int = MAX_TEXT_CHARS) -> None:
    """Refuse `text` longer than `limit` characters, naming the field and the limit."""
    if len(text) > limit:
        raise DomainError(
            field,
            text[:40] + "…",
            f"is {len(text):,} characters long; the limit is {limit:,} characters",
        )

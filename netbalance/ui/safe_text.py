"""User and file text on screen: shown as typed, never read as markup or obeyed.

Names, titles, notes and paths may hold `[bold]`, `[/]`, `[link=...]`, `[@click=...]`,
`[$variable]` or raw control characters. Text put into markup goes through
`escape_markup`; text shown on its own goes through `plain` (no markup at all).
Both make control characters visible (`\\x1b`) first (domain/text.escape_controls).
"""

from __future__ import annotations

from textual.content import Content

from netbalance.domain.text import escape_controls


def escape_markup(text: str) -> str:
    """`text` for use inside Textual content markup: every `[` escaped, so no tag, link,
    action or `[$variable]` in it takes effect; control characters made visible.

    rich.markup.escape leaves `[$x]` alone, which Textual reads as a variable, so every
    bracket is escaped. In Textual markup a backslash before `[` always escapes it, so a
    trailing backslash gets a zero-width space after it rather than escaping the markup
    that follows."""
    escaped = escape_controls(text).replace("[", "\\[")
    return escaped + "\u200b" if escaped.endswith("\\") else escaped


def plain(text: str) -> Content:
    """`text` as content with no markup, control characters made visible."""
    return Content(escape_controls(text))

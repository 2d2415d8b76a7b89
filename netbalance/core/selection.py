"""Selection by identity: where the cursor goes when a list is drawn again.

The cursor follows a record's id, never a row number. When the record is still listed
(re-ranked, filtered, another process's write) the cursor stays on it; when it has left
the view (archived, filtered out, declined off the upcoming list) it goes to the nearest
record that was beside it and is still shown: the one after it first, then before it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def keep_place(
    selected: K | None, before: Sequence[K], after: Sequence[K], fallback: int = 0
) -> int | None:
    """The index in `after` for the cursor that was on `selected` in `before`.

    None when `after` is empty. `fallback` (clamped) is used only when nothing of
    `before` is left, or nothing was selected.
    """
    if not after:
        return None
    if selected is not None:
        where = {key: i for i, key in enumerate(after)}
        if selected in where:
            return where[selected]
        try:
            old = before.index(selected)
        except ValueError:
            old = -1
        if old >= 0:
            for offset in range(1, max(old + 1, len(before) - old)):
                for probe in (old + offset, old - offset):
                    if 0 <= probe < len(before) and before[probe] in where:
                        return where[before[probe]]
    return max(0, min(fallback, len(after) - 1))


def neighbour(selected: K, shown: Sequence[K]) -> K | None:
    """The record beside `selected` in `shown` (the next one, else the previous one):
    where the cursor goes once `selected` is done with (a follow-up moves it down the list)."""
    try:
        index = shown.index(selected)
    except ValueError:
        return None
    if index + 1 < len(shown):
        return shown[index + 1]
    return shown[index - 1] if index > 0 else None

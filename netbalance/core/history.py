"""The undo history of one run of the app: the changes this process wrote, named, and the
steps undone since (to redo).

The store tells the history of every change it writes (`Store.on_change`), on the thread
that wrote it: the Session's writer, one write at a time. A write names its step
(`History.naming`, "follow up with Lena Kim"); a change nobody named is called by the
store's own description ("log message with Lena Kim", "import contacts.vcf").

Undo is `Store.undo(step.change)`: the change it writes (the inverse) is kept on the redo
side under the same name, and redo undoes that inverse ("undoing an undo redoes"), whose
change goes back on the undo side. A new change after undos drops what could be redone.
A refused undo or redo (StoreConflict: changed elsewhere since) leaves both sides as they
were. The lists are read by the UI thread (the palette names the next steps), hence the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, TypeVar

from netbalance.store.changes import Change

T = TypeVar("T")

# Steps kept; the oldest are forgotten past this (a long session stays small).
LIMIT = 200


@dataclass(frozen=True)
class Step:
    """One named change: undoing it is `Store.undo(change)`."""

    name: str
    change: Change


class History:
    """What can be undone (newest last) and what can be redone (next last)."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._lock = threading.Lock()
        self._name: str | None = None
        # While undoing or redoing: the change that write made, not a new step.
        self._replaying = False
        self._replayed: Change | None = None

    # --- reading (any thread) ------------------------------------------------------------

    def next_undo(self) -> Step | None:
        with self._lock:
            return self._undo[-1] if self._undo else None

    def next_redo(self) -> Step | None:
        with self._lock:
            return self._redo[-1] if self._redo else None

    def steps(self) -> tuple[list[Step], list[Step]]:
        """(what can be undone, oldest first; what can be redone, next first)."""
        with self._lock:
            return list(self._undo), list(reversed(self._redo))

    # --- recording (the writing thread) -----------------------------------------------------

    @contextmanager
    def naming(self, name: str) -> Iterator[None]:
        """Changes written inside are called `name` (empty: the store's description)."""
        previous, self._name = self._name, name or None
        try:
            yield
        finally:
            self._name = previous

    def record(self, change: Change) -> None:
        """The store wrote `change` (Store.on_change)."""
        if self._replaying:
            self._replayed = change
            return
        if not change.records:
            return
        step = Step(self._name or change.description, change)
        with self._lock:
            self._undo.append(step)
            del self._undo[: -self.limit]
            self._redo.clear()

    def replay(
        self, side: Literal["undo", "redo"], apply: Callable[[Change], object]
    ) -> Step | None:
        """Undo (or redo) the next step with `apply` (Store.undo): the step, or None when
        there is none. An exception from `apply` (a refusal) leaves the history as it was."""
        source, target = (self._undo, self._redo) if side == "undo" else (self._redo, self._undo)
        with self._lock:
            if not source:
                return None
            step = source[-1]
        self._replaying, self._replayed = True, None
        try:
            apply(step.change)
        finally:
            self._replaying = False
        inverse, self._replayed = self._replayed, None
        with self._lock:
            if source and source[-1] is step:
                source.pop()
            if inverse is not None:
                # Nothing written (already as it was): there is nothing to go back to.
                target.append(Step(step.name, inverse))
                del target[: -self.limit]
        return step

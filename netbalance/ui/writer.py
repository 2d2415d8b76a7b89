"""Store writes off the UI thread, one at a time, in the order they were asked for.

The screen shows a change at once; the write (lock, journal append, fsync)
follows on a thread. If it fails, the caller's `on_error` rolls the screen
back and says why. Tests `await writer.join()` instead of sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Job(Generic[T]):
    work: Callable[[], T]
    on_done: Callable[[T], None]
    on_error: Callable[[Exception], None]


class StoreWriter:
    """A queue of writes served by one loop; each runs in a worker thread."""

    def __init__(self, report: Callable[[Exception], None] | None = None) -> None:
        self._queue: asyncio.Queue[_Job[Any]] = asyncio.Queue()
        self._pending = 0
        # Where a failing callback is reported: the writer itself must never stop,
        # or every later write would wait forever.
        self._report = report

    def submit(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Queue `work`; its callbacks run on the event loop when it finishes."""
        self._pending += 1
        self._queue.put_nowait(_Job(work, on_done, on_error))

    @property
    def busy(self) -> bool:
        """True while a write is queued or running."""
        return self._pending > 0

    async def run(self) -> None:
        """Serve the queue forever (started as an app worker)."""
        while True:
            job = await self._queue.get()
            try:
                result = await asyncio.to_thread(job.work)
            except Exception as err:  # reported to the user by on_error, never swallowed
                self._call(job.on_error, err)
            else:
                self._call(job.on_done, result)
            finally:
                self._pending -= 1
                self._queue.task_done()

    def _call(self, callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        except Exception as err:  # e.g. a screen closed before its write finished
            if self._report is None:
                raise
            self._report(err)

    async def join(self) -> None:
        """Wait until every queued write has finished."""
        await self._queue.join()

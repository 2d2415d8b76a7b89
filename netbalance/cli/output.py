"""Everything the command line prints goes through one filter to the terminal.

Names, notes, titles, file names and the values quoted in error messages may hold
terminal control codes (an old database, a hostile file or argument). `main()` puts
`safe_output()` around a command, so every `print`, every error message and
argparse's own messages are escaped (`domain/text.escape_controls`) on their way out,
whichever module wrote them. JSON is escaped by its encoder (`print_json`), so it stays
valid JSON. Bytes written to `sys.stdout.buffer` (an export to stdout) are the
exporters' own concern; they clean what they write.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import TextIO

from netbalance.domain.text import escape_controls


class SafeStream(io.TextIOBase):
    """A text stream that escapes control characters before they reach `raw`."""

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:
        safe = escape_controls(text)
        try:
            self.raw.write(safe)
        except UnicodeEncodeError:
            # A terminal that is not UTF-8 (LANG=C without coercion, a cp1252 pipe):
            # say the character as an escape rather than fail.
            encoding = self.raw.encoding or "ascii"
            self.raw.write(safe.encode(encoding, "backslashreplace").decode(encoding))
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.raw.encoding

    @property
    def buffer(self) -> io.BufferedIOBase:
        buffer: io.BufferedIOBase = self.raw.buffer  # type: ignore[assignment]
        return buffer


def write_control(code: str) -> None:
    """Write one of netbalance's own terminal codes (the progress line's carriage return
    and erase) to stderr unescaped; never text that came from a user or a file."""
    stream = sys.stderr
    raw = stream.raw if isinstance(stream, SafeStream) else stream
    raw.write(code)


@contextlib.contextmanager
def safe_output() -> Iterator[None]:
    """Escape whatever is printed to stdout and stderr while the block runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(saved[0]), SafeStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved

"""Long text in the user's own editor: the app suspends, `$VISUAL` or `$EDITOR` runs on a
temporary file, and what was saved comes back (as darrenburns/posting does with F4).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from textual.app import App, SuspendNotSupported

# When neither variable is set: what every Unix has.
FALLBACK_EDITOR = "vi"


def editor_command(env: Mapping[str, str]) -> list[str]:
    """The user's editor as a command line: $VISUAL, else $EDITOR, else vi."""
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            return shlex.split(value)
    return [FALLBACK_EDITOR]


def edit_text(app: App[object], text: str, *, name: str = "note") -> str | None:
    """`text` as the user left it in their editor; None (and a notice) when the editor
    could not run or exited with an error, so nothing changes."""
    command = editor_command(os.environ)
    with tempfile.TemporaryDirectory(prefix="netbalance-") as folder:
        path = Path(folder) / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        argv = [*command, str(path)]
        try:
            try:
                with app.suspend():
                    code = subprocess.call(argv)
            except SuspendNotSupported:
                if not app.is_headless:
                    app.notify("This terminal cannot hand over to an editor.", severity="warning")
                    return None
                # Headless (tests): the editor is a script that needs no terminal.
                code = subprocess.call(argv)
        except OSError as err:
            app.notify(
                f"Could not run the editor {command[0]!r}: {err.strerror or err}. "
                "Set $EDITOR to the one you use.",
                title="Editor",
                severity="error",
            )
            return None
        if code != 0:
            app.notify(
                f"The editor exited with code {code}: the text is unchanged.", severity="warning"
            )
            return None
        edited = path.read_text(encoding="utf-8", errors="replace")
    # Editors end a file with a newline the user did not mean as part of the note.
    return edited[:-1] if edited.endswith("\n") else edited

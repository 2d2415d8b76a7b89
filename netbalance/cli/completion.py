"""Shell completion: `netbalance completion bash|zsh|fish` and the `names` it completes from.

The scripts are made from the command line's own parser, so every command,
action and option is in them, with the words an option takes (circles, kinds,
statuses, import kinds) and files where a file goes. Contact names come from
`netbalance names`, which answers from a small cache (`$XDG_CACHE_HOME/netbalance`,
readable by you only) while the database file and its journal are unchanged since,
and opens the store to refresh it otherwise. Renderers are in `completion_scripts`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netbalance.cli.common import EXIT_OK, Context

SHELLS = ("bash", "zsh", "fish")
CONTACT = "@contact"
FILE = "@file"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add completion and names."""
    p = sub.add_parser(
        "completion",
        help="print the shell completion script for bash, zsh or fish",
        description="Print a completion script. Install it with, for bash: netbalance "
        "completion bash > ~/.local/share/bash-completion/completions/netbalance; zsh: "
        "netbalance completion zsh > ~/.zfunc/_netbalance (with ~/.zfunc in fpath before "
        "compinit); fish: netbalance completion fish > ~/.config/fish/completions/netbalance.fish",
    )
    p.add_argument("shell", choices=SHELLS, metavar="SHELL", help=" | ".join(SHELLS))
    p.set_defaults(handler=cmd_completion)

    p = sub.add_parser("names", help="contact names, one a line (for completion and scripts)")
    p.set_defaults(handler=cmd_names)


# --- names -----------------------------------------------------------------------------------


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/netbalance, else ~/.cache/netbalance."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "netbalance"


def _state(db: Path) -> str:
    """What identifies the data's version: the file's and the journal's times and sizes.

    Every write appends to the journal or replaces the file, so a write changes it.
    """
    parts = []
    for path in (db, db.with_name(db.name + ".journal")):
        try:
            st = path.stat()
        except OSError:
            parts.append("-")
        else:
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
    return " ".join(parts)


def _cache_file(db: Path) -> Path:
    key = hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:20]
    return cache_dir() / f"names-{key}"


def contact_names(ctx: Context) -> list[str]:
    """Every contact's name (archived too), from the cache when it is current."""
    db = ctx.db_path
    if not db.exists():
        return []  # never create a database to complete a name
    cache = _cache_file(db)
    try:
        state, *names = cache.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        state, names = "", []
    if state == _state(db):
        return [n for n in names if n]
    names = sorted({c.name for c in ctx.store().contacts(include_archived=True)}, key=str.casefold)
    ctx.close()  # folds the journal, if it held anything: the state is taken after that
    _write_private(cache, "\n".join([_state(db), *names]) + "\n")
    return names


def _write_private(path: Path, text: str) -> None:
    """Write `text` readable by the user only, atomically; a failure only costs speed."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except OSError:
        pass


def cmd_names(args: argparse.Namespace, ctx: Context) -> int:
    names = contact_names(ctx)
    if names:
        sys.stdout.write("\n".join(names) + "\n")
    return EXIT_OK


# --- the spec of the command line ---------------------------------------------------------------


@dataclass
class Option:
    """An option of a command: its flags, whether it takes a value, and which values."""

    flags: list[str]
    takes_value: bool
    help: str
    values: str  # CONTACT, FILE, words separated by spaces, or "" (anything)


@dataclass
class Node:
    """A command (or the root, or an action under a command) as completion sees it."""

    path: str  # "" for the root, "event add" for an action
    help: str = ""
    subs: list[tuple[str, str]] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    positionals: list[str] = field(default_factory=list)

    @property
    def valued(self) -> list[str]:
        return [f for o in self.options if o.takes_value for f in o.flags]


def spec(parser: argparse.ArgumentParser) -> list[Node]:
    """Every command path of `parser`, root first, as Nodes."""
    nodes: list[Node] = []
    _walk(parser, "", "", nodes)
    return nodes


def _walk(parser: argparse.ArgumentParser, path: str, text: str, nodes: list[Node]) -> None:
    node = Node(path, text)
    nodes.append(node)
    children: list[tuple[str, argparse.ArgumentParser, str]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, child in action.choices.items():
                node.subs.append((name, helps.get(name, "")))
                children.append((name, child, helps.get(name, "")))
        elif action.option_strings:
            help_text = "" if action.help == argparse.SUPPRESS else action.help or ""
            node.options.append(
                Option(
                    list(action.option_strings),
                    action.nargs != 0,
                    help_text,
                    _values(path, action) if action.nargs != 0 else "",
                )
            )
        else:
            node.positionals.append(_values(path, action))
    for name, child, child_help in children:
        _walk(child, f"{path} {name}".strip(), child_help, nodes)


def _values(path: str, action: argparse.Action) -> str:
    """What goes in an option or a positional: names, files, or a list of words."""
    from netbalance.domain import Circle, GoalKind, Initiator, InteractionKind
    from netbalance.domain.model import EventStatus

    if action.choices:
        return " ".join(str(c) for c in action.choices)
    dest, metavar = action.dest, action.metavar
    if dest in ("who", "others", "add_people", "remove_people"):
        return CONTACT
    if dest in ("file", "output", "db") or metavar in ("FILE", "PATH"):
        return FILE
    words: dict[str, list[str]] = {
        "circle": [c.value for c in Circle],
        "by": [i.value for i in Initiator],
        "status": [s.label for s in EventStatus],
        "kind": [k.value for k in (GoalKind if path.startswith("goal") else InteractionKind)],
    }
    return " ".join(words.get(dest, []))


def cmd_completion(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli import build_parser
    from netbalance.cli.completion_scripts import RENDERERS

    sys.stdout.write(RENDERERS[args.shell](spec(build_parser())))
    return EXIT_OK

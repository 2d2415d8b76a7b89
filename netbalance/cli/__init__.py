"""The command line: `netbalance` opens the app; subcommands work without it.

Each module in this package registers its own subcommands (`register(sub)`);
a handler takes `(args, ctx)` and returns the exit code. This package must
not import textual: only `netbalance` with no subcommand loads the app.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from collections.abc import Sequence

from netbalance import __version__
from netbalance.cli.common import EXIT_DB, EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError, Context
from netbalance.cli.output import safe_output


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse exits 2 already; keep its usage line, say it our way.
        self.print_usage(sys.stderr)
        print(f"netbalance: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


# Which module registers each subcommand: `netbalance due` then builds and imports
# only what it runs (the whole parser costs ~15 ms of a ~300 ms command).
COMMAND_MODULES = {
    **dict.fromkeys(("add", "log", "list", "due", "demo", "doctor"), "core"),
    "restore": "restore",
    **dict.fromkeys(("gauge", "snooze"), "health"),
    **dict.fromkeys(("import", "export"), "interop"),
    **dict.fromkeys(("events", "event", "goal", "review"), "events_goals"),
    **dict.fromkeys(("duplicates", "merge"), "identity"),
    **dict.fromkeys(("show", "edit", "archive", "unarchive", "unsnooze"), "contact"),
    **dict.fromkeys(("interactions", "interaction"), "interactions"),
    **dict.fromkeys(("remind", "dates"), "reminders"),
    "email": "mail",
    **dict.fromkeys(("completion", "names"), "completion"),
    "sync": "sync",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; with a known `command`, only the module that defines it."""
    import importlib

    parser = _Parser(
        prog="netbalance",
        description="Network with intention: contacts, follow-ups, events and goals.",
    )
    parser.add_argument("--version", action="version", version=f"netbalance {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file (default: $NETBALANCE_DB or the XDG data folder)",
    )
    parser.add_argument(
        "--json",
        dest="json_first",
        action="store_true",
        help="machine output, for the commands that have it (also accepted after the command)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = COMMAND_MODULES.get(command or "")
    names = [wanted] if wanted else list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in names:
        importlib.import_module(f"netbalance.cli.{name}").register(sub)
    for child in subparsers_of(parser):
        # --db after the command too (`netbalance due --db work.json`); SUPPRESS keeps
        # the value given before the command when none is given after it.
        child.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file")
    return parser


def subparsers_of(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every parser below `parser` (commands and their actions), depth first."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found.append(child)
                found += subparsers_of(child)
    return found


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv` (skipping --db PATH), or None."""
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `netbalance` script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    # Everything a command prints is escaped on its way out (cli/output.py); the app
    # draws its own screen, so it runs outside.
    with safe_output():
        parser = build_parser(_command_of(arguments))
        args = parser.parse_args(arguments)
        if args.json_first:
            if args.command is None or not hasattr(args, "json"):
                parser.error(f"--json: {args.command or 'the app'} has no machine output")
            args.json = True
        ctx = Context.from_args(args)
        if args.command is not None:
            return _run_command(args, ctx)
    return _run_app(ctx)


def _run_command(args: argparse.Namespace, ctx: Context) -> int:
    try:
        _clean_arguments(args)
        code: int = args.handler(args, ctx)
        # Now, not at exit: a full disk must be reported while we can still say so.
        sys.stdout.flush()
        return code
    except CliError as err:
        print(f"netbalance: {err}", file=sys.stderr)
        return err.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `netbalance list | head`: the reader left; not our failure.
        _drop_pending_output()
        return EXIT_OK
    except OSError as err:
        if err.filename is not None or err.errno not in _OUTPUT_ERRNOS:
            raise
        _drop_pending_output()
        print(
            f"netbalance: could not write the output: {os.strerror(err.errno or errno.EIO)}. "
            f"Anything the command saved to the database is saved",
            file=sys.stderr,
        )
        return EXIT_DB
    finally:
        ctx.close()


# Errors writing to standard output: a full disk (`> /dev/full`), a quota, a dead device.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})


def _drop_pending_output() -> None:
    """Send what is left in stdout's buffer nowhere, so exiting does not fail on it again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# Arguments that name files: any bytes are a valid file name, so they are kept as given
# (and escaped when shown).
_PATH_ARGUMENTS = frozenset({"db", "file", "output", "backup"})


def _clean_arguments(args: argparse.Namespace) -> None:
    """Text arguments cleaned like any text on its way in (domain/text.py).

    Invalid UTF-8 is refused rather than guessed at: it is a wrong command line.
    """
    from netbalance.domain.text import clean_text

    for name, value in vars(args).items():
        if name in _PATH_ARGUMENTS or name == "handler":
            continue
        if isinstance(value, str):
            setattr(args, name, clean_text(_utf8_argument(name, value)))
        elif isinstance(value, list):
            setattr(args, name, [
                clean_text(_utf8_argument(name, v)) if isinstance(v, str) else v for v in value
            ])  # fmt: skip


# Python reads bytes that are not UTF-8 from the command line as these lone surrogates.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _utf8_argument(name: str, value: str) -> str:
    bad = _NOT_UTF8.search(value)
    if bad is not None:
        byte = ord(bad.group()) - 0xDC00
        raise CliError(
            f"{name.replace('_', '-')}: is not valid UTF-8 (byte 0x{byte:02x}); "
            "give text arguments in UTF-8",
            EXIT_USAGE,
        )
    return value


def _run_app(ctx: Context) -> int:
    try:
        from netbalance.app import run_app
    except ImportError as err:  # pragma: no cover - broken install
        print(f"netbalance: cannot load the app: {err}", file=sys.stderr)
        return EXIT_DB
    return run_app(ctx.db_path if ctx.db_explicit else None)


__all__ = ["EXIT_DB", "EXIT_INPUT", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

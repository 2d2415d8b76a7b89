"""The command line: `netbalance` opens the app; subcommands work without it.

Each module in this package registers its own subcommands (`register(sub)`);
a handler takes `(args, ctx)` and returns the exit code. This package must
not import textual: only `netbalance` with no subcommand loads the app.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from netbalance import __version__
from netbalance.cli.common import EXIT_DB, EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError, Context


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse exits 2 already; keep its usage line, say it our way.
        self.print_usage(sys.stderr)
        print(f"netbalance: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; modules add their subcommands."""
    from netbalance.cli import core, health, interop, plan

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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (core, health, interop, plan):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `netbalance` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context.from_args(args)
    if args.command is None:
        return _run_app(ctx)
    try:
        code: int = args.handler(args, ctx)
        return code
    except CliError as err:
        print(f"netbalance: {err}", file=sys.stderr)
        return err.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `netbalance list | head`: the reader left; not our failure.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        ctx.close()


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

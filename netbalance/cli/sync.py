"""Subcommand: sync, two ways, with the vdir folders set in config.toml's [sync].

Exit codes: 0 done (broken files in a folder are reported and skipped, not a
failure); 1 no [sync] folders, or a folder missing or not writable (nothing written);
3 the sync command failed, or the database could not be written.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from netbalance.cli.common import EXIT_DB, EXIT_INPUT, EXIT_OK, CliError, Context, print_json


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the sync subcommand."""
    p = sub.add_parser(
        "sync",
        help="sync two ways with the vdir folders in config.toml (vdirsyncer, Syncthing)",
        description="Keep the database and two vdir folders (one .vcf or .ics per item) in "
        "step: contacts as vCards, events, interactions (journals), goals and due follow-ups "
        "(to-dos) as iCalendar. Changes on one side go to the other; the same field changed "
        "on both keeps the newer value and notes the other in a 'sync conflict' line. "
        "Set [sync] contacts, calendar and optionally command in config.toml.",
    )
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.config import load_config
    from netbalance.paths import config_path
    from netbalance.store import StoreError
    from netbalance.sync import SyncCommandFailed, SyncSetupError, sync
    from netbalance.sync.run import settings_from_config

    config = load_config(config_path())
    for warning in config.warnings:
        print(f"netbalance: {warning}", file=sys.stderr)
    settings = settings_from_config(config)
    if not settings.configured:
        raise CliError(
            f"sync: no folders to sync; set them in {config_path()}:\n"
            "  [sync]\n"
            '  contacts = "~/.local/share/vdirs/contacts/netbalance"\n'
            '  calendar = "~/.local/share/vdirs/calendar/netbalance"',
            EXIT_INPUT,
        )
    store = ctx.preview_store() if args.dry_run else ctx.store()
    try:
        result = sync(store, settings, ctx.now, dry_run=args.dry_run)
    except SyncSetupError as err:
        code = EXIT_DB if isinstance(err, SyncCommandFailed) else EXIT_INPUT
        raise CliError(f"sync: {err}", code) from err
    except StoreError as err:
        raise CliError(f"sync: {err}", EXIT_DB) from err
    if args.json:
        print_json(result.as_dict())
        return EXIT_OK
    _print(result)
    return EXIT_OK


# Report sections as printed, with how many lines of each are shown.
_SECTIONS = (
    ("conflicts", "Conflicts (the other value is in the notes)"),
    ("recreated", "Written again"),
    ("archived", "Deleted elsewhere"),
    ("broken_files", "Skipped files (left as they are)"),
    ("changed_while_syncing", "Changed while syncing"),
    ("waiting", "Waiting"),
)


def _print(result: Any) -> None:
    report = result.as_dict()
    verb = "Would write" if result.dry_run else "Wrote"
    here = len(report["changed_here"])
    print(
        f"{verb} {result.files_written} file(s), removed {result.files_removed}; "
        f"{'would change' if result.dry_run else 'changed'} {here} record(s) here."
    )
    for line in report["changed_here"][:20]:
        print(f"  here: {line}")
    if here > 20:
        print(f"  … and {here - 20} more")
    for key, title in _SECTIONS:
        lines = report[key]
        if not lines:
            continue
        print(f"{title}:")
        for line in lines[:50]:
            print(f"  {line}")
        if len(lines) > 50:
            print(f"  … and {len(lines) - 50} more")

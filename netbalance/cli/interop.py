"""Subcommands: import and export.

`import [KIND] FILE` reads and plans first (counts, skipped items with their reasons),
then makes one all-or-nothing write; `--dry-run` stops after the preview. A netbalance
JSON export imported into an empty database is a full restore (same ids, goals, weekly
notes, settings); into one that holds data it merges like any other import. Progress
goes to stderr, only when it is a terminal and the file is large. KIND omitted or `auto`
is told from the file's content by interop.detect, the rule the import screen uses.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netbalance.cli.common import EXIT_OK, CliError, Context, print_json, write
from netbalance.cli.output import write_control

if TYPE_CHECKING:
    from netbalance.interop import ImportPlan

# The kinds, named here so building the command line does not import every reader.
IMPORT_KINDS = ("vcard", "linkedin", "google", "outlook", "ics", "json")
EXPORT_KINDS = ("vcard", "ics", "json")

# Below this many items a progress line only flickers.
_PROGRESS_FROM = 500
_SHOWN_SKIPS = 50


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands."""
    p = sub.add_parser(
        "import",
        help="import contacts or events (previewed, deduplicated, all-or-nothing)",
        description="Import contacts or events. A person already here (same uid, email, or "
        "phone with the same name) is merged, never doubled; a name alone never merges: the "
        "preview says who a new contact might be (see `netbalance duplicates`). A second run "
        "of the same import changes nothing. A file with nothing to import exits 1.",
    )
    p.add_argument(
        "kind",
        nargs="?",
        default="auto",
        choices=(*IMPORT_KINDS, "auto"),
        metavar="KIND",
        help=" | ".join(IMPORT_KINDS) + " | auto (the default: told from the file's content)",
    )
    p.add_argument("file", metavar="FILE", help="the file (or, for vcard and ics, a folder)")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--json", action="store_true", help="the preview and result as JSON")
    p.add_argument(
        "--timezone",
        metavar="TZ",
        help="time zone for calendar times that name none (default: the local one)",
    )
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "export", help="export contacts (vcard), a calendar (ics) or everything (json)"
    )
    p.add_argument("kind", choices=EXPORT_KINDS, metavar="KIND", help=" | ".join(EXPORT_KINDS))
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here (default: stdout); an existing folder gets one .vcf per contact",
    )
    p.add_argument(
        "--vcard-version", type=int, choices=(3, 4), default=4, help="vCard 4 (default) or 3"
    )
    p.add_argument(
        "--include-archived", action="store_true", help="vcard/ics: archived contacts too"
    )
    p.add_argument(
        "--mode",
        metavar="OCTAL",
        default="600",
        help="file mode of what -o writes (default 600: only you can read it; e.g. 644)",
    )
    p.set_defaults(handler=cmd_export)


class _ProgressLine:
    """A one-line progress indication on stderr, for terminals and big files."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < _PROGRESS_FROM:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        pct = 100 * done // total if total else 0
        write_control("\r")
        sys.stderr.write(f"{self.label}: {pct:3d}% ({done}/{total})")
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            write_control("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


def _local_zone(ctx: Context) -> str:
    name = getattr(ctx.now.tzinfo, "name", None) or getattr(ctx.now.tzinfo, "key", None)
    return str(name) if name else "UTC"


def _print_preview(plan: ImportPlan, dry_run: bool) -> None:
    out = sys.stdout
    out.write(f"{plan.kind} import of {plan.source}: {plan.summary()}\n")
    merged = [e for e in plan.entries if e.outcome == "merged"]
    for entry in merged[:20]:
        out.write(f"  merged   {entry.label}  ({entry.location}: {entry.detail})\n")
    if len(merged) > 20:
        out.write(f"  … and {len(merged) - 20} more merged\n")
    for skip in plan.skipped[:_SHOWN_SKIPS]:
        out.write(f"  skipped  {skip.location}: {skip.reason}\n")
    if len(plan.skipped) > _SHOWN_SKIPS:
        out.write(f"  … and {len(plan.skipped) - _SHOWN_SKIPS} more skipped (see --json)\n")
    for warning in plan.warnings[:20]:
        out.write(f"  note     {warning}\n")
    if len(plan.warnings) > 20:
        out.write(f"  … and {len(plan.warnings) - 20} more notes (see --json)\n")
    if plan.suggested_contacts:
        shown = ", ".join(plan.suggested_contacts[:10])
        more = (
            f" and {len(plan.suggested_contacts) - 10} more"
            if len(plan.suggested_contacts) > 10
            else ""
        )
        out.write(f"  people you met at these events who are not contacts yet: {shown}{more}\n")
    if dry_run:
        out.write("Dry run: nothing was written.\n")


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.interop import ImportFormatError, apply_import, preview_import

    path = Path(args.file).expanduser()
    if not path.exists():
        raise CliError(f"{path}: no such file or folder")
    kind = args.kind
    if kind == "auto":
        from netbalance.interop.detect import detect_import

        found = detect_import(path)
        said = found.describe()
        said = said[:1].lower() + said[1:]
        if found.kind is None:
            raise CliError(
                f"{path}: {said}; name the kind: "
                f"netbalance import {{{','.join(IMPORT_KINDS)}}} {args.file}"
            )
        kind = found.kind
        if not args.json:  # stderr: what stdout says stays as with the kind named
            sys.stderr.write(f"{path.name}: {said}\n")
    store = ctx.preview_store() if args.dry_run else ctx.store()
    progress = _ProgressLine(f"reading {path.name}", sys.stderr.isatty() and not args.json)
    try:
        plan = preview_import(
            kind,
            path,
            store,
            ctx.now,
            default_tz=args.timezone or _local_zone(ctx),
            progress=progress,
        )
    except ImportFormatError as err:
        raise CliError(str(err)) from None
    finally:
        progress.finish()
    outcome = None
    if not args.dry_run and plan.changes_anything:
        writing = _ProgressLine("writing", sys.stderr.isatty() and not args.json)
        try:
            outcome = write(apply_import, store, plan, writing)
        finally:
            writing.finish()
    if args.json:
        data = plan.to_json()
        data["dry_run"] = bool(args.dry_run)
        data["written"] = outcome is not None
        print_json(data)
        return EXIT_OK
    _print_preview(plan, args.dry_run)
    if outcome is not None and outcome.restored:
        sys.stdout.write(
            f"Restored: {outcome.added_contacts} contacts, {outcome.added_interactions} "
            f"interactions, {outcome.added_events} events, {outcome.added_goals} goals, "
            f"{outcome.restored_snapshots} weekly notes"
            f"{', settings' if outcome.restored_settings else ''}.\n"
        )
    elif outcome is not None:
        goals = f", {outcome.added_goals} goals added" if outcome.added_goals else ""
        sys.stdout.write(
            f"Imported: {outcome.added_contacts} contacts added, "
            f"{outcome.updated_contacts} updated, "
            f"{outcome.added_events} events added, {outcome.updated_events} updated, "
            f"{outcome.added_interactions} interactions added{goals}.\n"
        )
    elif not args.dry_run:
        sys.stdout.write("Nothing to change: everything is already there.\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.files import write_file
    from netbalance.interop.files import parse_mode

    try:
        mode = parse_mode(args.mode)
    except ValueError as err:
        raise CliError(f"mode: {err}") from None
    store = ctx.store()
    contacts = store.contacts(include_archived=args.kind == "json" or args.include_archived)
    last = {c.id: t for c in contacts if (t := store.last_interaction_at(c.id)) is not None}
    output = Path(args.output).expanduser() if args.output else None
    data: bytes
    if args.kind == "vcard":
        from netbalance.interop.export_vcard import export_vcards, export_vdir

        if output is not None and output.is_dir():
            try:
                count = export_vdir(
                    output,
                    contacts,
                    version=args.vcard_version,
                    goals=store.goals(),
                    last_interactions=last,
                    mode=mode,
                )
            except OSError as err:
                raise CliError(f"{output}: cannot write there ({err.strerror or err})") from None
            sys.stderr.write(f"wrote {count} vCards to {output}\n")
            return EXIT_OK
        data = export_vcards(
            contacts, version=args.vcard_version, goals=store.goals(), last_interactions=last
        ).encode("utf-8")
    elif args.kind == "ics":
        from netbalance.interop.export_ics import export_ics

        data = export_ics(
            contacts=contacts,
            events=store.events(),
            last_interactions=last,
            settings=store.settings(),
            now=ctx.now,
            next_steps=store.next_steps(),
        )
    else:
        from netbalance.interop.json_backup import export_json

        data = export_json(
            contacts=contacts,
            interactions=store.all_interactions(),
            events=store.events(),
            goals=store.goals(),
            now=ctx.now,
            snapshots=store.snapshots(),
            settings=store.settings(),
            kept_apart=store.kept_apart(),
        )
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_file(output, data, mode=mode)
    except OSError as err:
        raise CliError(f"{output}: cannot write it ({err.strerror or err})") from None
    sys.stderr.write(f"wrote {output}\n")
    return EXIT_OK

"""`netbalance restore [BACKUP]`: list the database's backups, or bring one back.

Without BACKUP it lists the backups of the database (`--db`), newest first, with
their date, size and what they hold. With one, it reads the backup whole (exit 1,
nothing changed, when it is not a netbalance database this version can read), keeps
the current data as a backup of its own, then replaces the database atomically under
the write lock. It works on a damaged database too: that is when it is needed.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netbalance.cli.common import EXIT_INPUT, EXIT_OK, CliError, Context, print_json, write

if TYPE_CHECKING:
    from netbalance.store.backups import BackupInfo, BackupSet
    from netbalance.store.engine import Tables


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the restore subcommand."""
    p = sub.add_parser(
        "restore",
        help="list the database's backups, or restore one",
        description="Without BACKUP: list this database's backups, newest first. With one: "
        "keep the current data as a backup, then put BACKUP in its place.",
    )
    p.add_argument(
        "backup",
        nargs="?",
        metavar="BACKUP",
        help="a backup file: a path, or a name from the list",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_restore)


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.store.backups import BackupSet
    from netbalance.store.files import real_path

    db = real_path(ctx.db_path)
    backups = BackupSet(db)
    if args.backup is None:
        return _list(db, backups, args.json, ctx.now)
    return _restore(db, backups, args.backup, args.json)


def _list(db: Path, backups: BackupSet, as_json: bool, now: datetime) -> int:
    from netbalance.store.backups import describe

    infos = [describe(p) for p in backups.all()]
    if as_json:
        print_json([i.to_dict() for i in infos])
        return EXIT_OK
    if not infos:
        print(
            f"No backups of {db} yet in {backups.folder} "
            f"(one is made the first time netbalance opens it each day)."
        )
        return EXIT_OK
    print(f"Backups of {db}, newest first (in {backups.folder}):")
    for info in infos:
        when = info.modified.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
        held = f"cannot be restored: {info.problem}" if info.problem else _held(info)
        print(f"  {info.path.name}  {when}  {_size(info.size):>8}  {held}")
    print(f"Restore one with: netbalance --db {db} restore NAME")
    return EXIT_OK


def _restore(db: Path, backups: BackupSet, given: str, as_json: bool) -> int:
    from netbalance.store.engine import FileEngine

    source = _find(db, backups, given)
    tables, info = _read_backup(source)
    kept, kept_journal = write(FileEngine.restore, db, tables)
    if as_json:
        print_json(
            {
                "restored": str(db),
                "from": str(source),
                "counts": info.counts,
                "kept": str(kept) if kept else None,
                "kept_journal": str(kept_journal) if kept_journal else None,
            }
        )
        return EXIT_OK
    print(f"Restored {db} from {source}: {_held(info)}.")
    if kept is not None:
        print(f"What it replaced is kept in {kept} (restore that to undo).")
    if kept_journal is not None:
        print(f"Its journal was moved to {kept_journal}.")
    return EXIT_OK


def _find(db: Path, backups: BackupSet, given: str) -> Path:
    """The backup file the user named: a path, or a name in the backups folder."""
    from netbalance.store.files import real_path

    path = Path(given).expanduser()
    if not path.exists() and (backups.folder / given).exists():
        path = backups.folder / given
    if not path.exists():
        raise CliError(
            f"backup: no file {given!r} (nor one by that name in {backups.folder}); "
            f"`netbalance restore` lists the backups"
        )
    if not path.is_file():
        raise CliError(f"backup: {path} is not a file")
    if real_path(path).resolve() == db.resolve():
        raise CliError(f"backup: {path} is the database itself; name one of its backups")
    return path


def _read_backup(source: Path) -> tuple[Tables, BackupInfo]:
    """The backup's tables, every record decoded and migrated to this version's schema.

    Exit 1 (nothing changed) when it is not a netbalance database, is damaged, or was
    written by a newer netbalance."""
    from netbalance.store import Store, StoreError
    from netbalance.store.backups import describe
    from netbalance.store.engine import FileEngine

    info = describe(source)
    if info.problem is not None:
        raise CliError(f"{source} cannot be restored: {info.problem}. Nothing was changed")

    another = "choose another backup (`netbalance restore` lists them)"

    class _Backup(FileEngine):
        """A backup read for restoring: a problem with it sends the user to another."""

        def restore_advice(self) -> str:
            return f"Nothing was changed; {another}."

    try:
        engine = _Backup(source, read_only=True)
    except StoreError as err:
        raise CliError(str(err), EXIT_INPUT) from err
    try:
        Store(engine)  # decodes every record: a damaged backup is refused here
    except StoreError as err:
        raise CliError(
            f"{source} cannot be restored: {err}. Nothing was changed; {another}", EXIT_INPUT
        ) from err
    return engine.tables, info


def _held(info: BackupInfo) -> str:
    names = ("contacts", "interactions", "events", "goals")
    return ", ".join(f"{info.counts.get(n, 0):,} {n}" for n in names)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"

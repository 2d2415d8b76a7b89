"""What every subcommand shares: exit codes, the store, the clock, output."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from netbalance.paths import default_db_path

if TYPE_CHECKING:
    from netbalance.domain import Contact
    from netbalance.store import Store

EXIT_OK = 0
EXIT_INPUT = 1  # bad input: message on stderr, nothing written
EXIT_USAGE = 2  # argparse's own code for a wrong command line
EXIT_DB = 3  # a file problem: the database is damaged, newer, locked or cannot be written,
# or the output cannot be written


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def store_error_code(err: Exception) -> int:
    """Exit code for an exception raised while opening or writing the store."""
    from netbalance.store import StoreError

    return EXIT_DB if isinstance(err, StoreError) else EXIT_INPUT


def local_now() -> datetime:
    """Now, in the user's named time zone (so dates near midnight and DST are right).

    The same zone pendulum would find ($TZ, then /etc/localtime), read without
    importing pendulum: it costs ~40 ms, a seventh of a whole `netbalance due`.
    """
    return datetime.now(_local_zone())


def _local_zone() -> tzinfo:
    name = os.environ.get("TZ", "").lstrip(":")
    candidates = [name] if name else []
    with contextlib.suppress(OSError):
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for candidate in candidates:
        try:
            return zoneinfo.ZoneInfo(candidate)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            continue
    # No named zone to be found: the system's current offset.
    offset = datetime.now().astimezone().tzinfo
    assert offset is not None
    return offset


@dataclass
class Context:
    """The database path, the clock, and the store once opened."""

    db_path: Path
    now: datetime
    # True when --db or NETBALANCE_DB named the file (then config.toml's database is ignored).
    db_explicit: bool = False
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        path = Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()
        explicit = bool(getattr(args, "db", None)) or bool(os.environ.get("NETBALANCE_DB"))
        # The only place the command line reads the clock.
        return cls(db_path=path, now=local_now(), db_explicit=explicit)

    def store(self) -> Store:
        """Open the store once; a database problem becomes exit code 3."""
        if self._store is None:
            from netbalance.store import Store, StoreError

            try:
                self._store = Store.open(self.db_path)
            except StoreError as err:
                raise CliError(str(err), EXIT_DB) from err
            reason = self._store.engine.read_only_reason
            if reason is not None:
                # Reading works; say now why a change would be refused.
                print(f"netbalance: opened {self.db_path} read-only: {reason}", file=sys.stderr)
        return self._store

    def preview_store(self) -> Store:
        """The store for a dry run: the database when its file exists, else an empty one in
        memory, so a dry run never creates a database, journal or lock file."""
        if self._store is None and not self.db_path.exists():
            journal = self.db_path.with_name(self.db_path.name + ".journal")
            if not journal.exists():  # a lone journal is damage: store() says so
                from netbalance.store import Store

                self._store = Store.in_memory()
        return self.store()

    def close(self) -> None:
        if self._store is not None:
            # Every command closes: folding the journal into the file each time cost a
            # whole-file rewrite per write (~75 ms at 20k/200k); it is folded by size.
            self._store.close(quick=True)
            self._store = None


def write(store_call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a store write; map domain and store errors to exit codes."""
    from netbalance.domain import DomainError
    from netbalance.store import StoreError

    try:
        return store_call(*args, **kwargs)
    except DomainError as err:
        raise CliError(str(err), EXIT_INPUT) from err
    except StoreError as err:
        raise CliError(str(err), EXIT_DB) from err


def print_json(value: Any) -> None:
    """`value` as indented JSON; text from the database stays valid JSON and prints safely."""
    from netbalance.domain.text import escape_json

    sys.stdout.write(escape_json(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()) + "\n")


def resolve_contact(
    store: Store, who: str, *, include_archived: bool = False, now: datetime | None = None
) -> Contact:
    """WHO is an id, or a name as the one resolver reads it (see netbalance.cli.resolve)."""
    from netbalance.cli.resolve import contact

    pool = store.contacts(include_archived=include_archived)
    return contact(store, who, contacts=pool, now=now)

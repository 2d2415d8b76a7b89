"""Schema versions of the database file and the steps between them.

Each step takes the raw tables of version N and leaves them at N+1, in place.
The engine backs the file up before running any, and refuses files newer than
SCHEMA_VERSION rather than guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 1

Tables = dict[str, dict[str, dict[str, Any]]]


def _v0_to_v1(tables: Tables) -> None:
    """Version 0 is a plain TinyDB file with no _meta table: add one."""
    tables["_meta"] = {"1": {"schema_version": 1, "generation": 0}}


STEPS: dict[int, Callable[[Tables], None]] = {0: _v0_to_v1}


def migrate(tables: Tables, version: int) -> None:
    """Run every step from `version` up to SCHEMA_VERSION."""
    while version < SCHEMA_VERSION:
        STEPS[version](tables)
        version += 1
        tables["_meta"]["1"]["schema_version"] = version

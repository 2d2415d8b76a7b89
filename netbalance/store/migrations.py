"""Schema versions of the database file and the steps between them.

Each step takes the raw tables of version N and leaves them at N+1, in place.
The engine backs the file up before running any, and refuses files newer than
SCHEMA_VERSION rather than guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from netbalance.domain.identity import new_uid

SCHEMA_VERSION = 2

Tables = dict[str, dict[str, dict[str, Any]]]


def _v0_to_v1(tables: Tables) -> None:
    """Version 0 is a plain TinyDB file with no _meta table: add one."""
    tables["_meta"] = {"1": {"schema_version": 1, "generation": 0}}


# The tables whose records carry a uid from version 2 on.
UID_TABLES = ("contacts", "interactions", "events", "goals")


def _v1_to_v2(tables: Tables) -> None:
    """Version 2 gives every contact, interaction, event and goal a stable uid.

    Events imported from a calendar already kept its UID under "uid"; they keep it.
    A uid seen twice in one table (a calendar imported twice under two titles) is
    kept by the first record and replaced in the others: a uid names one record.
    """
    for name in UID_TABLES:
        seen: set[str] = set()
        for key in sorted(tables.get(name, {}), key=int):
            doc = tables[name][key]
            uid = doc.get("uid")
            if not isinstance(uid, str) or not uid.strip() or uid in seen:
                uid = doc["uid"] = new_uid()
            seen.add(uid)


STEPS: dict[int, Callable[[Tables], None]] = {0: _v0_to_v1, 1: _v1_to_v2}


def migrate(tables: Tables, version: int) -> None:
    """Run every step from `version` up to SCHEMA_VERSION."""
    while version < SCHEMA_VERSION:
        STEPS[version](tables)
        version += 1
        tables["_meta"]["1"]["schema_version"] = version

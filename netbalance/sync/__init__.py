"""Two-way sync between the database and vdir folders (one .vcf or .ics file per item).

khard, khal and vdirsyncer keep contacts and calendars as vdirs; vdirsyncer syncs them
with any CardDAV/CalDAV server. `netbalance sync` keeps the database and two such
folders in step, so laptops and phones share one network:

- `vdir`: the folders: what changed since the last sync, reading and writing files;
- `render`, `fields`: records as files, and as the field maps both sides compare;
- `plan`: what to do, decided from one reading of both sides (domain.sync's rules);
- `run`: one run, in the order that survives being killed at any point.

Textual-free; imports domain, store and interop, never ui.
"""

from netbalance.sync.run import (
    SyncCommandFailed,
    SyncDatabaseFailed,
    SyncError,
    SyncResult,
    SyncSettings,
    SyncSetupError,
    settings_from_config,
    sync,
    sync_now,
)

__all__ = [
    "SyncCommandFailed",
    "SyncDatabaseFailed",
    "SyncError",
    "SyncResult",
    "SyncSettings",
    "SyncSetupError",
    "settings_from_config",
    "sync",
    "sync_now",
]

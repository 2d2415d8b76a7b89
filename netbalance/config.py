"""App preferences in ~/.config/netbalance/config.toml: keys, theme, database path.

Networking settings (budget, cadences, thresholds) are the user's data and
live in the database; this file only says how the app looks and which keys do what:

    theme = "textual-dark"
    database = "~/Documents/netbalance.json"

    [keys]
    "contact.follow-up" = "f"
    "contact.snooze" = "z"

    [sync]
    contacts = "~/.local/share/vdirs/contacts/netbalance"
    calendar = "~/.local/share/vdirs/calendar/netbalance"
    command = "vdirsyncer sync"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class AppConfig:
    """What config.toml says, with defaults for what it leaves out."""

    theme: str = "textual-dark"
    database: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    # [sync]: the vdir folders holding the .vcf and .ics files themselves, and a command
    # run before and after (e.g. "vdirsyncer sync"). Text as written, ~ not expanded.
    sync_contacts: str = ""
    sync_calendar: str = ""
    sync_command: str = ""
    # Problems found while reading the file, shown once as a toast.
    warnings: tuple[str, ...] = ()


def load_config(path: Path) -> AppConfig:
    """Read config.toml; a missing file is the defaults, a broken one a warning, never a crash."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return AppConfig()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        return AppConfig(warnings=(f"{path}: ignored, it cannot be read ({err})",))
    warnings: list[str] = []
    theme = data.get("theme", AppConfig.theme)
    if not isinstance(theme, str):
        warnings.append(f"{path}: theme must be text; using {AppConfig.theme}")
        theme = AppConfig.theme
    database = data.get("database")
    db_path = Path(database).expanduser() if isinstance(database, str) and database else None
    keys = data.get("keys", {})
    keymap: dict[str, str] = {}
    if isinstance(keys, dict):
        for binding_id, key in keys.items():
            if isinstance(key, str) and key.strip():
                keymap[str(binding_id)] = key.strip()
            else:
                warnings.append(f'{path}: keys.{binding_id} must be a key name like "f"')
    else:
        warnings.append(f"{path}: [keys] must be a table of binding id = key")
    sync: dict[str, str] = {}
    table = data.get("sync", {})
    if isinstance(table, dict):
        for key in ("contacts", "calendar", "command"):
            value = table.get(key, "")
            if isinstance(value, str):
                sync[key] = value.strip()
            else:
                warnings.append(f"{path}: sync.{key} must be text")
    else:
        warnings.append(f"{path}: [sync] must be a table (contacts, calendar, command)")
    return AppConfig(
        theme=theme,
        database=db_path,
        keymap=keymap,
        sync_contacts=sync.get("contacts", ""),
        sync_calendar=sync.get("calendar", ""),
        sync_command=sync.get("command", ""),
        warnings=tuple(warnings),
    )

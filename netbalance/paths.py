"""Where netbalance keeps its files (XDG locations, via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

APP = "netbalance"


def data_dir() -> Path:
    """~/.local/share/netbalance (or $XDG_DATA_HOME/netbalance)."""
    # Imported when needed: with --db or NETBALANCE_DB the command line never asks.
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    """~/.config/netbalance (or $XDG_CONFIG_HOME/netbalance)."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def default_db_path() -> Path:
    """The database file: $NETBALANCE_DB, else netbalance.json in the data folder."""
    env = os.environ.get("NETBALANCE_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "netbalance.json"


def config_path() -> Path:
    return config_dir() / "config.toml"

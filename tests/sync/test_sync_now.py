"""`sync_now`: the function the app's "Data: sync now" calls, and its status line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from netbalance.config import load_config
from netbalance.domain import Contact
from netbalance.store import Store
from netbalance.sync import (
    SyncCommandFailed,
    SyncError,
    SyncSettings,
    SyncSetupError,
    settings_from_config,
    sync_now,
)
from tests.sync.conftest import NOW, Replica


def test_sync_now_syncs_and_says_so_in_one_line(replica: Replica) -> None:
    replica.store.add_contact(Contact("Ana Silva"), NOW)
    result = sync_now(replica.store, replica.settings, NOW)
    assert result.summary() == "Synced: 1 file written"
    assert sync_now(replica.store, replica.settings, NOW).summary() == "Synced: nothing to do"
    (replica.contacts / "bad.vcf").write_bytes(b"BEGIN:VCARD\r\nEND:VCARD\r\n")
    line = sync_now(replica.store, replica.settings, NOW).summary()
    assert line == "Synced: nothing to do · 1 file skipped"
    assert "\n" not in line


def test_sync_now_without_folders_says_how_to_set_them_up(tmp_path: Path) -> None:
    with (
        Store.open(tmp_path / "db.json") as store,
        pytest.raises(SyncSetupError, match=r"config.toml under \[sync\]"),
    ):
        sync_now(store, SyncSettings(), NOW)


def test_a_missing_folder_and_a_failing_command_are_clear_errors(
    replica: Replica, tmp_path: Path
) -> None:
    missing = SyncSettings(contacts=tmp_path / "nowhere")
    with pytest.raises(SyncSetupError, match="does not exist; create it"):
        sync_now(replica.store, missing, NOW)
    failing = SyncSettings(
        contacts=replica.contacts, command=f"{sys.executable} -c 'raise SystemExit(2)'"
    )
    with pytest.raises(SyncCommandFailed, match="failed with exit code 2") as caught:
        sync_now(replica.store, failing, NOW)
    assert isinstance(caught.value, SyncError)
    assert list(replica.contacts.iterdir()) == []


def test_settings_come_from_config_toml_with_home_expanded(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[sync]\ncontacts = "~/c"\ncalendar = "/k"\ncommand = " vdirsyncer sync "\n')
    settings = settings_from_config(load_config(config))
    assert settings.contacts == Path.home() / "c" and settings.calendar == Path("/k")
    assert settings.command == "vdirsyncer sync" and settings.configured

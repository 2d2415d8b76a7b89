"""Issue 10, item 1: lost updates between processes, with a real second `netbalance`.

The app opens a form (or snoozes), a `netbalance snooze` in another terminal
writes, then the app saves (or undoes). The other process's snooze must survive:
the app's write applies its own fields only, or is refused with a message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netbalance.domain import Circle
from netbalance.store import Store, StoreConflict

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("utc")


def netbalance(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in its own process (TZ=UTC, from the `utc` fixture)."""
    done = subprocess.run(
        [sys.executable, "-m", "netbalance", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done


def _day(value: datetime) -> str:
    local = value.astimezone(UTC)
    return f"{local.day} {local:%b %Y}"


def test_an_edit_saved_after_another_process_snoozed_keeps_the_snooze(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    netbalance(db, "add", "Kim Lost")
    with Store.open(db) as app:
        kim = app.contacts()[0]
        form_opened = app.contact(kim.id)  # `e` on Kim
        netbalance(db, "snooze", "Kim", "2w")
        in_form = form_opened.edit(company="Acme", circle=Circle.CLOSE)
        app.edit_contact(kim.id, form_opened.changed_fields(in_form), base=form_opened)
    with Store.open(db) as fresh:
        stored = fresh.contact(kim.id)
    assert (stored.company, stored.circle) == ("Acme", Circle.CLOSE)
    assert stored.snoozed_until is not None


def test_an_edit_of_the_snooze_itself_is_refused_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    netbalance(db, "add", "Kim Lost")
    with Store.open(db) as app:
        kim = app.contacts()[0]
        form_opened = app.contact(kim.id)
        netbalance(db, "snooze", "Kim", "2w")
        with pytest.raises(StoreConflict) as refused:
            # The form wakes Kim and changes the company: both are refused.
            app.edit_contact(kim.id, {"snoozed_until": None, "company": "Acme"}, base=form_opened)
    with Store.open(db) as fresh:
        stored = fresh.contact(kim.id)
    assert stored.snoozed_until is not None and stored.company == ""
    assert str(refused.value) == (
        f"Kim Lost was changed elsewhere: snoozed until {_day(stored.snoozed_until)}."
    )


def test_undo_after_another_process_snoozed_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    netbalance(db, "add", "Kim Lost")
    with Store.open(db) as app:
        kim = app.contacts()[0]
        app.snooze(kim.id, datetime.now(UTC).replace(microsecond=0) + timedelta(weeks=1))  # `s 1`
        mine = app.last_change
        assert mine is not None
        netbalance(db, "snooze", "Kim", "1m")
        with pytest.raises(StoreConflict) as refused:
            app.undo(mine)  # `u`
    with Store.open(db) as fresh:
        stored = fresh.contact(kim.id)
    assert stored.snoozed_until is not None
    # The command line's month, not the app's week.
    assert stored.snoozed_until - datetime.now(UTC) > timedelta(days=29)
    assert str(refused.value) == (
        f"Kim Lost was changed elsewhere: snoozed until {_day(stored.snoozed_until)}. "
        "Nothing was undone."
    )

"""A small network on a frozen Saturday in Lisbon, for the everyday commands' tests.

`network` holds (ids in order): 1 Ana Silva (inner, Acme, birthday 29 Feb 1988,
a coffee three days ago with a next step, an older call), 2 Kenji Tanaka (Globex),
3 Mariana Costa, 4 Ben Okafor (archived), 5 Cy Lund (snoozed), and two events
today and next week. `nb(db, *args)` runs the command line in-process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pendulum
import pytest

from netbalance.cli import main
from netbalance.domain import (
    Birthday,
    Circle,
    Contact,
    Event,
    EventStatus,
    Initiator,
    Interaction,
    InteractionKind,
)
from netbalance.store import Store

# Saturday 20 Feb 2027, 09:00 in Lisbon (a common year: 29 Feb birthdays fall on the 28th).
NOW = pendulum.datetime(2027, 2, 20, 9, 0, tz="Europe/Lisbon")

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Lisbon")
    time.tzset()
    with pendulum.travel_to(NOW, freeze=True):
        yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def nb(frozen: None, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `netbalance --db DB ARGS...` in-process: (exit code, stdout, stderr)."""

    def run(db: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def network(tmp_path: Path, frozen: None) -> Path:
    path = tmp_path / "network.json"
    utc = NOW.in_tz("UTC")
    with Store.open(path) as store:
        ana = store.add_contact(
            Contact(
                "Ana Silva",
                circle=Circle.INNER,
                company="Acme",
                role="CTO",
                emails=("ana@acme.org", "ana.silva@home.example"),
                tags=("mentor",),
                birthday=Birthday(2, 29, 1988),
            ),
            utc.subtract(days=200),
        )
        store.add_contact(
            Contact("Kenji Tanaka", company="Globex", emails=("kenji@globex.com",)),
            utc.subtract(days=100),
        )
        store.add_contact(Contact("Mariana Costa", birthday=Birthday(3, 1)), utc.subtract(days=50))
        store.add_contact(
            Contact("Ben Okafor", archived=True, emails=("ben@okafor.example",)),
            utc.subtract(days=300),
        )
        cy = store.add_contact(Contact("Cy Lund", circle=Circle.CLOSE), utc.subtract(days=90))
        store.snooze(cy.id, utc.add(days=10))
        store.log_interaction(
            Interaction((ana.id,), utc.subtract(days=40), kind=InteractionKind.CALL, depth=2),
            utc,
        )
        store.log_interaction(
            Interaction(
                (ana.id,),
                utc.subtract(days=3),
                kind=InteractionKind.COFFEE,
                depth=3,
                initiated_by=Initiator.THEM,
                minutes=45,
                note="talked about the new team",
                next_step="send the article",
                next_step_on=date(2027, 2, 22),
            ),
            utc,
        )
        store.add_event(
            Event("Lisbon AI meetup", utc.add(hours=9), place="Hub", status=EventStatus.GOING)
        )
        store.add_event(Event("Founders dinner", utc.add(days=7)))
    return path

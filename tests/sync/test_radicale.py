"""End to end: two laptops and a phone share one network through a real Radicale server
and the real vdirsyncer CLI, started by the tests (tests/sync/servers.py).

Each laptop runs `netbalance sync`, whose config runs `vdirsyncer sync` before and after.
The phone is an HTTP PUT of a vCard straight to Radicale, as a phone's CardDAV client does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from netbalance.cli import main
from netbalance.cli.common import local_now
from netbalance.domain import Circle
from netbalance.domain.health import next_due
from netbalance.store import Store
from tests.sync.servers import Laptop, Radicale, make_laptop, start_radicale, tools_missing

pytestmark = pytest.mark.skipif(tools_missing() is not None, reason=str(tools_missing()))


@pytest.fixture(autouse=True)
def _compiled_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    """vdirsyncer (run twice by every `netbalance sync` here) as a user runs it: from
    compiled bytecode. A sandbox's PYTHONDONTWRITEBYTECODE made each run compile its
    modules from source."""
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """One server for the module (each vdirsyncer run is what costs: a few per test)."""
    radicale = start_radicale(tmp_path_factory.mktemp("radicale"))
    try:
        yield radicale
    finally:
        radicale.stop()


# The people of the shared network, one for each test, so the tests stay independent.
PEOPLE = {
    "Ana Silva": ("+351 911 111 111", "ana@example.org"),
    "Bruno Costa": ("+351 933 333 333", "bruno@example.org"),
    "Carla Dias": ("+351 944 444 444", "carla@example.org"),
}


@pytest.fixture(scope="module")
def laptops(tmp_path_factory: pytest.TempPathFactory, server: Radicale) -> tuple[Laptop, Laptop]:
    """Two laptops sharing one network through the server: three people (close circle, a
    tag, a phone, an email) added on A, synced to the server and to B."""
    root = tmp_path_factory.mktemp("laptops")
    server.make_collections("shared")
    a, b = make_laptop(root, "a", server, "shared"), make_laptop(root, "b", server, "shared")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        for name, (phone, email) in PEOPLE.items():
            args = ("--circle", "close", "--phone", phone, "--tag", "pydata", "--email", email)
            run_on(a, mp, "add", name, *args)
        run_on(a, mp, "sync")
        run_on(b, mp, "sync")
    return a, b


def run_on(laptop: Laptop, mp: pytest.MonkeyPatch, *args: str) -> None:
    mp.setenv("XDG_CONFIG_HOME", str(laptop.config_home))
    assert main(["--db", str(laptop.db), *args]) == 0


def nb(
    laptop: Laptop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> str:
    """Run netbalance on a laptop (its database, its config.toml); its stdout."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(laptop.config_home))
    code = main(["--db", str(laptop.db), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def person(laptop: Laptop, name: str) -> tuple[Store, int]:
    store = Store.open(laptop.db)
    found = [c for c in store.contacts(include_archived=True) if c.name == name]
    assert len(found) == 1
    return store, found[0].id


def test_a_follow_up_reaches_b_with_its_next_due(
    laptops: tuple[Laptop, Laptop],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = laptops
    nb(
        a,
        monkeypatch,
        capsys,
        "log",
        "Ana",
        "--kind",
        "coffee",
        "--depth",
        "3",
        "--note",
        "talked about the meetup",
        "--next-step",
        "send the paper",
        "--next-step-on",
        "2027-12-24",
    )
    nb(a, monkeypatch, capsys, "sync")
    out = nb(b, monkeypatch, capsys, "sync")
    assert "interaction" in out
    store, ana_id = person(b, "Ana Silva")
    with store:
        (seen,) = store.interactions_of(ana_id)
        assert seen.note == "talked about the meetup"
        assert (seen.kind.value, seen.depth, seen.next_step) == ("coffee", 3, "send the paper")
        now = local_now()
        due = next_due(
            store.contact(ana_id),
            store.last_interaction_at(ana_id),
            store.settings(),
            now,
            store.next_step_of(ana_id),
        )
        assert due is not None and due <= seen.next_step_on  # type: ignore[operator]
        assert store.next_step_of(ana_id).isoformat() == "2027-12-24"  # type: ignore[union-attr]
    shown = nb(b, monkeypatch, capsys, "show", "Ana", "--json")
    assert "send the paper" in shown and "talked about the meetup" in shown


def test_a_phone_edit_reaches_both_laptops_and_keeps_netbalance_fields(
    laptops: tuple[Laptop, Laptop],
    server: Radicale,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = laptops
    server.user = "shared"
    status, listing, _ = server.request("PROPFIND", "/shared/contacts/", headers={"Depth": "1"})
    assert status == 207
    hrefs = re.findall(rb"<[^>]*href>([^<]*\.vcf)</", listing)
    assert len(hrefs) == len(PEOPLE)
    for href in hrefs:
        status, card, headers = server.request("GET", href.decode())
        if b"FN:Bruno Costa" in card:
            break
    assert status == 200 and b"X-NETBALANCE-CIRCLE:close" in card
    # The phone keeps the card's UID as it is written (a URN here).
    uid = re.search(rb"\nUID:([^\r\n]+)", card).group(1).decode()  # type: ignore[union-attr]
    # The phone writes the card its own way: vCard 3.0, its own TYPE, and none of
    # netbalance's properties (some phones keep them, some do not).
    phone_card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Phone//EN\r\n"
        f"UID:{uid}\r\nFN:Bruno Costa\r\nN:Costa;Bruno;;;\r\n"
        "TEL;TYPE=CELL:+351 922 222 222\r\nEMAIL:bruno@example.org\r\n"
        "CATEGORIES:pydata\r\nREV:2030-01-01T00:00:00Z\r\nEND:VCARD\r\n"
    )
    status, body, _ = server.request(
        "PUT",
        href.decode(),
        phone_card.encode(),
        {"Content-Type": "text/vcard", "If-Match": headers.get("ETag", "*")},
    )
    assert status in (201, 204), body
    for laptop in (a, b):
        nb(laptop, monkeypatch, capsys, "sync")
        store, bruno_id = person(laptop, "Bruno Costa")
        with store:
            c = store.contact(bruno_id)
            assert c.phones == ("+351 922 222 222",)
            assert c.circle == Circle.CLOSE and c.tags == ("pydata",)
            assert c.emails == ("bruno@example.org",) and not c.archived


def test_the_same_note_changed_on_both_laptops_keeps_both(
    laptops: tuple[Laptop, Laptop],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = laptops
    nb(a, monkeypatch, capsys, "edit", "Carla", "--notes", "met at PyData, likes climbing")
    nb(b, monkeypatch, capsys, "edit", "Carla", "--notes", "works on pandas now")
    nb(a, monkeypatch, capsys, "sync")
    out = nb(b, monkeypatch, capsys, "sync")
    assert "Conflicts" in out and "notes changed on both sides" in out
    nb(a, monkeypatch, capsys, "sync")
    notes = []
    for laptop in (a, b):
        store, carla_id = person(laptop, "Carla Dias")
        with store:
            notes.append(store.contact(carla_id).notes)
    assert notes[0] == notes[1]
    assert "met at PyData, likes climbing" in notes[0] and "works on pandas now" in notes[0]
    assert re.search(r"sync conflict \d{4}-\d{2}-\d{2}: notes", notes[0])


def test_a_failing_sync_command_is_exit_3_and_writes_nothing(
    tmp_path: Path,
    server: Radicale,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.make_collections("alone")
    a = make_laptop(tmp_path, "a", server, "alone")
    nb(a, monkeypatch, capsys, "add", "Ana Silva")
    config = a.config_home / "netbalance" / "config.toml"
    config.write_text(config.read_text().replace(' sync"', ' nosuchcommand"'))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(a.config_home))
    code = main(["--db", str(a.db), "sync"])
    _, err = capsys.readouterr()
    assert code == 3 and "failed with exit code" in err
    assert list(a.contacts.iterdir()) == []

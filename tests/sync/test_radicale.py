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


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """One server for the module (starting one takes seconds on a loaded machine)."""
    server = start_radicale(tmp_path_factory.mktemp("radicale"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def user(radicale: Radicale, request: pytest.FixtureRequest) -> str:
    """This test's own user on the shared server, with an empty address book and calendar."""
    name = re.sub(r"[^a-z0-9]", "", request.node.name.lower())[-40:]
    radicale.make_collections(name)
    return name


@pytest.fixture
def server(radicale: Radicale, user: str) -> Radicale:
    return radicale


@pytest.fixture
def laptops(tmp_path: Path, server: Radicale, user: str) -> tuple[Laptop, Laptop]:
    return make_laptop(tmp_path, "a", server, user), make_laptop(tmp_path, "b", server, user)


def nb(
    laptop: Laptop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> str:
    """Run netbalance on a laptop (its database, its config.toml); its stdout."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(laptop.config_home))
    code = main(["--db", str(laptop.db), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def ana(laptop: Laptop) -> tuple[Store, int]:
    store = Store.open(laptop.db)
    found = [c for c in store.contacts(include_archived=True) if c.name == "Ana Silva"]
    assert len(found) == 1
    return store, found[0].id


@pytest.fixture
def ana_everywhere(
    laptops: tuple[Laptop, Laptop],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[Laptop, Laptop]:
    """Ana (close circle, a tag, a phone) added on A, synced to the server and to B."""
    a, b = laptops
    nb(
        a,
        monkeypatch,
        capsys,
        "add",
        "Ana Silva",
        "--circle",
        "close",
        "--phone",
        "+351 911 111 111",
        "--tag",
        "pydata",
        "--email",
        "ana@example.org",
    )
    nb(a, monkeypatch, capsys, "sync")
    nb(b, monkeypatch, capsys, "sync")
    return a, b


def test_a_follow_up_reaches_b_with_its_next_due(
    ana_everywhere: tuple[Laptop, Laptop],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = ana_everywhere
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
    store, ana_id = ana(b)
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
    ana_everywhere: tuple[Laptop, Laptop],
    server: Radicale,
    user: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = ana_everywhere
    status, listing, _ = server.request("PROPFIND", f"/{user}/contacts/", headers={"Depth": "1"})
    assert status == 207
    (href,) = re.findall(rb"<[^>]*href>([^<]*\.vcf)</", listing)
    status, card, headers = server.request("GET", href.decode())
    assert status == 200 and b"X-NETBALANCE-CIRCLE:close" in card
    # The phone keeps the card's UID as it is written (a URN here).
    uid = re.search(rb"\nUID:([^\r\n]+)", card).group(1).decode()  # type: ignore[union-attr]
    # The phone writes the card its own way: vCard 3.0, its own TYPE, and none of
    # netbalance's properties (some phones keep them, some do not).
    phone_card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Phone//EN\r\n"
        f"UID:{uid}\r\nFN:Ana Silva\r\nN:Silva;Ana;;;\r\n"
        "TEL;TYPE=CELL:+351 922 222 222\r\nEMAIL:ana@example.org\r\n"
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
        store, ana_id = ana(laptop)
        with store:
            c = store.contact(ana_id)
            assert c.phones == ("+351 922 222 222",)
            assert c.circle == Circle.CLOSE and c.tags == ("pydata",)
            assert c.emails == ("ana@example.org",) and not c.archived


def test_the_same_note_changed_on_both_laptops_keeps_both(
    ana_everywhere: tuple[Laptop, Laptop],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = ana_everywhere
    nb(a, monkeypatch, capsys, "edit", "Ana", "--notes", "met at PyData, likes climbing")
    nb(b, monkeypatch, capsys, "edit", "Ana", "--notes", "works on pandas now")
    nb(a, monkeypatch, capsys, "sync")
    out = nb(b, monkeypatch, capsys, "sync")
    assert "Conflicts" in out and "notes changed on both sides" in out
    nb(a, monkeypatch, capsys, "sync")
    notes = []
    for laptop in (a, b):
        store, ana_id = ana(laptop)
        with store:
            notes.append(store.contact(ana_id).notes)
    assert notes[0] == notes[1]
    assert "met at PyData, likes climbing" in notes[0] and "works on pandas now" in notes[0]
    assert re.search(r"sync conflict \d{4}-\d{2}-\d{2}: notes", notes[0])


def test_a_failing_sync_command_is_exit_3_and_writes_nothing(
    tmp_path: Path,
    server: Radicale,
    user: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a = make_laptop(tmp_path, "a", server, user)
    nb(a, monkeypatch, capsys, "add", "Ana Silva")
    config = a.config_home / "netbalance" / "config.toml"
    config.write_text(config.read_text().replace(' sync"', ' nosuchcommand"'))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(a.config_home))
    code = main(["--db", str(a.db), "sync"])
    _, err = capsys.readouterr()
    assert code == 3 and "failed with exit code" in err
    assert list(a.contacts.iterdir()) == []

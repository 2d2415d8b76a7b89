"""Imports recognise people by uid, email, and phone or profile link with the name;
a name alone (or a phone under another name) never merges two people."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from netbalance.cli import main
from netbalance.domain import Circle, Contact
from netbalance.interop import apply_import, preview_import
from netbalance.interop.export_vcard import export_vcards
from netbalance.store import Store

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _vcf(tmp_path: Path, text: str, name: str = "cards.vcf") -> Path:
    path = tmp_path / name
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8", newline="")
    return path


def test_demo_vcard_export_reimports_as_the_same_people(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12 item 1: namesakes in the demo (two Nikolai Muller...) were merged by name."""
    demo, empty, cards = tmp_path / "demo.json", tmp_path / "empty.json", tmp_path / "all.vcf"
    assert main(["--db", str(demo), "demo", "--size", "small"]) == 0
    assert main(["--db", str(demo), "export", "vcard", "-o", str(cards)]) == 0
    capsys.readouterr()
    assert main(["--db", str(empty), "import", "vcard", str(cards)]) == 0
    out = capsys.readouterr().out
    assert "500 new, 0 merged, 0 unchanged, 0 skipped" in out
    with Store.open(demo) as source, Store.open(empty) as target:
        assert target.contact_count() == 500
        assert sorted(c.uid for c in target.contacts()) == sorted(c.uid for c in source.contacts())
        # The demo's circles come back, not the acquaintance circle of a foreign file.
        assert sorted(c.circle for c in target.contacts()) == sorted(
            c.circle for c in source.contacts()
        )
    # Into the database it came from, and into the one it went to: nothing to change.
    for db in (demo, empty):
        assert main(["--db", str(db), "import", "vcard", str(cards)]) == 0
        out = capsys.readouterr().out
        assert "0 new, 0 merged, 500 unchanged, 0 skipped" in out
        assert "Nothing to change" in out
        with Store.open(db) as store:
            assert store.contact_count() == 500


def test_namesakes_stay_apart_and_the_preview_says_so(tmp_path: Path) -> None:
    path = _vcf(
        tmp_path,
        "BEGIN:VCARD\nVERSION:3.0\nUID:nik-1\nFN:Nikolai Muller\nEMAIL:nik@lumen.example\n"
        "ORG:Lumen Labs\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nUID:nik-2\nFN:Nikolai Müller\nEMAIL:nm@orbital.example\n"
        "ORG:Orbital\nEND:VCARD\n",
    )
    store = Store.in_memory()
    plan = preview_import("vcard", path, store, NOW)
    assert plan.counts()["new"] == 2 and plan.possible_duplicates == 1
    assert "possibly the same person as an earlier card" in plan.entries[1].detail
    assert "same name" in plan.entries[1].detail
    apply_import(store, plan)
    assert sorted(c.company for c in store.contacts()) == ["Lumen Labs", "Orbital"]


def test_a_phone_alone_never_merges(tmp_path: Path) -> None:
    """Issue 12 item 3: 'Dummy, Dummy' was merged into 'N N N N N' on one number."""
    path = _vcf(
        tmp_path,
        "BEGIN:VCARD\nVERSION:2.1\nN:N;N;N N N;;\nFN:N N N N N\nTEL;CELL:+49 171 5550123\n"
        "END:VCARD\n"
        "BEGIN:VCARD\nVERSION:2.1\nN:Dummy;Dummy;;;\nFN:Dummy, Dummy\nTEL;CELL:0171 5550123\n"
        "END:VCARD\n",
    )
    store = Store.in_memory()
    plan = preview_import("vcard", path, store, NOW)
    assert plan.counts()["new"] == 2
    assert "same phone 0171 5550123, another name" in plan.entries[1].detail
    apply_import(store, plan)
    assert sorted(c.name for c in store.contacts()) == ["Dummy, Dummy", "N N N N N"]


def test_a_phone_with_an_agreeing_name_merges(tmp_path: Path) -> None:
    store = Store.in_memory()
    ana = store.add_contact(Contact("Ana Silva", phones=("+351 912 345 678",)), NOW)
    path = _vcf(
        tmp_path,
        "BEGIN:VCARD\nVERSION:3.0\nUID:phone-77\nFN:Ana M. Silva\nTEL:912345678\n"
        "ORG:Northwind\nEND:VCARD\n",
    )
    plan = preview_import("vcard", path, store, NOW)
    assert plan.counts()["merged"] == 1
    assert "same phone 912345678 and name" in plan.entries[0].detail
    apply_import(store, plan)
    merged = store.contact(ana.id)
    assert merged.company == "Northwind" and merged.aliases == ("phone-77",)
    # The phone's card is now known by its UID: a second run changes nothing.
    assert not preview_import("vcard", path, store, NOW).changes_anything


def test_uid_as_urn_in_vcard_4_and_bare_in_3_is_one_person(tmp_path: Path) -> None:
    store = Store.in_memory()
    ana = store.add_contact(Contact("Ana Silva"), NOW)
    for version in (4, 3):
        renamed = ana.edit(name="Ana Costa", company="Helix")  # renamed on the phone
        path = tmp_path / f"v{version}.vcf"
        path.write_text(export_vcards([renamed], version=version), encoding="utf-8")
        plan = preview_import("vcard", path, store, NOW)
        assert plan.entries[0].detail.startswith("same uid"), plan.entries[0]
        apply_import(store, plan)
    assert [c.name for c in store.contacts()] == ["Ana Silva"]
    assert store.contact(ana.id).company == "Helix"


def test_a_merge_is_applied_to_the_record_as_it_is_at_the_write(tmp_path: Path) -> None:
    """A preview's copy of a contact must not overwrite another writer's edit since."""
    db = tmp_path / "db.json"
    with Store.open(db) as app:
        kim = app.add_contact(Contact("Kim Lost", emails=("kim@x.org",)), NOW)
    path = _vcf(
        tmp_path,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Kim Lost\nEMAIL:kim@x.org\nTEL:+1 555 0100 999\n"
        "TITLE:CTO\nEND:VCARD\n",
    )
    with Store.open(db) as importer:
        plan = preview_import("vcard", path, importer, NOW)
        with Store.open(db) as other:  # another process, between preview and write
            other.snooze(kim.id, datetime(2026, 2, 1, tzinfo=UTC))
            other.update_contact(other.contact(kim.id).edit(circle=Circle.INNER, role="Founder"))
        apply_import(importer, plan)
    with Store.open(db) as after:
        stored = after.contact(kim.id)
    assert stored.snoozed_until == datetime(2026, 2, 1, tzinfo=UTC)
    assert stored.circle is Circle.INNER and stored.role == "Founder"  # filled: kept
    assert stored.phones == ("+1 555 0100 999",)  # what the import adds: added


def test_imported_people_land_in_the_acquaintance_circle(tmp_path: Path) -> None:
    """Issue 11 item 6: imports flooded the active circle (90-day cadence, capacity 50)."""
    linkedin = tmp_path / "Connections.csv"
    linkedin.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,https://l.in/ada,ada@x.org,Engines,Analyst,22 Dec 2025\n"
    )
    cards = _vcf(
        tmp_path,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Chen\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cy Kim\nX-NETBALANCE-CIRCLE:close\nEND:VCARD\n",
    )
    store = Store.in_memory()
    for kind, path in (("linkedin", linkedin), ("vcard", cards)):
        apply_import(store, preview_import(kind, path, store, NOW))
    circles = {c.name: c.circle for c in store.contacts()}
    assert circles == {
        "Ada Lovelace": Circle.ACQUAINTANCE,
        "Bo Chen": Circle.ACQUAINTANCE,
        "Cy Kim": Circle.CLOSE,  # the file says so (a netbalance export)
    }
    assert all(c.cadence_days is None for c in store.contacts())


def test_not_the_same_person_survives_a_json_backup_and_restore(tmp_path: Path) -> None:
    from netbalance.interop.json_backup import export_json

    source = Store.in_memory()
    a = source.add_contact(Contact("Sam Taylor", company="Acme"), NOW)
    b = source.add_contact(Contact("Sam Taylor", company="Globex"), NOW)
    source.keep_apart(a.id, b.id, NOW)
    path = tmp_path / "backup.json"
    path.write_bytes(
        export_json(
            contacts=source.contacts(),
            interactions=[],
            events=[],
            goals=[],
            now=NOW,
            kept_apart=source.kept_apart(),
        )
    )
    target = Store.in_memory()
    plan = preview_import("json", path, target, NOW)
    assert plan.restore is not None
    apply_import(target, plan)
    assert target.kept_apart() == {frozenset({a.uid, b.uid})}

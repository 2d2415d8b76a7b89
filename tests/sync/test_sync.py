"""The sync's rules on real folders and databases, without a server (see conftest.py)."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from netbalance.domain import Circle, Contact, Event, Goal, Interaction, InteractionKind
from netbalance.sync import SyncSetupError
from tests.sync.conftest import NOW, Replica, copy_folders, files, mirror


def add(r: Replica, name: str, **fields: object) -> Contact:
    return r.store.add_contact(Contact(name, **fields), NOW - timedelta(days=40))  # type: ignore[arg-type]


def log(r: Replica, contact: Contact, note: str = "", days_ago: int = 1) -> Interaction:
    i = Interaction((contact.id,), NOW - timedelta(days=days_ago), note=note)
    return r.store.log_interaction(i, NOW)


def by_name(r: Replica, name: str) -> Contact:
    r.store.refresh()
    (found,) = [c for c in r.store.contacts(include_archived=True) if c.name == name]
    return found


def card_of(r: Replica, contact: Contact) -> Path:
    (path,) = [p for p in r.contacts.iterdir() if contact.uid in p.read_text()]
    return path


def test_every_kind_goes_to_the_other_replica_and_back_unchanged(
    two: tuple[Replica, Replica],
) -> None:
    a, b = two
    goal = a.store.add_goal(Goal("Find a Rust job", target_date=date(2027, 9, 1)), NOW)
    ana = add(
        a,
        "Ana Silva",
        circle=Circle.CLOSE,
        emails=("ana@example.org",),
        phones=("+351 911 111 111",),
        tags=("pydata",),
        goal_ids=(goal.id,),
        notes="likes climbing\nand chess",
        cadence_days=20,
    )
    event = a.store.add_event(
        Event(
            "PyData",
            NOW + timedelta(days=3),
            hours=4.5,
            goal_ids=(goal.id,),
            met_contact_ids=(ana.id,),
        )
    )
    a.store.log_interaction(
        Interaction(
            (ana.id,),
            NOW - timedelta(days=2),
            kind=InteractionKind.COFFEE,
            depth=3,
            minutes=45,
            note="talked, a lot",
            next_step="send the paper",
            next_step_on=date(2027, 3, 1),
            event_id=event.id,
        ),
        NOW,
    )
    a.sync()
    copy_folders(a, b)
    b.sync()
    got = by_name(b, "Ana Silva")
    (b_goal,) = b.store.goals()
    (b_event,) = b.store.events()
    (seen,) = b.store.interactions_of(got.id)
    assert (got.uid, got.circle, got.emails, got.phones, got.tags, got.notes, got.cadence_days) == (
        ana.uid,
        Circle.CLOSE,
        ana.emails,
        ana.phones,
        ana.tags,
        ana.notes,
        20,
    )
    assert got.goal_ids == (b_goal.id,) and b_goal.title == "Find a Rust job"
    assert (b_event.uid, b_event.hours, b_event.met_contact_ids) == (event.uid, 4.5, (got.id,))
    assert (seen.kind, seen.depth, seen.minutes, seen.note, seen.event_id) == (
        InteractionKind.COFFEE,
        3,
        45,
        "talked, a lot",
        b_event.id,
    )
    assert b.store.next_step_of(got.id) == date(2027, 3, 1)
    # Nothing moves back: both sides already agree.
    again = b.sync()
    assert (again.files_written, again.records_changed) == (0, 0)
    assert a.sync().files_written == 0


def test_a_second_sync_reads_no_unchanged_file(
    replica: Replica, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        log(replica, add(replica, f"Person {n}"))
    replica.sync()
    replica.age()
    replica.sync()  # reads each file once more (its stat changed), the same bytes
    reads: list[str] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    result = replica.sync()
    assert (result.files_written, reads) == (0, [])


def test_files_are_private_and_whole(replica: Replica) -> None:
    add(replica, "Ana Silva")
    replica.sync()
    for folder in (replica.contacts, replica.calendar):
        for path in folder.iterdir():
            assert not path.name.startswith("."), "a temp file was left behind"
            assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_broken_file_is_reported_by_name_and_left_alone(replica: Replica) -> None:
    add(replica, "Ana Silva")
    (replica.contacts / "broken.vcf").write_bytes(b"BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n")
    (replica.calendar / "junk.ics").write_bytes(b"\x00\xffnot a calendar at all")
    (replica.contacts / "kim.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kim-1\r\nFN:Kim Lee\r\nEND:VCARD\r\n"
    )
    result = replica.sync()
    broken = "\n".join(result.report.broken)
    assert "broken.vcf" in broken and "junk.ics" in broken
    assert (replica.contacts / "broken.vcf").exists() and (replica.calendar / "junk.ics").exists()
    assert by_name(replica, "Kim Lee").uid == "kim-1"
    assert len(files(replica.contacts)) == 3  # Ana's card was written, nothing removed


def test_a_synced_card_another_app_broke_leaves_its_contact_as_it_is(replica: Replica) -> None:
    add(replica, "Ana Silva")
    replica.sync()
    (card,) = replica.contacts.iterdir()
    good = card.read_bytes()
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n")
    result = replica.sync()
    assert [line.split(":")[0] for line in result.report.broken] == [card.name]
    assert result.report.archived == [] and not by_name(replica, "Ana Silva").archived
    assert card.read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\nEND")  # left alone
    card.write_bytes(good.replace(b"FN:Ana Silva", b"FN:Ana Silva-Lee"))
    replica.sync()
    assert not by_name(replica, "Ana Silva-Lee").archived


def test_a_card_deleted_elsewhere_archives_the_contact_and_keeps_its_history(
    two: tuple[Replica, Replica],
) -> None:
    a, b = two
    ana = add(a, "Ana Silva")
    log(a, ana, "coffee")
    a.sync()
    copy_folders(a, b)
    b.sync()
    card_of(b, ana).unlink()
    result = b.sync()
    kept = by_name(b, "Ana Silva")
    assert kept.archived and len(b.store.interactions_of(kept.id)) == 1
    assert any("Ana Silva" in line for line in result.report.archived)
    # The deletion travels: A archives Ana too, her interaction stays.
    card_of(a, ana).unlink()
    a.sync()
    assert by_name(a, "Ana Silva").archived and a.store.interaction_count() == 1


def test_a_deleted_card_of_a_contact_changed_here_is_written_again(replica: Replica) -> None:
    ana = add(replica, "Ana Silva")
    replica.sync()
    card = card_of(replica, ana)
    card.unlink()
    replica.store.edit_contact(ana.id, {"company": "Acme"})
    result = replica.sync()
    assert "ORG:Acme" in card.read_text() and not by_name(replica, "Ana Silva").archived
    assert any("Ana Silva" in line for line in result.report.recreated)


def test_first_sync_with_a_phone_address_book_matches_by_uid_then_identity(
    replica: Replica,
) -> None:
    ana = add(replica, "Ana Silva", emails=("ana@example.org",), circle=Circle.CLOSE)
    add(replica, "Ben Okafor", phones=("+44 7700 900123",))
    add(replica, "Kim Lee", company="Acme")
    phone = replica.contacts
    phone.joinpath("1.vcf").write_text(  # the same email: Ana
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Ana S.\r\n"
        "EMAIL:ANA@example.org\r\nTEL;TYPE=CELL:0911 111 111\r\nEND:VCARD\r\n"
    )
    phone.joinpath("2.vcf").write_text(  # the same phone and an agreeing name: Ben
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-2\r\nFN:Ben Okafor\r\n"
        "TEL:07700 900123\r\nORG:Globex\r\nEND:VCARD\r\n"
    )
    phone.joinpath("3.vcf").write_text(  # the same name only: never merged
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-3\r\nFN:Kim Lee\r\nEND:VCARD\r\n"
    )
    replica.sync()
    got = by_name(replica, "Ana Silva")
    assert got.id == ana.id and got.phones == ("0911 111 111",) and got.circle == Circle.CLOSE
    assert "phone-1" in got.aliases
    ben = by_name(replica, "Ben Okafor")
    assert ben.company == "Globex" and "phone-2" in ben.aliases
    assert len([c for c in replica.store.contacts() if c.name == "Kim Lee"]) == 2
    # One card per person: the phone's cards were updated in place, none added for them.
    assert sorted(files(phone)) == sorted(["1.vcf", "2.vcf", "3.vcf", f"{by_name_uid(replica)}"])
    assert "X-NETBALANCE-CIRCLE:close" in (phone / "1.vcf").read_text()
    assert replica.sync().files_written == 0


def by_name_uid(r: Replica) -> str:
    """The card file of the Kim Lee that was here before the phone's."""
    (kim,) = [c for c in r.store.contacts() if c.name == "Kim Lee" and c.company == "Acme"]
    return f"{kim.uid}.vcf"


def test_a_phone_card_keeps_what_netbalance_does_not_own(replica: Replica) -> None:
    (replica.contacts / "p.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p1\r\nFN:Kim Lee\r\n"
        "ADR;TYPE=HOME:;;1 Main St;Lisbon;;;PT\r\nNICKNAME:kimmy\r\nEND:VCARD\r\n"
    )
    replica.sync()
    kim = by_name(replica, "Kim Lee")
    replica.store.edit_contact(kim.id, {"company": "Acme"})
    replica.sync()
    text = (replica.contacts / "p.vcf").read_text()
    assert "ORG:Acme" in text and "ADR;TYPE=HOME:;;1 Main St;Lisbon;;;PT" in text
    assert "NICKNAME:kimmy" in text and "VERSION:3.0" in text


def test_an_interaction_deleted_on_one_replica_is_deleted_on_the_other(
    two: tuple[Replica, Replica],
) -> None:
    a, b = two
    ana = add(a, "Ana Silva")
    gone, kept = log(a, ana, "first", 3), log(a, ana, "second", 1)
    a.sync()
    seen: dict[str, dict[str, bytes]] = {}
    mirror(a, b, seen)
    b.sync()
    a.store.delete_interaction(gone.id)
    a.sync()
    mirror(a, b, seen)
    result = b.sync()
    notes = [i.note for i in b.store.interactions_of(by_name(b, "Ana Silva").id)]
    assert notes == ["second"] and any("deleted" in line for line in result.report.here)
    assert kept.uid


def test_a_follow_up_ticked_off_elsewhere_is_logged_once(two: tuple[Replica, Replica]) -> None:
    a, b = two
    ana = add(a, "Ana Silva", circle=Circle.INNER)
    a.sync()
    seen: dict[str, dict[str, bytes]] = {}
    mirror(a, b, seen)
    b.sync()
    (todo,) = [p for p in a.calendar.iterdir() if p.name.startswith("followup-")]
    text = todo.read_text().replace(
        "END:VTODO", "STATUS:COMPLETED\r\nCOMPLETED:20270220T080000Z\r\nEND:VTODO"
    )
    todo.write_text(text)
    a.sync()
    mirror(a, b, seen)
    b.sync()
    mirror(a, b, seen)
    a.sync()
    for r in (a, b):
        (done,) = r.store.interactions_of(by_name(r, "Ana Silva").id)
        assert done.at.isoformat() == "2027-02-20T08:00:00+00:00"
    assert ana.id


def test_an_edit_made_while_syncing_is_never_lost(replica: Replica) -> None:
    ana = add(replica, "Ana Silva", company="Acme")
    replica.sync()
    card = card_of(replica, ana)
    card.write_text(card.read_text().replace("ORG:Acme", "ORG:Globex"))

    def meanwhile(_plan: object) -> None:
        replica.store.edit_contact(ana.id, {"company": "Initech", "role": "CTO"})

    from netbalance.sync import sync

    result = sync(replica.store, replica.settings, NOW, before_apply=meanwhile)
    got = by_name(replica, "Ana Silva")
    assert (got.company, got.role) == ("Initech", "CTO")
    assert result.report.refused and "Ana Silva" in result.report.refused[0]
    # The next sync meets both changes and keeps both values.
    replica.sync()
    got = by_name(replica, "Ana Silva")
    assert got.company in ("Initech", "Globex") and "sync conflict" in got.notes
    assert ({"Initech", "Globex"} - {got.company}).pop() in got.notes


def test_a_missing_or_read_only_folder_is_a_clear_error(replica: Replica, tmp_path: Path) -> None:
    from netbalance.sync import SyncSettings, sync

    missing = SyncSettings(contacts=tmp_path / "nowhere", calendar=replica.calendar)
    with pytest.raises(SyncSetupError, match="nowhere does not exist"):
        sync(replica.store, missing, NOW)
    if os.geteuid() != 0:  # root writes anywhere
        replica.contacts.chmod(0o500)
        with pytest.raises(SyncSetupError, match="cannot be read and written"):
            replica.sync()


def test_a_syncthing_conflict_copy_is_reported_and_the_file_itself_synced(
    replica: Replica,
) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kim-1\r\nFN:Kim {}\r\nEND:VCARD\r\n"
    (replica.contacts / "kim.vcf").write_text(card.format("Lee"))
    (replica.contacts / "kim.sync-conflict-20270220-090000-ABCDEFG.vcf").write_text(
        card.format("Other")
    )
    result = replica.sync()
    assert by_name(replica, "Kim Lee").uid == "kim-1"
    assert any("sync-conflict" in line for line in result.report.broken)

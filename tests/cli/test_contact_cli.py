"""show, edit, archive, unarchive, unsnooze and the one name resolver, on stored data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netbalance.domain import Birthday, Circle, Contact
from netbalance.store import Store
from tests.cli.conftest import NOW, Run


def stored(db: Path, contact_id: int) -> Contact:
    with Store.open(db) as store:
        return store.contact(contact_id)


# --- the resolver --------------------------------------------------------------------------


def test_a_whole_word_is_meant_before_a_part_of_a_name(network: Path, nb: Run) -> None:
    # "ana" is inside "Tanaka" and "Mariana": the whole word of "Ana Silva" wins.
    code, out, err = nb(network, "show", "ana", "--json")
    assert code == 0, err
    assert json.loads(out)["contact"]["name"] == "Ana Silva"
    code, out, _ = nb(network, "show", "anak", "--json")  # only a part: Tanaka's
    assert json.loads(out)["contact"]["name"] == "Kenji Tanaka"


def test_an_ambiguous_name_lists_what_tells_people_apart_and_writes_nothing(
    network: Path, nb: Run
) -> None:
    with Store.open(network) as store:
        store.add_contact(Contact("Ana Sousa", emails=("ana@sousa.example",)), NOW)
    before = network.read_bytes()
    code, out, err = nb(network, "edit", "ana", "--company", "Initech")
    assert code == 1 and out == ""
    assert "'ana' matches 2 contacts by whole words" in err
    assert "     1  Ana Silva · CTO at Acme · ana@acme.org · last contact 3 days ago" in err
    assert "     6  Ana Sousa · ana@sousa.example · never contacted" in err
    assert network.read_bytes() == before
    # An email typed whole is exact.
    code, out, _ = nb(network, "edit", "ANA@sousa.example", "--company", "Initech")
    assert code == 0 and stored(network, 6).company == "Initech"


def test_no_match_is_bad_input(network: Path, nb: Run) -> None:
    code, _, err = nb(network, "show", "Zed")
    assert code == 1 and err == "netbalance: who: no contact matches 'Zed'\n"


# --- show --------------------------------------------------------------------------------------


def test_show_prints_profile_due_strength_and_timeline(network: Path, nb: Run) -> None:
    code, out, err = nb(network, "show", "Ana Silva")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Ana Silva (id 1)"
    assert "  Circle        inner · every 7 days (the circle's)" in lines
    assert "  Work          CTO at Acme" in lines
    assert "  Email         ana@acme.org, ana.silva@home.example" in lines
    assert "  Birthday      29 Feb 1988 (next Sun 28 Feb, in 8 days, turns 39)" in lines
    # Due from the one rule: the next step (Mon 22 Feb) comes before the cadence (24 Feb).
    assert "Due             in 2 days (Mon 22 Feb) · upcoming" in lines
    assert "  Next step     send the article, Mon 22 Feb" in lines
    assert "  Last contact  3 days ago (Wed 17 Feb)" in lines
    assert any(line.startswith("Strength        ") and "/100: " in line for line in lines)
    assert "Timeline        2 interactions, newest first" in lines
    coffee = lines.index("Timeline        2 interactions, newest first") + 1
    assert lines[coffee].endswith(
        "Wed 17 Feb 2027 09:00  Coffee / meal · deep · they reached out · 45 min"
    )
    assert lines[coffee + 1].strip() == "talked about the new team"
    assert lines[coffee + 2].strip() == "next step: send the article by Mon 22 Feb"


def test_show_json_has_every_part(network: Path, nb: Run) -> None:
    code, out, _ = nb(network, "show", "1", "--json")
    shown = json.loads(out)
    assert code == 0
    assert shown["contact"]["birthday"] == "1988-02-29"
    assert shown["contact"]["emails"] == ["ana@acme.org", "ana.silva@home.example"]
    assert shown["due"]["next_due"] == "2027-02-22" and shown["due"]["urgency"] == "upcoming"
    assert shown["due"]["next_step"] == {"text": "send the article", "on": "2027-02-22"}
    parts = {c["key"] for c in shown["strength"]["components"]}
    assert len(parts) >= 4 and 0 <= shown["strength"]["value"] <= 100
    assert shown["dates"] == [
        {
            "contact_id": 1,
            "name": "Ana Silva",
            "kind": "birthday",
            "date": "2027-02-28",
            "days_until": 8,
            "turns": 39,
            "birthday": "1988-02-29",
        }
    ]
    assert shown["interactions"] == 2
    assert [i["kind"] for i in shown["timeline"]] == ["coffee", "call"]
    code, out, _ = nb(network, "show", "1", "--json", "--limit", "1")
    assert len(json.loads(out)["timeline"]) == 1


def test_show_finds_archived_contacts_and_says_so(network: Path, nb: Run) -> None:
    code, out, _ = nb(network, "show", "Ben")
    assert code == 0
    assert "Due             never (archived)" in out
    assert "  Archived      yes" in out


# --- edit --------------------------------------------------------------------------------------


def test_edit_sets_clears_adds_and_removes(network: Path, nb: Run) -> None:
    code, out, err = nb(
        network, "edit", "Ana Silva",
        "--circle", "close", "--cadence", "14", "--company", "Initech", "--role", "",
        "--add-tag", "Friend", "--remove-tag", "MENTOR", "--add-email", "ana@initech.example",
        "--remove-email", "ana@acme.org", "--add-phone", "+351 900 000 000",
        "--add-link", "https://ana.example", "--birthday", "12 mar 1986",
        "--how-met", "PyCon", "--notes", "likes tea",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Edited Ana Silva: ")
    assert "moved to the close circle" in out and "role cleared" in out
    ana = stored(network, 1)
    assert ana.circle is Circle.CLOSE and ana.cadence_days == 14
    assert (ana.company, ana.role, ana.tags) == ("Initech", "", ("friend",))
    assert ana.emails == ("ana.silva@home.example", "ana@initech.example")
    assert ana.phones == ("+351 900 000 000",) and ana.links == ("https://ana.example",)
    assert ana.birthday == Birthday(3, 12, 1986)
    assert (ana.how_met, ana.notes) == ("PyCon", "likes tea")
    # Fields not named keep their values (the snooze another command set, for one).
    code, _, _ = nb(network, "edit", "Cy", "--company", "Umbrella")
    cy = stored(network, 5)
    assert cy.company == "Umbrella" and cy.snoozed_until is not None
    code, out, _ = nb(
        network, "edit", "Ana Silva", "--clear", "emails", "--clear", "birthday",
        "--clear", "tags", "--cadence", "", "--json",
    )  # fmt: skip
    ana = stored(network, 1)
    assert (ana.emails, ana.birthday, ana.tags, ana.cadence_days) == ((), None, (), None)
    assert json.loads(out)["cadence_days"] == 30  # the close circle's, again


def test_edit_links_goals_and_the_event_you_met_at(network: Path, nb: Run) -> None:
    code, _, err = nb(network, "goal", "add", "Find a mentor")
    assert code == 0, err
    code, _, err = nb(network, "edit", "Kenji", "--add-goal", "mentor", "--met-at", "founders")
    assert code == 0, err
    kenji = stored(network, 2)
    assert kenji.goal_ids == (1,) and kenji.met_at_event_id == 2
    code, _, err = nb(network, "edit", "Kenji", "--remove-goal", "1", "--met-at", "")
    kenji = stored(network, 2)
    assert (kenji.goal_ids, kenji.met_at_event_id) == ((), None)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--remove-tag", "nope"], 1, "remove-tag: 'nope' is not one of Ana Silva's"),
        (["--add-email", "not-an-email"], 1, "email: is not an email address"),
        (["--circle", "bestie"], 1, "circle: must be one of"),
        (["--cadence", "0"], 1, "cadence: must be 1 to 3660"),
        (["--birthday", "30 feb"], 1, "birthday: is not a real date"),
        (["--name", "  "], 1, "name: must not be blank"),
        (["--add-goal", "nothing like it"], 1, "goal: nothing matches"),
        ([], 2, "edit: nothing to change"),
    ],
)
def test_bad_edits_say_what_and_write_nothing(
    network: Path, nb: Run, args: list[str], code: int, message: str
) -> None:
    before = network.read_bytes()
    got, out, err = nb(network, "edit", "Ana Silva", *args)
    assert (got, out) == (code, ""), err
    assert message in err and "Traceback" not in err
    assert network.read_bytes() == before


def test_an_unknown_field_to_clear_is_a_wrong_command_line(
    network: Path, nb: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        nb(network, "edit", "Ana Silva", "--clear", "uid")
    assert exited.value.code == 2
    assert "invalid choice: 'uid'" in capsys.readouterr().err


def test_an_edit_that_changes_nothing_writes_nothing(network: Path, nb: Run) -> None:
    before = network.read_bytes()
    code, out, _ = nb(network, "edit", "Ana Silva", "--company", "Acme", "--add-tag", "mentor")
    assert code == 0 and out == "Ana Silva already holds those values; nothing changed.\n"
    assert network.read_bytes() == before


def test_edit_is_refused_when_the_field_changed_since_it_was_read(
    network: Path, nb: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process changes the company between the command's read and its write.
    original = Store.edit_contact

    def meanwhile(self: Store, contact_id: int, changes: object, *, base: object = None) -> object:
        with Store.open(network) as other:
            original(other, contact_id, {"company": "Globex"})
        self.refresh()
        return original(self, contact_id, changes, base=base)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "edit_contact", meanwhile)
    code, _, err = nb(network, "edit", "Ana Silva", "--company", "Initech")
    assert code == 3
    assert "Ana Silva was changed elsewhere: company set to Globex." in err
    assert stored(network, 1).company == "Globex"


# --- archive, unarchive, unsnooze ----------------------------------------------------------------


def test_archive_and_unarchive(network: Path, nb: Run) -> None:
    code, out, _ = nb(network, "archive", "Kenji")
    assert code == 0 and out.startswith("Archived Kenji Tanaka")
    assert stored(network, 2).archived
    code, _, err = nb(network, "archive", "Kenji")  # archived ones are not among the active
    assert code == 1 and "no contact matches 'Kenji'" in err
    code, out, err = nb(network, "unarchive", "Tanaka", "--json")
    assert code == 0, err
    assert json.loads(out)["archived"] is False and not stored(network, 2).archived
    code, _, err = nb(network, "unarchive", "Ana")
    assert code == 1 and "no archived contact matches 'Ana'" in err


def test_unsnooze_ends_a_snooze_and_says_when_there_is_none(network: Path, nb: Run) -> None:
    code, out, _ = nb(network, "unsnooze", "Cy")
    assert code == 0 and out == "Cy Lund is no longer snoozed.\n"
    assert stored(network, 5).snoozed_until is None
    before = network.read_bytes()
    code, out, _ = nb(network, "unsnooze", "Cy")
    assert code == 0 and out == "Cy Lund is not snoozed; nothing changed.\n"
    assert network.read_bytes() == before


def test_edit_sets_and_clears_how_close_someone_feels(network: Path, nb: Run) -> None:
    code, out, err = nb(network, "edit", "Ana Silva", "--closeness", "6")
    assert code == 0, err
    assert out == "Edited Ana Silva: closeness set to 6 of 7\n"
    assert stored(network, 1).closeness == 6
    before = network.read_bytes()
    for bad, said in (("9", "closeness: must be 1 to 7 (got 9)"), ("close", "not a whole number")):
        code, _, err = nb(network, "edit", "Ana Silva", "--closeness", bad)
        assert code == 1 and said in err
    assert network.read_bytes() == before and stored(network, 1).closeness == 6
    code, out, _ = nb(network, "edit", "Ana Silva", "--clear", "closeness")
    assert code == 0 and out == "Edited Ana Silva: closeness cleared\n"
    assert stored(network, 1).closeness is None


def test_an_exported_follow_up_falls_on_the_day_show_gives(
    network: Path, nb: Run, tmp_path: Path
) -> None:
    """Ana's pending next step makes her due before her cadence: the calendar agrees
    with `show` (the exported calendar had its own rule, without next steps)."""
    import icalendar

    code, out, err = nb(network, "show", "Ana Silva", "--json")
    assert code == 0, err
    shown = json.loads(out)["due"]
    assert shown["next_step"] is not None and shown["next_due"] is not None
    code, _, err = nb(network, "export", "ics", "-o", str(tmp_path / "n.ics"))
    assert code == 0, err
    calendar = icalendar.Calendar.from_ical((tmp_path / "n.ics").read_bytes())
    exported = {str(t["SUMMARY"]): t["DUE"].dt.isoformat() for t in calendar.walk("VTODO")}
    ana = next(v for k, v in exported.items() if "Ana Silva" in k)
    assert ana == max(shown["next_due"], NOW.date().isoformat()), exported

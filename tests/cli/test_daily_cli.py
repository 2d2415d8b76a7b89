"""remind, dates and email: what they print, their JSON, exit codes; --db and --json anywhere."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from netbalance.cli import COMMAND_MODULES, build_parser, subparsers_of
from netbalance.domain import Birthday, Contact
from netbalance.store import Store
from tests.cli.conftest import NOW, Run

ROOT = Path(__file__).resolve().parents[2]


def fake_notify_send(folder: Path, *, exit_code: int = 0) -> Path:
    """A notify-send that writes its arguments to a file (and fails when asked)."""
    folder.mkdir(exist_ok=True)
    log = folder / "notified"
    script = folder / "notify-send"
    script.write_text(
        "#!/bin/sh\n"
        f'for a in "$@"; do printf "%s\\n--\\n" "$a"; done > {log}\n'
        + (f"echo 'no session bus' >&2\nexit {exit_code}\n" if exit_code else "")
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return log


# --- remind ------------------------------------------------------------------------------------


def test_remind_says_today_in_a_few_lines(network: Path, nb: Run) -> None:
    with Store.open(network) as store:
        store.add_contact(Contact("Dee Day", birthday=Birthday(2, 20, 1997)), NOW)
    code, out, err = nb(network, "remind")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Follow up with Kenji Tanaka (1 contact due)",
        "Birthday: Dee Day (turns 30)",
        "Event: Lisbon AI meetup at 18:00, Hub (going)",
    ]
    code, out, _ = nb(network, "remind", "--json")
    shown = json.loads(out)
    assert shown["date"] == "2027-02-20"
    assert [d["name"] for d in shown["due"]] == ["Kenji Tanaka"]
    assert [b["name"] for b in shown["birthdays"]] == ["Dee Day"]
    assert [e["title"] for e in shown["events"]] == ["Lisbon AI meetup"]


def test_remind_notify_sends_the_lines(
    network: Path, nb: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_notify_send(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    code, out, err = nb(network, "remind", "--notify")
    assert (code, err) == (0, "")
    assert log.read_text().split("\n--\n") == [
        "--app-name=netbalance",
        "netbalance: today",
        out.rstrip("\n"),
        "",
    ]


def test_remind_notify_says_when_notify_send_is_missing_or_fails(
    network: Path, nb: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, out, err = nb(network, "remind", "--notify")
    assert code == 3
    assert out.startswith("Follow up with Kenji Tanaka")  # the lines still printed
    assert "notify-send was not found, so no notification was shown" in err
    fake_notify_send(tmp_path / "bin", exit_code=1)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    code, _, err = nb(network, "remind", "--notify")
    assert code == 3 and "notify-send failed: no session bus" in err


def test_remind_with_nothing_today_notifies_nobody(
    tmp_path: Path, nb: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_notify_send(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    code, out, _ = nb(tmp_path / "empty.json", "remind", "--notify")
    assert (code, out) == (0, "Nothing for today.\n")
    assert not log.exists()


# --- dates -------------------------------------------------------------------------------------


def test_dates_lists_upcoming_birthdays(network: Path, nb: Run) -> None:
    code, out, _ = nb(network, "dates", "--within", "10")
    assert code == 0
    assert out.splitlines() == [
        "     1  Ana Silva's birthday, Sun 28 Feb (in 8 days, turns 39)",
        "     3  Mariana Costa's birthday, Mon 1 Mar (in 9 days)",
    ]
    code, out, _ = nb(network, "dates", "--within", "8", "--json")
    assert [(d["name"], d["date"], d["turns"]) for d in json.loads(out)] == [
        ("Ana Silva", "2027-02-28", 39)
    ]
    code, out, _ = nb(network, "dates", "--within", "0")
    assert (code, out) == (0, "No birthday today.\n")
    code, _, err = nb(network, "dates", "--within", "400")
    assert code == 1 and "within: must be 0 to 366" in err


def test_the_review_names_birthdays_coming_up(network: Path, nb: Run) -> None:
    code, out, _ = nb(network, "review")
    assert code == 0
    assert out.splitlines()[-3:] == [
        "Coming up (next 14 days)",
        "  Ana Silva's birthday, Sun 28 Feb (in 8 days, turns 39)",
        "  Mariana Costa's birthday, Mon 1 Mar (in 9 days)",
    ]
    code, out, _ = nb(network, "review", "--json")
    assert [d["name"] for d in json.loads(out)["upcoming_dates"]] == ["Ana Silva", "Mariana Costa"]


# --- email -------------------------------------------------------------------------------------


def test_email_parsable_is_what_khard_prints(network: Path, nb: Run) -> None:
    code, out, _ = nb(network, "email", "--parsable", "silva")
    assert code == 0
    assert out == (
        "searching for 'silva' ...\n"
        "ana@acme.org\tAna Silva\tAcme\n"
        "ana.silva@home.example\tAna Silva\tAcme\n"
    )
    # Of a contact's addresses, those the query matches (khard's rule); aerc's line.
    code, out, _ = nb(network, "email", "--remove-first-line", "--parsable", "acme")
    assert out == "ana@acme.org\tAna Silva\tAcme\n"
    # No query: everyone with an address, archived people too, by name.
    code, out, _ = nb(network, "email", "-p")
    assert out.splitlines()[0] == "searching for 'ALL' ..."
    assert [line.split("\t")[1] for line in out.splitlines()[1:]] == [
        "Ana Silva",
        "Ana Silva",
        "Ben Okafor",
        "Kenji Tanaka",
    ]


def test_email_with_no_match_prints_the_first_line_and_exits_1(network: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # As mutt runs it: the query as one argument.
    done = subprocess.run(
        [sys.executable, "-m", "netbalance", "--db", str(network), "email", "--parsable",
         "zed zebra"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (1, "searching for 'zed zebra' ...\n", "")
    done = subprocess.run(
        [sys.executable, "-m", "netbalance", "--db", str(network), "email", "zed"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "Found no email addresses\n")


def test_email_fields_never_break_the_columns(tmp_path: Path, nb: Run) -> None:
    db = tmp_path / "db.json"
    with Store.open(db) as store:
        store.add_contact(Contact("Tab Person", company="Acme\tLabs", emails=("t@x.org",)), NOW)
    code, out, _ = nb(db, "email", "--parsable", "--remove-first-line")
    assert (code, out) == (0, "t@x.org\tTab Person\tAcme Labs\n")
    _code, out, _ = nb(db, "email", "--json")
    assert json.loads(out) == [
        {"address": "t@x.org", "name": "Tab Person", "extra": "Acme Labs", "contact_id": 1}
    ]


# --- the command line as a whole ---------------------------------------------------------------


def test_db_and_json_are_accepted_before_or_after_the_command(network: Path, nb: Run) -> None:
    from netbalance.cli import main

    code = main(["dates", "--within", "10", "--db", str(network), "--json"])
    assert code == 0
    code = main(["--json", "--db", str(network), "dates", "--within", "10"])
    assert code == 0
    code = main(["interaction", "delete", "1", "--db", str(network)])
    assert code == 0
    with Store.open(network) as store:
        assert store.interaction_count() == 1


def test_json_before_a_command_without_it_is_a_wrong_command_line(
    network: Path, nb: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        nb(network, "--json", "demo")
    assert exited.value.code == 2
    assert "--json: demo has no machine output" in capsys.readouterr().err


def test_every_command_and_action_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    names = set(COMMAND_MODULES)
    for child in subparsers_of(parser):
        assert child.format_help().startswith(f"usage: {child.prog}")
        names.discard(child.prog.split()[1])
    assert names == set()
    for command in ("show", "edit", "remind", "dates", "email", "interactions"):
        with pytest.raises(SystemExit) as exited:
            build_parser(command).parse_args([command, "--help"])
        assert exited.value.code == 0
        assert "--db PATH" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command",
    ["show", "interactions", "remind", "dates", "email", "edit", "archive", "unarchive",
     "unsnooze", "interaction"],
)  # fmt: skip
def test_the_listing_and_record_commands_take_json(command: str) -> None:
    parser = build_parser(command)
    leaves = [p for p in subparsers_of(parser) if not any(
        a.dest == "interaction_command" for a in p._actions
    )]  # fmt: skip
    assert leaves and all(any(a.dest == "json" for a in p._actions) for p in leaves)

"""The command line contract: outputs, JSON fields, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netbalance.cli import main
from netbalance.store import Store

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real `netbalance` in a subprocess (exit codes, stderr, no textual)."""
    return subprocess.run(
        [sys.executable, "-m", "netbalance", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )


def cli(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_log_list_due_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db.json"
    code, out, _ = cli(
        db,
        "add",
        "Ana Silva",
        "--circle",
        "inner",
        "--email",
        "ana@example.org",
        "--tag",
        "Mentor",
        "--json",
        capsys=capsys,
    )
    assert code == 0
    added = json.loads(out)
    assert added["name"] == "Ana Silva" and added["circle"] == "inner"
    assert added["cadence_days"] == 7 and added["tags"] == ["mentor"]
    assert added["last_interaction"] is None
    code, out, _ = cli(
        db, "log", "ana", "--kind", "coffee", "--when", "3d", "--json", capsys=capsys
    )
    assert code == 0
    logged = json.loads(out)
    assert logged["kind"] == "coffee"
    code, out, _ = cli(db, "list", "--json", capsys=capsys)
    (row,) = json.loads(out)
    assert {
        "id",
        "name",
        "circle",
        "cadence_days",
        "last_interaction",
        "next_due",
        "emails",
        "tags",
    } <= set(row)
    assert row["last_interaction"] is not None
    # Next due counts from the later of the last interaction and the contact's creation:
    # created today with a 7-day cadence, so due in a week, not now.
    code, out, _ = cli(db, "due", "--json", capsys=capsys)
    assert json.loads(out)["items"] == []
    code, out, _ = cli(db, "due", "--within", "7", "--json", capsys=capsys)
    (due,) = json.loads(out)["items"]
    assert due["overdue_days"] == -7 and due["name"] == "Ana Silva"
    with Store.open(db) as store:
        (contact,) = store.contacts()
        assert store.interaction_count(contact.id) == 1


def test_ambiguous_who_lists_candidates_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    cli(db, "add", "Ana Silva", capsys=capsys)
    cli(db, "add", "Ana Sousa", capsys=capsys)
    code, _out, err = cli(db, "log", "ana", capsys=capsys)
    assert code == 1
    assert "matches 2 contacts" in err and "Ana Silva" in err and "Ana Sousa" in err
    with Store.open(db) as store:
        assert store.interaction_count() == 0
    code, _out, err = cli(db, "log", "ana silva", capsys=capsys)
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "   "], "name: must not be blank"),
        (["add", "X", "--circle", "bestie"], "circle: must be one of"),
        (["add", "X", "--cadence", "0"], "cadence: must be 1 to 3660"),
        (["add", "X", "--cadence", "soon"], "is not a whole number"),
        (["add", "X", "--email", "not-an-email"], "email: is not an email address"),
        (["log", "Nobody"], "no contact matches"),
        (["log", "Ana", "--depth", "4"], "depth: must be 1 to 3"),
        (["log", "Ana", "--kind", "telepathy"], "kind: must be one of"),
        (["log", "Ana", "--when", "the day after never"], "is not a date I understand"),
        (["log", "Ana", "--when", "2w", "--by", "them"], None),
        (["snooze", "Ana", "yesterday"], "is not in the future"),
        (["due", "--within", "-3"], "within: must be 0 to 3660"),
    ],
)
def test_bad_input_exits_1_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str | None
) -> None:
    db = tmp_path / "db.json"
    cli(db, "add", "Ana", capsys=capsys)
    before = db.read_bytes()
    code, _out, err = cli(db, *args, capsys=capsys)
    if message is None:
        assert code == 0  # "2w" with --when means two weeks ago: a valid past date
        return
    assert code == 1, err
    assert message in err
    assert "Traceback" not in err
    assert db.read_bytes() == before


def test_future_interaction_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db.json"
    cli(db, "add", "Ana", capsys=capsys)
    code, _, err = cli(db, "log", "Ana", "--when", "2030-01-01", capsys=capsys)
    assert code == 1 and "when: is in the future" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run(tmp_path / "db.json", "frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    result = run(tmp_path / "db.json", "add")
    assert result.returncode == 2


def test_damaged_database_exits_3_and_is_untouched(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    db.write_text('{"contacts": {"1": {"name": "Ana"')
    before = db.read_bytes()
    result = run(db, "due")
    assert result.returncode == 3
    assert str(db) in result.stderr and "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before
    result = run(db, "doctor")
    assert result.returncode == 3


def test_newer_schema_exits_3(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    db.write_text('{"_meta": {"1": {"schema_version": 99, "generation": 1}}}')
    result = run(db, "list")
    assert result.returncode == 3
    assert "newer netbalance" in result.stderr


def test_unwritable_database_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        # root ignores permissions; inject the failure instead.
        from netbalance.store.engine import FileOps

        db = tmp_path / "db.json"
        cli(db, "add", "Ana", capsys=capsys)

        def full(fd: int, data: bytes) -> int:
            raise OSError(28, "No space left on device")

        original = FileOps.write
        FileOps.write = staticmethod(full)  # type: ignore[assignment]
        try:
            code, _out, err = cli(db, "log", "Ana", capsys=capsys)
        finally:
            FileOps.write = original  # type: ignore[assignment]
        assert code == 3
        assert "the disk is full" in err
        with Store.open(db) as store:
            assert store.interaction_count() == 0
        return
    db = tmp_path / "ro" / "db.json"
    db.parent.mkdir()
    cli(db, "add", "Ana", capsys=capsys)
    db.parent.chmod(0o500)
    try:
        result = run(db, "log", "Ana")
        assert result.returncode == 3
    finally:
        db.parent.chmod(0o700)


def test_demo_refuses_non_empty_and_doctor_is_healthy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.json"
    code, out, _ = cli(db, "demo", "--size", "small", "--seed", "3", capsys=capsys)
    assert code == 0 and "500 contacts" in out
    code, _out, err = cli(db, "demo", capsys=capsys)
    assert code == 1 and "already holds data" in err
    code, out, _ = cli(db, "doctor", "--json", capsys=capsys)
    report = json.loads(out)
    assert code == 0 and report["healthy"] and report["contacts"] == 500


def test_demo_is_deterministic_for_a_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pendulum

    from netbalance.demo import build_demo

    now = pendulum.datetime(2026, 1, 1, tz="UTC")
    assert build_demo("small", 5, now) == build_demo("small", 5, now)
    assert build_demo("small", 5, now) != build_demo("small", 6, now)


def test_snooze_and_gauge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db.json"
    cli(db, "add", "Ana", "--circle", "inner", capsys=capsys)
    code, out, _ = cli(db, "snooze", "Ana", "2w", "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["snoozed_until"] is not None
    code, out, _ = cli(db, "gauge", "--json", capsys=capsys)
    gauge = json.loads(out)
    assert code == 0
    assert -1 <= gauge["balance"] <= 1 and gauge["zone"]
    assert {"components", "signals"} <= set(gauge)


def test_cli_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys; from netbalance.cli import main; "
        f"main(['--db', {str(tmp_path / 'db.json')!r}, 'due']); "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert result.stdout.strip().endswith("False"), result.stdout + result.stderr


def test_layers_do_not_import_textual() -> None:
    code = (
        "import sys; import netbalance.domain, netbalance.store, netbalance.interop, "
        "netbalance.domain.health; print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert result.stdout.strip() == "False", result.stderr


def test_a_next_step_date_makes_a_contact_due(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    # An acquaintance has no cadence: never due, until a next step gives it a day.
    cli(db, "add", "Ana", "--circle", "acquaintance", capsys=capsys)
    code, out, _ = cli(db, "due", "--within", "30", "--json", capsys=capsys)
    assert json.loads(out)["items"] == []
    code, _, err = cli(db, "log", "Ana", "--next-step", "send the intro", "--next-step-on", "3d",
                       capsys=capsys)  # fmt: skip
    assert code == 0, err
    code, out, _ = cli(db, "due", "--within", "3", "--json", capsys=capsys)
    (due,) = json.loads(out)["items"]
    assert due["name"] == "Ana" and due["overdue_days"] == -3
    # Logging again (without a next step) settles it.
    cli(db, "log", "Ana", capsys=capsys)
    code, out, _ = cli(db, "due", "--within", "30", "--json", capsys=capsys)
    assert json.loads(out)["items"] == []


def test_the_command_line_names_every_import_and_export_kind() -> None:
    from netbalance.cli import interop as cli_interop
    from netbalance.interop import EXPORT_KINDS, IMPORT_KINDS

    assert tuple(cli_interop.IMPORT_KINDS) == tuple(IMPORT_KINDS)
    assert tuple(cli_interop.EXPORT_KINDS) == tuple(EXPORT_KINDS)


def test_local_now_has_a_zone() -> None:
    from netbalance.cli.common import local_now

    now = local_now()
    assert now.tzinfo is not None and now.utcoffset() is not None


def test_every_command_is_registered_by_the_module_named_for_it() -> None:
    from netbalance.cli import COMMAND_MODULES, build_parser

    full = build_parser()
    sub = next(a for a in full._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMAND_MODULES)  # type: ignore[arg-type]
    for command in COMMAND_MODULES:
        only = build_parser(command)
        choices = next(a for a in only._actions if a.dest == "command").choices
        assert command in choices  # type: ignore[operator]

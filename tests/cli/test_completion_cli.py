"""Shell completion: the scripts parse in their shells and complete commands, options,
values and contact names; `names` answers from its cache while the data is unchanged."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from netbalance.cli import main
from netbalance.store import Store
from tests.cli.conftest import Run

ROOT = Path(__file__).resolve().parents[2]


def script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


@pytest.fixture
def on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """An environment whose PATH has a `netbalance` running this checkout, and a private cache."""
    folder = tmp_path / "bin"
    folder.mkdir()
    runner = folder / "netbalance"
    runner.write_text(f'#!/bin/sh\nexec {sys.executable} -m netbalance "$@"\n')
    runner.chmod(runner.stat().st_mode | stat.S_IEXEC)
    return {
        **os.environ,
        "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NETBALANCE_DB": str(tmp_path / "none.json"),
    }


def shell_run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- the scripts parse -------------------------------------------------------------------------


def test_the_bash_script_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "netbalance.bash"
    path.write_text(script("bash", capsys))
    subprocess.run(["bash", "-n", str(path)], check=True)


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_the_zsh_script_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "_netbalance"
    path.write_text(script("zsh", capsys))
    subprocess.run(["zsh", "-n", str(path)], check=True)


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_the_fish_script_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "netbalance.fish"
    path.write_text(script("fish", capsys))
    subprocess.run(["fish", "--no-execute", str(path)], check=True)


# --- they complete ----------------------------------------------------------------------------

# (words typed, the last one being completed) -> what the completion must offer
CASES = [
    (["sh"], ["show"]),
    (["una"], ["unarchive"]),
    (["event", ""], ["add", "status"]),
    (["edit", "x", "--add-t"], ["--add-tag"]),
    (["add", "x", "--circle", "a"], ["active", "acquaintance"]),
    (["log", "x", "--kind", "c"], ["call", "coffee"]),
    (["goal", "add", "x", "--kind", ""], ["career", "learning", "business", "other"]),
    (["import", ""], ["vcard", "linkedin", "google", "outlook", "ics", "json", "auto"]),
    (["event", "status", "x", "g"], ["going"]),
    (["completion", ""], ["bash", "zsh", "fish"]),
]


def _bash_complete(
    source: Path, env: dict[str, str], words: list[str], db: Path | None = None
) -> list[str]:
    typed = ["netbalance", *(["--db", str(db)] if db else []), *words]
    program = (
        f"source {source}\n"
        f"COMP_WORDS=({' '.join(_bash_quote(w) for w in typed)})\n"
        f"COMP_CWORD={len(typed) - 1}\n"
        "_netbalance\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    return [line for line in shell_run(["bash", "-c", program], env).splitlines() if line]


def _bash_quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


def test_bash_completes_commands_options_and_values(
    tmp_path: Path, on_path: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "netbalance.bash"
    source.write_text(script("bash", capsys))
    for words, expected in CASES:
        assert sorted(_bash_complete(source, on_path, words)) == sorted(expected), words


def test_bash_completes_contact_names_escaped_from_the_db_on_the_line(
    network: Path, tmp_path: Path, on_path: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "netbalance.bash"
    source.write_text(script("bash", capsys))
    # The --db on the command line is the database the names come from.
    assert _bash_complete(source, on_path, ["show", "ana"], db=network) == ["Ana\\ Silva"]
    # Any word of a name, any case.
    assert _bash_complete(source, on_path, ["log", "TAN"], db=network) == ["Kenji\\ Tanaka"]
    assert _bash_complete(source, on_path, ["snooze", "--db", str(network), "ke"]) == [
        "Kenji\\ Tanaka"
    ]
    # Inside an open quote the name is given as it is.
    assert _bash_complete(source, on_path, ["edit", '"Mar'], db=network) == ["Mariana Costa"]
    # Without a database, no names and no new file.
    assert _bash_complete(source, on_path, ["show", ""]) == []
    assert not Path(on_path["NETBALANCE_DB"]).exists()


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completes_with_descriptions_and_names(
    network: Path, tmp_path: Path, on_path: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "_netbalance"
    source.write_text(script("zsh", capsys))
    # zsh's completion builtins answer only inside a completion widget: stand-ins print
    # what the function hands them.
    stubs = (
        "compdef() { : }\n"
        'compadd() { if [[ $1 == -M ]]; then print -rl -- "${names[@]}"; '
        'else shift; print -rl -- "$@"; fi }\n'
        '_describe() { print -rl -- "${(@P)4}" }\n'
        "_files() { print -r -- FILES }\n"
        f"source {source}\n"
    )

    def complete(*typed: str) -> list[str]:
        words = " ".join(_bash_quote(w) for w in ("netbalance", *typed))
        program = f"{stubs}words=({words})\nCURRENT=${{#words}}\n_netbalance\n"
        return shell_run(["zsh", "-f", "-c", program], on_path).splitlines()

    assert "show:one contact: profile, when due, strength and why, dates, timeline" in complete("")
    assert complete("add", "x", "--circle", "") == [
        "inner", "close", "active", "wider", "acquaintance",
    ]  # fmt: skip
    assert complete("import", "vcard", "") == ["FILES"]
    names = complete("--db", str(network), "show", "a")
    assert names == ["Ana Silva", "Ben Okafor", "Cy Lund", "Kenji Tanaka", "Mariana Costa"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_commands_options_and_names(
    network: Path, tmp_path: Path, on_path: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "netbalance.fish"
    source.write_text(script("fish", capsys))

    def complete(line: str) -> list[str]:
        out = shell_run(["fish", "--no-config", "-c", f"source {source}; complete -C {line!r}"],
                        on_path)  # fmt: skip
        return [row.split("\t")[0] for row in out.splitlines()]

    assert complete("netbalance sh") == ["show"]
    assert complete("netbalance event ") == ["add", "status"]
    assert sorted(complete("netbalance add x --circle a")) == ["acquaintance", "active"]
    assert "--add-tag" in complete("netbalance edit x --add-t")
    assert complete(f"netbalance --db {network} show Kenji") == ["Kenji Tanaka"]


# --- names ---------------------------------------------------------------------------------------


def test_names_come_from_a_private_cache_while_the_data_is_unchanged(
    network: Path,
    nb: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, out, _ = nb(network, "names")
    assert code == 0
    assert out.splitlines() == [
        "Ana Silva",
        "Ben Okafor",
        "Cy Lund",
        "Kenji Tanaka",
        "Mariana Costa",
    ]
    (cache,) = (tmp_path / "cache" / "netbalance").iterdir()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700

    def refuse(path: Path) -> Store:
        raise AssertionError("the store was opened")

    with monkeypatch.context() as m:
        m.setattr(Store, "open", refuse)
        code, again, _ = nb(network, "names")
    assert (code, again) == (0, out)
    # A write (another process's, here) makes the cache stale: the new name is there.
    code, _, _ = nb(network, "edit", "Cy", "--name", "Cyrus Lund")
    code, out, _ = nb(network, "names")
    assert "Cyrus Lund" in out.splitlines() and "Cy Lund" not in out.splitlines()

"""Acceptance tests of the real ``pulsetui`` command, run as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pulsetui.service.workspace import Workspace
from pulsetui.store.store import Store

SCRIPT = Path(sys.executable).with_name("pulsetui")
HOSTILE = "[bold]x[/bold] \x1b[31mred\x1b[0m 🎉👩‍💻 äöжõ ÄÖЖÕ\ttab\r\nline two"


def pulsetui(
    home: Path, *args: str, input: bytes | None = None, check_no_traceback: bool = True
) -> subprocess.CompletedProcess[bytes]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pulsetui.cli.main"]
    result = subprocess.run(
        [*command, "--home", str(home), *args],
        input=input,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PULSETUI_NOW": "2026-11-20T10:00:00"},
        stdin=None if input is not None else subprocess.DEVNULL,
    )
    if check_no_traceback:
        assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result


@pytest.fixture
def firm(home: Path) -> Path:
    assert pulsetui(home, "client", "add", "--name", "Kuusi Logistiikka Oy").returncode == 0
    return home


@pytest.mark.parametrize("score", ["11", "-1", "abc", "7.5", None])
def test_invalid_nps_score_exits_2_naming_score_and_writes_nothing(
    firm: Path, score: str | None
) -> None:
    before = pulsetui(firm, "export", "--format", "json")
    assert before.returncode == 0
    args = ["nps", "add", "--client", "Kuusi Logistiikka Oy", "--reason", "late"]
    if score is not None:
        args += ["--score", score]
    result = pulsetui(firm, *args)
    assert result.returncode == 2
    assert b"score" in result.stderr
    after = pulsetui(firm, "export", "--format", "json")
    assert after.stdout == before.stdout


def test_valid_nps_is_saved(firm: Path) -> None:
    result = pulsetui(firm, "nps", "add", "--client", "kuusi", "--score", "9", "--contact", "Pekka")
    assert result.returncode == 0, result.stderr
    listed = json.loads(pulsetui(firm, "list", "nps", "--json").stdout)["records"]
    assert [(r["score"], r["contact"]) for r in listed] == [(9, "Pekka")]


def test_hostile_notes_round_trip_exactly(home: Path, tmp_path: Path) -> None:
    big = HOSTILE + "\n" + ("Lorem ipsum äöжõ 🎉 " * 60_000)[: 1024 * 1024]
    notes_file = tmp_path / "notes.txt"
    notes_file.write_bytes(big.encode())
    added = pulsetui(
        home, "client", "add", "--name", "Big Notes Oy", "--notes-file", str(notes_file)
    )
    assert added.returncode == 0, added.stderr
    added = pulsetui(
        home, "client", "add", "--name", "Stdin Oy", "--notes-file", "-", input=big.encode()
    )
    assert added.returncode == 0, added.stderr
    added = pulsetui(home, "client", "add", "--name", "Argv Oy", "--notes", HOSTILE)
    assert added.returncode == 0, added.stderr

    for name, expected in (("Big Notes Oy", big), ("Stdin Oy", big), ("Argv Oy", HOSTILE)):
        shown = pulsetui(home, "show", "client", name, "--json")
        assert shown.returncode == 0
        assert json.loads(shown.stdout)["record"]["notes"] == expected
    exported = json.loads(pulsetui(home, "export", "--format", "json").stdout)
    notes = {c["name"]: c["notes"] for c in exported["records"]["client"]}
    assert notes == {"Big Notes Oy": big, "Stdin Oy": big, "Argv Oy": HOSTILE}

    # as plain text the escape sequence is shown, never sent to the terminal
    text = pulsetui(home, "show", "client", "Argv Oy")
    assert b"\x1b" not in text.stdout
    assert b"\\x1b[31mred" in text.stdout
    assert b"[bold]x[/bold] " in text.stdout
    assert "äöжõ".encode() in text.stdout


def test_demo_lists_eight_clients_and_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    made = pulsetui(tmp_path, "demo", "--home", str(first))
    assert made.returncode == 0, made.stderr
    assert pulsetui(tmp_path, "demo", "--home", str(second)).returncode == 0
    clients = json.loads(pulsetui(first, "list", "clients", "--json").stdout)["records"]
    assert len(clients) == 8
    assert "Kuusi Logistiikka Oy" in {c["name"] for c in clients}
    one = pulsetui(first, "export", "--format", "json").stdout
    two = pulsetui(second, "export", "--format", "json").stdout
    assert one == two
    assert len(one) > 100_000
    # no local paths or replica ids in the export
    assert str(first).encode() not in one
    rid = json.loads((first / "replica.json").read_text())["rid"]
    assert rid.encode() not in one


def test_demo_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    assert pulsetui(tmp_path, "demo", "--home", str(home)).returncode == 0
    again = pulsetui(tmp_path, "demo", "--home", str(home))
    assert again.returncode == 2
    assert b"--force" in again.stderr
    forced = pulsetui(tmp_path, "demo", "--home", str(home), "--force")
    assert forced.returncode == 0, forced.stderr


def test_unknown_client_exits_2_with_a_message(firm: Path) -> None:
    result = pulsetui(firm, "nps", "add", "--client", "Nobody AS", "--score", "5")
    assert result.returncode == 2
    assert b"invalid client" in result.stderr
    assert b"Nobody AS" in result.stderr


def test_read_commands_on_a_missing_workspace_exit_1(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    for args in (("list", "clients"), ("show", "client", "x"), ("export",), ("doctor",)):
        result = pulsetui(missing, *args)
        assert result.returncode == 1, args
        assert b"no pulsetui workspace" in result.stdout + result.stderr
    assert not missing.exists()


def test_writes_and_reads_work_while_the_app_has_the_workspace_open(firm: Path) -> None:
    app = Workspace.open(firm, me="Holder", app=True)
    try:
        result = pulsetui(firm, "client", "add", "--name", "Second Oy")
        assert result.returncode == 0, result.stderr
        listed = pulsetui(firm, "list", "clients")
        assert listed.returncode == 0
        assert b"Kuusi Logistiikka Oy" in listed.stdout and b"Second Oy" in listed.stdout
        assert app.take_in_saves_made_elsewhere() >= 1
        assert "Second Oy" in {doc["name"] for doc in app.docs("client")}
    finally:
        app.close()
    assert pulsetui(firm, "client", "add", "--name", "Third Oy").returncode == 0


def test_a_workspace_being_replaced_refuses_writes_with_exit_1_and_reads_still_work(
    firm: Path,
) -> None:
    holder = Store.open(firm, exclusive=True)  # as a restore holds it
    try:
        result = pulsetui(firm, "client", "add", "--name", "Second Oy")
        assert result.returncode == 1
        assert b"already open in another pulsetui" in result.stderr
        assert f"process {os.getpid()}".encode() in result.stderr
        assert b"wait for it to finish" in result.stderr
        listed = pulsetui(firm, "list", "clients")
        assert listed.returncode == 0
        assert b"Kuusi Logistiikka Oy" in listed.stdout
    finally:
        holder.close()
    assert pulsetui(firm, "client", "add", "--name", "Second Oy").returncode == 0


def test_delete_without_a_terminal_needs_yes_and_never_waits(firm: Path) -> None:
    result = pulsetui(firm, "client", "delete", "Kuusi Logistiikka Oy")
    assert result.returncode == 2
    assert b"--yes" in result.stderr
    assert pulsetui(firm, "client", "delete", "Kuusi Logistiikka Oy", "--yes").returncode == 0
    assert json.loads(pulsetui(firm, "list", "clients", "--json").stdout)["records"] == []


def test_usage_errors_exit_2(firm: Path) -> None:
    assert pulsetui(firm, "list", "spaceships").returncode == 2
    assert pulsetui(firm, "client", "add", "--bogus").returncode == 2
    bad_date = pulsetui(firm, "meeting", "add", "--client", "kuusi", "--date", "someday")
    assert bad_date.returncode == 2
    assert b"invalid date" in bad_date.stderr


def test_no_command_without_a_terminal_does_not_wait(firm: Path) -> None:
    result = pulsetui(firm)
    assert result.returncode == 1
    assert b"needs a terminal" in result.stderr

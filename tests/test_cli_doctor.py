"""``pulsetui doctor`` and the checks behind it: journal, view, lock, file modes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pulsetui.cli.main import cli
from pulsetui.service.config import Config
from pulsetui.service.doctor import Level, check_workspace
from pulsetui.service.workspace import Workspace
from pulsetui.store.journal import JOURNAL_NAME
from pulsetui.store.store import VIEW_NAME


def doctor(home: Path) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), "doctor"], catch_exceptions=False)


@pytest.fixture
def healthy(home: Path) -> Path:
    with Workspace.open(home, me="Anna", config=Config()) as ws:
        for n in range(5):
            ws.add("client", name=f"Client {n}")
        ws.close(checkpoint="always")
    return home


def levels(home: Path) -> dict[str, set[Level]]:
    found: dict[str, set[Level]] = {}
    for finding in check_workspace(home):
        found.setdefault(finding.check, set()).add(finding.level)
    return found


def test_healthy_workspace(healthy: Path) -> None:
    result = doctor(healthy)
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.stdout
    for check in ("journal", "view", "lock", "modes"):
        assert f"{check}:" in result.stdout
    assert "0600/0700" in result.stdout


def test_missing_workspace(tmp_path: Path) -> None:
    result = doctor(tmp_path / "none")
    assert result.exit_code == 1
    assert "no pulsetui workspace" in result.stdout


def test_loose_file_mode_is_a_problem(healthy: Path) -> None:
    os.chmod(healthy / VIEW_NAME, 0o644)
    os.chmod(healthy / "journal", 0o755)
    result = doctor(healthy)
    assert result.exit_code == 1
    assert f"{healthy / VIEW_NAME} is 0644, should be 0600" in result.stdout
    assert "is 0755, should be 0700" in result.stdout


def test_corrupt_journal_line_is_a_problem(healthy: Path) -> None:
    with open(healthy / "journal" / JOURNAL_NAME, "ab") as journal:
        journal.write(b"{not json\n")
    (healthy / VIEW_NAME).unlink()  # so the whole journal is read again
    result = doctor(healthy)
    assert result.exit_code == 1
    assert "1 corrupt line(s)" in result.stdout


def test_torn_tail_is_reported(healthy: Path) -> None:
    with open(healthy / "journal" / JOURNAL_NAME, "ab") as journal:
        journal.write(b'{"id": "half a sa')
    result = doctor(healthy)
    assert "torn last line (17 bytes" in result.stdout
    assert result.exit_code == 0  # a crash mid-save; cut off on the next open


def test_broken_journal_header_is_a_problem(healthy: Path) -> None:
    path = healthy / "journal" / JOURNAL_NAME
    data = path.read_bytes()
    path.write_bytes(b"garbage\n" + data.split(b"\n", 1)[1])
    assert Level.PROBLEM in levels(healthy)["journal"]
    assert doctor(healthy).exit_code == 1


@pytest.mark.parametrize(
    ("damage", "word"),
    [("missing", "missing"), ("corrupt", "corrupt"), ("stale", "stale")],
)
def test_view_states(healthy: Path, tmp_path: Path, damage: str, word: str) -> None:
    view = healthy / VIEW_NAME
    if damage == "missing":
        view.unlink()
    elif damage == "corrupt":
        view.write_bytes(view.read_bytes()[:100])
    else:  # a view written for another workspace's journal
        other = tmp_path / "other"
        with Workspace.open(other, me="Other", config=Config()) as ws:
            ws.close(checkpoint="always")
        view.write_bytes((other / VIEW_NAME).read_bytes())
    result = doctor(healthy)
    assert f"{VIEW_NAME} " in result.stdout and word in result.stdout
    assert result.exit_code == 0  # the view is rebuilt from the journal


def test_damage_in_records_read_on_demand_is_found(home: Path) -> None:
    """Opening reads the pulses only when asked; doctor reads every byte."""
    with Workspace.open(home, me="Anna", config=Config()) as ws:
        mia = ws.add("consultant", name="Mia", manager=ws.me).uid
        for n in range(20):
            ws.add_pulse(mia, notes=f"note {n} " + "q" * 40)
        ws.close(checkpoint="always")
    assert "checksum checked" in doctor(home).stdout
    view = home / VIEW_NAME
    data = bytearray(view.read_bytes())
    data[data.index(b"qqqq")] = ord("z")
    view.write_bytes(bytes(data))
    result = doctor(home)
    assert f"{VIEW_NAME} is corrupt (the records' checksum does not match)" in result.stdout
    assert Level.WARNING in levels(home)["view"]


def test_lock_held_by_another_process(healthy: Path) -> None:
    ws = Workspace.open(healthy, config=Config(), app=True)
    try:
        result = doctor(healthy)
        assert f"held by process {os.getpid()}" in result.stdout
        assert "(the app): commands work beside it" in result.stdout
    finally:
        ws.close()
    assert "not held" in doctor(healthy).stdout
    command = Workspace.open(healthy, config=Config())
    try:
        assert "another pulsetui command has it open" in doctor(healthy).stdout
    finally:
        command.close()


def test_sync_folder_findings_are_included(healthy: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    result = CliRunner().invoke(
        cli, ["--home", str(healthy), "--shared", str(shared), "doctor"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "problem sync:" in result.stdout and "not a pulsetui sync folder" in result.stdout

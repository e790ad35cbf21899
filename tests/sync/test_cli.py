"""``pulsetui sync``, ``sync init`` and ``sync --check`` from the command line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from click.testing import CliRunner

from pulsetui.cli.main import cli, register

register("pulsetui.cli.records", "pulsetui.cli.admin", "pulsetui.cli.sync_cmd")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_init_sync_and_check(tmp_path: Path) -> None:
    shared = tmp_path / "team"
    code, out = run("--home", str(tmp_path / "a"), "--shared", str(shared), "sync", "init")
    assert code == 0 and "FORMAT" in out
    root = shared / "pulsetui"
    assert json.loads((root / "FORMAT").read_text()) == {"format": "pulsetui-sync", "version": 1}
    readme = (root / "README.txt").read_text()
    assert "(?d).tmp-*" in readme and "Syncthing" in readme
    assert stat.S_IMODE((root / "inbox").stat().st_mode) == 0o3733
    assert stat.S_IMODE((root / "replicas").stat().st_mode) == 0o3770
    code, out = run("--home", str(tmp_path / "a"), "--shared", str(shared), "sync", "init")
    assert code == 0 and "already set up" in out

    home_a, home_b = str(tmp_path / "a"), str(tmp_path / "b")
    code, out = run("--home", home_a, "--as", "Anna", "--shared", str(shared), "sync")
    assert code == 0 and out.startswith("sent 1 change(s) in 1 segment(s)")
    code, out = run("--home", home_b, "--as", "Bob", "--shared", str(shared), "sync")
    assert code == 0 and "received 1 new change(s)" in out
    code, out = run("--home", home_b, "--shared", str(shared), "sync", "--check")
    assert code == 0 and out.strip() == "no sync problems found"
    (root / "replicas" / "junk name").mkdir()
    code, out = run("--home", home_b, "--shared", str(shared), "sync", "--check")
    assert code == 1 and "replicas/junk name: bad name" in out


def test_sync_needs_a_folder_and_an_initialised_one(tmp_path: Path, monkeypatch) -> None:
    code, out = run("--home", str(tmp_path / "a"), "sync")
    assert code == 2 and "pulsetui: invalid shared: no sync folder" in out
    monkeypatch.setenv("PULSETUI_SHARED", str(tmp_path / "empty"))
    code, out = run("--home", str(tmp_path / "a"), "sync")
    assert code == 1 and "sync init" in out
    assert not (tmp_path / "empty").exists()
    code, out = run("--home", str(tmp_path / "a"), "sync", "init", "--group", "no-such-group-x")
    assert code == 2 and "invalid group" in out
    code, out = run("--home", str(tmp_path / "a"), "sync", "init", "--personal")
    assert code == 2 and "invalid personal" in out

"""``pulsetui sync``, ``sync init`` and ``sync --check`` from the command line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from click.testing import CliRunner

from pulsetui.cli.main import cli


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
    # every member reads the answers (every manager counts them); nobody removes another's
    assert stat.S_IMODE((root / "inbox").stat().st_mode) == 0o3770
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


def test_check_warns_when_others_could_replace_the_folder(tmp_path: Path) -> None:
    shared = tmp_path / "team"
    home = str(tmp_path / "a")
    assert run("--home", home, "--shared", str(shared), "sync", "init")[0] == 0
    assert run("--home", home, "--as", "Anna", "--shared", str(shared), "sync")[0] == 0
    code, out = run("--home", home, "--shared", str(shared), "sync", "--check")
    assert code == 0 and "replace" not in out
    shared.chmod(0o2775)  # the usual server parent: the group may write, no sticky bit
    code, out = run("--home", home, "--shared", str(shared), "sync", "--check")
    assert code == 1
    assert "lets members of group" in out and "replace pulsetui/ (the whole sync folder)" in out
    assert f"`chmod +t {shared}`" in out
    shared.chmod(0o3775)
    assert run("--home", home, "--shared", str(shared), "sync", "--check")[0] == 0
    (shared / "pulsetui" / "inbox").chmod(0o2777)  # no sticky bit: answers replaceable
    code, out = run("--home", home, "--shared", str(shared), "sync", "--check")
    assert code == 1 and "lets every user replace another member's answers" in out

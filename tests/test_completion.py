"""Shell completion: client, consultant and eNPS round names complete from the workspace
through click's completion protocol (``_PULSETUI_COMPLETE``), for bash, zsh and fish;
the scripts ``pulsetui completion SHELL`` prints load in their shell, and bash inserts
a name with spaces as one argument. Completion reads the workspace without a lock and
offers nothing, quietly, when there is nothing it can read."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from pulsetui.cli.main import cli
from pulsetui.service.config import Config
from pulsetui.service.demo import create_demo
from pulsetui.service.workspace import Workspace

PULSETUI = str(Path(sys.executable).with_name("pulsetui"))
MAKINEN = "Mäkinen Teollisuus Oy"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("completion") / "demo"
    create_demo(home)
    with Workspace.open(home, config=Config()) as ws:
        ws.add("client", name=MAKINEN, manager=ws.me)
    return home


def complete(home: Path | None, words: str, shell: str = "bash") -> list[str]:
    """What pulsetui offers for the last word of ``words`` ("" for a new word), as the
    shell script asks for it."""
    args = shlex.split(words)
    if words.endswith(" "):
        args.append("")
    env = {"_PULSETUI_COMPLETE": f"{shell}_complete"}
    if home is not None:
        env["PULSETUI_HOME"] = str(home)
    if shell == "fish":
        env |= {"COMP_WORDS": shlex.join(["pulsetui", *args[:-1]]), "COMP_CWORD": args[-1]}
    else:
        env |= {"COMP_WORDS": shlex.join(["pulsetui", *args]), "COMP_CWORD": str(len(args))}
    result = CliRunner().invoke(cli, [], env=env, prog_name="pulsetui")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and not result.stderr
    if shell == "bash":
        return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]
    if shell == "zsh":  # type, value, help: three lines each
        return result.stdout.splitlines()[1::3]
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize("typed", ["Mäk", "mak", "MAK", "Ma\u0308k"])
def test_a_partial_client_name_completes(demo: Path, typed: str) -> None:
    for words in (
        f"list agreements --client {typed}",
        f"nps add --score 9 --client {typed}",
        f"report weekly --client {typed}",
        f"health --client {typed}",
        f"flags --client {typed}",
        f"agreement add --client {typed}",
        f"client set {typed}",
        f"show client {typed}",
    ):
        assert complete(demo, words) == [MAKINEN], words


def test_every_shell_gets_the_name(demo: Path) -> None:
    for shell in ("bash", "zsh", "fish"):
        assert complete(demo, "list agreements --client mak", shell) == [MAKINEN], shell


def test_consultants_and_rounds_complete(demo: Path) -> None:
    assert complete(demo, "list pulses --consultant oie") == ["Õie Kask"]
    assert complete(demo, "pulse add --consultant Õi") == ["Õie Kask"]
    assert complete(demo, "show consultant aino") == ["Aino Laine"]
    assert complete(demo, "consultant set dmit") == ["Дмитрий Иванов"]  # another script
    assert complete(demo, "enps report --round 2026") == ["2026", "2026-trainees"]
    assert complete(demo, "enps add --score 8 --round train") == ["2026-trainees"]
    assert complete(demo, "enps --round ") == ["2025", "2026", "2026-trainees"]


def test_an_empty_word_offers_every_name_and_better_matches_come_first(demo: Path) -> None:
    names = complete(demo, "list agreements --client ")
    assert len(names) == 9 and MAKINEN in names and names == sorted(names, key=str.casefold)
    found = complete(demo, "list agreements --client la")
    assert found[0] == "Lapin Matkat Oy"  # starts with it, before those holding it
    assert found == ["Lapin Matkat Oy", "Peipsi Kala OÜ"]


def test_the_home_on_the_command_line_is_used(demo: Path, tmp_path: Path) -> None:
    assert complete(None, f"--home {demo} health --client mak") == [MAKINEN]
    assert complete(tmp_path / "elsewhere", f"--home {demo} health --client mak") == [MAKINEN]


def test_completion_never_fails_loudly_and_never_writes(demo: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-workspace"
    assert complete(missing, "list agreements --client mak") == []
    assert not missing.exists()
    Path(os.environ["PULSETUI_CONFIG"]).write_text("[keys]\nnot_a_key = 'z'\n[broken\n")
    assert complete(demo, "health --client mak") == [MAKINEN]  # no config needed
    not_a_workspace = tmp_path / "file"
    not_a_workspace.write_text("x")
    assert complete(not_a_workspace, "health --client mak") == []


def test_completion_reads_while_the_app_holds_the_workspace(demo: Path) -> None:
    with Workspace.open(demo, config=Config()):  # the writer's lock is held
        assert complete(demo, "health --client mak") == [MAKINEN]


def test_names_a_terminal_cannot_show_are_not_offered(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    with Workspace.open(home, me="Anna", config=Config()) as ws:
        ws.add("client", name="Acme\x1b]0;x\x07", manager=ws.me)
        ws.add("client", name="Acme Oy", manager=ws.me)
        ws.add("client", name="Acme\nfake,plain", manager=ws.me)
    assert complete(home, "health --client acme") == ["Acme Oy"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script(shell: str) -> None:
    result = CliRunner().invoke(cli, ["completion", shell])
    assert result.exit_code == 0, result.output
    assert f"_PULSETUI_COMPLETE={shell}" in result.stdout.replace('"', "")
    same = CliRunner().invoke(
        cli, [], env={"_PULSETUI_COMPLETE": f"{shell}_source"}, prog_name="pulsetui"
    )
    assert same.stdout.strip() == result.stdout.strip()  # the same as click's own way
    assert CliRunner().invoke(cli, ["completion", "tcsh"]).exit_code == 2


def test_bash_completes_through_the_script(demo: Path, tmp_path: Path) -> None:
    """bash sources the script and asks pulsetui, as it does on Tab."""
    script = tmp_path / "pulsetui.bash"
    script.write_text(CliRunner().invoke(cli, ["completion", "bash"]).stdout)
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    program = (
        f"source {shlex.quote(str(script))}; "
        "COMP_WORDS=(pulsetui list agreements --client mak); COMP_CWORD=4; "
        '_pulsetui_completion pulsetui; printf "[%s]\\n" "${COMPREPLY[@]}"; '
        "complete -p pulsetui"
    )
    env = {**os.environ, "PATH": f"{Path(PULSETUI).parent}:{os.environ['PATH']}"}
    env |= {"PULSETUI_HOME": str(demo), "LANG": "C.UTF-8"}
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.stdout.splitlines() == [
        f"[{MAKINEN}]",
        "complete -o nosort -F _pulsetui_completion pulsetui",
    ], result.stderr


@pytest.mark.slow
def test_tab_in_bash_inserts_the_name_quoted(demo: Path, tmp_path: Path) -> None:
    """In a real terminal, Tab after ``--client mak`` inserts the whole name as one
    argument: ``Mäkinen\\ Teollisuus\\ Oy``."""
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    script = tmp_path / "pulsetui.bash"
    script.write_text(CliRunner().invoke(cli, ["completion", "bash"]).stdout)
    rc = tmp_path / "bashrc"
    rc.write_text(f"PS1='ready> '\nsource {shlex.quote(str(script))}\n")
    name = f"pulsetui-completion-{uuid.uuid4().hex[:8]}"
    env = {
        "PATH": f"{Path(PULSETUI).parent}:{os.environ['PATH']}",
        "PULSETUI_HOME": str(demo),
        "PULSETUI_CONFIG": os.environ["PULSETUI_CONFIG"],
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "HOME": str(tmp_path),
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = f"env -i {exports} bash --noprofile --rcfile {shlex.quote(str(rc))} -i"
    subprocess.run([tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "10", command])
    try:

        def screen() -> str:
            shown = subprocess.run(
                [tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True
            )
            return shown.stdout

        def wait_for(text: str) -> str:
            deadline = time.monotonic() + 60  # a shell starting on a busy machine
            while time.monotonic() < deadline:
                shown = screen()
                if text in shown:
                    return shown
                time.sleep(0.1)
            raise AssertionError(f"{text!r} not on screen:\n{screen()}")

        wait_for("ready>")
        typed = "pulsetui list agreements --client mak"
        subprocess.run([tmux, "send-keys", "-t", name, "-l", typed], check=True)
        wait_for(typed)
        subprocess.run([tmux, "send-keys", "-t", name, "Tab"], check=True)
        wait_for("--client Mäkinen\\ Teollisuus\\ Oy")
    finally:
        subprocess.run([tmux, "kill-session", "-t", name], capture_output=True)

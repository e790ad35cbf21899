"""End to end in a real terminal: the app runs in tmux at 80×24 and is driven only by
keys through a pulse conversation, a meeting with an agreement and an NPS answer; then
it quits, starts again, and everything is found — on screen and through the CLI's
``export --format json``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.tmux_socket import socket_file

pytestmark = pytest.mark.slow

TMUX = shutil.which("tmux")
PULSETUI = str(Path(sys.executable).with_name("pulsetui"))


def tmux(socket: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``tmux args`` on the tmux server named ``socket`` (see tests/tmux_socket.py)."""
    assert TMUX is not None
    return subprocess.run([TMUX, "-L", socket, *args], check=check, capture_output=True, text=True)


class Terminal:
    """One tmux session holding the app at 80×24, on a tmux server of its own."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.name = f"pulsetui-e2e-{uuid.uuid4().hex[:8]}"
        self.home = home
        self.env = env

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return tmux(self.name, *args, check=check)

    def open(self, command: str, width: int = 80, height: int = 24) -> None:
        """``command`` in a new session ``width`` × ``height``."""
        self.tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command
        )

    def app_command(self) -> str:
        exports = " ".join(f"{k}={v}" for k, v in self.env.items())
        return f"env {exports} {PULSETUI} --home {self.home}"

    def start(self) -> None:
        self.open(self.app_command())
        self.wait_for("Today")

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            time.sleep(pause)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)
        time.sleep(0.3)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name, check=False).stdout

    def wait_for(self, text: str, timeout: float = 30.0, whole: bool = False) -> str:
        """The screen once ``text`` is on it. ``whole``: once the screen showing it has
        also stopped changing — a frame the app wrote is taken in by tmux in parts, and
        on a busy machine a capture can fall between them (the top of the new frame over
        the bottom of the old one); assert on what is *not* shown only on a whole one."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown and (not whole or shown == last):
                return shown
            last = shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on screen:\n{self.screen()}")

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.name, check=False).returncode == 0

    def wait_closed(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.alive(), f"the app did not quit:\n{self.screen()}"

    def kill(self) -> None:
        if TMUX is not None:
            self.tmux("kill-server", check=False)  # its own server: the session with it
            socket_file(self.name).unlink(missing_ok=True)


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    # $EDITOR for ctrl+e: a script that appends one line to the file it is given
    editor = tmp_path / "append-line.sh"
    editor.write_text("#!/bin/sh\nprintf '\\nline from the editor ж\\n' >> \"$1\"\n")
    editor.chmod(0o755)
    return {
        "PULSETUI_NOW": "2026-11-20T10:00:00",
        "PULSETUI_CONFIG": str(tmp_path / "no-config.toml"),
        "TERM": "xterm-256color",
        "HOME": str(tmp_path),
        "EDITOR": str(editor),
        "VISUAL": str(editor),
        "LANG": "C.UTF-8",
    }


@pytest.fixture
def terminal(tmp_path: Path, demo_env: dict[str, str]) -> Iterator[Terminal]:
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    home = tmp_path / "ws"
    env = {**os.environ, **demo_env}
    subprocess.run(
        [PULSETUI, "--home", str(home), "demo"], check=True, env=env, capture_output=True
    )
    term = Terminal(home, demo_env)
    yield term
    term.kill()


def export(home: Path, env: dict[str, str]) -> dict[str, list[dict[str, object]]]:
    result = subprocess.run(
        [PULSETUI, "--home", str(home), "export", "--format", "json", "--include-private"],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    return json.loads(result.stdout)["records"]  # type: ignore[no-any-return]


def test_pulse_meeting_agreement_nps_survive_a_restart(
    terminal: Terminal, demo_env: dict[str, str]
) -> None:
    before = export(terminal.home, demo_env)
    terminal.start()

    # a pulse conversation with the first consultant
    terminal.keys("c")
    terminal.wait_for("Wellbeing")
    terminal.keys("p")
    terminal.wait_for("saved when you type")
    terminal.type("4")
    terminal.keys("Enter", "Tab")
    terminal.type("5")
    terminal.keys("Enter")
    terminal.type("wants to lead a team")
    terminal.keys("Enter")
    terminal.type("e2e worry: long commute")
    # the private notes: typed, then ctrl+e opens them in $EDITOR, which adds a line
    terminal.keys("Tab")
    terminal.type("e2e note typed")
    terminal.keys("C-e")
    terminal.wait_for("line from the editor ж")
    terminal.wait_for("saved 10:00:00")  # the autosave's commit (at the frozen time)
    terminal.keys("C-s")
    terminal.wait_for("saved 10:00:00")
    terminal.keys("Escape")
    terminal.wait_for("Consultant")

    # a meeting with the first client, typed first: the notes have the focus; the first
    # agenda item is ticked and an agreement captured from a line of notes, by chords
    terminal.keys("l")
    terminal.wait_for("Client")
    terminal.keys("m")
    terminal.wait_for("Meeting")
    terminal.keys("C-t")
    terminal.type("e2e notes: they also want a quote")
    terminal.keys("Enter")
    terminal.type("+ e2e send the staffing plan @Liisa +2w")
    terminal.keys("C-g")
    terminal.wait_for("New agreement")
    terminal.keys("C-s")
    terminal.wait_for("e2e send the staffing plan")
    terminal.keys("C-f")
    terminal.wait_for("Meeting held: summary")
    terminal.keys("Escape")

    # an NPS answer from a screen about no client: n, client, contact, score 10 (1 then
    # 0), reason (on Today the cursor starts on a client's row, which the form would take)
    terminal.keys("t")
    terminal.wait_for("need you")
    terminal.keys("c")
    terminal.wait_for("need a pulse conversation")
    terminal.keys("n")
    terminal.wait_for("New NPS answer")
    terminal.type("Saimaa")
    terminal.keys("Enter")
    terminal.type("E2E Contact")
    terminal.keys("Enter", "1", "0", "Tab")
    terminal.type("e2e reason: quick replies")
    terminal.keys("Enter")
    terminal.wait_for("NPS 10 saved")

    terminal.keys("q")
    terminal.wait_closed()

    after = export(terminal.home, demo_env)
    pulses = [p for p in after["pulse"] if p not in before["pulse"]]
    assert len(pulses) == 1
    assert (pulses[0]["wellbeing"], pulses[0]["fit"]) == (4, 5)
    assert pulses[0]["worries"] == "e2e worry: long commute"
    assert pulses[0]["notes"].splitlines() == ["e2e note typed", "line from the editor ж"]
    agreements = [a for a in after["agreement"] if a["text"] == "e2e send the staffing plan"]
    assert len(agreements) == 1 and agreements[0]["due"] == "2026-12-04"
    assert agreements[0]["owner"] == "Liisa Mäkinen"  # "@Liisa": the one Liisa there is
    held = [m for m in after["meeting"] if m not in before["meeting"] and m["status"] == "held"]
    assert len(held) == 1 and agreements[0]["meeting"] == held[0]["uid"]
    assert held[0]["notes"] == (
        "e2e notes: they also want a quote\n+ e2e send the staffing plan @Liisa +2w"
    )
    # one topic ticked (the demo holds it twice: both copies are settled by the meeting)
    ticked = [a for a in after["agenda"] if a.get("meeting") == held[0]["uid"]]
    assert ticked and {(a["text"], a["status"]) for a in ticked} == {
        (ticked[0]["text"], "discussed")
    }
    same_client = [a for a in after["agenda"] if a["client"] == ticked[0]["client"]]
    assert not [a for a in same_client if a["text"] == ticked[0]["text"] and a["status"] == "open"]
    answers = [n for n in after["nps"] if n["contact"] == "E2E Contact"]
    assert [(n["score"], n["reason"]) for n in answers] == [(10, "e2e reason: quick replies")]

    # restart: everything is still there, on screen too
    terminal.start()
    terminal.keys("g")
    terminal.wait_for("e2e send the staffing")
    terminal.keys("q")
    terminal.wait_closed()
    assert export(terminal.home, demo_env) == after

"""The store where Linux's extras are missing (macOS, the BSDs): no ``copy_file_range``,
no ``fdatasync``, ``F_FULLFSYNC`` for durable writes, and a background checkpoint that
never forks the app. The end-to-end tests run the real command under the simulation of
``tests/macos`` (also in the plain suite): an edit, a quit with exit 0, and a view file
so current that the next start replays nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from tests.tmux_socket import socket_file

from pulsetui.service.workspace import Workspace
from pulsetui.store import fsutil, viewfile
from pulsetui.store.store import VIEW_NAME

SIMULATION = Path(__file__).resolve().parent / "macos"
TMUX = shutil.which("tmux")
PULSETUI = str(Path(sys.executable).with_name("pulsetui"))

REPORT = r"""
import json, os, sys
from pulsetui.store.store import Store
from pathlib import Path
store = Store.open(Path(sys.argv[1]), readonly=True)
print(json.dumps({
    "view": store.report.view,
    "replayed_ops": store.report.replayed_ops,
    "clients": sorted(doc["name"] for doc in store.view.docs("client")),
    "pulses": [doc.get("wellbeing") for doc in store.view.docs("pulse")],
    "linux_only": [n for n in ("copy_file_range", "fdatasync") if hasattr(os, n)],
}))
"""

SAVES_WITHOUT_CHECKPOINT = r"""
import sys
from pulsetui.service.workspace import Workspace
ws = Workspace.open(sys.argv[1])
for n in range(int(sys.argv[2])):
    ws.add("client", name=f"Unsaved view {n}")
ws.close(checkpoint="never")
"""


@pytest.fixture
def macos_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a simulated-macOS process (see ``tests/macos``)."""
    paths = [str(SIMULATION), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {
        **os.environ,
        "PULSETUI_SIMULATE_MACOS": "1",
        "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)),
        "PULSETUI_CONFIG": str(tmp_path / "no-config.toml"),
        "PULSETUI_NOW": "2026-11-20T10:00:00",
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }


def python(env: dict[str, str], code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def pulsetui(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulsetui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def open_report(home: Path, env: dict[str, str]) -> dict[str, Any]:
    """What the next start finds, in a simulated process."""
    done = python(env, REPORT, str(home))
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    assert report["linux_only"] == [], "the simulation is not active"
    return report


def make_demo(home: Path, env: dict[str, str]) -> None:
    made = pulsetui(env, "--home", str(home), "demo")
    assert made.returncode == 0, made.stderr


# ---- the functions, in this process ------------------------------------------------------


def test_durable_writes_use_f_fullfsync_where_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    calls: list[str] = []
    refuse = False

    def fake_fcntl(fd: int, cmd: int, arg: int = 0) -> int:
        assert cmd == 51
        calls.append("F_FULLFSYNC")
        if refuse:
            raise OSError(45, "Operation not supported")
        return 0

    monkeypatch.setattr(fsutil, "_full_fsync", lambda: 51)
    monkeypatch.setattr(fcntl, "fcntl", fake_fcntl)
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append("fsync"))
    monkeypatch.setattr(os, "fdatasync", lambda fd: calls.append("fdatasync"), raising=False)
    with open(tmp_path / "f", "wb") as handle:
        fsutil.sync_to_disk(handle.fileno())
        assert calls == ["F_FULLFSYNC"]
        refuse = True  # a file system that refuses it gets fsync
        fsutil.sync_to_disk(handle.fileno())
        assert calls == ["F_FULLFSYNC", "F_FULLFSYNC", "fsync"]
        calls.clear()
        monkeypatch.setattr(fsutil, "_full_fsync", lambda: None)  # Linux
        fsutil.sync_to_disk(handle.fileno())
        assert calls == ["fdatasync"]
        calls.clear()
        monkeypatch.delattr(os, "fdatasync")  # a BSD
        fsutil.sync_to_disk(handle.fileno())
        assert calls == ["fsync"]


def test_a_checkpoint_without_copy_file_range_writes_the_same_bytes(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace.open(home, me="Mikko")
    client = ws.add("client", name="Bäckerei ж 😀")
    for n in range(60):
        ws.add("meeting", client=client.uid, date=f"2026-10-{n % 28 + 1:02d}", notes="n" * n)
    ws.close()
    ws = Workspace.open(home)  # the meetings stay in the file, to be copied
    try:
        assert ws.store.view.tables["meeting"].lazy
        ws.update("client", client.uid, notes="changed")
        ws.store.checkpoint(background=False)
        with_kernel_copy = (home / VIEW_NAME).read_bytes()
        monkeypatch.delattr(os, "copy_file_range", raising=False)
        ws.store.checkpoint(background=False)
        assert (home / VIEW_NAME).read_bytes() == with_kernel_copy
    finally:
        ws.close()
    view, meta = viewfile.load(home / VIEW_NAME)
    assert view.count("meeting") == 60 and meta["journal_offset"] > 0


def test_the_background_checkpoint_never_forks_the_app(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise AssertionError("the app's process was forked")

    monkeypatch.setattr(os, "fork", no_fork)
    ws = Workspace.open(home, me="Mikko")
    ws.close()
    ws = Workspace.open(home)
    for n in range(30):
        ws.add("client", name=f"Client {n}")
    ws.store.checkpoint(background=True)
    child = ws.store._child
    assert child is not None and child.pid != os.getpid()
    ws.store._reap_child(block=True)
    assert child.returncode == 0 and not ws.store.dirty
    ws.close(checkpoint="never")
    again = Workspace.open(home, readonly=True)
    assert again.store.report.view == "loaded" and again.store.report.replayed_ops == 0
    assert again.count("client") == 30


# ---- the real command, simulated macOS -----------------------------------------------------


def test_cli_edit_exits_0_and_leaves_the_view_current(
    tmp_path: Path, macos_env: dict[str, str]
) -> None:
    home = tmp_path / "ws"
    make_demo(home, macos_env)
    # saves the view does not cover yet: the next command writes it when it closes
    done = python(macos_env, SAVES_WITHOUT_CHECKPOINT, str(home), "1000")
    assert done.returncode == 0, done.stderr
    assert open_report(home, macos_env)["replayed_ops"] >= 1000

    edit = pulsetui(macos_env, "--home", str(home), "client", "add", "--name", "Mac Oy ä")
    assert (edit.returncode, edit.stderr) == (0, "")
    after = open_report(home, macos_env)
    assert after["view"] == "loaded"
    assert after["replayed_ops"] == 0  # the command's close wrote the view
    assert "Mac Oy ä" in after["clients"] and "Unsaved view 999" in after["clients"]

    # the next edit is replayed alone at the next start (small commands leave the
    # view as it is): never a growing tail
    second = pulsetui(macos_env, "--home", str(home), "client", "add", "--name", "Second Oy")
    assert (second.returncode, second.stderr) == (0, "")
    assert open_report(home, macos_env)["replayed_ops"] == 1


class Terminal:
    """The real ``pulsetui`` in a tmux session at 100×30, on a tmux server of its own
    (tests side by side on one server race when its last session ends). The app draws
    on stderr, so what it prints after quitting stays on screen; the exit code lands in
    a file."""

    def __init__(self, home: Path, env: dict[str, str], rc: Path) -> None:
        assert TMUX is not None
        self.name = f"pulsetui-macos-{uuid.uuid4().hex[:8]}"
        self.rc = rc
        exports = " ".join(
            f"{key}={env[key]}"
            for key in (
                "PULSETUI_SIMULATE_MACOS",
                "PYTHONPATH",
                "PULSETUI_CONFIG",
                "PULSETUI_NOW",
                "HOME",
                "TERM",
                "LANG",
            )
        )
        # the shell stays, so whatever the app printed on its way out can be read
        command = f"env {exports} {PULSETUI} --home {home}; echo $? >{rc}; exec cat"
        subprocess.run(
            [
                TMUX,
                "-L",
                self.name,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "100",
                "-y",
                "30",
                command,
            ],
            check=True,
        )

    def keys(self, *keys: str) -> None:
        assert TMUX is not None
        subprocess.run([TMUX, "-L", self.name, "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        assert TMUX is not None
        subprocess.run(
            [TMUX, "-L", self.name, "send-keys", "-t", self.name, "-l", text], check=True
        )

    def screen(self) -> str:
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "-L", self.name, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
        ).stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen():
            assert time.monotonic() < deadline, f"{text!r} not on screen:\n{self.screen()}"
            time.sleep(0.1)

    def exit_code(self, timeout: float = 60.0) -> int:
        deadline = time.monotonic() + timeout
        while not self.rc.exists() or not self.rc.read_text().strip():
            assert time.monotonic() < deadline, f"the app did not quit:\n{self.screen()}"
            time.sleep(0.1)
        return int(self.rc.read_text())

    def kill(self) -> None:
        assert TMUX is not None
        subprocess.run([TMUX, "-L", self.name, "kill-server"], capture_output=True)
        socket_file(self.name).unlink(missing_ok=True)


@pytest.mark.slow
def test_app_edit_quits_0_and_the_next_start_replays_nothing(
    tmp_path: Path, macos_env: dict[str, str]
) -> None:
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    home = tmp_path / "ws"
    make_demo(home, macos_env)
    before = open_report(home, macos_env)
    terminal = Terminal(home, macos_env, tmp_path / "rc")
    try:
        terminal.wait_for("Today")
        terminal.keys("c")  # consultants, then a pulse with the first of them
        terminal.wait_for("Wellbeing")
        terminal.keys("p")
        terminal.wait_for("saved when you type")
        terminal.type("4")  # wellbeing 4, saved as it is typed
        terminal.wait_for("saved 10:00:00")
        terminal.keys("Escape")
        terminal.wait_for("Consultant")
        terminal.keys("q")
        code = terminal.exit_code()
        left_on_screen = terminal.screen()
    finally:
        terminal.kill()
    assert code == 0, left_on_screen
    assert left_on_screen.strip() == ""  # no "unexpected error", no traceback
    after = open_report(home, macos_env)
    assert after["view"] == "loaded" and after["replayed_ops"] == 0
    assert len(after["pulses"]) == len(before["pulses"]) + 1
    assert sorted(after["pulses"], key=str) == sorted([*before["pulses"], 4], key=str)

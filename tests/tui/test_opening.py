"""The app draws its first frame before its workspace is open (``tui/opening.py``):
Today's rows come from the snapshot of the manager who signs in there, keys typed
meanwhile are acted on once it is open, nobody else's Today is ever shown, an error
opening it ends the app with the command line's message and exit code, and the
workspace is closed however the app ends. The opening is held back here with a gate,
as a large workspace on a busy machine holds it."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import wait_for
from tests.tui.test_shell import screen_text
from textual.widgets import DataTable

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.config import Config
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today_snapshot import refresh_today
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp
from pulsetui.tui.opening import Opening, opening_for
from pulsetui.tui.screens.consultants import ConsultantsScreen
from pulsetui.tui.screens.today import TodayScreen

Gated = Callable[..., tuple[Opening, threading.Event]]


def keep_last_today(home: Path) -> str:
    """Today as the manager left it (their snapshot); the text of its first row."""
    with Workspace.open(home, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        view = refresh_today(ws, Audience.manager(ws.me))
    return next(item.what for section in view.sections for item in section.items)


@pytest.fixture
def gated(tui_home: Path) -> Iterator[Gated]:
    """``gated(as_name=None, me=...)``: an opening of the demo workspace that waits for
    its gate (``me``: who the opening expects, as a start read it from the files)."""
    made: list[tuple[Opening, threading.Event]] = []

    def make(as_name: str | None = None, **fields: Any) -> tuple[Opening, threading.Event]:
        gate = threading.Event()

        def open_workspace() -> Workspace:
            gate.wait(60)
            return Workspace.open(
                tui_home, me=as_name, config=Config(), clock=lambda: FROZEN_NOW, app=True
            )

        opening = opening_for(tui_home, as_name, open_workspace)
        for name, value in fields.items():
            setattr(opening, name, value)
        made.append((opening, gate))
        return opening, gate

    yield make
    for opening, gate in made:
        gate.set()
        ws = opening.wait()
        if ws is not None:
            ws.close(checkpoint="never")


def table_text(app: PulseApp) -> str:
    return screen_text(app) if app.screen.query(DataTable) else ""


async def test_the_first_frame_shows_the_last_today_and_keys_wait_for_the_workspace(
    tui_home: Path, gated: Gated
) -> None:
    first_row = keep_last_today(tui_home)
    opening, gate = gated()
    assert opening.snapshot is not None
    app = PulseApp(opening=opening, sync=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.is_open
        shown = screen_text(app)
        assert "need you" in shown and first_row in shown  # before any record is read
        await pilot.press("c", "j")  # Consultants, then down: typed while it opens
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)  # held, not lost
        gate.set()
        await wait_for(lambda: isinstance(app.screen, ConsultantsScreen), pilot)
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: table.row_count > 0 and table.cursor_row == 1, pilot)
        assert app.is_open and app.workspace.me == opening.me


async def test_without_a_snapshot_the_first_frame_is_empty_until_today_is_read(
    tui_home: Path, gated: Gated
) -> None:
    """``--as`` names someone: who that is is known only once the workspace is open, so
    no snapshot is shown before — not even the workspace owner's."""
    first_row = keep_last_today(tui_home)
    opening, gate = gated(as_name="Pekka Virtanen")
    assert opening.snapshot is None
    app = PulseApp(opening=opening, sync=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Loading…" in screen_text(app)
        assert first_row not in screen_text(app)
        gate.set()
        today = app.screen
        assert isinstance(today, TodayScreen)
        await wait_for(lambda: today.is_ready, pilot)
        assert app.workspace.me_name == "Pekka Virtanen"
        assert first_row not in screen_text(app)  # their Today: none of Liisa's agreements


async def test_a_snapshot_of_someone_else_than_who_signed_in_goes_at_once(
    tui_home: Path, gated: Gated
) -> None:
    """The files said the snapshot's manager would sign in; the workspace signed in
    someone else: their rows are off the screen the moment it is open, before any
    other frame, and Today is then read for who did sign in."""
    first_row = keep_last_today(tui_home)
    expected = gated()[0]
    opening, gate = gated(as_name="Pekka Virtanen", me=expected.me, snapshot=expected.snapshot)
    app = PulseApp(opening=opening, sync=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert first_row in screen_text(app)  # what the files promised
        today = app.screen
        assert isinstance(today, TodayScreen)
        on_opening: list[str] = []
        told = today.workspace_opened

        def opened() -> None:
            told()
            on_opening.append(screen_text(app))

        today.workspace_opened = opened  # type: ignore[method-assign]
        gate.set()
        await wait_for(lambda: today.is_ready, pilot)
        assert on_opening and first_row not in on_opening[0]
        assert app.workspace.me_name == "Pekka Virtanen"
        assert first_row not in screen_text(app)


async def test_quitting_while_the_workspace_opens_quits_once_it_is_open(
    tui_home: Path, gated: Gated
) -> None:
    opening, gate = gated()
    app = PulseApp(opening=opening, sync=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        gate.set()
        await wait_for(lambda: not app.is_running, pilot)
    ws = opening.wait()
    assert ws is not None
    ws.close()
    with Workspace.open(tui_home, config=Config(), app=True) as again:  # the lock is free
        assert again.me == ws.me


def test_an_error_opening_the_workspace_ends_the_app_and_reaches_the_caller(
    tui_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from functools import partialmethod

    from textual.app import App

    from pulsetui.tui.running import run_app

    def broken() -> Config:
        raise InvalidInput.one("ui.theme", "is not a theme of the app")

    monkeypatch.setattr(PulseApp, "run", partialmethod(App.run, headless=True))
    with pytest.raises(InvalidInput, match="theme"):
        run_app(tui_home, None, broken)
    with Workspace.open(tui_home, config=Config(), app=True):  # nothing left open
        pass


# ---- in a real terminal ----------------------------------------------------------------


def in_a_terminal(args: list[str], env: dict[str, str], keys: bytes = b"") -> tuple[int, str]:
    """Run ``args`` on a pseudo-terminal of 80×24; its exit code and all it wrote."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    written = b""
    deadline = time.monotonic() + 120
    sent = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:  # the terminal's other side closed: the process ended
                    break
                if not chunk:
                    break
                written += chunk
            if keys and not sent and b"Today" in written:
                os.write(master, keys)
                sent = True
            if process.poll() is not None and not ready:
                break
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return code, written.decode("utf-8", "replace")


@pytest.fixture
def command_env(tui_home: Path, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSETUI_")}
    env.update(
        TERM="xterm-256color",
        PULSETUI_NOW=FROZEN_NOW.isoformat(),
        PULSETUI_CONFIG=str(tmp_path / "config.toml"),
    )
    return env


def test_a_broken_config_is_reported_as_before_with_exit_code_2(
    tui_home: Path, tmp_path: Path, command_env: dict[str, str]
) -> None:
    (tmp_path / "config.toml").write_text('[ui]\ntheme = "no-such-theme"\n')
    code, written = in_a_terminal(
        [sys.executable, "-m", "pulsetui", "--home", str(tui_home)], command_env
    )
    assert code == 2
    assert "pulsetui: invalid" in written and "theme" in written
    assert "Traceback" not in written


def test_the_app_opens_and_quits_in_a_terminal_with_exit_code_0(
    tui_home: Path, command_env: dict[str, str]
) -> None:
    keep_last_today(tui_home)
    code, written = in_a_terminal(
        [sys.executable, "-m", "pulsetui", f"--home={tui_home}"], command_env, keys=b"q"
    )
    assert code == 0, written[-2000:]
    assert "need you" in written
    with Workspace.open(tui_home, config=Config(), app=True):  # closed, lock free
        pass

"""An app stopped by an error ends the process with a non-zero code (its traceback
printed), and the workspace it held is closed: it opens again at once."""

from __future__ import annotations

from functools import partialmethod
from pathlib import Path

import pytest
from textual.app import App

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp
from pulsetui.tui.running import run_app


def test_an_app_stopped_by_an_error_exits_non_zero(
    tui_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(self: PulseApp) -> None:
        raise RuntimeError("boom while starting")

    monkeypatch.setattr(PulseApp, "run", partialmethod(App.run, headless=True))
    monkeypatch.setattr(PulseApp, "on_ready", boom, raising=False)
    with pytest.raises(SystemExit) as stopped:
        run_app(tui_home, None, Config())
    assert stopped.value.code == 1
    assert "boom while starting" in capsys.readouterr().err
    with Workspace.open(tui_home, config=Config(), app=True) as ws:  # the lock is free
        assert ws.my_clients()


def test_a_quit_app_exits_with_nothing_raised(
    tui_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def leave(self: PulseApp) -> None:
        self.exit()

    monkeypatch.setattr(PulseApp, "run", partialmethod(App.run, headless=True))
    monkeypatch.setattr(PulseApp, "on_ready", leave, raising=False)
    run_app(tui_home, None, Config())

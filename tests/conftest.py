"""Shared fixtures: a temporary workspace with a frozen clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

FROZEN_NOW = dt.datetime(2026, 11, 20, 10, 0, 0)


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own config, workspace or identity."""
    monkeypatch.setenv("PULSETUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("PULSETUI_HOME", raising=False)
    monkeypatch.delenv("PULSETUI_SHARED", raising=False)
    monkeypatch.setenv("PULSETUI_ME", "Test Manager")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def ws(home: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(home, me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW)
    yield workspace
    workspace.close()

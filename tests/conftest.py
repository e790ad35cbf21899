"""Shared fixtures: a temporary workspace with a frozen clock; and, with
``PULSETUI_SIMULATE_MACOS=1``, the macOS simulation of ``tests/macos`` in this process
(before pulsetui is imported) and in every process the tests start."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

MACOS_SIMULATION = Path(__file__).resolve().parent / "macos"

if os.environ.get("PULSETUI_SIMULATE_MACOS") == "1":
    _spec = importlib.util.spec_from_file_location(
        "pulsetui_macos_simulation", MACOS_SIMULATION / "sitecustomize.py"
    )
    assert _spec is not None and _spec.loader is not None
    _spec.loader.exec_module(importlib.util.module_from_spec(_spec))
    _paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(MACOS_SIMULATION) not in _paths:
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(MACOS_SIMULATION), *_paths]))

import pytest  # noqa: E402 - the simulation comes first

from pulsetui.service.config import Config  # noqa: E402
from pulsetui.service.workspace import Workspace  # noqa: E402

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

"""Fixtures for the TUI tests: a demo workspace in a temporary folder, a frozen clock
(2026-11-20 10:00), and an app factory shared with the command line (``make_app``).

``tui_home``      the workspace folder (demo data, signed in as the demo manager)
``tui_ws``        the open Workspace on it (closed after the test)
``make_tui_app``  ``make_tui_app(**options)`` -> PulseApp on ``tui_ws``, sync off
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

FROZEN_NOW = dt.datetime(2026, 11, 20, 10, 0, 0)
DEMO_TODAY = dt.date(2026, 11, 20)
DEMO_SEED = 7
FALLBACK_MANAGER = "Anna Virtanen"


def _demo_builder() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("pulsetui.service.demo")
    except ModuleNotFoundError:
        return None
    return getattr(module, "create_demo", None)


def build_small_workspace(ws: Workspace) -> None:
    """A small fixed portfolio for when the demo builder is not available."""
    today = ws.today()
    day = dt.timedelta(days=1)
    aino = ws.add("consultant", name="Aino Mäkelä", manager=ws.me)
    ws.add("consultant", name="Jüri Tamm", manager=ws.me)
    ws.add_pulse(aino.uid, date=today - 50 * day, wellbeing=3)
    acme = ws.add("client", name="Acme Oy", manager=ws.me, cadence="monthly")
    bolt = ws.add("client", name="Bolt [bold]Labs[/bold] 🚀", manager=ws.me)
    ws.add_agreement(acme.uid, "Send the roadmap", side="us", owner="Anna", due=today - 3 * day)
    ws.add_agreement(bolt.uid, "Approve the hours \x1b[31m", side="client", due=today + 2 * day)
    ws.add_nps(acme.uid, score=9, reason="fast", contact="Mikko")
    ws.add_nps(bolt.uid, score=4, reason="slow invoices", contact="Liis")


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    return FROZEN_NOW


@pytest.fixture
def tui_home(tmp_path: Path, frozen_clock: dt.datetime) -> Path:
    home = tmp_path / "workspace"
    create_demo = _demo_builder()
    if create_demo is not None:
        create_demo(home, today=DEMO_TODAY, seed=DEMO_SEED)
    else:
        ws = Workspace.open(home, me=FALLBACK_MANAGER, config=Config(), clock=lambda: FROZEN_NOW)
        try:
            build_small_workspace(ws)
        finally:
            ws.close()
    return home


@pytest.fixture
def tui_ws(tui_home: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tui_home, config=Config(), clock=lambda: FROZEN_NOW)
    yield ws
    ws.close(checkpoint="never")


@pytest.fixture
def make_tui_app(tui_ws: Workspace) -> Callable[..., Any]:
    from pulsetui.tui.app import make_app

    def factory(**options: Any) -> Any:
        options.setdefault("sync", False)
        return make_app(tui_ws, **options)

    return factory

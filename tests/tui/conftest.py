"""Fixtures for the TUI tests: a demo workspace in a temporary folder, a frozen clock
(2026-11-20 10:00), and an app factory shared with the command line (``make_app``).

``demo_template`` the demo workspace, built once per test run (never opened by a test)
``tui_home``      a copy of it for one test (demo data, signed in as the demo manager)
``tui_ws``        the open Workspace on it (closed after the test)
``make_tui_app``  ``make_tui_app(**options)`` -> PulseApp on ``tui_ws``, sync off
"""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.notifications import Notification, Notifications
from textual.widgets import TextArea

from pulsetui.service.config import Config
from pulsetui.service.demo import create_demo
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp, make_app

FROZEN_NOW = dt.datetime(2026, 11, 20, 10, 0, 0)
DEMO_TODAY = dt.date(2026, 11, 20)
DEMO_SEED = 7


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    return FROZEN_NOW


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Building the demo takes seconds; it is the same every time (fixed day and seed),
    so it is built once and each test gets a copy."""
    home = tmp_path_factory.mktemp("demo-template") / "workspace"
    create_demo(home, today=DEMO_TODAY, seed=DEMO_SEED)
    return home


@pytest.fixture
def tui_home(tmp_path: Path, frozen_clock: dt.datetime, demo_template: Path) -> Path:
    home = tmp_path / "workspace"
    shutil.copytree(demo_template, home, symlinks=True)
    return home


@pytest.fixture
def tui_ws(tui_home: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tui_home, config=Config(), clock=lambda: FROZEN_NOW)
    yield ws
    ws.close(checkpoint="never")


@pytest.fixture
def make_tui_app(tui_ws: Workspace) -> Callable[..., PulseApp]:
    def factory(**options: Any) -> PulseApp:
        options.setdefault("sync", False)
        return make_app(tui_ws, **options)

    return factory


def hold_cursors_still(screen: Any) -> None:
    """Draw every text cursor on ``screen`` steadily, not blinking, so a screenshot is
    the same at any moment. A TextArea keeps the lines it drew in a cache whose key
    leaves the cursor out once blinking is off: a line drawn in a blink's off phase
    (a busy machine reaches one) would be reused without its cursor, so the cache
    is emptied."""
    for field in screen.query("Input, TextArea"):
        field.cursor_blink = False
        if isinstance(field, TextArea):
            field._line_cache.clear()
            field.refresh()


@pytest.fixture(autouse=True)
def notices_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every notification an app raises is also kept in ``raised`` on its collection
    (read with ``screen_harness.raised``): a notice leaves the screen after its few
    seconds, and a busy machine can take longer than that to get to the check."""
    add = Notifications.add

    def keep(self: Notifications, notification: Notification) -> Notifications:
        self.__dict__.setdefault("raised", []).append(notification)
        return add(self, notification)

    monkeypatch.setattr(Notifications, "add", keep)


@pytest.fixture
def snap_compare(snap_compare: Any) -> Callable[..., bool]:
    """The plugin's ``snap_compare`` with the text cursors held still and the screen
    settled: however slow the machine, the screenshot shows a focused field's cursor
    (never a blink's off phase) and every change laid out (never a text set a moment
    ago in the room its old text took)."""
    from tests.tui.screen_harness import settle

    def compare(app: Any, *args: Any, run_before: Any = None, **options: Any) -> bool:
        async def before(pilot: Any) -> None:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            hold_cursors_still(pilot.app.screen)
            await settle(pilot.app, pilot)

        return bool(snap_compare(app, *args, run_before=before, **options))

    return compare

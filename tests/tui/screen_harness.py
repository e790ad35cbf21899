"""The app for driving one screen in pilot tests: a PulseApp (so what screens reach
through ``self.pulse_app`` is the real thing: workspace, call mode, the client in view,
the data version, confirm, open_record) that opens on a blank screen with the screen
under test on top, without the sections and the global keys, so a test drives that
screen alone. Sync is off."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.screen import Screen

from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp


class ScreenHarness(PulseApp, inherit_bindings=False):
    TITLE = "ScreenHarness"  # the screen snapshots show the harness by this name
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {"today": Screen}
    BINDINGS: ClassVar[list[BindingType]] = list(App.BINDINGS)  # Textual's own only

    def __init__(self, workspace: Workspace, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__(workspace, sync=False)
        self.sub_title = ""
        self._make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())


async def wait_for(condition: Callable[[], Any], pilot: Any, timeout: float = 30.0) -> float:
    """Poll ``condition`` while the app runs; returns the seconds it took. Fails after
    ``timeout`` seconds: a limit for a condition that never comes, long enough that a
    busy machine (autosave and workers queued behind other processes) never hits it."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.05)
        await asyncio.sleep(0)
    return time.monotonic() - start


async def settle(app: Any, pilot: Any) -> None:
    """Every worker done (a list read in a thread) and its result on screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()

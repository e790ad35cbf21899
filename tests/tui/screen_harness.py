"""A minimal app for driving one section screen in pilot tests: it offers what the real
app offers screens (workspace, call_mode, sync_summary, confirm, notify_saved)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen

from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.base import stylesheet


class ScreenHarness(App[None]):
    CSS_PATH = stylesheet("app.tcss")
    call_mode: reactive[bool] = reactive(False)
    sync_summary: reactive[str] = reactive("sync off")

    def __init__(self, workspace: Workspace, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.workspace = workspace
        self._make_screen = make_screen
        self.saved_notices = 0

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())

    def confirm(self, question: str, then: Callable[[], Any], yes: str = "Yes") -> None:
        from pulsetui.tui.screens.confirm import ConfirmModal

        def answered(ok: Any) -> None:
            if ok:
                then()

        self.push_screen(ConfirmModal(question, yes=yes), answered)

    def notify_saved(self) -> None:
        self.saved_notices += 1


async def wait_for(condition: Callable[[], Any], pilot: Any, timeout: float = 3.0) -> float:
    """Poll ``condition`` while the app runs; returns the seconds it took (fails on timeout)."""
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

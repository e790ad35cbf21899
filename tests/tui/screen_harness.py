"""The app for driving one screen in pilot tests: a PulseApp (so what screens reach
through ``self.pulse_app`` is the real thing: workspace, call mode, the client in view,
the data version, confirm, open_record) that opens on a blank screen with the screen
under test on top, without the sections and the global keys, so a test drives that
screen alone. Sync is off."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

from textual.app import App, ScreenStackError
from textual.binding import BindingType
from textual.css.query import NoMatches
from textual.notifications import Notification
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
    busy machine (autosave and workers queued behind other processes) never hits it.
    A condition reading a widget not mounted yet is not met yet, and none is met while
    the screen on top is still mounting: a screen pushed is on top at once, its widgets
    a moment later (on a busy machine, a test's next query could fall in between)."""
    start = time.monotonic()

    def met() -> bool:
        try:
            return bool(condition()) and top_mounted(pilot.app)
        except NoMatches:  # a widget it reads is not mounted yet
            return False

    while not met():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.05)
        await asyncio.sleep(0)
    return time.monotonic() - start


def top_mounted(app: App[Any]) -> bool:
    """Whether the screen on top has finished mounting (True when there is none)."""
    try:
        return app.screen.is_mounted
    except ScreenStackError:
        return True


def busy(app: App[Any]) -> bool:
    """Whether the app still has keys or messages to handle or a worker running (keys
    held for a screen still mounting count: they are handed on once it has mounted)."""
    if not app.is_running:
        return False
    if getattr(app, "_held", None):
        return True
    if any(worker.is_running for worker in app.workers):
        return True
    try:
        nodes = [app, *app.screen.walk_children(with_self=True)]
    except Exception:  # no screen: the app is closing
        return False
    return any(node._message_queue.qsize() for node in nodes)


async def handled(app: App[Any], timeout: float = 60.0) -> None:
    """Until every key typed is handled (or the app has quit)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet = 0
    while quiet < 3:  # idle three checks in a row: nothing left that makes more work
        assert loop.time() < deadline, f"still busy after {timeout} s"
        quiet = 0 if busy(app) else quiet + 1
        await asyncio.sleep(0.01)


async def stopped(app: PulseApp, timeout: float = 60.0) -> None:
    """Wait until the app has stopped (quit by a key, or by exit()): what quitting
    saves is saved. Leaving ``run_test`` before that would cut the quit short."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while app.is_running:
        assert loop.time() < deadline, f"the app did not stop within {timeout} s"
        await asyncio.sleep(0.02)


def palette_answered(app: Any, typed: str) -> bool:
    """The command palette shows every provider's answer to ``typed``: the text is in
    its input, the change has reached the palette (no message waiting on the way from
    the input up to the palette, which starts a search on it) and no search is still
    gathering."""
    from textual.command import CommandInput, CommandPalette

    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return False
    field = palette.query_one(CommandInput)
    if field.value != typed:
        return False
    on_the_way = []
    node = field
    while node is not None and node is not palette:
        on_the_way.append(node)
        node = node.parent
    if any(node._message_queue.qsize() for node in [*on_the_way, palette]):
        return False
    group = CommandPalette._GATHER_COMMANDS_GROUP
    return all(worker.is_finished for worker in app.workers if worker.group == group)


def raised(app: App[Any]) -> list[Notification]:
    """Every notification ``app`` raised, in order, also those whose time on screen is
    over (kept by the ``notices_kept`` fixture of tests/tui/conftest.py)."""
    return list(app._notifications.__dict__.get("raised", []))


def drawing(app: App[Any]) -> bool:
    """Whether a change is still on its way to the screen: a widget whose text changed
    and is not laid out or painted again yet (a summary that now takes two lines), or a
    callback waiting for the screen's next refresh (a list focused once it is shown)."""
    if not app.is_running:
        return False
    if app._batch_count:
        return True
    try:
        screen = app.screen
        widgets = list(screen.walk_children())
    except Exception:  # no screen: the app is closing
        return False
    if screen._layout_required or screen._repaint_required or screen._dirty_widgets:
        return True
    if screen._callbacks or screen._scroll_required or screen._recompose_required:
        return True
    return any(
        w._layout_required or w._repaint_required or w._refresh_styles_required for w in widgets
    )


async def settle(app: Any, pilot: Any, timeout: float = 60.0) -> None:
    """Every worker done (a list read in a thread), every message it sent handled and
    what it changed drawn: until nothing is left three checks in a row (a result may
    start more work, and a text set makes a layout that comes a message later)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet = 0
    while quiet < 3:
        assert loop.time() < deadline, f"still busy after {timeout} s"
        await pilot.pause()
        await app.workers.wait_for_complete()
        quiet = 0 if busy(app) or drawing(app) else quiet + 1


@contextlib.asynccontextmanager
async def settled(
    make_app: Callable[[], PulseApp], size: tuple[int, int] = (80, 24)
) -> AsyncIterator[tuple[PulseApp, Any]]:
    """The app made by ``make_app``, running at ``size`` with its first screen settled:
    (app, pilot)."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot

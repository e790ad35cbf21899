"""Opening the workspace while the app already shows its first frame.

A start draws the app at once, with Today's rows from its snapshot when there is one
(:func:`pulsetui.service.views.today_snapshot.snapshot_at_start`), and opens the
workspace meanwhile in a thread: that is where the record models, the store and the
service are imported and the view file is read. Keys typed before it is open wait
(``ClosingAwareApp.hold_keys_until_ready``) and are acted on once it is; quitting
before then waits for the opening to end and closes the workspace again.

An :class:`Opening` is what the app is given instead of an open workspace: the
function that opens it, who signs in and their snapshot, and the configured theme
(read from the config file without validating it, so the first frame has its colours;
the validated config applies once the workspace is open)."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pulsetui.service.paths import config_path
from pulsetui.service.views.today_snapshot import snapshot_at_start

if TYPE_CHECKING:
    from pulsetui.service.views.today_model import TodayView
    from pulsetui.service.workspace import Workspace


class WorkspaceNotOpen(RuntimeError):
    """The app was asked for its workspace before it was open."""


@dataclass
class Opening:
    """A workspace being opened in a thread for the app."""

    open: Callable[[], Workspace]
    me: str | None = None  # who signs in, when known before opening
    snapshot: TodayView | None = None  # their last Today, shown until it is read again
    theme: str | None = None  # the configured theme, unvalidated
    _thread: threading.Thread | None = field(default=None, repr=False)
    _workspace: Workspace | None = field(default=None, repr=False)
    _error: BaseException | None = field(default=None, repr=False)

    def start(self, done: Callable[[], None]) -> None:
        """Open the workspace in a thread; ``done()`` is called from that thread when
        it is open or the opening failed."""
        if self._thread is not None:
            return

        def run() -> None:
            try:
                self._workspace = self.open()
            except BaseException as exc:  # handed to the app, and then to the command
                self._error = exc
            done()

        self._thread = threading.Thread(target=run, name="pulsetui-open", daemon=True)
        self._thread.start()

    @property
    def error(self) -> BaseException | None:
        return self._error

    @property
    def workspace(self) -> Workspace | None:
        """The open workspace (None while opening, or when it failed)."""
        return self._workspace

    def wait(self) -> Workspace | None:
        """Wait for a started opening to end; the workspace if it opened."""
        if self._thread is not None:
            self._thread.join()
        return self._workspace


def opening_for(home: Path, as_name: str | None, open: Callable[[], Workspace]) -> Opening:
    """An opening of the workspace at ``home`` by ``open``: with the snapshot of Today
    of the manager who signs in there when no name is given (``--as`` names someone:
    no snapshot until the workspace says who that is) and the configured theme."""
    start = snapshot_at_start(home) if as_name is None else None
    me, snapshot = start if start is not None else (None, None)
    return Opening(open, me=me, snapshot=snapshot, theme=configured_theme())


def configured_theme() -> str | None:
    """``[ui] theme`` of the config file, unvalidated; None when there is none or the
    file cannot be read (the workspace's opening reports a broken file)."""
    try:
        with open(config_path(), "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, ValueError):
        return None
    ui = data.get("ui")
    theme = ui.get("theme") if isinstance(ui, dict) else None
    return theme if isinstance(theme, str) else None

"""Running the terminal apps from the command line: the manager's app, its first frame
drawn while the workspace opens (:mod:`pulsetui.tui.opening`), and the anonymous eNPS
entry app; the workspace is closed when the app ends, and an app stopped by an error
ends the process with a non-zero code."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from pulsetui.tui import whole_paste
from pulsetui.tui.app import PulseApp

if TYPE_CHECKING:
    from pulsetui.service.config import Config
    from pulsetui.service.workspace import Workspace


# What the sections and the pages most opened read their data with and are drawn with,
# and the search the palette warms up: imported in the opening's thread (as the
# workspace's own modules are), while the first frame is on screen and keys wait for the
# workspace. The screens then open without importing on the UI thread, and no two
# threads import the same modules at the same time.
PRELOADED = (
    "pulsetui.service.views.today",
    "pulsetui.service.views.consultants",
    "pulsetui.service.views.clients",
    "pulsetui.service.views.agreements",
    "pulsetui.service.views.client_page",
    "pulsetui.service.search",
    "pulsetui.tui.screens.consultants",
    "pulsetui.tui.screens.clients",
    "pulsetui.tui.screens.agreements",
    "pulsetui.tui.screens.client_page",
    "pulsetui.tui.screens.pulse_form",
)


def preload() -> None:
    """Import :data:`PRELOADED` (in the opening's thread)."""
    for name in PRELOADED:
        importlib.import_module(name)


def run_app(home: Path, as_name: str | None, config: Config | Callable[[], Config]) -> None:
    """The app on the workspace at ``home``: its first frame at once (with Today's
    snapshot), the workspace opened meanwhile in a thread (``config`` may be read and
    checked there too), and closed when the app ends. An error opening it is raised
    here, once the terminal is back, for the command line to report."""
    from pulsetui.tui.opening import opening_for

    def open_workspace() -> Workspace:
        from pulsetui.service.workspace import Workspace

        ws = Workspace.open(
            home, me=as_name, config=config() if callable(config) else config, app=True
        )
        ws.store.verify_in_background()  # the view file's records, checked off the UI thread
        preload()
        return ws

    opening = opening_for(home, as_name, open_workspace)
    app = PulseApp(opening=opening)
    whole_paste.install()
    try:
        app.run()
    finally:
        ws = opening.wait()
        if ws is not None:
            ws.close()
    if opening.error is not None:
        raise opening.error
    exit_with(app)


def exit_with(app: App[Any]) -> None:
    """An app stopped by an error (its traceback printed) ends the process with its
    non-zero code, so a script or a shell sees it failed."""
    if app.return_code:
        raise SystemExit(app.return_code)


def make_enps_app(workspace: Workspace, **options: Any) -> App[None]:
    """The minimal anonymous eNPS entry app (``pulsetui enps``)."""
    from pulsetui.tui.screens.enps import EnpsApp

    return EnpsApp(workspace, **options)


def run_enps(home: Path, as_name: str | None, config: Config, round: str | None = None) -> None:
    from pulsetui.service.workspace import Workspace

    ws = Workspace.open(home, me=as_name, config=config)
    app = make_enps_app(ws, round=round)
    whole_paste.install()
    try:
        app.run()
    finally:
        ws.close()
    exit_with(app)

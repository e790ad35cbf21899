"""``pulsetui`` with no command, started without loading the command line: the
options that may come before it (``--home``, ``--as``, ``--shared``, and their
environment variables) are read here, and the app is started on a workspace still
to be opened (:func:`pulsetui.tui.running.run_app`), so its first frame is drawn before
the record models, the store and the command modules are imported.

Anything else (a command, ``--help``, ``--version``, an option given twice or with an
odd value, shell completion, no terminal) is left to the command line
(:mod:`pulsetui.cli.main`), which says what is wrong exactly as before. Errors opening
the workspace are reported by it too, with the same messages and exit codes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pulsetui.service.paths import resolve_home

if TYPE_CHECKING:
    from pulsetui.service.config import Config

COMPLETE_VAR = "_PULSETUI_COMPLETE"  # set by the shell asking for completions
# the global options of the ``pulsetui`` group, and their environment variables
OPTIONS = {"--home": "PULSETUI_HOME", "--as": None, "--shared": "PULSETUI_SHARED"}


def app_options(argv: list[str]) -> dict[str, str | None] | None:
    """The options of ``argv`` when it opens the app and nothing else, with their
    environment variables; None when the command line must read it."""
    given: dict[str, str] = {}
    rest = list(argv)
    while rest:
        name, equals, value = rest.pop(0).partition("=")
        if name not in OPTIONS or name in given:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None
        given[name] = value
    options: dict[str, str | None] = {}
    for name, env in OPTIONS.items():
        if name in given:
            options[name] = given[name]
        elif env is not None and env in os.environ:
            if not os.environ[env]:
                return None  # an empty variable: as the command line reads it
            options[name] = os.environ[env]
        else:
            options[name] = None
    home = options["--home"]
    if home is not None and Path(home).exists() and not Path(home).is_dir():
        return None  # the command line says it is a file
    return options


def on_a_terminal() -> bool:
    """The app needs a terminal (or ``pulsetui serve``'s browser)."""
    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return True
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def quick_start(argv: list[str]) -> bool:
    """Open the app when ``argv`` asks for nothing else; False: not done, give
    ``argv`` to the command line."""
    if os.environ.get(COMPLETE_VAR) or not on_a_terminal():
        return False
    options = app_options(argv)
    if options is None:
        return False
    home = resolve_home(Path(options["--home"]) if options["--home"] else None)
    as_name, shared = options["--as"], options["--shared"]
    from_flag = "--shared" in argv or any(a.startswith("--shared=") for a in argv)

    def config() -> Config:  # read and checked while the first frame is on screen
        from pulsetui.cli.context import Context

        ctx = Context(home=home, as_name=as_name, shared=shared, shared_from_flag=from_flag)
        return ctx.config()

    from pulsetui.tui.running import run_app

    try:
        run_app(home, as_name, config)
    except (Exception, KeyboardInterrupt) as exc:
        from pulsetui.cli.main import report_failure, tolerant_output

        tolerant_output()
        raise SystemExit(report_failure(exc)) from None
    return True

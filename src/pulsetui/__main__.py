"""The ``pulsetui`` command and ``python -m pulsetui``.

The store needs POSIX file locking and permissions (``fcntl``, ``grp``), so on any
other platform the command says so in one line instead of failing on an import deep
inside; with no command it opens the app (:mod:`pulsetui.cli.quick_start`), and
everything else is the command line in :mod:`pulsetui.cli.main`."""

from __future__ import annotations

import importlib
import sys

UNSUPPORTED = "pulsetui runs on Linux and macOS; on Windows use WSL"
# modules the store and the shared-folder sync cannot work without
POSIX_MODULES = ("fcntl", "grp", "pwd", "termios")


def platform_supported() -> bool:
    """Whether this Python offers what the store needs (Linux, macOS, the BSDs)."""
    if sys.platform.startswith(("win", "cygwin", "msys")):
        return False
    try:
        for name in POSIX_MODULES:
            importlib.import_module(name)
    except ImportError:
        return False
    return True


def main() -> None:
    if not platform_supported():
        sys.stderr.write(f"{UNSUPPORTED}\n")
        sys.exit(1)
    from pulsetui.cli.quick_start import quick_start

    if quick_start(sys.argv[1:]):  # no command: the app, its first frame at once
        return
    from pulsetui.cli.main import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()

"""Makes this Linux Python look like macOS's to pulsetui: the Linux-only functions of
``os`` are removed, and ``fcntl`` gains macOS's ``F_FULLFSYNC`` (which ``fcntl.fcntl``
then carries out as an ``fsync``, the nearest Linux has).

Active when ``PULSETUI_SIMULATE_MACOS=1``. Python imports this module at start-up when
its folder is on ``PYTHONPATH`` (``make test-macos`` sets both), so every process of the
run is simulated: pytest itself, the CLI the tests start and the store's background
checkpoint. ``tests/conftest.py`` applies it as well when only the variable is set.
"""

from __future__ import annotations

import os

LINUX_ONLY = (
    "copy_file_range",
    "fdatasync",
    "posix_fadvise",
    "posix_fallocate",
    "preadv",
    "pwritev",
    "splice",
    "memfd_create",
    "eventfd",
)
F_FULLFSYNC = 51  # macOS's value; Linux has no fcntl command 51


def simulate_macos() -> None:
    for name in LINUX_ONLY:
        if hasattr(os, name):
            delattr(os, name)
    import fcntl

    if getattr(fcntl, "F_FULLFSYNC", None) == F_FULLFSYNC:
        return  # applied already
    linux_fcntl = fcntl.fcntl

    def macos_fcntl(fd: object, cmd: int, arg: object = 0) -> object:
        if cmd == F_FULLFSYNC:
            os.fsync(fd)  # type: ignore[arg-type]
            return 0
        return linux_fcntl(fd, cmd, arg)  # type: ignore[arg-type]

    fcntl.F_FULLFSYNC = F_FULLFSYNC  # type: ignore[attr-defined]
    fcntl.fcntl = macos_fcntl  # type: ignore[assignment]


def active() -> bool:
    return os.environ.get("PULSETUI_SIMULATE_MACOS") == "1"


if active():
    simulate_macos()

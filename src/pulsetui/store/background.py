"""The background checkpoint: a fresh process writes the view file while the app goes on.

The app's process has threads (Textual's, sync's), so it is never forked: a child of a
threaded process may inherit a lock some other thread held and hang, and macOS refuses
much of what such a child does. A thread in the app would share its interpreter lock
and pause typing while it encodes hundreds of thousands of index entries
(``bench/checkpoint_bench.py`` measures the three ways). So the checkpoint is a new
interpreter, started with ``exec`` at once: it opens the workspace read-only (no lock
needed), replays the journal up to the offset it was given, which is everything the app
had saved when it asked, and writes the view file atomically, at a lower CPU priority.
What it writes is what the app would have written: the view of the journal up to that
offset. It leaves no trace if it fails or is killed (a temp file, removed at the next
open); the app then writes the view itself at close.

Run as ``python -m pulsetui.store.background HOME OFFSET WALL COUNTER``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

EXIT_NOT_LOADED = 3  # the view file was not usable: the app writes it itself
EXIT_BUSY = 4  # another process was writing the view file: this one wrote nothing
NICENESS = 10


def start_module(
    module: str, *args: str, output: bool = False, feed: bool = False
) -> subprocess.Popen[bytes] | None:
    """Run ``python -m module args`` as a background process of its own session (a
    Ctrl-C in the terminal is for the app), its standard output piped when ``output``,
    its standard input when ``feed``; None when no interpreter can be started."""
    if not sys.executable:
        return None
    try:
        return subprocess.Popen(
            [sys.executable, "-P", "-m", module, *args],
            stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
            stdout=subprocess.PIPE if output else subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
        )
    except OSError:
        return None


def start(home: Path, offset: int, clock: tuple[int, int]) -> subprocess.Popen[bytes] | None:
    """Start a checkpoint of ``home`` covering the journal up to ``offset``; None when no
    interpreter can be started (the caller then writes in the foreground)."""
    wall, counter = clock
    return start_module(__name__, str(home), str(offset), str(wall), str(counter))


def run(home: Path, offset: int, wall: int, counter: int) -> int:
    """Write the view of ``home`` covering its journal up to ``offset``; an exit code."""
    from pulsetui.store.store import Store

    store = Store.open(home, readonly=True, upto=offset)
    if store.report.view != "loaded":
        return EXIT_NOT_LOADED  # a rebuild from the whole journal is the app's to do
    store.clock.observe(wall, counter)
    written = store.write_view_file()
    store.close()
    return 0 if written else EXIT_BUSY


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    home, offset, wall, counter = Path(args[0]), int(args[1]), int(args[2]), int(args[3])
    sys.exit(run(home, offset, wall, counter))


if __name__ == "__main__":
    main()

"""Getting a workspace's search index ready without pausing the app: read from the
index file (:mod:`.index_file`) when it fits, then caught up with the journal;
otherwise built again and written. A large workspace is built in a fresh background
process, as the view's checkpoints are (``store/background.py``): it shares no
interpreter lock with the app, so typing stays smooth while it reads every written
record; the app then reads the file it wrote. A small one is built where it is asked.

Run as ``python -m pulsetui.service.search HOME [OWNER]``: builds the index of
``HOME`` holding the private notes of ``OWNER`` (a manager's uid) and writes it,
printing its progress as ``DONE STEPS`` lines."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path

from pulsetui.service.pacing import give_way
from pulsetui.service.search import index_file
from pulsetui.service.search.index import SearchIndex
from pulsetui.service.search.results import SearchResults
from pulsetui.service.search.scan import scan
from pulsetui.service.search.sources import KINDS
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace
from pulsetui.store.background import start_module

IN_PROCESS_RECORDS = 20_000  # fewer written records than this: built in the caller's thread
SAVE_AFTER = 500  # records read again since the file was written: write it again
NICENESS = 10

Progress = Callable[[int, int], None]


def prepare(index: SearchIndex, progress: Progress | None = None, background: bool = True) -> None:
    """Make ``index`` ready (at once if it is): from its file, else built — in a
    background process when ``background`` and the workspace is large. Slow: call it
    from a worker thread, and :meth:`SearchIndex.index_numbers` after it."""
    with index.preparing:
        if index.ready:
            return
        ws = index.workspace
        if not ws.store.readonly:
            index_file.remove_leftovers(ws.home)
        if not _load(index):
            index.building = True
            large = sum(ws.count(kind) for kind in KINDS) >= IN_PROCESS_RECORDS
            if not (background and large and _built_elsewhere(index, progress) and _load(index)):
                if index.stopped:
                    return
                index.build(progress)
                save(index)
        index.warm(Audience.manager(ws.me))  # the first keystroke's work, done here


def stop(index: SearchIndex) -> None:
    """Stop building ``index`` (the app is closing): a background build is ended, and
    none is started in its place."""
    index.stopped = True
    child = index.builder
    if child is not None and child.poll() is None:
        with contextlib.suppress(OSError):
            child.kill()


def search_once(ws: Workspace, audience: Audience, query: str, limit: int) -> SearchResults:
    """One search (a command): through the index file when it fits the workspace (caught
    up with the journal; never written from here), else by reading every record."""
    index = SearchIndex(ws)
    if _load(index):
        return index.search(audience, query, limit)
    return scan(ws, audience, query, limit)


def _load(index: SearchIndex) -> bool:
    ws = index.workspace
    try:
        stored = index_file.read(ws.home, ws.me)
    except index_file.UnusableIndex as exc:
        index.problem = str(exc)
        return False
    if stored.cursor.journal_id != ws.store.journal_cursor().journal_id:
        index.problem = "built from another journal"
        return False
    give_way()
    index.install(stored)
    index.saved()
    give_way()
    if index.catch_up() >= SAVE_AFTER:
        save(index)
    return True


def save(index: SearchIndex) -> bool:
    """Write the index to its file (not for a workspace opened read-only); whether it
    was written. A failure leaves the old file, which is caught up at the next open."""
    ws = index.workspace
    if ws.store.readonly or not index.ready:
        return False
    try:
        index_file.write(ws.home, index.stored())
    except (OSError, ValueError):
        return False
    index.saved()
    return True


def _built_elsewhere(index: SearchIndex, progress: Progress | None) -> bool:
    """Build the index file in a background process, following its progress; whether it
    finished."""
    ws = index.workspace
    if index.stopped:
        return False
    child = start_module("pulsetui.service.search", str(ws.home), ws.me or "", output=True)
    if child is None:
        return False
    index.builder = child
    assert child.stdout is not None
    with child.stdout:
        for line in child.stdout:
            with contextlib.suppress(ValueError):
                done, steps = (int(part) for part in line.split())
                index.progress = (done, steps)
                if progress is not None:
                    progress(done, steps)
    code = child.wait()
    index.builder = None
    return code == 0 and not index.stopped


def run(home: Path, owner: str | None) -> int:
    """Build and write the index of ``home`` for ``owner``; an exit code."""
    from pulsetui.service.config import Config

    ws = Workspace.open(home, readonly=True, config=Config())
    try:
        ws.me = owner  # the app's signed-in manager: the only one whose notes it holds
        index = SearchIndex(ws)

        def note(done: int, steps: int) -> None:
            print(done, steps, flush=True)

        index.build(note)
        index_file.write(ws.home, index.stored())
    finally:
        ws.close(checkpoint="never")
    return 0


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m pulsetui.service.search HOME [OWNER]", file=sys.stderr)
        sys.exit(2)
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    # A process of its own that builds one index and ends: what it reads stays until it
    # is written, in no cycle, so the collector's full passes over it (about a second
    # of processor at firm-5y, taken from the app beside it) find nothing.
    gc.disable()
    home, owner = Path(args[0]), (args[1] if len(args) > 1 and args[1] else None)
    sys.exit(run(home, owner))

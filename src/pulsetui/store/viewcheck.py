"""The view file's records checksum, checked after open instead of at it: a thread reads
the records and their CRC while the app runs, and a damaged file is set aside (removed if
it is still the workspace's view file) so the next start rebuilds the view from the
journal. A checkpoint that finds its source damaged sets it aside the same way."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pulsetui.store import viewfile, viewwrite

if TYPE_CHECKING:
    from pulsetui.store.store import Store

DAMAGED_NOTE = (
    "pulsetui: the view file was damaged; it is rebuilt from the journal "
    "at the next start (nothing saved is lost)"
)


def write(store: Store, path: Path, meta: dict[str, Any]) -> None:
    """Write the store's view to ``path``; a damaged source file is set aside first and
    :class:`viewwrite.DamagedSource` raised (the caller tells the user)."""
    try:
        viewwrite.write(path, store.view, meta)
    except viewwrite.DamagedSource as exc:
        set_aside(store, exc.source)
        raise


def set_aside(store: Store, source: viewfile.ViewSource) -> None:
    """The view file ``source`` reads from is damaged: its records cannot be trusted or
    copied. It is removed (if it is still the workspace's view file), so the next start
    rebuilds the view from the journal. Under ``view.lock``, as every write of that file."""
    from pulsetui.store.store import VIEW_NAME

    with store._mutex:
        store.report.view_problem = "the records' checksum does not match"
        lock = store._view_lock
        mine = lock.held == "exclusive"  # a checkpoint of this process found it
        if not mine and not lock.acquire(exclusive=True):
            return  # another process writes the view file now: theirs replaces it
        try:
            path = store.home / VIEW_NAME
            with contextlib.suppress(OSError):
                here, there = path.stat(), os.fstat(source.fd)
                if (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino):
                    path.unlink()
        finally:
            if not mine:
                lock.release()


def verify_in_background(store: Store) -> threading.Thread | None:
    """Check the records' checksum of the view file in a thread (reading and the CRC let
    other threads run), so a damaged file is set aside soon after start instead of when
    the view is next written; None when there is nothing to check."""
    sources = {
        table.source
        for table in store.view.tables.values()
        if isinstance(table.source, viewfile.ViewSource)
    }
    if store.readonly or not sources:
        return None

    def check() -> None:
        for source in sources:
            with contextlib.suppress(OSError, ValueError):
                if not source.verified():
                    set_aside(store, source)

    thread = threading.Thread(target=check, name="pulsetui-view-check", daemon=True)
    thread.start()
    return thread

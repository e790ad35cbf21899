"""How the processes that have one workspace open for writing share it: the app,
commands run beside it, the eNPS screen (the store's half that deals with the others).

Opening takes the workspace's locks (``locks``). Each save holds the write lock for a
moment and, before appending, takes in what the others appended since this process
last looked: the view in memory is then always the journal up to the offset it covers,
so a view file written by any of them is right. A line torn by a writer that was killed
is cut by the next save. Ops of this replica saved by another process are taken in like
a peer's; a save that is not after them gets fresh stamps (``restamp``). The anonymous
answers file and ``replica.json`` are read again when another process replaced them.
:meth:`SharedWriting.changed_elsewhere` (two ``stat`` calls) and
:meth:`SharedWriting.catch_up` let the app take in what a command saved while it sits idle.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from pulsetui.store.answers import AnswerBox
from pulsetui.store.errors import StoreError
from pulsetui.store.fsutil import atomic_write, file_identity
from pulsetui.store.ids import new_replica_id
from pulsetui.store.journal import Journal, JournalCursor
from pulsetui.store.locks import (
    APP_LOCK_NAME,
    SYNC_LOCK_NAME,
    FileLock,
    WorkspaceLocked,
    app_holder,
    holder_running,
    read_holder,
)
from pulsetui.store.ops import StoredOp
from pulsetui.store.view import View

REPLICA_NAME = "replica.json"
STORE_FORMAT = 1
# Opening waits a moment: a process the app starts holds the app's open files between
# its fork and its exec; if the app was killed just then, they are freed within
# milliseconds. A running app still holds them after the wait.
LOCK_WAIT_SECONDS = 1.0
# A save waits for another's this long (theirs take milliseconds); longer means the
# holder is stopped (Ctrl-Z) or hung, and the message names it.
WRITE_WAIT_SECONDS = 10.0
# ...unless the holder is running on this computer: then it is working (a big ingest on
# a busy machine) and the save goes on waiting for it, up to this long
WRITE_WAIT_RUNNING_SECONDS = 120.0
CATCH_UP_WAIT_SECONDS = 0.5


class SharedWriting:
    """The store's locks, replica file and taking in of other processes' saves (mixed
    into :class:`~pulsetui.store.store.Store`, which sets the attributes below)."""

    home: Path
    readonly: bool
    rid: str
    journal: Journal
    answers: AnswerBox
    view: View
    listeners: list[Callable[[list[dict[str, Any]]], None]]
    _mutex: threading.RLock
    _presence: FileLock
    _write_lock: FileLock
    _view_lock: FileLock
    _app_lock: FileLock | None
    _journal_offset: int
    _ops_since_checkpoint: int
    _seen_size: int
    _replica_seen: tuple[int, int, int] | None
    elsewhere: int

    def _apply_loaded(self, ops: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _maybe_checkpoint(self) -> None:
        raise NotImplementedError

    # ---- locks ------------------------------------------------------------------------

    def _claim(self, app: bool, exclusive: bool) -> None:
        """Take the app's lock (``app``) and the workspace's open lock."""
        if app:
            lock = FileLock(self.home / APP_LOCK_NAME, "the app")
            if not lock.acquire(exclusive=True, wait=LOCK_WAIT_SECONDS):
                who = lock.holder() or "another process"
                lock.close()
                raise WorkspaceLocked(
                    f"the workspace {self.home} is already open in pulsetui ({who}); "
                    "switch to that one or close it first (commands such as "
                    "`pulsetui enps add` and the `pulsetui enps` screen work beside it), "
                    "or pick another workspace with --home"
                )
            self._app_lock = lock
        self._presence.what = "replacing the workspace's files" if exclusive else "open"
        if self._presence.acquire(exclusive=exclusive, wait=LOCK_WAIT_SECONDS):
            return
        if exclusive:
            who = app_holder(self.home) or "a command or the eNPS screen"
            message = f"the workspace {self.home} is already open in another pulsetui ({who})"
        else:  # replaced by another process now, or held by an older pulsetui
            who = self._presence.holder() or "another process"
            message = (
                f"the workspace {self.home} is already open in another pulsetui ({who}) "
                "that needs it to itself; wait for it to finish"
            )
        self._release_locks()
        raise WorkspaceLocked(f"{message}; close that one first, or pick another with --home")

    def _release_locks(self) -> None:
        for lock in (self._write_lock, self._view_lock, self._presence, self._app_lock):
            if lock is not None:
                lock.close()

    @contextlib.contextmanager
    def _write_turn(self) -> Iterator[None]:
        """The write lock, held exclusively (saves of other processes wait)."""
        if self._write_lock.held == "exclusive":  # a save within a save, on this thread
            yield
            return
        started = time.monotonic()
        taken = self._write_lock.acquire(exclusive=True, wait=WRITE_WAIT_SECONDS)
        if not taken and not self._wait_for_running_holder():
            raise WorkspaceLocked(self._write_blocked(time.monotonic() - started))
        try:
            yield
        finally:
            self._write_lock.release()

    def _wait_for_running_holder(self) -> bool:
        """Go on waiting for the write lock while its holder is a running process on this
        computer (a stopped or hung one is named instead); True once it is taken."""
        deadline = time.monotonic() + WRITE_WAIT_RUNNING_SECONDS - WRITE_WAIT_SECONDS
        while holder_running(self._write_lock.path) and time.monotonic() < deadline:
            if self._write_lock.acquire(exclusive=True, wait=1.0):
                return True
        return self._write_lock.acquire(exclusive=True, wait=0.0)

    def _write_blocked(self, waited: float) -> str:
        holder = read_holder(self._write_lock.path).split()
        who = self._write_lock.holder() or "another pulsetui process"
        pid = holder[0] if holder and holder[0].isdigit() else "PID"
        return (
            f"nothing was saved: {who} has held the write lock of {self.home} for over "
            f"{round(waited, 1):g} s. If it is stopped (Ctrl-Z), resume it (`fg` in its "
            f"terminal, or `kill -CONT {pid}`) or end it, then try again"
        )

    # ---- the replica file -------------------------------------------------------------

    def _read_replica(self) -> dict[str, Any]:
        self._replica_seen = file_identity(self.home / REPLICA_NAME)
        try:
            data = orjson.loads((self.home / REPLICA_NAME).read_bytes())
            self.rid = str(data["rid"])
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise StoreError(f"{self.home / REPLICA_NAME} is unreadable: {exc}") from None
        return data

    def _read_or_create_replica(self) -> None:
        path = self.home / REPLICA_NAME
        if path.exists():
            self._read_replica()
            return
        self.rid = new_replica_id()
        data = {"rid": self.rid, "format": STORE_FORMAT, "created_ms": int(time.time() * 1000)}
        atomic_write(path, orjson.dumps(data, option=orjson.OPT_INDENT_2))

    def replace_replica_id(self) -> str:
        """Take a fresh replica id (used when a cloned installation is detected)."""
        with self._saving() as outside:
            self.rid = new_replica_id()
            data = orjson.loads((self.home / REPLICA_NAME).read_bytes())
            data["previous_rids"] = [*data.get("previous_rids", []), data.get("rid")]
            data["rid"] = self.rid
            atomic_write(self.home / REPLICA_NAME, orjson.dumps(data, option=orjson.OPT_INDENT_2))
            self._replica_seen = file_identity(self.home / REPLICA_NAME)
        self._notify(outside)
        return self.rid

    def previous_rids(self) -> list[str]:
        """Replica ids this workspace wrote under before (it took a new one after finding
        a copy of itself), oldest first."""
        try:
            data = orjson.loads((self.home / REPLICA_NAME).read_bytes())
            return [str(r) for r in data.get("previous_rids", []) if r]
        except (OSError, orjson.JSONDecodeError, AttributeError):
            return []

    def carry_replicas(self, rids: list[str]) -> None:
        """Take over replica ids whose ops this installation holds (a restored backup):
        they join ``previous_rids``, whose ops sync publishes as carried."""
        with self._saving() as outside:
            data = orjson.loads((self.home / REPLICA_NAME).read_bytes())
            known = self.previous_rids()
            new = [r for r in dict.fromkeys(rids) if r and r != self.rid and r not in known]
            data["previous_rids"] = known + new
            atomic_write(self.home / REPLICA_NAME, orjson.dumps(data, option=orjson.OPT_INDENT_2))
            self._replica_seen = file_identity(self.home / REPLICA_NAME)
        self._notify(outside)

    # ---- other processes' saves --------------------------------------------------------

    def _complete_end(self) -> tuple[int, int]:
        """Where the journal's complete lines end, and its size, found while no writer
        is mid-line (the write lock held shared, unless this process holds it)."""
        if self._write_lock.held:
            return self.journal.complete_end()
        taken = self._write_lock.acquire(exclusive=False, wait=WRITE_WAIT_SECONDS)
        try:
            return self.journal.complete_end()
        finally:
            if taken:
                self._write_lock.release()

    @contextlib.contextmanager
    def _saving(self) -> Iterator[list[StoredOp]]:
        """One save: this process's mutex and the write lock, with what other processes
        saved before it taken in first (yielded, for the listeners)."""
        with self._mutex, self._write_turn():
            yield self._take_in(exclusive=True)

    def _take_in(self, exclusive: bool) -> list[StoredOp]:
        """Apply what other processes appended (and answers they saved) since this one
        last looked; with the write lock (``exclusive``: also cut a line torn by a writer
        that was killed, which no live writer can be in the middle of)."""
        follow = file_identity(self.home / REPLICA_NAME)
        if follow != self._replica_seen:  # sync here took a new replica id
            self._read_replica()
        end, size = self.journal.complete_end()
        if exclusive and end < size:
            self.journal.cut_at(end)
            size = end
        fresh: list[StoredOp] = []
        if end != self._journal_offset:
            cursor = JournalCursor(self.journal.journal_id, self._journal_offset)
            found, cursor = self.journal.read_tail(cursor)
            fresh = self._apply_loaded(found)
            self._journal_offset = cursor.offset
            self._ops_since_checkpoint += len(found)
        self._seen_size = size
        if self.answers.changed():
            unread = not self.answers.loaded  # the view holds none of them yet
            for op in self.answers.reload():
                if self.view.apply(op) or unread:
                    fresh.append(op)
        self.elsewhere += len(fresh)
        return fresh

    @contextlib.contextmanager
    def sync_turn(self, wait: float) -> Iterator[str | None]:
        """One sync pass at a time across processes: yields None while this one may
        sync, else who is syncing (after waiting up to ``wait`` seconds)."""
        lock = FileLock(self.home / SYNC_LOCK_NAME, "syncing", create=not self.readonly)
        try:
            if lock.acquire(exclusive=True, wait=wait):
                yield None
            else:
                yield lock.holder() or "another process"
        finally:
            lock.close()

    def changed_elsewhere(self) -> bool:
        """Whether another process may have saved since this one last looked (two
        ``stat`` calls: cheap enough for a timer on the UI thread)."""
        return not self.readonly and (
            self.journal.size() != self._seen_size or self.answers.changed()
        )

    def catch_up(self) -> list[StoredOp]:
        """Take in what other processes saved since this one last looked, and tell the
        listeners; the ops that were new. Safe from a worker thread; while a save of
        another process holds the write lock, it returns nothing (try again later)."""
        if self.readonly:
            return []
        with self._mutex:
            if not self._write_lock.acquire(exclusive=False, wait=CATCH_UP_WAIT_SECONDS):
                return []
            try:
                fresh = self._take_in(exclusive=False)
            finally:
                self._write_lock.release()
        self._notify(fresh)
        if fresh:
            self._maybe_checkpoint()
        return fresh

    def _notify(self, ops: list[StoredOp]) -> None:
        if ops:
            for listener in list(self.listeners):
                listener(ops)

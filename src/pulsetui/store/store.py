"""The local workspace store: lock, replica identity, journal and view together.

Layout of ``<home>`` (0700)::

    replica.json   rid, format, creation time
    journal/       ops.jsonl: append-only, fsync'd per save
    answers.json   anonymous eNPS answers, in no order (never in the journal; see ``answers``)
    pulsetui.json  TinyDB file of the view, written atomically now and then, with an
                   index so records are read from it on demand (see ``viewfile``)
    lock, write.lock, view.lock, sync.lock, app.lock
                   who may do what at once (see ``locks``)

A save is durable once its op line is in the journal and synced to disk. The view
lives in memory; it is written to disk by a fresh background process (``background``:
the app never pauses, and a threaded process is never forked) once enough has changed,
and at close. Start-up loads the view and replays the journal tail after the offset it
covers; a missing, stale or corrupt view is rebuilt from the journal.

Several processes may have one workspace open for writing at once (the app, commands
run beside it, the eNPS screen): ``sharing`` says how, ``locks`` who may do what.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulsetui.store import background as background_checkpoint
from pulsetui.store import viewcheck, viewfile, viewwrite
from pulsetui.store.answers import AnswerBox, defer_answers, give_answers
from pulsetui.store.change import Change, RecordEdit
from pulsetui.store.fsutil import ensure_private_dir
from pulsetui.store.ids import ANON_RID, HybridClock, new_replica_id
from pulsetui.store.journal import Journal, JournalCursor, ReplayStats
from pulsetui.store.journal_header import JOURNAL_DIR
from pulsetui.store.locks import (
    LOCK_NAME,
    VIEW_LOCK_NAME,
    WRITE_LOCK_NAME,
    FileLock,
    WorkspaceLocked,
)
from pulsetui.store.ops import Stamp
from pulsetui.store.replay import Op, Take, apply_loaded, journalled, runs_of
from pulsetui.store.restamp import out_of_order, renaming, restamp
from pulsetui.store.sharing import (
    LOCK_WAIT_SECONDS,
    REPLICA_NAME,
    STORE_FORMAT,
    WRITE_WAIT_SECONDS,
    SharedWriting,
    StoreError,
)
from pulsetui.store.view import OtherViewFormat, View
from pulsetui.store.viewfast import Run

__all__ = [
    "LOCK_NAME",
    "LOCK_WAIT_SECONDS",
    "REPLICA_NAME",
    "STORE_FORMAT",
    "VIEW_NAME",
    "WRITE_WAIT_SECONDS",
    "Store",
    "StoreError",
    "WorkspaceLocked",
]

VIEW_NAME = "pulsetui.json"
CHECKPOINT_EVERY_OPS = 5000
CHECKPOINT_EVERY_BYTES = 8 << 20
INGEST_CHUNK = 1024  # ops saved and applied under the write lock at a time


@dataclass
class OpenReport:
    """What opening the store found and did (shown by ``pulsetui doctor``)."""

    view: str = "loaded"  # loaded | missing | stale | corrupt
    view_problem: str = ""
    replayed_ops: int = 0
    stats: ReplayStats = field(default_factory=ReplayStats)
    seconds: float = 0.0


class Store(SharedWriting):
    def __init__(self, home: Path, readonly: bool = False) -> None:
        self.home = home
        self.readonly = readonly
        self.journal = Journal(home / JOURNAL_DIR)
        self.answers = AnswerBox(home)
        self.view = View()
        self.rid = ""
        self.clock = HybridClock()
        self.report = OpenReport()
        writing = not readonly  # a read-only store never makes a file
        self._presence = FileLock(home / LOCK_NAME, "open", create=writing)
        self._write_lock = FileLock(home / WRITE_LOCK_NAME, "saving", create=writing)
        self._view_lock = FileLock(home / VIEW_LOCK_NAME, "writing the view", create=writing)
        self._app_lock: FileLock | None = None
        self._seen_size = 0  # the journal's size when this process last looked
        self._replica_seen: tuple[int, int, int] | None = None
        self.elsewhere = 0  # ops other processes saved, taken in so far
        self._journal_offset = 0
        self._covered_offset = 0
        self._ops_since_checkpoint = 0
        self._child: subprocess.Popen[bytes] | None = None  # a background checkpoint
        self._child_offset = 0  # the journal offset it covers
        self._mutex = threading.RLock()
        self.listeners: list[Callable[[list[dict[str, Any]]], None]] = []

    # ---- opening --------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        home: Path,
        readonly: bool = False,
        upto: int | None = None,
        *,
        app: bool = False,
        exclusive: bool = False,
    ) -> Store:
        """Open the workspace at ``home``: for writing unless ``readonly``.

        Writers share the workspace (``locks``); ``app`` refuses a second app on it,
        ``exclusive`` (replacing the workspace's files) refuses any other writer.
        ``upto`` (read-only) replays the journal only up to that line boundary: the view
        as it was when the app had saved that much (a background checkpoint)."""
        # A home reached through a symbolic link is used where it points, the same
        # way for reading and writing.
        home = home.resolve()
        store = cls(home, readonly)
        started = time.perf_counter()
        if readonly:
            if not (home / REPLICA_NAME).exists():
                raise StoreError(f"no pulsetui workspace at {home}")
            store._read_replica()
        else:
            ensure_private_dir(home)
            ensure_private_dir(home / JOURNAL_DIR)
            store._claim(app, exclusive)
            try:
                with store._write_turn():
                    store._read_or_create_replica()
                    store.journal.open_for_append(new_id=new_replica_id())
            except BaseException:
                store._release_locks()
                raise
        try:
            store._load(upto if readonly else None)
        except BaseException:
            store.journal.close()
            store._release_locks()
            raise
        store.report.seconds = time.perf_counter() - started
        return store

    def _remove_stale_temp_files(self) -> None:
        """Temp files of checkpoints that were killed before their rename (not while
        another process writes the view)."""
        if not self._view_lock.acquire(exclusive=True):
            return
        try:
            for path in self.home.glob(f".{VIEW_NAME}.*.tmp"):
                with contextlib.suppress(OSError):
                    path.unlink()
        finally:
            self._view_lock.release()

    def _load(self, upto: int | None = None) -> None:
        if not self.readonly:
            self._remove_stale_temp_files()
        journal_id = self.journal.read_header()
        offset = 0
        view_path = self.home / VIEW_NAME
        if view_path.exists():
            try:
                view, meta = viewfile.read(view_path)
                covered = int(meta["journal_offset"])
                if meta.get("journal_id") != journal_id:
                    self.report.view, self.report.view_problem = (
                        "stale",
                        "belongs to another journal",
                    )
                elif covered > self.journal.size() or not self.journal.ends_line_at(covered):
                    self.report.view = "stale"
                    self.report.view_problem = "covers more than the journal holds"
                else:
                    self.view, offset = view, covered
                    clock = meta.get("clock", [0, 0])
                    self.clock.observe(clock[0], clock[1])
            except OtherViewFormat as exc:
                self.report.view, self.report.view_problem = "stale", str(exc)[:200]
            except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
                self.report.view, self.report.view_problem = "corrupt", str(exc)[:200]
        else:
            self.report.view = "missing"
        if self.report.view != "loaded":
            self.view = View()
            offset = 0
        self._covered_offset = offset
        stats = self.report.stats
        if upto is None:  # every complete line (those before it never change again)
            end, self._seen_size = self._complete_end()
            stats.torn_tail_bytes = self._seen_size - end
        else:
            end = max(upto, offset)
        try:
            self.report.replayed_ops = self._replay(offset, end)
        except viewfile.DAMAGE as exc:  # the view file's records: rebuilt from the journal
            self.report.view, self.report.view_problem = "corrupt", str(exc)[:200]
            self.view, self._covered_offset = View(), 0
            stats.lines = stats.ops = stats.corrupt_lines = 0
            self.report.replayed_ops = self._replay(0, end)
        self._journal_offset = min(end, self.journal.size() - stats.torn_tail_bytes)
        self._ops_since_checkpoint = self.report.replayed_ops
        give_answers(self.answers, self.view, self.readonly)
        if self.report.view != "loaded" and not self.readonly:
            self.checkpoint(background=False)
            # Read the fresh file back: the history records then live on disk, not in memory.
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                view, meta = viewfile.load(view_path)
                if meta.get("journal_offset") == self._journal_offset:
                    self.view = view
                    defer_answers(self.answers, self.view)  # not in the view file

    def _replay(self, offset: int, end: int) -> int:
        """Apply the journal's ops from ``offset`` to ``end``; how many were read."""
        stats = self.report.stats
        return apply_loaded(self.view, self.clock, self.journal.replay(offset, stats, end), stats)

    def _apply_loaded(self, ops: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Apply ops read from the journal or another replica; those that were new."""
        new: list[dict[str, Any]] = []
        apply_loaded(self.view, self.clock, ops, self.report.stats, new)
        return new

    # ---- writing --------------------------------------------------------------------

    def stamp(self) -> Stamp:
        """A fresh stamp of this replica for a new op (the clock moves on)."""
        wall, counter = self.clock.tick()
        return Stamp(self.rid, wall, counter)

    def change(self) -> Change:
        """A new save to build: ``change.record(entity, uid).set(...)``, then commit."""
        return Change(self)

    def edit(self, entity: str, uid: str) -> RecordEdit:
        """A new save that changes one record: ``store.edit(e, uid).set(...).commit()``."""
        return Change(self).record(entity, uid)

    def commit(self, ops: list[dict[str, Any]], renamed: dict[str, str] | None = None) -> None:
        """Save ``ops`` durably (one journal line, fsync'd) and apply them.

        Ops are built by a :meth:`change`; this takes them as the journal stores them.
        When another writer saved since they were stamped, they are stamped again
        (``restamp``); ``renamed`` collects the new ids, for later batches of a change."""
        if self.readonly:
            raise StoreError("this workspace was opened read-only")
        if not ops:
            return
        renames = {} if renamed is None else renamed
        with self._saving() as outside:
            ops = renaming(ops, renames)
            if out_of_order(ops, self.view.applied.latest):
                ops = restamp(ops, self.stamp, renames)
            timed = [op for op in ops if op.get("rid") != ANON_RID]
            if timed:
                self._journal_offset = self._seen_size = self.journal.append(timed)
            if len(timed) < len(ops):
                self.answers.add(op for op in ops if op.get("rid") == ANON_RID)
            for op in ops:
                self.view.apply(op)
            self._ops_since_checkpoint += len(timed)
        self._notify(outside)
        self._notify(ops)
        self._maybe_checkpoint()

    def ingest(self, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Save and apply ops from other replicas; returns the ones that were new."""
        with self.ingesting() as take:
            return take(ops)

    @contextlib.contextmanager
    def ingesting(self) -> Iterator[Take]:
        """Ingest in parts: ``take(ops)`` saves and applies ops from other replicas and
        returns the ones that were new; the journal is synced to disk once, at the end.
        ``take(ops, encoded, runs)``: the ops as orjson writes them, comma-joined in
        pieces (a journal line is made of them when every op is new, not encoded again),
        and how they lie in runs of one replica's rising clocks (``View.unseen``).

        Ops of one replica must come in that replica's order. They are saved in chunks
        of :data:`INGEST_CHUNK` (one journal line each, each under the write lock): a
        save made meanwhile, here or in another process, waits for one chunk at most,
        never for a whole first sync (the ops are read again from their segments until
        the sync state says they were taken in, which is saved after the sync). Anonymous
        answers go to the answers file, never to the journal."""
        unsynced = changed = False

        def take(
            ops: list[Op], encoded: list[bytes] | None = None, runs: list[Run] | None = None
        ) -> list[Op]:
            nonlocal unsynced, changed
            new: list[dict[str, Any]] = []
            for at in range(0, max(len(ops), 1), INGEST_CHUNK):
                chunk = ops[at : at + INGEST_CHUNK]
                lie = runs_of(chunk, ops, runs)
                with self._saving() as outside:
                    fresh = self.view.unseen(chunk, lie)
                    timed = journalled(fresh, lie)
                    if timed:
                        whole = encoded if len(timed) == len(ops) else None
                        end = self.journal.append(timed, durable=False, encoded=whole)
                        self._journal_offset = self._seen_size = end
                        unsynced = True
                    if len(timed) < len(fresh):
                        self.answers.add(op for op in fresh if op.get("rid") == ANON_RID)
                    apply_loaded(self.view, self.clock, fresh, self.report.stats)
                    self._ops_since_checkpoint += len(timed)
                self._notify(outside)
                self._notify(fresh)
                new.extend(fresh)
                changed = changed or bool(fresh or outside)
            return new

        try:
            yield take
        finally:
            if unsynced:
                self.journal.sync()
        if changed:
            self._maybe_checkpoint()

    def seal_answers(self, round: str, uids: list[str]) -> None:
        """Record the answers counted in ``round``'s published results (``answers``)."""
        with self._saving() as outside:
            self.answers.seal(round, uids)
        self._notify(outside)

    # ---- checkpoints ----------------------------------------------------------------------

    def journal_cursor(self) -> JournalCursor:
        """How far the view has applied the journal: every op before it is applied."""
        with self._mutex:
            return JournalCursor(self.journal.journal_id, self._journal_offset)

    @property
    def dirty(self) -> bool:
        return self._covered_offset != self._journal_offset

    def _maybe_checkpoint(self) -> None:
        tail = self._journal_offset - self._covered_offset
        if self._ops_since_checkpoint >= CHECKPOINT_EVERY_OPS or tail >= CHECKPOINT_EVERY_BYTES:
            self.checkpoint(background=True)

    def write_view_file(self) -> bool:
        """Write the view as it stands, covering the journal as far as it has read it;
        also when opened read-only (the background checkpoint's own process). False
        when another process is writing the view file just now."""
        with self._mutex:
            return self._write_view()

    def _write_view(self) -> bool:
        meta = {
            "journal_id": self.journal.journal_id,
            "journal_offset": self._journal_offset,
            "clock": list(self.clock.value),
            "rid": self.rid,
        }
        if not self._view_lock.acquire(exclusive=True):
            return False  # theirs covers the journal as it was: the next start replays more
        try:
            viewcheck.write(self, self.home / VIEW_NAME, meta)
        finally:
            self._view_lock.release()
        return True

    def verify_in_background(self) -> threading.Thread | None:
        """Check the view file's records checksum in a thread (see :mod:`viewcheck`)."""
        return viewcheck.verify_in_background(self)

    def checkpoint(self, background: bool = True) -> None:
        """Write the view atomically; in a fresh process when ``background``."""
        if self.readonly:
            return
        with self._mutex:
            self._reap_child(block=not background)
            if background and self._child is not None:
                return
            offset = self._journal_offset
            if background:
                child = background_checkpoint.start(self.home, offset, self.clock.value)
                if child is not None:
                    self._child, self._child_offset = child, offset
                    self._ops_since_checkpoint = 0
                    return
            try:
                written = self._write_view()
            except viewwrite.DamagedSource:  # set aside: the next start rebuilds it
                if not background:
                    raise
                print(viewcheck.DAMAGED_NOTE, file=sys.stderr)
                written = False
            if written:
                self._covered_offset = offset
            self._ops_since_checkpoint = 0

    def _reap_child(self, block: bool) -> None:
        """Collect a finished background checkpoint (``block``: wait for it); the view
        counts as written only when it succeeded."""
        if self._child is None:
            return
        code = self._child.wait() if block else self._child.poll()
        if code is None:
            return
        self._child = None
        if code == 0:
            self._covered_offset = max(self._covered_offset, self._child_offset)

    def close(self, checkpoint: str = "always") -> None:
        """Close the store; ``checkpoint`` is ``always``, ``if_large`` or ``never``."""
        if self.readonly:
            self._release_locks()
            return
        with self._mutex:
            self._reap_child(block=True)
            tail = self._journal_offset - self._covered_offset
            want = checkpoint == "always" and self.dirty
            want = want or (
                checkpoint == "if_large"
                and (tail >= CHECKPOINT_EVERY_BYTES or self._ops_since_checkpoint >= 1000)
            )
            if want:
                try:
                    self.checkpoint(background=False)
                except viewwrite.DamagedSource:
                    print(viewcheck.DAMAGED_NOTE, file=sys.stderr)
                except OSError as exc:
                    print(f"pulsetui: could not write the view: {exc}", file=sys.stderr)
            self.journal.close()
            self._release_locks()

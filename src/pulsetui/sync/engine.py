"""The sync engine: one pass exports this replica's new ops and ingests everyone else's.

API for the front-ends::

    engine = SyncEngine(ws, shared=Path("/srv/team"), personal=Path("~/Sync/me") or None)
    report = engine.run_once()   # -> SyncReport; safe from a worker thread
    status = engine.status()     # -> SyncStatus: last_sync, pending, problems, running
    engine.close()               # stop counting pending ops

``run_once`` takes its own lock (one pass at a time) and touches the store only through
``Store.ingest`` (short, under the store's own lock), so saves made meanwhile are never
held up; run it in a worker, never on the UI thread. ``status`` only reads a snapshot
and never waits for a running pass.

One pass, for each folder (the personal folder ``<personal>/pulsetui`` when configured,
then ``<shared>/pulsetui``):

1. Export (``export``): own ops not yet published go into new immutable segments; the
   team folder gets team records, the personal folder every own op; anonymous eNPS
   answers go to the team folder's inbox. A segment under this replica's id that this
   workspace did not write means a copied installation: this side takes a new id and
   sends its own changes again under it, from that segment's number on.
2. Ingest (``ingest``): every other replica's segments in seq order from the one after
   the last ingested (every valid one of a number: copies may have written twins); a
   replica that has a personal stream is read only from it.
3. The sync state (``state``: what was written, read and how far the journal was
   scanned) is saved when it changed.
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulsetui.store.ops import StoredOp
from pulsetui.sync.access import permission_problem
from pulsetui.sync.channel import Channel, SyncReport
from pulsetui.sync.export import Exporter
from pulsetui.sync.folder import FOLDER_NAME, FORMAT_NAME, SYNC_FORMAT, SYNC_VERSION, read_format
from pulsetui.sync.ingest import Ingester, list_replicas
from pulsetui.sync.state import SyncState

__all__ = ["Channel", "SyncEngine", "SyncReport", "SyncStatus"]

FREEZE_AFTER_OPS = 20_000  # a pass taking in this many ops leaves them to no collector
_rid_of = operator.methodcaller("get", "rid")


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot for a status line."""

    last_sync: dt.datetime | None
    pending: int
    problems: tuple[str, ...]
    running: bool
    waiting: int = 0


class SyncEngine:
    def __init__(self, ws: Any, shared: Path | None, personal: Path | None = None) -> None:
        self.ws = ws
        self.store = ws.store
        self.channels: list[Channel] = []
        if personal is not None:
            self.channels.append(Channel(Path(personal).absolute() / FOLDER_NAME, True))
        if shared is not None:
            self.channels.append(Channel(Path(shared).absolute() / FOLDER_NAME, False))
        self.state = SyncState(ws.home)
        self.exporter = Exporter(self.store, self.state, lambda: str(ws.me_name), self._now_ms)
        self.ingester = Ingester(self.store, self.state, lambda: ws.today())
        self._run_lock = threading.Lock()
        self._status_lock = threading.Lock()
        self._pending = 0
        self._running = False
        self._problems: tuple[str, ...] = ()
        self._waiting = 0
        self._last_sync: dt.datetime | None = None
        self._failed = False
        self._dirty = True  # the state file is written after the first pass
        self.store.listeners.append(self._count_pending)

    def _now_ms(self) -> int:
        """The workspace's clock (``PULSETUI_NOW`` in tests), in milliseconds."""
        return int(self.ws.now().timestamp() * 1000)

    def close(self) -> None:
        if self._count_pending in self.store.listeners:
            self.store.listeners.remove(self._count_pending)

    # ---- status ----------------------------------------------------------------------

    def _count_pending(self, ops: list[StoredOp]) -> None:
        mine = list(map(_rid_of, ops)).count(self.store.rid)
        if mine:
            with self._status_lock:
                self._pending += mine

    def status(self) -> SyncStatus:
        with self._status_lock:
            return SyncStatus(
                self._last_sync, self._pending, self._problems, self._running, self._waiting
            )

    # ---- one pass --------------------------------------------------------------------

    def run_once(self, wait: float = 0.0) -> SyncReport:
        """Export own ops, ingest others' and report; one pass at a time, also across
        the processes that have the workspace open (waiting up to ``wait`` seconds for
        another's pass; then this one is skipped and the report says why)."""
        with self._run_lock, self.store.sync_turn(wait) as other:
            if other is not None:
                report = SyncReport()
                report.problems.append(
                    f"another pulsetui ({other}) is syncing this workspace just now; "
                    "this pass was skipped, try again when it is done"
                )
                return report
            self.state.refresh()  # another process may have synced since
            started = time.perf_counter()
            with self._status_lock:
                self._running = True
                pending_before = self._pending
            report = SyncReport()
            self._failed = False
            collecting = gc.isenabled()
            gc.disable()  # a pass allocates many small dicts that all stay alive
            try:
                personal_rids = self._personal_rids()
                for channel in self.channels:
                    self._sync_channel(channel, report, personal_rids)
            finally:
                if collecting:
                    if report.ingested_ops >= FREEZE_AFTER_OPS:
                        # What a large pass took in is the view's records, kept while the
                        # workspace is open and in no cycle: out of the collector's way, as
                        # the app keeps what opening loaded (``gc.unfreeze`` when it ends).
                        # Else its next young pass walks all of it at once (90 ms after a
                        # firm-year first join), and every full pass after that (300 ms).
                        gc.freeze()
                    gc.enable()
                report.seconds = time.perf_counter() - started
                with self._status_lock:
                    self._running = False
                    self._problems = tuple(report.problems)
                    self._waiting = len(report.waiting)
                    if not self._failed:
                        left = max(0, self._pending - pending_before)
                        self._pending = left + report.deferred
                        self._last_sync = dt.datetime.now().replace(microsecond=0)
            return report

    def _personal_rids(self) -> set[str]:
        rids: set[str] = set()
        for channel in self.channels:
            if channel.personal:
                rids.update(list_replicas(channel.root)[0])
        return rids

    def _sync_channel(self, channel: Channel, report: SyncReport, personal_rids: set[str]) -> None:
        root = channel.root
        found = read_format(root)
        if found is None:
            self._failed = True
            denied = permission_problem(root / FORMAT_NAME)
            report.problems.append(
                f"{root} is not a pulsetui sync folder this user can use: {denied}"
                if denied
                else f"{root} is not a pulsetui sync folder (no readable FORMAT file); "
                "run `pulsetui sync init` there first"
            )
            return
        if found[0] != SYNC_FORMAT or found[1] > SYNC_VERSION:
            self._failed = True
            report.problems.append(
                f"{root} uses format {found[0]} version {found[1]}; upgrade pulsetui to sync"
            )
            return
        fs = self.state.folder(root)
        if self.exporter.export(channel, fs, report):
            self._dirty = True
        skip = set() if channel.personal else personal_rids
        before = (fs.journal_id, fs.journal_offset, dict(fs.ingested), len(fs.inbox))
        self.ingester.ingest(channel, fs, report, skip)
        after = (fs.journal_id, fs.journal_offset, dict(fs.ingested), len(fs.inbox))
        fs.last_sync_ms = int(time.time() * 1000)
        if after != before or report.segments_written or report.answers_dropped or self._dirty:
            self.state.save()
        self._dirty = False

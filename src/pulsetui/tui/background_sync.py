"""Background sync for the terminal app: a pass every few seconds and soon after a save,
in a worker thread, one at a time; the status line shows its summary."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App

if TYPE_CHECKING:
    from pulsetui.service.workspace import Workspace
    from pulsetui.sync.engine import SyncEngine, SyncStatus


class BackgroundSync(App[None]):
    """The app's sync loop (mixed into the app, which sets the attributes below)."""

    @property
    def workspace(self) -> Workspace:  # the app's open workspace (PulseApp.workspace)
        raise NotImplementedError

    sync_summary: Any
    _sync_enabled: bool
    _engine: SyncEngine | None
    _sync_lock: threading.Lock
    _sync_due: float | None
    _sync_thread: int | None

    def _start_sync(self) -> None:
        settings = self.workspace.config.sync
        if not self._sync_enabled:
            self.sync_summary = "sync off"
            return
        if not settings.shared:
            self.sync_summary = "sync off (no shared folder)"
            return
        from pulsetui.sync.engine import SyncEngine  # only when syncing: ~50 ms to import

        try:
            # the folders as the command line reads them (``~`` expanded)
            shared = Path(settings.shared).expanduser()
            personal = Path(settings.personal).expanduser() if settings.personal else None
            self._engine = SyncEngine(self.workspace, shared, personal)
        except Exception as exc:
            self.sync_summary = f"sync off: {exc}"
            return
        self.sync_summary = "sync: starting"
        self.set_interval(settings.interval_seconds, self._sync_tick)
        self.set_interval(0.5, self._sync_if_due)
        self._sync_tick()

    def _sync_if_due(self) -> None:
        if self._sync_due is not None and time.monotonic() >= self._sync_due:
            self._sync_due = None
            self._sync_tick()

    def _sync_tick(self) -> None:
        if self._engine is not None:
            self._sync_worker()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync_worker(self) -> None:
        engine = self._engine
        if engine is None or not self._sync_lock.acquire(blocking=False):
            return
        self._sync_thread = threading.get_ident()
        try:
            engine.run_once()
            summary = describe_sync(engine.status())
        except Exception as exc:
            summary = f"sync problem: {type(exc).__name__}: {exc}"
        finally:
            self._sync_thread = None
            self._sync_lock.release()
        self.call_from_thread(setattr, self, "sync_summary", summary)


def describe_sync(status: SyncStatus) -> str:
    """One line from a sync engine's status: last sync, pending, problems."""
    parts = []
    if status.last_sync is None:
        parts.append("never synced")
    else:
        parts.append(f"synced {status.last_sync.strftime('%H:%M:%S')}")
    parts.append(f"{status.pending} pending")
    problems = len(status.problems)
    if problems:
        parts.append(f"{problems} problem{'s' if problems != 1 else ''}")
    return "sync: " + ", ".join(parts)

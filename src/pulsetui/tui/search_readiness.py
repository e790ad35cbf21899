"""The app's search index, made ready off the UI thread: read from its file soon after
start (or built — a large workspace in a background process — while the search screen
says "Indexing…" and searches without it), caught up in a worker after sync brings
changes in, and its background build ended when the app closes."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

if TYPE_CHECKING:
    from pulsetui.service.search import SearchIndex
    from pulsetui.tui.app import PulseApp

_OVER = (WorkerState.ERROR, WorkerState.CANCELLED)


def prepare(index: SearchIndex) -> None:
    """Make ``index`` ready (:func:`pulsetui.service.search.prepare`; slow: in a
    thread); the search service is imported when the index is first wanted, not at
    start."""
    from pulsetui.service import search

    search.prepare(index)


class SearchReadiness:
    """One worker getting the workspace's search index ready, started once."""

    def __init__(self) -> None:
        self._worker: Worker[None] | None = None

    def index(self, app: PulseApp) -> SearchIndex:
        from pulsetui.service.search import SearchIndex

        return SearchIndex.of(app.workspace)

    def start(self, app: PulseApp) -> Worker[None]:
        """The worker making the index ready (started now if it was not)."""
        if self._worker is None or self._worker.state in _OVER:
            index = self.index(app)
            index.stopped = False  # an earlier app on this workspace may have stopped it
            # the method, not a coroutine made now: a worker cancelled before it starts
            # (the app closing at once) then leaves no coroutine never awaited
            self._worker = app.run_worker(
                partial(self._prepare, app, index), group="search-index", exit_on_error=False
            )
        return self._worker

    async def _prepare(self, app: PulseApp, index: SearchIndex) -> None:
        await asyncio.to_thread(prepare, index)
        if index.ready:
            self._ready(app)

    async def ready(self, app: PulseApp) -> bool:
        """Wait (without blocking the UI) until the index is ready; whether it is."""
        index = self.index(app)
        if index.ready:
            return True
        try:
            await self.start(app).wait()
        except (WorkerCancelled, WorkerFailed):
            return False
        return index.ready

    def _ready(self, app: PulseApp) -> None:
        """The index answers: find each record's number now, while searches go on."""
        app.run_worker(
            self.index(app).index_numbers, thread=True, group="search-numbers", exit_on_error=False
        )

    def catch_up(self, app: PulseApp) -> None:
        """Read the records sync changed into the index now, not at the next keystroke."""
        index = self.index(app)
        if index.ready:
            app.run_worker(
                index.catch_up, thread=True, group="search-catch-up", exit_on_error=False
            )

    def stop(self, app: PulseApp) -> None:
        """The app is closing: end a background build."""
        from pulsetui.service.search import stop

        stop(self.index(app))

"""A view written by a version that knew fewer record kinds (it skipped the ops of
kinds it did not know, such as work notes synced from a newer colleague) is rebuilt
from the journal when a version that knows them opens it, so nothing synced stays
hidden; a view that skipped nothing, or was written knowing the same kinds, is kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import FROZEN_NOW
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.store import viewfile
from pulsetui.store.journal import Journal, ReplayStats
from pulsetui.store.store import KNOWN_ENTITIES, VIEW_NAME, Store
from pulsetui.store.view import View


def _older_view(home: Path, entities: list[str] | None) -> None:
    """Write the view as a version without work notes would have: their ops skipped."""
    journal = Journal(home / "journal")
    journal_id = journal.read_header()
    view = View()
    for op in journal.replay(0, ReplayStats()):
        if op["entity"] == "work":
            view.skipped += 1
        else:
            view.apply(op)
    meta = {"journal_id": journal_id, "journal_offset": journal.size(), "clock": [0, 0]}
    if entities is not None:
        meta["entities"] = entities
    viewfile.write(home / VIEW_NAME, view, meta)


def _workspace(home: Path) -> None:
    with Workspace.open(home, me="Anna", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        acme = ws.add("client", name="Acme", manager=ws.me).uid
        ws.add("work", client=acme, kind="done", text="Shipped", date=dt.date(2026, 11, 18))


def test_a_view_that_skipped_kinds_known_now_is_rebuilt(home: Path) -> None:
    _workspace(home)
    _older_view(home, entities=None)
    store = Store.open(home, readonly=True)
    try:
        assert store.report.view == "stale"
        assert [d["text"] for d in store.view.docs("work")] == ["Shipped"]
    finally:
        store.close()
    store = Store.open(home)  # a writer rebuilds the file too
    store.close()
    _, meta = viewfile.load(home / VIEW_NAME)
    assert meta["entities"] == KNOWN_ENTITIES


def test_a_view_written_knowing_the_same_kinds_is_kept(home: Path) -> None:
    _workspace(home)
    _older_view(home, entities=KNOWN_ENTITIES)  # skipped ops of kinds unknown here too
    store = Store.open(home, readonly=True)
    try:
        assert store.report.view == "loaded"
    finally:
        store.close()

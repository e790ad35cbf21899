"""A view written by a version that knew fewer record kinds (it skipped the ops of
kinds it did not know, such as work notes synced from a newer colleague) is rebuilt
from the journal when a version that knows them opens it, so nothing synced stays
hidden; a view written knowing the same kinds is kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import FROZEN_NOW
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.store import viewfile, viewwrite
from pulsetui.store.journal import Journal, ReplayStats
from pulsetui.store.store import VIEW_NAME, Store
from pulsetui.store.view import View


def _view_skipping_work(home: Path) -> None:
    """Write the view as a version without work notes would: their ops skipped."""
    journal = Journal(home / "journal")
    journal_id = journal.read_header()
    view = View()
    for op in journal.replay(0, ReplayStats()):
        if op["entity"] == "work":
            view.skipped += 1
        else:
            view.apply(op)
    meta = {"journal_id": journal_id, "journal_offset": journal.size(), "clock": [0, 0]}
    viewwrite.write(home / VIEW_NAME, view, meta)


@pytest.fixture
def workspace(home: Path) -> Path:
    with Workspace.open(home, me="Anna", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        acme = ws.add("client", name="Acme", manager=ws.me).uid
        ws.add("work", client=acme, kind="done", text="Shipped", date=dt.date(2026, 11, 18))
    return home


def test_a_view_that_skipped_kinds_known_now_is_rebuilt(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as older:
        older.setattr(
            viewfile, "KNOWN_ENTITIES", [k for k in viewfile.KNOWN_ENTITIES if k != "work"]
        )
        _view_skipping_work(workspace)
    store = Store.open(workspace, readonly=True)
    try:
        assert store.report.view == "stale"
        assert [d["text"] for d in store.view.docs("work")] == ["Shipped"]
    finally:
        store.close()
    Store.open(workspace).close()  # a writer rebuilds the file too
    store = Store.open(workspace, readonly=True)
    try:
        assert store.report.view == "loaded"
        assert [d["text"] for d in store.view.docs("work")] == ["Shipped"]
    finally:
        store.close()


def test_a_view_written_knowing_the_same_kinds_is_kept(workspace: Path) -> None:
    _view_skipping_work(workspace)  # it skipped ops of some kind this version knows too
    store = Store.open(workspace, readonly=True)
    try:
        assert store.report.view == "loaded"
    finally:
        store.close()

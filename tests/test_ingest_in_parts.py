"""Ingest taken in parts (a first sync hands the store a chunk at a time, as segments are
read) leaves exactly what ingesting the same ops at once leaves, and what applying them
one by one the general way (no short ways) leaves: the records and every piece of the
view's bookkeeping, the journal's ops in order, and the view file, read by plain TinyDB."""

from __future__ import annotations

import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

import pulsetui.store.store as store_module
from pulsetui.store.journal import ReplayStats
from pulsetui.store.store import VIEW_NAME, Store
from test_view_fast_paths import General, histories, state

Op = dict[str, Any]


def journal_ops(store: Store) -> list[Op]:
    return list(store.journal.replay(0, ReplayStats()))


def on_disk(home: Path) -> dict[str, Any]:
    """Every table of the view file as plain TinyDB reads it, but for the file's own
    header and index (they name the journal, a random id, and carry checksums)."""
    with TinyDB(home / VIEW_NAME, access_mode="r") as db:
        names = sorted(db.tables() - {"_meta", "_index"})
        return {name: db.table(name).all() for name in names}


def ingested(home: Path, parts: list[list[Op]], each: bool) -> tuple[dict[str, Any], list[Op]]:
    """The view's state and the journal's ops after ingesting ``parts`` (in one
    ``ingesting`` when not ``each``, else each op on its own); the view file is written."""
    store = Store.open(home)
    try:
        if each:
            for part in parts:
                for op in part:
                    store.ingest([dict(op)])
        else:
            with store.ingesting() as take:
                for part in parts:
                    take([dict(op) for op in part])
        return state(store.view), journal_ops(store)
    finally:
        store.close()


@st.composite
def partitions(draw: st.DrawFn) -> tuple[list[Op], list[list[Op]]]:
    ops = draw(histories())
    cuts = sorted(draw(st.lists(st.integers(0, len(ops)), max_size=4)))
    bounds = [0, *cuts, len(ops)]
    return ops, [ops[a:b] for a, b in pairwise(bounds)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partitions(), st.integers(1, 5))
def test_ingest_in_parts_leaves_what_ingest_at_once_and_one_by_one_leave(
    drawn: tuple[list[Op], list[list[Op]]], chunk: int
) -> None:
    ops, parts = drawn
    general = General()
    for op in ops:
        general.apply(dict(op))
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module, "INGEST_CHUNK", chunk)  # chunks within each part too
        base = Path(tmp)
        at_once = ingested(base / "at-once", [ops], each=False)
        in_parts = ingested(base / "in-parts", parts, each=False)
        one_by_one = ingested(base / "one-by-one", [ops], each=True)
        assert in_parts == at_once == one_by_one
        assert at_once[0] == state(general)
        files = [on_disk(base / name) for name in ("at-once", "in-parts", "one-by-one")]
        assert files[0] == files[1] == files[2]


def test_ingest_in_parts_syncs_the_journal_once_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal lines of every part are on disk before the parts are over; the sync
    to disk comes once, after the last."""
    store = Store.open(tmp_path / "ws")
    synced: list[int] = []
    monkeypatch.setattr(store.journal, "sync", lambda: synced.append(store.journal.size()))
    rid = "aaaaaaaaaaaaaaaa"

    def create(wall: int) -> Op:
        return {
            "id": f"{rid}:{wall}:0",
            "hlc": [wall, 0],
            "rid": rid,
            "entity": "agenda",
            "uid": f"01A{wall}",
            "kind": "create",
            "data": {"text": str(wall)},
        }

    try:
        with store.ingesting() as take:
            assert [op["uid"] for op in take([create(1), create(2)])] == ["01A1", "01A2"]
            assert take([create(2)]) == []  # already taken in
            assert [op["uid"] for op in take([create(3)])] == ["01A3"]
            assert synced == []
        assert synced == [store.journal.size()]
        lines = store.journal.path.read_bytes().splitlines()[1:]  # after the header
        saves = [orjson.loads(line) for line in lines]
        assert [save["uid"] if isinstance(save, dict) else len(save) for save in saves] == [
            2,  # a line of two ops
            "01A3",  # a lone op
        ]
    finally:
        store.close(checkpoint="never")

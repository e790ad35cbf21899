"""A first join hands the store a chunk of ops at a time as it reads the segments: the
workspace it leaves is the one a join in a single chunk leaves (records, bookkeeping,
journal, what the sync state says was read), also when a pass is cut short midway and
the next one reads the folder again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import pulsetui.store.store as store_module
import pulsetui.sync.ingest as ingest_module
from pulsetui.store.journal import ReplayStats
from pulsetui.store.ops import Stamp, append_op, create_op, set_op, stored
from pulsetui.sync.folder import FOLDER_NAME, REPLICAS, SEGMENTS, create_file
from pulsetui.sync.segments import encode

from .conftest import Node

RIDS = ("1111111111111111", "2222222222222222")


def write_history(shared: Path) -> int:
    """Two replicas' segments: clients, meetings and agendas created, edited, their
    status histories appended to, some records edited by the other replica."""
    root = shared / FOLDER_NAME
    count = 0
    made: list[tuple[str, str, str]] = []  # entity, uid, create op id
    for number, rid in enumerate(RIDS):
        folder = root / REPLICAS / rid / SEGMENTS
        folder.mkdir(parents=True)
        create_file(root / REPLICAS / rid / "replica.json", b'{"rid": "%s"}' % rid.encode())
        wall = 1_700_000_000_000 + number
        for seq in range(1, 6):
            ops = []
            for index in range(7):
                wall += 1000
                stamp = Stamp(rid, wall, index)
                uid = f"{rid[:4]}S{seq}I{index}"
                if index % 3 == 0:
                    data = {"name": f"Client {uid}", "manager": rid}
                    ops.append(create_op(stamp, "client", uid, data))
                    made.append(("client", uid, stamp.id))
                elif index % 3 == 1:
                    data = {"text": f"agenda {uid}", "client": made[-1][1], "status": "open"}
                    ops.append(create_op(stamp, "agenda", uid, data))
                    made.append(("agenda", uid, stamp.id))
                else:
                    entity, target, head = made[(seq * 5 + index) % len(made)]
                    field = "name" if entity == "client" else "status"
                    ops.append(set_op(stamp, entity, target, field, f"v{wall}", [head]))
                    stamp = Stamp(rid, wall, index + 100)
                    if entity == "client":
                        ops.append(append_op(stamp, "client", target, "communicators", uid))
            name, data = encode(rid, seq, stored(ops))
            (folder / name).write_bytes(data)
            count += len(ops)
    return count


def workspace_state(node: Node) -> dict[str, Any]:
    """What the two replicas' history made in a workspace (its own manager record and
    the other joiner's are left out)."""
    view = node.ws.store.view
    kinds = ("client", "agenda")
    ingested = node.engine.state.folder(node.root).ingested
    return {
        "records": {name: sorted(view.docs(name), key=lambda d: d["uid"]) for name in kinds},
        "refs": {
            (name, field): list(index.groups())
            for name in kinds
            for field, index in view.refs[name].items()
        },
        "conflicted": {name: view.conflicted[name] for name in kinds},
        "applied": {rid: view.applied.count(rid) for rid in RIDS},
        "journal": [
            op for op in node.ws.store.journal.replay(0, ReplayStats()) if op["rid"] in RIDS
        ],
        "read": {rid: ingested.get(rid) for rid in RIDS},
    }


def test_a_join_in_small_chunks_leaves_what_a_join_in_one_leaves(
    tmp_path: Path, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = write_history(shared)
    whole = Node(tmp_path, "Whole", shared)
    assert whole.sync().ingested_ops == total
    monkeypatch.setattr(store_module, "INGEST_CHUNK", 4)
    monkeypatch.setattr(ingest_module, "INGEST_CHUNK", 5)
    parts = Node(tmp_path, "Parts", shared)
    assert parts.sync().ingested_ops == total + 1  # and the other joiner's own record
    try:
        assert workspace_state(parts) == workspace_state(whole)
        assert len(workspace_state(parts)["journal"]) == total
    finally:
        whole.close()
        parts.close()


def test_a_join_cut_short_reads_the_folder_again_and_ends_alike(
    tmp_path: Path, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = write_history(shared)
    whole = Node(tmp_path, "Whole", shared)
    whole.sync()
    monkeypatch.setattr(ingest_module, "INGEST_CHUNK", 9)
    cut = Node(tmp_path, "Cut", shared)
    journal = cut.ws.store.journal
    append = journal.append
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk gone")
        return append(*args, **kwargs)

    monkeypatch.setattr(journal, "append", failing)
    with pytest.raises(OSError):
        cut.sync()
    assert cut.engine.state.folder(cut.root).ingested == {}  # nothing recorded as read
    assert 0 < len(list(cut.ws.store.view.docs("client"))) < total
    monkeypatch.setattr(journal, "append", append)
    cut.reopen()  # the view rebuilt from the journal the first pass left
    assert cut.sync().ingested_ops < total  # what the first pass took in is known
    try:
        assert workspace_state(cut) == workspace_state(whole)
    finally:
        whole.close()
        cut.close()

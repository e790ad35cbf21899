"""Property: random edits on 2-5 replicas, files delivered in any order, duplicated,
torn and later completed, end in byte-identical exports; no acknowledged op is lost."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.sync.conftest import Node

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Agreement, Client
from pulsetui.store.journal import Journal, ReplayStats
from pulsetui.sync.folder import REPLICAS, SEGMENTS, init_folder

TEXTS = st.text(
    alphabet=st.sampled_from(list("abc äöж õ🙂[b]\x1b\n")), min_size=1, max_size=12
).filter(lambda t: t.strip() != "")
STATUSES = ("open", "done", "broken", "cancelled")


def files_of(node: Node) -> list[Path]:
    return sorted(node.root.glob(f"{REPLICAS}/*/{SEGMENTS}/*.jsonl"))


def deliver(path: Path, src: Node, dst: Node, how: str, cut: float) -> None:
    rel = path.relative_to(src.root)
    if rel.parts[1] == dst.rid:
        return  # nobody hands a replica its own files
    target = dst.root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    data = path.read_bytes()
    if how == "torn":
        if target.exists():
            return
        target.write_bytes(data[: int(len(data) * cut)])
    elif how == "dup":
        stem = target.name[: -len(".jsonl")]
        target.with_name(f"{stem}.sync-conflict-20261120-100000-ABCDEFG.jsonl").write_bytes(data)
    else:
        tmp = target.with_name(".tmp-delivery")
        tmp.write_bytes(data)
        os.replace(tmp, target)


def edit(node: Node, action: str, text: str, pick: int, base: dict[str, str]) -> None:
    ws = node.ws
    clients = sorted(c.uid for c in ws.list(Client))
    with contextlib.suppress(InvalidInput):
        if action == "create":
            ws.add(Client, name=text)
        elif action == "note" and clients:
            ws.update(Client, clients[pick % len(clients)], notes=text)
        elif action == "shared-note" and ws.get(Client, base["client"]):
            ws.update(Client, base["client"], notes=text)
        elif action == "name" and clients:
            ws.update(Client, clients[pick % len(clients)], name=text)
        elif action == "delete" and clients:
            ws.delete(Client, clients[pick % len(clients)])
        elif action == "status" and ws.get(Agreement, base["agreement"]):
            status = STATUSES[pick % len(STATUSES)]
            ws.set_agreement_status(base["agreement"], status, reason=text)
        elif action == "resolve":
            for uid in clients:
                for field in ws.conflicts(Client, uid):
                    ws.resolve(Client, uid, field, text if field != "manager" else None)


def own_ops(node: Node) -> list[dict[str, Any]]:
    journal = Journal(node.home / "journal")
    return [op for op in journal.replay(0, ReplayStats()) if op["rid"] == node.rid]


def check_nothing_lost(node: Node, acknowledged: list[dict[str, Any]]) -> None:
    view = node.ws.store.view
    replaced: set[tuple[str, str, str]] = set()
    for op in acknowledged:
        if op["kind"] in ("set", "resolve"):
            for old in op.get("pred", []):
                replaced.add((op["uid"], op["field"], old))
    for op in acknowledged:
        doc = view.raw(op["entity"], op["uid"])
        assert doc is not None, f"record of {op['id']} missing"
        alive = view.get(op["entity"], op["uid"]) is not None
        if op["kind"] in ("set", "resolve"):
            heads = {head for head, _ in view.heads(op["entity"], op["uid"], op["field"])}
            superseded = (op["uid"], op["field"], op["id"]) in replaced
            assert op["id"] in heads or superseded or not alive, f"lost {op}"
        elif op["kind"] == "append":
            entries = {entry[0] for entry in doc.get("_a", {}).get(op["field"], [])}
            assert op["id"] in entries, f"lost {op}"


@settings(
    max_examples=int(os.environ.get("PULSETUI_PROP_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), count=st.integers(min_value=2, max_value=5))
def test_any_delivery_order_converges(data: st.DataObject, count: int) -> None:
    base_dir = Path(tempfile.mkdtemp(prefix="pulsetui-prop-"))
    nodes: list[Node] = []
    try:
        for index in range(count):
            folder = base_dir / f"folder-{index}"
            init_folder(folder)
            nodes.append(Node(base_dir, f"M{index}", folder))
        first = nodes[0]
        client = first.ws.add(Client, name="Shared", notes="start")
        agreement = first.ws.add_agreement(client.uid, "Demo every week", side="us")
        base = {"client": client.uid, "agreement": agreement.uid}
        first.sync()
        if data.draw(st.booleans(), label="everyone starts from the shared records"):
            for node in nodes[1:]:
                for path in files_of(first):
                    deliver(path, first, node, "full", 1.0)
                node.sync()
        steps = data.draw(st.integers(min_value=4, max_value=24), label="steps")
        for _ in range(steps):
            step = data.draw(st.sampled_from(["edit", "edit", "sync", "deliver"]))
            node = nodes[data.draw(st.integers(0, count - 1))]
            if step == "edit":
                action = data.draw(
                    st.sampled_from(
                        ["create", "note", "shared-note", "name", "delete", "status", "resolve"]
                    )
                )
                edit(node, action, data.draw(TEXTS), data.draw(st.integers(0, 99)), base)
            elif step == "sync":
                node.sync()
            else:
                src = nodes[data.draw(st.integers(0, count - 1))]
                pick = data.draw(st.integers(0, 999))
                how = data.draw(st.sampled_from(["full", "torn", "dup"]))
                cut = data.draw(st.floats(0.0, 0.99))
                files = files_of(src)
                if files:
                    deliver(files[pick % len(files)], src, node, how, cut)
        # everything arrives in the end, in whatever order the last rounds bring it
        for _ in range(2):
            for node in nodes:
                node.sync()
            for src in nodes:
                for dst in nodes:
                    if src is not dst:
                        for path in files_of(src):
                            deliver(path, src, dst, "full", 1.0)
        for node in nodes:
            node.sync()
        exports = {node.ws.export_json() for node in nodes}
        assert len(exports) == 1
        acknowledged = [op for node in nodes for op in own_ops(node)]
        for node in nodes:
            check_nothing_lost(node, acknowledged)
            assert not node.engine.status().problems
    finally:
        for node in nodes:
            node.close()
        shutil.rmtree(base_dir, ignore_errors=True)

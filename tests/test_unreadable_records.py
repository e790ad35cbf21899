"""A value another replica wrote that this version cannot read never breaks reading."""

from __future__ import annotations

from pulsetui.domain.models import Client
from pulsetui.service.workspace import Workspace


def _peer_set(ws: Workspace, entity: str, uid: str, field: str, value: object) -> None:
    heads = [opid for opid, _ in ws.store.view.heads(entity, uid, field)]
    op = {
        "id": "peer0001:4102444800000:0",
        "hlc": [4102444800000, 0],
        "rid": "peer0001",
        "entity": entity,
        "uid": uid,
        "kind": "set",
        "field": field,
        "value": value,
        "pred": heads,
    }
    assert ws.store.ingest([op])


def test_bad_optional_value_falls_back_to_default(ws: Workspace) -> None:
    client = ws.add(Client, name="Kuusi Logistiikka Oy", cadence="monthly")
    _peer_set(ws, "client", client.uid, "cadence", {"not": "a cadence"})
    shown = ws.get(Client, client.uid)
    assert shown is not None
    assert shown.name == "Kuusi Logistiikka Oy"
    assert shown.cadence.value == "quarterly"  # the default, not the peer's garbage
    assert ws.unreadable[("client", client.uid)] == ["cadence"]
    assert [c.uid for c in ws.list(Client)] == [client.uid]


def test_bad_required_value_skips_the_record_without_crashing(ws: Workspace) -> None:
    good = ws.add(Client, name="Tallinna Tarkvara AS")
    bad = ws.add(Client, name="Broken Oy")
    _peer_set(ws, "client", bad.uid, "name", 12345678901234567890)
    assert ws.get(Client, bad.uid) is None
    assert [c.uid for c in ws.list(Client)] == [good.uid]
    assert ws.match(Client, "Tallinna")[0].uid == good.uid


def test_op_with_an_absurd_clock_is_refused_and_does_not_move_ours(ws: Workspace) -> None:
    client = ws.add(Client, name="Kuusi Logistiikka Oy")
    before = ws.store.clock.value
    far = 1 << 50
    op = {
        "id": f"peer0002:{far}:0",
        "hlc": [far, 0],
        "rid": "peer0002",
        "entity": "client",
        "uid": client.uid,
        "kind": "set",
        "field": "name",
        "value": "Hijacked",
        "pred": [],
    }
    ws.store.ingest([op])
    assert ws.require(Client, client.uid).name == "Kuusi Logistiikka Oy"
    assert ws.store.clock.value[0] < far
    assert ws.store.clock.value >= before


def test_clock_far_ahead_is_applied_but_not_followed(ws: Workspace) -> None:
    client = ws.add(Client, name="Tallinna Tarkvara AS")
    ahead = ws.store.clock.now_ms() + 400 * 24 * 3600 * 1000  # a year and more ahead
    heads = [opid for opid, _ in ws.store.view.heads("client", client.uid, "notes")]
    op = {
        "id": f"peer0003:{ahead}:0",
        "hlc": [ahead, 0],
        "rid": "peer0003",
        "entity": "client",
        "uid": client.uid,
        "kind": "set",
        "field": "notes",
        "value": "from a machine whose clock is wrong",
        "pred": heads,
    }
    ws.store.ingest([op])
    assert ws.require(Client, client.uid).notes == "from a machine whose clock is wrong"
    assert ws.store.clock.value[0] < ahead

"""A value another replica wrote that this version cannot read never breaks reading."""

from __future__ import annotations

from pulsetui.domain.models import Client
from pulsetui.service.workspace import Workspace


def _peer_set(ws: Workspace, entity: str, uid: str, field: str, value: object) -> None:
    heads = [opid for opid, _ in ws.store.view.heads(entity, uid, field)]
    op = {
        "id": "peer0001:9999999999999:0",
        "hlc": [9999999999999, 0],
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

"""The since-last-meeting brief reads a client's records the way every list does: a
value this version cannot read (another replica's newer request status) never breaks it."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.enums import RequestStatus
from pulsetui.domain.models import Client, Request
from pulsetui.service.insights.brief import since_last_meeting
from pulsetui.service.workspace import Workspace


def test_brief_survives_a_request_status_it_cannot_read(ws: Workspace) -> None:
    client = ws.add(Client, name="Kuusi Logistiikka Oy", manager=ws.me)
    today = ws.today()
    kept = ws.add(Request, client=client.uid, text="Export to CSV", date=today)
    odd = ws.add(Request, client=client.uid, text="Dark mode", date=today - dt.timedelta(days=2))
    heads = [opid for opid, _ in ws.store.view.heads("request", odd.uid, "status")]
    op = {
        "id": "peer0001:4102444800000:0",
        "hlc": [4102444800000, 0],
        "rid": "peer0001",
        "entity": "request",
        "uid": odd.uid,
        "kind": "set",
        "field": "status",
        "value": "declined",  # a status a newer version may know
        "pred": heads,
    }
    assert ws.store.ingest([op])
    brief = since_last_meeting(ws, client.uid)
    assert kept.uid in [r.uid for r in brief.new_requests]
    for request in brief.new_requests:
        assert request.status == RequestStatus.NEW

"""The workspace's read calls the front-ends use instead of reaching into the store:
one record, whether it exists, the client it is about, and hearing every change."""

from __future__ import annotations

from typing import Any

from pulsetui.domain.models import Client
from pulsetui.service.workspace import Workspace


def test_one_record_its_client_and_whether_it_exists(ws: Workspace) -> None:
    acme = ws.add(Client, name="Acme Oy", manager=ws.me)
    agreement = ws.add_agreement(acme.uid, "Send the offer", "us")
    assert ws.doc("agreement", agreement.uid)["text"] == "Send the offer"  # type: ignore[index]
    assert ws.exists("client", acme.uid) and not ws.exists("client", agreement.uid)
    assert not ws.exists("client", None) and not ws.exists("client", "")
    assert ws.client_of("agreement", agreement.uid) == acme.uid
    assert ws.client_of("client", acme.uid) == acme.uid
    assert ws.client_of("manager", str(ws.me)) is None
    ws.delete("agreement", agreement.uid)
    assert ws.doc("agreement", agreement.uid) is None
    assert ws.client_of("agreement", agreement.uid) is None


def test_a_listener_hears_each_change_until_it_stops(ws: Workspace) -> None:
    heard: list[list[dict[str, Any]]] = []
    ws.on_change(heard.append)
    acme = ws.add(Client, name="Acme Oy")
    assert heard and all(op["uid"] == acme.uid for op in heard[-1])
    ws.off_change(heard.append)
    ws.off_change(heard.append)  # again: nothing to stop
    count = len(heard)
    ws.update(Client, acme.uid, name="Acme Oyj")
    assert len(heard) == count

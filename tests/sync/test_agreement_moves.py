"""Due-date moves of one agreement made on two replicas at once both survive a sync."""

from __future__ import annotations

import datetime as dt

from tests.sync.conftest import Node

from pulsetui.domain.models import Agreement, Client
from pulsetui.service.agreement_edits import edit_agreement


def test_moves_made_on_two_replicas_both_survive(nodes: list[Node]) -> None:
    anna, bob = nodes
    client = anna.ws.add(Client, name="Acme")
    deal = anna.ws.add_agreement(client.uid, "Ship v2", side="us", due=dt.date(2026, 11, 27))
    anna.sync()
    bob.sync()
    edit_agreement(anna.ws, deal.uid, due=dt.date(2026, 12, 4))
    bob.now = bob.now + dt.timedelta(minutes=5)
    edit_agreement(bob.ws, deal.uid, due=dt.date(2026, 12, 11))
    for node in (anna, bob, anna):
        node.sync()
    for node in (anna, bob):
        moves = node.ws.require(Agreement, deal.uid).due_moves
        assert sorted((m.by, str(m.from_due), str(m.to_due)) for m in moves) == [
            ("Anna", "2026-11-27", "2026-12-04"),
            ("Bob", "2026-11-27", "2026-12-11"),
        ]
        # two dates set at once stay visible until a person settles them
        assert sorted(node.ws.conflicts(Agreement, deal.uid)["due"]) == [
            "2026-12-04",
            "2026-12-11",
        ]
    assert anna.ws.export_json() == bob.ws.export_json()

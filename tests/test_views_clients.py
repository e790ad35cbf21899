"""The Clients view: my clients by name with segment, stage, spiral, next meeting and
health; clients sharing a name are marked; a call sees only the client in view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import DAY, TODAY, Firm, firm_in

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.clients import HealthMark, MeetingSlot, clients_view


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def test_my_clients_with_their_facts(firm: Firm) -> None:
    view = clients_view(firm.ws, Audience.manager(firm.ws.me))
    assert [r.name for r in view.rows] == ["Acme Oy", "Bolt Labs"]  # not a colleague's
    acme = view.rows[0]
    assert (acme.segment, acme.stage, acme.spiral) == ("unknown", "onboarding", "q1_functionality")
    assert acme.next_meeting == MeetingSlot(firm.next_meeting, TODAY + 10 * DAY, None)
    assert acme.health == HealthMark(7, "at risk")
    assert view.rows[1].next_meeting is None
    assert view.shared_names == 0 and not acme.shares_name


def test_a_client_added_twice_is_marked(firm: Firm) -> None:
    firm.ws.add("client", name="ACME OY", manager=firm.ws.me)
    view = clients_view(firm.ws, Audience.manager(firm.ws.me))
    assert [(r.name, r.shares_name) for r in view.rows] == [
        ("Acme Oy", True),
        ("ACME OY", True),
        ("Bolt Labs", False),
    ]
    assert view.shared_names == 2


def test_a_meeting_held_or_past_is_not_the_next_one(firm: Firm) -> None:
    ws = firm.ws
    ws.hold_meeting(firm.next_meeting)
    ws.plan_meeting(firm.acme, TODAY - DAY)
    later = ws.plan_meeting(firm.acme, TODAY + 20 * DAY, time="09:30")
    row = clients_view(ws, Audience.manager(ws.me)).rows[0]
    assert row.next_meeting == MeetingSlot(later.uid, TODAY + 20 * DAY, "09:30")


def test_a_call_sees_the_client_in_view_without_our_judgement(firm: Firm) -> None:
    view = clients_view(firm.ws, Audience.call(firm.acme, firm.ws.me))
    assert view.in_call and [r.name for r in view.rows] == ["Acme Oy"]
    assert view.rows[0].segment is None and view.rows[0].health is None
    assert view.rows[0].stage == "onboarding"

"""The since-last-meeting brief of a client."""

from __future__ import annotations

import datetime as dt

import pytest

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.insights.brief import since_last_meeting
from pulsetui.service.workspace import Workspace

D = dt.date


def test_brief_without_any_meeting(ws: Workspace) -> None:
    acme = ws.add("client", name="Acme", manager=ws.me).uid
    ws.add_agenda_item(acme, "Budget")
    ws.add("request", client=acme, text="New one", date=D(2026, 11, 1))
    ws.add("request", client=acme, text="Handled", date=D(2026, 11, 1), status="done")
    brief = since_last_meeting(ws, acme)
    assert brief.last_meeting is None
    assert brief.carried_over == []
    assert [r.text for r in brief.new_requests] == ["New one"]
    assert brief.nps_change is None and brief.nps_now.n == 0
    assert brief.days_since_touchpoint is None


def test_brief_after_a_meeting(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    acme = ws.add("client", name="Acme", manager=ws.me).uid
    old_item = ws.add_agenda_item(acme, "Carried over")  # added 2026-11-20 (frozen now)
    meeting = ws.plan_meeting(acme, D(2026, 11, 20))
    ws.hold_meeting(meeting.uid)
    ws.plan_meeting(acme, D(2026, 12, 4))
    discussed = ws.add_agenda_item(acme, "Discussed")
    ws.mark_agenda(discussed.uid, "discussed", meeting.uid)
    ws.add_nps(acme, 10, date=D(2026, 6, 1))
    ws.add_nps(acme, 3, date=D(2026, 11, 20))  # on the meeting day: counts as before
    ws.add_agreement(acme, "Due soon", "us", due=D(2026, 11, 25))
    ws.add_agreement(acme, "Overdue", "client", due=D(2026, 11, 1))
    ws.add_agreement(acme, "Far", "us", due=D(2027, 1, 1))
    ws.add("touchpoint", client=acme, kind="article", date=D(2026, 11, 10))

    later = dt.datetime(2026, 11, 27, 9)
    monkeypatch.setattr(ws, "clock", lambda: later)
    ws.add_nps(acme, 9, date=D(2026, 11, 26))
    ws.add("request", client=acme, text="After the meeting", date=D(2026, 11, 26))
    ws.add("request", client=acme, text="Before the meeting", date=D(2026, 11, 2))

    brief = since_last_meeting(ws, acme)
    assert brief.last_meeting == D(2026, 11, 20)
    assert brief.next_meeting == D(2026, 12, 4)
    assert [i.uid for i in brief.carried_over] == [old_item.uid]
    assert [a.text for a in brief.agreements_due] == ["Overdue", "Due soon"]
    # before: 10 and 3 -> 0; after: 9 -> +100
    assert brief.nps_change == 100
    assert brief.nps_now.n == 3
    assert [r.text for r in brief.new_requests] == ["After the meeting"]
    assert brief.days_since_touchpoint == 17


def test_brief_of_unknown_client(ws: Workspace) -> None:
    with pytest.raises(InvalidInput):
        since_last_meeting(ws, "NOPE")

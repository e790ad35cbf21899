"""The client page view: head facts, contacts, engagements, health and its reasons,
flags, the brief since the last meeting, the agenda backlog, the timeline and what
sync met twice; in a call, none of our judgement or private notes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import DAY, TODAY, Firm, firm_in

from pulsetui.domain.models import Client
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.client_page import (
    ContactLine,
    SyncNotice,
    client_page_view,
    sync_notices,
)
from pulsetui.service.views.clients import MeetingSlot


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def test_the_page_of_one_client(firm: Firm) -> None:
    page = client_page_view(firm.ws, Audience.manager(firm.ws.me), firm.acme)
    assert page is not None
    assert (page.name, page.segment, page.stage, page.cadence) == (
        "Acme Oy",
        "unknown",
        "onboarding",
        "monthly",
    )
    assert page.contacts == (ContactLine("Mikko Mäki", "CTO", True),)
    assert [(e.consultant, e.end) for e in page.engagements] == [("Aino Laine", None)]
    assert page.notes == "SECRET client note"
    assert page.nps.startswith("-100 (n=1") and page.nps_interval.startswith("95% CI")
    assert page.health is not None and page.health.grade == "at risk"
    lost = [reason for _points, reason in page.health.lost]
    assert lost[0] == "no client meeting held yet"  # onboarding: a first meeting is due
    assert any(reason.startswith("NPS -100") for reason in lost)
    assert {f.label for f in page.flags} >= {"Unpaid invoices", "Agreement overdue"}
    assert page.agenda == ("Invoice delays", "Roadmap 2027")
    assert page.next_meeting is not None and page.next_meeting.date == TODAY + 10 * DAY
    assert page.brief.last_meeting is None and page.brief.carried_over == 0
    assert [(a.text, a.overdue) for a in page.brief.agreements_due] == [
        ("Send the roadmap", True),
        ("Approve the hours", False),
    ]


def test_timeline_is_newest_first_with_what_happened(firm: Firm) -> None:
    ws = firm.ws
    ws.add("touchpoint", client=firm.acme, kind="call", date=TODAY - 40 * DAY, note="Called")
    page = client_page_view(ws, Audience.manager(ws.me), firm.acme)
    assert page is not None
    days = [e.day for e in page.timeline]
    assert days == sorted(days, key=lambda d: d.isoformat() if d else "", reverse=True)
    shown = {(e.kind, e.what, e.detail) for e in page.timeline}
    assert ("nps", "NPS 3", "Respondent Rita: SECRET reason") in shown
    assert ("touchpoint", "touchpoint call", "Called") in shown
    assert ("meeting", "meeting planned", "") in shown
    assert ("agreement", "agreement ours open", "Send the roadmap (due 2026-11-17)") in shown
    assert page.timeline[-1].what == "touchpoint call"


def test_in_a_call_the_page_keeps_what_the_client_may_see(firm: Firm) -> None:
    page = client_page_view(firm.ws, Audience.call(firm.acme, firm.ws.me), firm.acme)
    assert page is not None
    assert (page.segment, page.health, page.notes) == (None, None, "")
    assert page.stage == "onboarding" and page.contacts[0].name == "Mikko Mäki"
    assert {f.label for f in page.flags} == {"Agreement overdue", "Client meeting overdue"}
    assert [e.detail for e in page.timeline if e.kind == "nps"] == [""]
    # another client's page is not reachable from this call
    assert client_page_view(firm.ws, Audience.call(firm.acme, firm.ws.me), firm.bolt) is None


def test_a_client_that_is_gone_has_no_page(firm: Firm) -> None:
    firm.ws.delete(Client, firm.other)
    assert client_page_view(firm.ws, Audience.manager(firm.ws.me), firm.other) is None


def test_sync_notices_name_the_records_met_twice(firm: Firm) -> None:
    ws = firm.ws
    agreement = next(d for d in ws.docs("agreement", client=firm.acme))
    edit = ws.store.edit("agreement", agreement["uid"])
    edit.set("text", "Mine").commit()
    ws.store.edit("agreement", agreement["uid"]).set_concurrent("text", "Theirs").commit()
    conflicted, kept = sync_notices(ws, firm.acme)
    assert conflicted == (SyncNotice("agreement", agreement["uid"], "Theirs", ("text",)),)
    assert kept == ()
    call = client_page_view(ws, Audience.call(firm.acme, ws.me), firm.acme)
    assert call is not None and call.conflicted == () and call.kept == ()


def test_a_planned_meeting_whose_day_passed_unheld_shows_as_not_held(firm: Firm) -> None:
    ws = firm.ws
    me = Audience.manager(ws.me)
    ws.delete("meeting", firm.next_meeting)
    missed = ws.plan_meeting(firm.acme, TODAY - 10 * DAY, time="10:00")
    page = client_page_view(ws, me, firm.acme)
    assert page is not None and page.next_meeting is None
    assert page.not_held == MeetingSlot(missed.uid, TODAY - 10 * DAY, "10:00")
    slip = f"planned {(TODAY - 10 * DAY).isoformat()}, not held (10 days ago)"
    assert page.next_meeting_text == f"{slip}; none planned since"
    # in a call the client sees its own meeting slip too: it is no internal judgement
    call = client_page_view(ws, Audience.call(firm.acme, ws.me), firm.acme)
    assert call is not None and call.next_meeting_text == page.next_meeting_text

    later = ws.plan_meeting(firm.acme, TODAY + 5 * DAY)
    page = client_page_view(ws, me, firm.acme)
    assert page is not None and page.next_meeting == MeetingSlot(later.uid, TODAY + 5 * DAY, None)
    assert page.next_meeting_text == f"{(TODAY + 5 * DAY).isoformat()} · {slip}"

    ws.hold_meeting(ws.plan_meeting(firm.acme, TODAY - 2 * DAY).uid)  # held since: history
    page = client_page_view(ws, me, firm.acme)
    assert page is not None and page.not_held is None
    assert page.next_meeting_text == (TODAY + 5 * DAY).isoformat()

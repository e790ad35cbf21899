"""The meeting view: the agenda as topics (one per wording, however often added), how
each topic stands, the agreements captured; and what a held meeting produced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import DAY, NOW, Firm, firm_in

from pulsetui.domain.enums import AgendaStatus
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.meeting import MIXED, meeting_outcome, meeting_view


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def test_agenda_topics_group_the_same_words(firm: Firm) -> None:
    ws = firm.ws
    ws.add("agenda", client=firm.acme, text="invoice  DELAYS", added_at=NOW - 2 * DAY)
    view = meeting_view(ws, Audience.manager(ws.me), firm.acme, None)
    assert view is not None and view.client_name == "Acme Oy"
    assert [(t.text, t.status, len(t.items)) for t in view.topics] == [
        ("Invoice delays", "open", 2),
        ("Roadmap 2027", "open", 1),
    ]
    assert view.topics[0].key == view.topics[0].items[0].uid
    assert view.discussed == 0 and view.agreements == ()


def test_topics_settled_in_the_meeting_stay_listed_with_their_status(firm: Firm) -> None:
    ws = firm.ws
    copy = ws.add("agenda", client=firm.acme, text="Invoice delays", added_at=NOW - DAY)
    invoice, roadmap = sorted(ws.agenda_of(firm.acme), key=lambda i: i.added_at)[:2]
    ws.mark_agenda(invoice.uid, AgendaStatus.DISCUSSED, firm.next_meeting)
    ws.mark_agenda(roadmap.uid, AgendaStatus.DROPPED, firm.next_meeting)
    ws.add_agreement(firm.acme, "Send it", "us", due=NOW.date(), meeting=firm.next_meeting)
    view = meeting_view(ws, Audience.manager(ws.me), firm.acme, firm.next_meeting)
    assert view is not None
    assert [(t.text, t.status) for t in view.topics] == [
        ("Invoice delays", MIXED),  # one copy ticked, the other still open
        ("Roadmap 2027", "dropped"),
    ]
    assert [e.uid for e in view.topics[0].items] == [invoice.uid, copy.uid]
    assert [(a.text, a.side, a.due) for a in view.agreements] == [("Send it", "us", NOW.date())]
    # without the meeting, only what is open
    open_only = meeting_view(ws, Audience.manager(ws.me), firm.acme, None)
    assert open_only is not None and [t.text for t in open_only.topics] == ["Invoice delays"]


def test_outcome_lists_each_topic_once_under_how_it_was_settled(firm: Firm) -> None:
    ws = firm.ws
    ws.add("agenda", client=firm.acme, text="Team size", added_at=NOW)
    invoice, roadmap = sorted(ws.agenda_of(firm.acme), key=lambda i: i.added_at)[:2]
    ws.mark_agenda(invoice.uid, AgendaStatus.DISCUSSED, firm.next_meeting)
    ws.mark_agenda(roadmap.uid, AgendaStatus.DROPPED, firm.next_meeting)
    later = NOW.date() + dt.timedelta(days=9)
    ws.add_agreement(firm.acme, "Later", "client", due=later, meeting=firm.next_meeting)
    ws.add_agreement(
        firm.acme, "Sooner", "us", owner="Anna", due=NOW.date(), meeting=firm.next_meeting
    )
    ws.hold_meeting(firm.next_meeting, date=NOW.date(), notes="Went well")
    outcome = meeting_outcome(ws, firm.next_meeting)
    assert (outcome.client_name, outcome.date, outcome.notes) == (
        "Acme Oy",
        NOW.date(),
        "Went well",
    )
    assert outcome.discussed == ("Invoice delays",)
    assert outcome.dropped == ("Roadmap 2027",)
    assert outcome.carried == ("Team size",)
    assert [a.text for a in outcome.agreements] == ["Sooner", "Later"]

"""Client health: every factor takes points off with a reason when its situation
exists, and not otherwise; onboarding is stricter; the trend follows the quarters."""

from __future__ import annotations

import datetime as dt

import pytest

from pulsetui.domain.cadence import DueState
from pulsetui.domain.health import HealthFacts, grade, weigh
from pulsetui.service.insights.health import client_health, health_facts
from pulsetui.service.workspace import Workspace

D = dt.date


def _client(ws: Workspace, **fields: object) -> str:
    """A client long past onboarding unless told otherwise (the stage field decides)."""
    fields.setdefault("started", D(2025, 1, 1))
    fields.setdefault("cadence", "monthly")
    fields.setdefault("stage", "success")
    return ws.add("client", name="Acme", manager=ws.me, **fields).uid


def _healthy(ws: Workspace, client: str) -> None:
    """Recent meeting and promoters: nothing to lose."""
    meeting = ws.plan_meeting(client, D(2026, 11, 10))
    ws.hold_meeting(meeting.uid)
    for _ in range(3):
        ws.add_nps(client, 10, date=D(2026, 10, 1))


def _reasons(ws: Workspace, client: str) -> list[str]:
    return [reason for _, reason in client_health(ws, client).lost]


def test_healthy_client_loses_nothing(ws: Workspace) -> None:
    acme = _client(ws)
    _healthy(ws, acme)
    health = client_health(ws, acme)
    assert (health.score, health.grade, health.lost) == (100, "good", [])


@pytest.mark.parametrize(
    ("score", "expected"),
    [(100, "good"), (75, "good"), (74, "watch"), (50, "watch"), (49, "at risk"), (0, "at risk")],
)
def test_grades(score: int, expected: str) -> None:
    assert grade(score) == expected


def test_losses_are_sorted_biggest_first_and_score_never_below_zero() -> None:
    facts = HealthFacts(
        nps=-50,
        nps_n=4,
        overdue_ours=5,
        broken_recent=4,
        meeting=DueState.OVERDUE,
        meeting_days_since=120,
        wellbeing={"Mia": 1},
        unpaid_invoices=True,
        approval_delays=True,
        stale_requests=9,
    )
    score, lost = weigh(facts)
    assert score == 0
    points = [p for p, _ in lost]
    assert points == sorted(points, reverse=True)
    assert (30, "4 agreements broken in the last 6 months") in lost
    assert (24, "5 agreements of ours overdue") in lost
    assert (12, "9 requests unprocessed for 14+ days") in lost


# ---- each factor, seen and not seen -----------------------------------------------------------


def test_no_recent_nps(ws: Workspace) -> None:
    acme = _client(ws)
    meeting = ws.plan_meeting(acme, D(2026, 11, 10))
    ws.hold_meeting(meeting.uid)
    ws.add_nps(acme, 10, date=D(2026, 1, 1))  # too old to count
    # in success (on autopilot, watched through its measurements) a missing NPS costs 10
    assert client_health(ws, acme).lost == [(10, "no NPS answer in the last 6 months")]


def test_low_nps(ws: Workspace) -> None:
    acme = _client(ws)
    _healthy(ws, acme)
    for _ in range(4):
        ws.add_nps(acme, 2, date=D(2026, 11, 1))
    assert _reasons(ws, acme) == ["NPS -14 over the last 6 months (n=7, directional): below 0"]
    assert client_health(ws, acme).score == 80


def test_middling_nps(ws: Workspace) -> None:
    acme = _client(ws)
    _healthy(ws, acme)
    for score in (8, 8, 8, 0):  # with the 3 promoters: (3 - 1) / 7 = +28.6
        ws.add_nps(acme, score, date=D(2026, 11, 1))
    assert client_health(ws, acme).lost == [
        (10, "NPS +29 over the last 6 months (n=7, directional): below +30")
    ]


def test_overdue_agreements_ours_and_theirs(ws: Workspace) -> None:
    acme = _client(ws)
    _healthy(ws, acme)
    ws.add_agreement(acme, "Ours", "us", due=D(2026, 11, 1))
    ws.add_agreement(acme, "Theirs", "client", due=D(2026, 11, 1))
    ws.add_agreement(acme, "Later", "us", due=D(2026, 12, 1))
    assert client_health(ws, acme).lost == [
        (8, "1 agreement of ours overdue"),
        (4, "1 agreement of the client's overdue"),
    ]


def test_broken_agreement(ws: Workspace) -> None:
    acme = _client(ws)
    _healthy(ws, acme)
    agreement = ws.add_agreement(acme, "Deliver", "us", due=D(2026, 12, 1))
    assert client_health(ws, acme).lost == []
    ws.set_agreement_status(agreement.uid, "broken", reason="key person left")
    assert client_health(ws, acme).lost == [(10, "1 agreement broken in the last 6 months")]


def test_meeting_due_and_overdue(ws: Workspace) -> None:
    acme = _client(ws)
    for _ in range(3):
        ws.add_nps(acme, 10, date=D(2026, 10, 1))
    meeting = ws.plan_meeting(acme, D(2026, 10, 18))
    ws.hold_meeting(meeting.uid)
    assert client_health(ws, acme).lost == [(5, "client meeting due: last one 33 days ago")]
    ws.update("client", acme, cadence="weekly")
    assert client_health(ws, acme).lost == [(15, "client meeting overdue: last one 33 days ago")]


def test_consultant_wellbeing(ws: Workspace) -> None:
    acme = _client(ws)
    _healthy(ws, acme)
    mia = ws.add("consultant", name="Mia", manager=ws.me).uid
    leo = ws.add("consultant", name="Leo", manager=ws.me).uid
    for person in (mia, leo):
        ws.add("engagement", client=acme, consultant=person, start=D(2026, 1, 1))
    ws.add_pulse(mia, date=D(2026, 10, 1), wellbeing=5)
    ws.add_pulse(mia, date=D(2026, 11, 1), wellbeing=2)
    ws.add_pulse(leo, date=D(2026, 11, 1), wellbeing=4)
    assert client_health(ws, acme).lost == [(15, "Mia's wellbeing 2/5 at the last pulse")]
    ws.add_pulse(mia, date=D(2026, 11, 15), wellbeing=3)
    assert client_health(ws, acme).lost == [(5, "Mia's wellbeing 3/5 at the last pulse")]


def test_unpaid_invoices_and_approval_delays(ws: Workspace) -> None:
    acme = _client(ws, unpaid_invoices=True, approval_delays=True)
    _healthy(ws, acme)
    assert client_health(ws, acme).lost == [(15, "unpaid invoices"), (10, "approvals are late")]


def test_stale_requests(ws: Workspace) -> None:
    acme = _client(ws)
    _healthy(ws, acme)
    ws.add("request", client=acme, text="Old", date=D(2026, 11, 1))
    ws.add("request", client=acme, text="Fresh", date=D(2026, 11, 19))
    ws.add("request", client=acme, text="Handled", date=D(2026, 10, 1), status="accepted")
    assert client_health(ws, acme).lost == [(3, "1 request unprocessed for 14+ days")]


# ---- onboarding ----------------------------------------------------------------------------


def test_onboarding_is_stricter_on_contact(ws: Workspace) -> None:
    new = _client(ws, started=D(2026, 10, 1), stage="onboarding")
    for _ in range(3):
        ws.add_nps(new, 10, date=D(2026, 11, 1))
    meeting = ws.plan_meeting(new, D(2026, 10, 16))
    ws.hold_meeting(meeting.uid)
    facts = health_facts(ws, new)
    assert facts.onboarding
    assert client_health(ws, new).lost == [
        (10, "client meeting due: last one 35 days ago"),
        (10, "onboarding: no contact for 35 days"),
    ]
    ws.add("touchpoint", client=new, kind="article", date=D(2026, 11, 18))
    assert client_health(ws, new).lost == [(10, "client meeting due: last one 35 days ago")]


def test_the_same_situation_costs_less_after_onboarding(ws: Workspace) -> None:
    old = _client(ws, started=D(2025, 1, 1))
    for _ in range(3):
        ws.add_nps(old, 10, date=D(2026, 11, 1))
    meeting = ws.plan_meeting(old, D(2026, 10, 16))
    ws.hold_meeting(meeting.uid)
    assert not health_facts(ws, old).onboarding
    assert client_health(ws, old).lost == [(5, "client meeting due: last one 35 days ago")]


def test_brand_new_client_is_not_blamed_for_no_meeting_yet(ws: Workspace) -> None:
    new = _client(ws, started=D(2026, 11, 15), stage="onboarding")
    assert client_health(ws, new).lost == [(5, "no NPS answer in the last 6 months")]


# ---- trend ----------------------------------------------------------------------------------


def test_trend_reads_each_quarter_as_it_stood(ws: Workspace) -> None:
    acme = _client(ws, cadence="quarterly")
    for day in (D(2026, 2, 1), D(2026, 5, 1), D(2026, 8, 1), D(2026, 11, 1)):
        meeting = ws.plan_meeting(acme, day)
        ws.hold_meeting(meeting.uid)
        for _ in range(3):
            ws.add_nps(acme, 10, date=day)
    # recorded today (its history starts now), due in June: overdue today only
    agreement = ws.add_agreement(acme, "Migrate", "us", due=D(2026, 6, 1))
    health = client_health(ws, acme)
    assert health.trend == [100, 100, 100, 92]
    assert health.score == 92
    ws.set_agreement_status(agreement.uid, "done")
    assert client_health(ws, acme).score == 100

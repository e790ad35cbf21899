"""Red flags: each kind is raised when its situation exists and only then; addressing
a flag hides it until it comes back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import FROZEN_NOW
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.flags import FLAG_KINDS
from pulsetui.service.config import Config, Thresholds
from pulsetui.service.insights.flags import RedFlag, address_flag, red_flags
from pulsetui.service.workspace import Workspace

D = dt.date


def _client(ws: Workspace, name: str = "Acme", **fields: object) -> str:
    """A client long past onboarding unless told otherwise (the stage field decides)."""
    fields.setdefault("started", D(2025, 1, 1))
    fields.setdefault("stage", "success")
    return ws.add("client", name=name, manager=ws.me, **fields).uid


def _consultant(ws: Workspace, name: str = "Mia") -> str:
    return ws.add("consultant", name=name, manager=ws.me).uid


def _held_meeting(ws: Workspace, client: str, day: dt.date) -> None:
    meeting = ws.plan_meeting(client, day)
    ws.hold_meeting(meeting.uid)


def _kinds(flags: list[RedFlag]) -> list[str]:
    return [f.kind for f in flags]


def _of(ws: Workspace, kind: str, **kw: object) -> list[RedFlag]:
    return [f for f in red_flags(ws, **kw) if f.kind == kind]  # type: ignore[arg-type]


def test_every_contract_kind_has_a_label_and_way_out() -> None:
    assert set(FLAG_KINDS) == {
        "pulse_overdue",
        "meeting_overdue",
        "agreement_overdue",
        "agreement_broken",
        "nps_detractor",
        "nps_falling",
        "unpaid_invoices",
        "approvals_slipping",
        "wishes_unplanned",
        "early_free_work",
        "team_grown_unplanned",
        "feedback_unprocessed",
        "communicator_too_long",
        "communicator_technical",
        "consultant_squeezed",
        "caught_between",
        "onboarding_overdue",
        "spiral_features_without_ux",
        "spiral_ux_without_features",
        "spiral_no_stabilisation",
        "spiral_stuck",
    }
    assert all(k.label and k.way_out for k in FLAG_KINDS.values())


def test_quiet_workspace_has_no_flags(ws: Workspace) -> None:
    acme = _client(ws)
    _held_meeting(ws, acme, D(2026, 11, 10))
    assert red_flags(ws) == []


# ---- pulse and meeting -----------------------------------------------------------------


def test_pulse_overdue(ws: Workspace) -> None:
    mia = _consultant(ws)
    ws.add_pulse(mia, date=D(2026, 9, 1))
    (flag,) = _of(ws, "pulse_overdue")
    assert flag.key == f"pulse_overdue:{mia}"
    assert flag.reason == "last pulse 2026-09-01, 80 days ago"
    assert flag.since == D(2026, 10, 13)
    assert flag.internal and flag.consultant == mia


def test_pulse_recent_is_no_flag(ws: Workspace) -> None:
    mia = _consultant(ws)
    ws.add_pulse(mia, date=D(2026, 9, 1))
    ws.add_pulse(mia, date=D(2026, 11, 1))
    assert _of(ws, "pulse_overdue") == []


def test_pulse_never_held_flags_after_the_engagement_started(ws: Workspace) -> None:
    mia = _consultant(ws)
    acme = _client(ws)
    ws.add("engagement", client=acme, consultant=mia, start=D(2026, 11, 1))
    assert _of(ws, "pulse_overdue") == []  # placed 19 days ago
    ws.add("engagement", client=acme, consultant=mia, start=D(2026, 6, 1))
    (flag,) = _of(ws, "pulse_overdue")
    assert "since the engagement started 2026-06-01" in flag.reason
    assert flag.client == acme


def test_meeting_overdue(ws: Workspace) -> None:
    acme = _client(ws, cadence="monthly")
    _held_meeting(ws, acme, D(2026, 9, 1))
    (flag,) = _of(ws, "meeting_overdue")
    assert flag.reason == "last meeting 2026-09-01, 80 days ago; agreed cadence monthly"
    assert not flag.internal and flag.client == acme


def test_meeting_within_cadence_is_no_flag(ws: Workspace) -> None:
    acme = _client(ws, cadence="monthly")
    _held_meeting(ws, acme, D(2026, 11, 1))
    ws.plan_meeting(acme, D(2026, 8, 1))  # planned, never held: does not count
    assert _of(ws, "meeting_overdue") == []


def test_meeting_never_held(ws: Workspace) -> None:
    _client(ws, "Old", started=D(2026, 1, 1))
    _client(ws, "New", started=D(2026, 11, 1))
    flags = _of(ws, "meeting_overdue")
    assert len(flags) == 1 and "since the start on 2026-01-01" in flags[0].reason


# ---- agreements --------------------------------------------------------------------------


def test_agreement_overdue(ws: Workspace) -> None:
    acme = _client(ws)
    _held_meeting(ws, acme, D(2026, 11, 10))
    late = ws.add_agreement(acme, "Ship the login page", "us", owner="Mia", due=D(2026, 11, 1))
    ws.add_agreement(acme, "Review the plan", "client", due=D(2026, 11, 30))
    done = ws.add_agreement(acme, "Old thing", "us", due=D(2026, 10, 1))
    ws.set_agreement_status(done.uid, "done")
    (flag,) = _of(ws, "agreement_overdue")
    assert flag.key == f"agreement_overdue:{late.uid}"
    assert flag.reason == "“Ship the login page” was due 2026-11-01, 19 days ago; owner Mia"
    assert flag.since == D(2026, 11, 1)


def test_agreement_broken(ws: Workspace) -> None:
    acme = _client(ws)
    kept = ws.add_agreement(acme, "Kept", "us", due=D(2026, 12, 1))
    broken = ws.add_agreement(acme, "Send the data", "client", due=D(2026, 12, 1))
    ws.set_agreement_status(broken.uid, "broken", reason="no access granted")
    (flag,) = _of(ws, "agreement_broken")
    assert flag.key == f"agreement_broken:{broken.uid}"
    assert flag.reason == "“Send the data” broken on 2026-11-20: no access granted"
    assert kept.uid not in flag.key


# ---- NPS ---------------------------------------------------------------------------------


def test_nps_detractor(ws: Workspace) -> None:
    acme = _client(ws)
    answer = ws.add_nps(acme, 3, reason="missed deadline", contact="Eva", date=D(2026, 11, 1))
    (flag,) = _of(ws, "nps_detractor")
    assert flag.key == f"nps_detractor:{answer.uid}"
    assert flag.reason == "Eva answered 3 on 2026-11-01: missed deadline"
    assert flag.internal


def test_old_detractor_or_passive_is_no_flag(ws: Workspace) -> None:
    acme = _client(ws)
    ws.add_nps(acme, 3, date=D(2026, 5, 1))
    ws.add_nps(acme, 7, date=D(2026, 11, 1))
    assert _of(ws, "nps_detractor") == []


def test_nps_falling(ws: Workspace) -> None:
    acme = _client(ws)
    ws.add_nps(acme, 10, date=D(2026, 3, 1))
    ws.add_nps(acme, 9, date=D(2026, 4, 1))
    ws.add_nps(acme, 8, date=D(2026, 9, 1))
    ws.add_nps(acme, 7, date=D(2026, 10, 1))
    assert _of(ws, "nps_falling") == []  # n=2 against n=2: inside the intervals
    for n in range(10):
        ws.add_nps(acme, 10, date=D(2026, 3, 2 + n))
        ws.add_nps(acme, 2 if n % 2 else 9, date=D(2026, 9, 2 + n))
    (flag,) = _of(ws, "nps_falling")
    assert "NPS 0 (n=12) over the last 6 months" in flag.reason
    assert "was +100 (n=12)" in flag.reason
    assert flag.since == D(2026, 9, 1)


def test_steady_nps_is_no_flag(ws: Workspace) -> None:
    acme = _client(ws)
    for day in (D(2026, 3, 1), D(2026, 4, 1), D(2026, 9, 1), D(2026, 10, 1)):
        ws.add_nps(acme, 9, date=day)
    assert _of(ws, "nps_falling") == []


# ---- client state --------------------------------------------------------------------------


def test_unpaid_invoices(ws: Workspace) -> None:
    acme = _client(ws, unpaid_invoices=True)
    _client(ws, "Payer")
    (flag,) = _of(ws, "unpaid_invoices")
    assert flag.client == acme and flag.internal


def test_approvals_slipping_by_delays_or_a_big_group(ws: Workspace) -> None:
    late = _client(ws, "Late", approval_delays=True)
    contacts = [{"name": f"P{i}", "decision_maker": True} for i in range(4)]
    crowd = _client(ws, "Crowd", contacts=contacts)
    _client(ws, "Small", contacts=contacts[:3])
    flags = {f.client: f for f in _of(ws, "approvals_slipping")}
    assert set(flags) == {late, crowd}
    assert flags[late].reason == "approvals are marked late"
    assert flags[crowd].reason == "4 decision makers must agree"


# ---- requests --------------------------------------------------------------------------------


def test_wishes_unplanned(ws: Workspace) -> None:
    acme = _client(ws)
    ws.add(
        "request",
        client=acme,
        kind="wish",
        text="Dark mode",
        date=D(2026, 10, 1),
        status="accepted",
    )
    ws.add(
        "request",
        client=acme,
        kind="wish",
        text="Export",
        date=D(2026, 10, 2),
        status="accepted",
        planned=True,
    )
    (flag,) = _of(ws, "wishes_unplanned")
    assert flag.reason == "1 accepted without a plan: “Dark mode”"
    assert flag.since == D(2026, 10, 1)


def test_planned_or_new_wishes_are_no_flag(ws: Workspace) -> None:
    acme = _client(ws)
    ws.add(
        "request",
        client=acme,
        kind="wish",
        text="A",
        date=D(2026, 10, 1),
        planned=True,
        status="accepted",
    )
    ws.add("request", client=acme, kind="wish", text="B", date=D(2026, 11, 19))
    assert _of(ws, "wishes_unplanned") == []


def test_early_free_work_more_than_once(ws: Workspace) -> None:
    acme = _client(ws)
    ws.add("request", client=acme, text="Report", date=D(2026, 9, 1), delivered_early_free=True)
    assert _of(ws, "early_free_work") == []
    ws.add("request", client=acme, text="Import", date=D(2026, 10, 1), delivered_early_free=True)
    (flag,) = _of(ws, "early_free_work")
    assert flag.reason.startswith("2 times: “Report” (2026-09-01)")
    assert flag.since == D(2026, 10, 1)


def test_feedback_unprocessed(ws: Workspace) -> None:
    acme = _client(ws)
    old = ws.add("request", client=acme, kind="feedback", text="Too slow", date=D(2026, 11, 1))
    ws.add("request", client=acme, kind="feedback", text="Fresh", date=D(2026, 11, 15))
    ws.add("request", client=acme, kind="feedback", text="Done", date=D(2026, 10, 1), status="done")
    (flag,) = _of(ws, "feedback_unprocessed")
    assert flag.key == f"feedback_unprocessed:{old.uid}"
    assert flag.reason == "“Too slow” from 2026-11-01, 19 days unanswered"


# ---- engagements -------------------------------------------------------------------------------


def test_team_grown_unplanned(ws: Workspace) -> None:
    acme = _client(ws)
    mia, leo = _consultant(ws), _consultant(ws, "Leo")
    grown = ws.add("engagement", client=acme, consultant=mia, start=D(2026, 10, 1), unplanned=True)
    ws.add(
        "engagement",
        client=acme,
        consultant=leo,
        start=D(2026, 1, 1),
        end=D(2026, 6, 1),
        unplanned=True,
    )
    (flag,) = _of(ws, "team_grown_unplanned")
    assert flag.key == f"team_grown_unplanned:{grown.uid}"
    assert flag.reason == "Mia joined on 2026-10-01 for unplanned work"
    assert flag.consultant == mia


def test_communicator_too_long(ws: Workspace) -> None:
    acme = _client(ws)
    mia = _consultant(ws)
    ws.add(
        "engagement",
        client=acme,
        consultant=mia,
        start=D(2025, 1, 1),
        main_communicator="Mia",
        communicator_since=D(2025, 10, 1),
    )
    (flag,) = _of(ws, "communicator_too_long")
    assert flag.reason == (
        "Mia has been the main communicator since 2025-10-01 (13 months; rotate after 12)"
    )
    assert flag.since == D(2026, 10, 1)


def test_communicator_within_limit_is_no_flag_but_config_lowers_it(home: Path) -> None:
    config = Config(thresholds=Thresholds(communicator_max_months=6))
    for months, expected in ((12, 0), (6, 1)):
        cfg = config if months == 6 else Config()
        ws = Workspace.open(home, me="Anna", config=cfg, clock=lambda: FROZEN_NOW)
        try:
            if not list(ws.docs("client")):
                acme = _client(ws)
                mia = _consultant(ws)
                ws.add(
                    "engagement",
                    client=acme,
                    consultant=mia,
                    start=D(2026, 1, 1),
                    main_communicator="Mia",
                    communicator_since=D(2026, 3, 1),
                )
            assert len(_of(ws, "communicator_too_long")) == expected
        finally:
            ws.close()


def test_communicator_technical(ws: Workspace) -> None:
    acme = _client(ws)
    mia, leo = _consultant(ws), _consultant(ws, "Leo")
    tech = ws.add(
        "engagement",
        client=acme,
        consultant=mia,
        start=D(2026, 9, 1),
        main_communicator="Mia",
        communicator_role="technical",
    )
    ws.add(
        "engagement",
        client=acme,
        consultant=leo,
        start=D(2026, 9, 1),
        main_communicator="Leo",
        communicator_role="delivery_lead",
    )
    (flag,) = _of(ws, "communicator_technical")
    assert flag.key == f"communicator_technical:{tech.uid}"
    assert "purely technical" in flag.reason


# ---- scope and addressing ---------------------------------------------------------------------


def test_other_managers_clients_are_not_mine(ws: Workspace) -> None:
    bob = ws.add("manager", name="Bob").uid
    theirs = ws.add("client", name="Theirs", manager=bob, unpaid_invoices=True).uid
    assert red_flags(ws) == []
    assert _kinds(red_flags(ws, manager=bob)) == ["unpaid_invoices"]
    assert [f.client for f in red_flags(ws, client=theirs)] == [theirs]


def test_address_flag_hides_it_and_keeps_the_note(ws: Workspace) -> None:
    acme = _client(ws, unpaid_invoices=True, started=D(2026, 11, 1))
    (flag,) = red_flags(ws, client=acme)
    address_flag(ws, flag.key, "CFO promised payment by Friday")
    assert red_flags(ws, client=acme) == []
    (shown,) = red_flags(ws, client=acme, include_addressed=True)
    assert shown.addressed and shown.note == "CFO promised payment by Friday"
    (ack,) = list(ws.docs("flag_ack"))
    assert ack["flag"] == flag.key and ack["by"] == ws.me and ack["date"] == "2026-11-20"


def test_a_flag_that_comes_back_is_shown_again(home: Path) -> None:
    days = iter([dt.datetime(2026, 10, 20, 9), dt.datetime(2026, 12, 20, 9)])
    now = [next(days)]
    ws = Workspace.open(home, me="Anna", config=Config(), clock=lambda: now[0])
    try:
        mia = _consultant(ws)
        ws.add_pulse(mia, date=D(2026, 9, 1))
        (flag,) = red_flags(ws)
        address_flag(ws, flag.key, "booked for next week")
        assert red_flags(ws) == []
        ws.add_pulse(mia, date=D(2026, 10, 27))
        now[0] = next(days)  # the next pulse is overdue again two months later
        (again,) = red_flags(ws)
        assert again.key == flag.key and not again.addressed
    finally:
        ws.close()


@pytest.mark.parametrize("key", ["", "nonsense", "made_up:123", "pulse_overdue"])
def test_address_flag_refuses_unknown_keys(ws: Workspace, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        address_flag(ws, key, "note")
    assert err.value.problems[0].field == "flag"

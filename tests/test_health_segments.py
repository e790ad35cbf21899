"""Segmentation grid with moves since last quarter, lifecycle and spiral warnings, and
the three hats view."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pulsetui.domain.enums import Answer, Segment
from pulsetui.domain.segments import move_label, segment_of, spiral_warning
from pulsetui.service.insights.hats import three_hats
from pulsetui.service.insights.segments import lifecycle, segment_grid
from pulsetui.service.workspace import Workspace

D = dt.date
REMOTE = "feedfacefeedface"
_COUNTER = itertools.count()


def _ms(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(12)).timestamp() * 1000)


def _client_recorded_on(ws: Workspace, uid: str, name: str, day: dt.date, **answers: str) -> None:
    """A client created by a colleague's replica on ``day`` (its clock said so)."""
    data = {"name": name, "manager": ws.me, **answers}
    record = ws.validate("client", {"uid": uid, **data}).fields()
    wall, counter = _ms(day), next(_COUNTER)
    op = {
        "id": f"{REMOTE}:{wall}:{counter}",
        "hlc": [wall, counter],
        "rid": REMOTE,
        "entity": "client",
        "uid": uid,
        "kind": "create",
        "data": record,
    }
    ws.store.ingest([op])


@pytest.mark.parametrize(
    ("wants", "ours", "segment"),
    [
        ("yes", "yes", Segment.TOP),
        ("yes", "unsure", Segment.STEADY),
        ("yes", "no", Segment.STEADY),
        ("no", "yes", Segment.WIN_BACK),
        ("no", "unsure", Segment.WIN_BACK),
        ("no", "no", Segment.PART_WAYS),
        ("unsure", "yes", Segment.UNKNOWN),
    ],
)
def test_segment_rules(wants: str, ours: str, segment: Segment) -> None:
    assert segment_of(wants, ours) == segment


def test_move_labels() -> None:
    assert move_label(None, Segment.TOP) == "new"
    assert move_label(Segment.TOP, Segment.TOP) == "stayed"
    assert move_label(Segment.STEADY, Segment.TOP) == "steady → top"


def test_grid_shows_the_move_since_last_quarter(ws: Workspace) -> None:
    _client_recorded_on(ws, "C1", "Mover", D(2026, 6, 1), client_wants_us="yes")
    _client_recorded_on(
        ws, "C2", "Stayer", D(2026, 6, 1), client_wants_us="no", we_want_client="no"
    )
    ws.update("client", "C1", we_want_client=Answer.YES)  # today: steady -> top
    ws.add("client", name="Newcomer", manager=ws.me, client_wants_us="yes")
    ws.add("client", name="Someone else's", client_wants_us="yes")
    places = {p.name: p for p in segment_grid(ws)}
    assert set(places) == {"Mover", "Stayer", "Newcomer"}
    assert places["Mover"].segment == Segment.TOP
    assert places["Mover"].previous == Segment.STEADY
    assert places["Mover"].move == "steady → top"
    assert places["Stayer"].move == "stayed" and places["Stayer"].segment == Segment.PART_WAYS
    assert places["Newcomer"].move == "new" and places["Newcomer"].previous is None


def test_lifecycle_and_spiral(ws: Workspace) -> None:
    fresh = ws.add("client", name="Fresh", manager=ws.me, started=D(2026, 10, 1)).uid
    stuck = ws.add(
        "client",
        name="Stuck",
        manager=ws.me,
        started=D(2026, 1, 1),
        spiral="q3_stability",
        spiral_since=D(2026, 3, 1),
    ).uid
    moved = ws.add(
        "client",
        name="Moved",
        manager=ws.me,
        started=D(2025, 1, 1),
        stage="success",
        stage_since=D(2026, 6, 1),
        spiral_since=D(2026, 10, 1),
    ).uid
    # the ledger shows only stability fed meanwhile: the spiral reads as stuck
    for text in ("Fix the flaky import", "Pay down the build debt"):
        ws.add_agreement(stuck, text, "us", spiral="q3_stability")
    now = lifecycle(ws, fresh)
    assert now.days_in_stage == 50 and now.warning == "" and now.spiral_warning == ""
    late = lifecycle(ws, stuck)
    assert late.days_in_stage == 323
    assert "onboarding for 323 days" in late.warning
    assert late.spiral_warning == (
        "Q3 stability fed for 264 days; functionality, usability and support are waiting"
    )
    done = lifecycle(ws, moved)
    assert done.stage.value == "success" and done.since == D(2026, 6, 1)
    assert done.warning == "" and done.days_in_spiral == 50


def test_spiral_warning_threshold() -> None:
    assert spiral_warning("q1_functionality", 182) == ""
    assert spiral_warning("q1_functionality", None) == ""
    assert "Q1 functionality fed for 183 days" in spiral_warning("q1_functionality", 183)


def test_three_hats_puts_pulse_beside_health(ws: Workspace) -> None:
    acme = ws.add("client", name="Acme", manager=ws.me, started=D(2026, 1, 1)).uid
    mia = ws.add("consultant", name="Mia", manager=ws.me).uid
    leo = ws.add("consultant", name="Leo", manager=ws.me).uid
    ws.add("engagement", client=acme, consultant=mia, start=D(2026, 1, 1))
    ws.add("engagement", client=acme, consultant=leo, start=D(2025, 1, 1), end=D(2025, 12, 31))
    for month, wellbeing in ((6, 5), (7, 4), (8, 4), (9, 3), (10, 2)):
        ws.add_pulse(mia, date=D(2026, month, 1), wellbeing=wellbeing)
    (row,) = three_hats(ws)
    assert row.consultant_name == "Mia" and row.client_name == "Acme"
    assert row.pulse == [
        (D(2026, 7, 1), 4),
        (D(2026, 8, 1), 4),
        (D(2026, 9, 1), 3),
        (D(2026, 10, 1), 2),
    ]
    assert row.pulse_state == "overdue"
    assert (15, "Mia's wellbeing 2/5 at the last pulse") in row.health.lost

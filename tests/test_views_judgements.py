"""The judgement views: my clients on the 2x2 grid with their moves and the self-check
the evidence suggests; every running engagement with the consultant's pulse beside the
client's health; one client's stage, spiral mix, communicators, NPS paths and flag
histories. All internal: a call sees nothing of them."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FROZEN_NOW
from pulsetui.service.communicators import hand_over
from pulsetui.service.config import Config
from pulsetui.service.insights.flags import address_flag, red_flags
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.client_judgement import client_judgement
from pulsetui.service.views.hats import hats_view
from pulsetui.service.views.segments import segments_view
from pulsetui.service.workspace import Workspace

D = dt.date
REMOTE = "0123456789abcdef"
_SERIAL = itertools.count()  # each op from the colleague's replica has its own id


def _created_on(ws: Workspace, uid: str, day: dt.date, **fields: object) -> None:
    """A client recorded by a colleague's replica on ``day``: it existed last quarter."""
    data = ws.validate("client", {"uid": uid, "manager": ws.me, **fields}).fields()
    wall = int(dt.datetime.combine(day, dt.time(12)).timestamp() * 1000)
    counter = next(_SERIAL)
    op = {
        "id": f"{REMOTE}:{wall}:{counter}",
        "hlc": [wall, counter],
        "rid": REMOTE,
        "entity": "client",
        "uid": uid,
        "kind": "create",
        "data": data,
    }
    ws.store.ingest([op])


@dataclass(frozen=True)
class Firm:
    ws: Workspace
    mia: str
    tom: str


@pytest.fixture
def firm(home: Path) -> Iterator[Firm]:
    with Workspace.open(home, me="Anna", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        both_yes = {"client_wants_us": "yes", "we_want_client": "yes"}
        _created_on(ws, "ACME", D(2026, 5, 1), name="Acme", started=D(2025, 1, 1), **both_yes)
        ws.update("client", "ACME", we_want_client="unsure")  # this quarter: top → steady
        _created_on(ws, "BOLT", D(2026, 5, 1), name="Bolt", started=D(2025, 1, 1), **both_yes)
        ws.add_nps("BOLT", 3, contact="Eva", reason="late again", date=FROZEN_NOW.date())
        mia = ws.add("consultant", name="Mia Kask", manager=ws.me).uid
        tom = ws.add("consultant", name="Tom Puu", manager=ws.me).uid
        ws.add("engagement", client="ACME", consultant=mia, start=D(2026, 1, 1))
        ws.add("engagement", client="BOLT", consultant=tom, start=D(2026, 1, 1))
        ws.add("engagement", client="BOLT", consultant=mia, start=D(2025, 1, 1), end=D(2025, 6, 1))
        ws.add_pulse(mia, date=D(2026, 9, 20), wellbeing=4)
        ws.add_pulse(mia, date=D(2026, 10, 19), wellbeing=2)
        ws.add_pulse(mia, date=D(2026, 11, 10), wellbeing=2, workload="too_high")
        colleague = ws.add("manager", name="Bo Berg").uid
        ws.add("client", name="Other Oy", manager=colleague)
        yield Firm(ws, mia, tom)


def test_each_client_in_its_quadrant_with_its_move_and_policy(firm: Firm) -> None:
    view = segments_view(firm.ws, Audience.manager(firm.ws.me))
    assert not view.in_call
    placed = {q.label: [r.name for r in q.clients] for q in view.quadrants}
    assert placed == {
        "top": ["Bolt"],
        "steady": ["Acme"],
        "win back": [],
        "part ways": [],
        "unknown": [],
    }
    steady = next(q for q in view.quadrants if q.label == "steady")
    assert "strict rules" in steady.policy
    acme = steady.clients[0]
    assert (acme.move, acme.moved) == ("top → steady", True)
    bolt = view.quadrants[0].clients[0]
    assert (bolt.move, bolt.moved) == ("stayed", False)
    assert view.summary == "2 clients · 1 moved since last quarter · 1 to re-check"


def test_the_self_check_suggests_answers_from_the_evidence(firm: Firm) -> None:
    view = segments_view(firm.ws, Audience.manager(firm.ws.me))
    bolt = next(r for r in view.rows if r.name == "Bolt")
    assert (bolt.client_wants_us, bolt.suggested_client) == ("yes", "no")
    assert bolt.reasons and all(why.startswith("client: ") for why in bolt.reasons)
    assert any("detractor" in why for why in bolt.reasons)
    acme = next(r for r in view.rows if r.name == "Acme")
    assert (acme.suggested_client, acme.suggested_us, acme.reasons) == ("yes", "unsure", ())


def test_each_running_engagement_with_pulse_trend_beside_client_health(firm: Firm) -> None:
    view = hats_view(firm.ws, Audience.manager(firm.ws.me))
    assert [(line.client_name, line.consultant_name) for line in view.lines] == [
        ("Acme", "Mia Kask"),
        ("Bolt", "Tom Puu"),
    ]  # Mia's ended engagement at Bolt is not running
    mia, tom = view.lines
    assert mia.wellbeing == (4, 2, 2) and mia.strained == 2 and mia.workload == "too_high"
    assert mia.pulse_text == "4 → 2 → 2 (ok)"
    assert tom.wellbeing == () and tom.pulse_text == "no pulse held (never)"
    assert mia.health_text.startswith(f"{mia.health} {mia.grade}")
    assert view.summary == "2 running engagements · 1 consultant strained · 2 clients at risk"


@pytest.mark.parametrize("client", ["ACME", "BOLT", None])
def test_a_call_sees_no_segment_and_no_hats(firm: Firm, client: str | None) -> None:
    call = Audience.call(client, firm.ws.me)
    segments = segments_view(firm.ws, call)
    hats = hats_view(firm.ws, call)
    assert segments.in_call and segments.quadrants == () and segments.rows == ()
    assert hats.in_call and hats.lines == ()
    shown = repr(segments) + repr(hats)
    for secret in ("Acme", "Bolt", "Mia", "Tom", "steady", "top", "detractor", "wellbeing"):
        assert secret not in shown


def test_the_client_page_judgements(firm: Firm) -> None:
    ws = firm.ws
    hand_over(ws, "BOLT", "Aino Laine", "analyst", D(2025, 2, 1))
    hand_over(ws, "BOLT", "Liis Oja", "project_manager", D(2026, 10, 1), note="Aino moves on")
    ws.add_agreement("BOLT", "Redesign the search page", "us", spiral="q2_usability")
    ws.add_agreement("BOLT", "Add the export", "us", spiral="q1_functionality")
    ws.add_nps("BOLT", 7, contact="Eva", date=D(2026, 3, 1))
    ws.update("client", "BOLT", unpaid_invoices=True)
    unpaid = next(f for f in red_flags(ws, client="BOLT") if f.kind == "unpaid_invoices")
    address_flag(ws, unpaid.key, "they paid the June invoices")

    page = client_judgement(ws, Audience.manager(ws.me), "BOLT")
    assert page is not None
    assert page.stage_line.startswith("onboarding for ")  # the stage field, with its days
    assert [period for period, _mix in page.spiral_mix] == ["2026-Q3", "2026-Q4"]
    assert page.spiral_mix[1][1] == "functionality 1 · usability 1 · stability 0 · support 0"
    assert [(c.name, c.role, c.start, c.end) for c in page.communicators] == [
        ("Aino Laine", "analyst", D(2025, 2, 1), D(2026, 9, 30)),
        ("Liis Oja", "project manager", D(2026, 10, 1), None),
    ]
    assert page.communicators[1].note == "Aino moves on"
    assert ("Eva", "passive → detractor (7, 3)") in page.nps_paths
    story = next(f for f in page.flags if f.label == "Unpaid invoices")
    assert story.status == "addressed" and story.who == "Bolt"
    assert story.events[-1].endswith("addressed: they paid the June invoices")
    assert any(f.label == "Onboarding over three months" for f in page.flags)


@pytest.mark.parametrize("client", ["ACME", "BOLT"])
def test_a_call_sees_no_judgement_of_the_client_in_view(firm: Firm, client: str) -> None:
    assert client_judgement(firm.ws, Audience.call(client, firm.ws.me), client) is None
    assert client_judgement(firm.ws, Audience.manager(firm.ws.me), client) is not None

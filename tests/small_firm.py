"""A small hand-made portfolio for the view tests: two clients of the signed-in manager
and one of a colleague, consultants placed at each, and text that must never reach a
call (marked SECRET) beside text that may."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.enps_setup import published_round

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

NOW = dt.datetime(2026, 11, 20, 10, 0, 0)
TODAY = NOW.date()
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Firm:
    ws: Workspace
    acme: str  # mine: the client in view in the call tests
    bolt: str  # mine
    other: str  # a colleague's
    aino: str  # placed at Acme
    jyri: str  # placed at Bolt
    pia: str  # placed nowhere
    next_meeting: str  # Acme's planned meeting


def build_firm(ws: Workspace) -> Firm:
    colleague = ws.add("manager", name="Bo Berg")
    acme = ws.add(
        "client",
        name="Acme Oy",
        manager=ws.me,
        cadence="monthly",
        unpaid_invoices=True,  # an internal red flag
        we_want_client="no",
        notes="SECRET client note",
        contacts=[{"name": "Mikko Mäki", "role": "CTO", "decision_maker": True}],
        started=TODAY - 400 * DAY,
    )
    # Acme is still recorded in onboarding after 400 days (the stricter onboarding
    # health rules apply); Bolt runs on autopilot
    bolt = ws.add(
        "client", name="Bolt Labs", manager=ws.me, started=TODAY - 400 * DAY, stage="success"
    )
    other = ws.add("client", name="Other Oy", manager=colleague.uid)
    aino = ws.add("consultant", name="Aino Laine", manager=ws.me)
    jyri = ws.add("consultant", name="Jüri Tamm", manager=ws.me)
    pia = ws.add("consultant", name="Pia Puu", manager=ws.me)
    start = TODAY - 300 * DAY
    ws.add("engagement", client=acme.uid, consultant=aino.uid, start=start)
    ws.add("engagement", client=bolt.uid, consultant=jyri.uid, start=start)
    ws.add_pulse(
        aino.uid,
        date=TODAY - 50 * DAY,
        wellbeing=2,
        worries="SECRET worry",
        notes="SECRET pulse note",
        follow_ups=[{"text": "SECRET promise"}, {"text": "Kept promise", "done": True}],
    )
    ws.add_pulse(jyri.uid, date=TODAY - 10 * DAY, wellbeing=4)
    ws.add_nps(acme.uid, score=3, reason="SECRET reason", contact="Respondent Rita")
    ws.add_nps(bolt.uid, score=10, reason="great", contact="Bolt Person")
    published_round(ws, "2026", [9, 9, 7, 3, 10])
    ws.add_agreement(acme.uid, "Send the roadmap", "us", owner="Anna", due=TODAY - 3 * DAY)
    ws.add_agreement(acme.uid, "Approve the hours", "client", due=TODAY + 2 * DAY)
    ws.add_agreement(bolt.uid, "Bolt promise", "us", due=TODAY + 1 * DAY)
    ws.add_agreement(other.uid, "Other promise", "us", due=TODAY - 1 * DAY)
    for minutes, text in enumerate(("Invoice delays", "Roadmap 2027")):
        ws.add(
            "agenda",
            client=acme.uid,
            text=text,
            added_at=NOW - dt.timedelta(days=30, minutes=-minutes),
        )
    ws.add("agenda", client=bolt.uid, text="Bolt topic", added_at=NOW - 2 * DAY)
    planned = ws.plan_meeting(acme.uid, TODAY + 10 * DAY)
    return Firm(ws, acme.uid, bolt.uid, other.uid, aino.uid, jyri.uid, pia.uid, planned.uid)


def open_firm(path: Path) -> Workspace:
    return Workspace.open(path, me="Anna Virtanen", config=Config(), clock=lambda: NOW)


def firm_in(folder: Path) -> Iterator[Firm]:
    """A workspace in ``folder`` holding the firm; closed when the test is done
    (``yield from firm_in(tmp_path)`` in a fixture)."""
    ws = open_firm(folder / "firm")
    try:
        yield build_firm(ws)
    finally:
        ws.close(checkpoint="never")

"""When something falls due, read fast for Today: a consultant's pulse and the
agreements of a set of clients due soon or overdue, from the raw records through the
reference indexes (the answers agree with :meth:`Workspace.pulse_due` and
:meth:`Workspace.agreements_due`), and the due state in words."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.agreements import DUE_SOON_DAYS, is_due_within
from pulsetui.domain.cadence import DueInfo, DueState, last_held, pulse_due
from pulsetui.domain.dates import as_date
from pulsetui.service.views.audience import Doc
from pulsetui.service.workspace import Workspace


def due_text(info: DueInfo, today: dt.date) -> str:
    """``overdue, 8 d late (last 2026-09-01)``, ``due in 3 d (…)`` or ``never held``."""
    if info.state == DueState.NEVER:
        return "never held"
    if info.due_on is None:
        return info.state.value
    late = (today - info.due_on).days
    if late > 0:
        return f"{info.state.value}, {late} d late (last {info.last})"
    if late == 0:
        return f"due today (last {info.last})"
    return f"due in {-late} d (last {info.last})"


def pulse_due_of(ws: Workspace, consultant: str) -> DueInfo:
    """What ``ws.pulse_due`` says, read from the raw records: Today asks it for every
    consultant, and validating each one's every past pulse is the slow part."""
    pulses = ws.docs("pulse", consultant=consultant)
    last = last_held(((doc.get("status"), doc.get("date")) for doc in pulses), ws.today())
    cad = ws.config.cadences
    return pulse_due(last, ws.today(), cad.pulse_due_days, cad.pulse_overdue_days)


def agreements_due_of(
    ws: Workspace, clients: list[str], within_days: int = DUE_SOON_DAYS
) -> list[tuple[dt.date, Doc]]:
    """What ``ws.agreements_due`` lists — open agreements of these clients due within
    ``within_days`` or overdue, soonest first — as (due, raw record), read through the
    client index without validating every agreement."""
    today = ws.today()
    found = []
    for client in clients:
        for doc in ws.docs("agreement", client=client):
            due = as_date(doc.get("due"))
            if due is not None and is_due_within(doc.get("status"), due, today, within_days):
                found.append((due, doc))
    found.sort(key=lambda pair: pair[0])
    return found

"""The Consultants list: the consultants a manager is line manager for, with their
running engagement and client, the last pulse conversation held, whether the next one
is due, wellbeing over the conversations held, and whether the consultant is squeezed or
caught between client and firm (the open red flags of :mod:`pulsetui.domain.squeeze`).
In a call only the consultants placed at the client in view, without anything from their
pulse conversations and without our judgements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.cadence import DueInfo
from pulsetui.domain.dates import as_date
from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import PulseStatus
from pulsetui.service.insights.flags import red_flags
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class Placement:
    """A consultant's running engagement: where they work now."""

    engagement: str
    client: str
    start: dt.date | None


@dataclass(frozen=True)
class ConsultantRow:
    uid: str
    name: str
    client: str | None  # uid of the client of the running engagement; None: not placed
    client_name: str
    # the pulse conversations: None for an audience that may not see them (a call)
    last_pulse: dt.date | None
    pulse: DueInfo | None
    wellbeing: tuple[int | None, ...]  # per conversation held, oldest first
    # "caught" (between client and firm), "squeezed", or "" (none, or not for a call)
    strain: str = ""


@dataclass(frozen=True)
class ConsultantsView:
    rows: tuple[ConsultantRow, ...]  # by name
    in_call: bool
    need_pulse: int  # rows whose pulse conversation is due, overdue or never held


def placement(ws: Workspace, consultant: str, day: dt.date) -> Placement | None:
    """The consultant's engagement running on ``day`` (the latest started), if any."""
    running = [
        doc
        for doc in ws.docs("engagement", consultant=consultant)
        if is_active(doc.get("start"), doc.get("end"), day)
    ]
    doc = max(running, key=lambda d: str(d.get("start", "")), default=None)
    if doc is None:
        return None
    return Placement(str(doc["uid"]), str(doc.get("client", "")), as_date(doc.get("start")))


def consultants_view(ws: Workspace, audience: Audience) -> ConsultantsView:
    """The rows of ``audience.me``'s consultants. Reads only; safe in a worker thread."""
    today = ws.today()
    rows: list[ConsultantRow] = []
    names: dict[str, str] = {}
    attention = 0
    strain = _strain(ws, audience)
    for person in ws.my_consultants(audience.me):
        placed = placement(ws, person.uid, today)
        client = placed.client if placed is not None else None
        if not audience.sees_client(client):
            continue
        if client is not None and client not in names:
            doc = ws.doc("client", client)
            names[client] = str(doc.get("name", "?")) if doc else "?"
        last: dt.date | None = None
        info: DueInfo | None = None
        wellbeing: tuple[int | None, ...] = ()
        if audience.sees_private:
            held = sorted(
                (
                    d
                    for d in ws.docs("pulse", consultant=person.uid)
                    if d.get("status") == PulseStatus.HELD.value
                ),
                key=lambda d: str(d.get("date", "")),
            )
            last = as_date(held[-1].get("date")) if held else None
            info = ws.pulse_due(person.uid)
            attention += info.needs_action
            wellbeing = tuple(_score(d.get("wellbeing")) for d in held)
        rows.append(
            ConsultantRow(
                person.uid,
                person.name,
                client,
                names.get(client, "") if client else "",
                last,
                info,
                wellbeing,
                strain.get(person.uid, ""),
            )
        )
    return ConsultantsView(tuple(rows), audience.in_call, attention)


STRAIN_FLAGS = {"caught_between": "caught", "consultant_squeezed": "squeezed"}


def _strain(ws: Workspace, audience: Audience) -> dict[str, str]:
    """Each consultant's open squeeze flag, the stronger one (caught between client and
    firm) where both are raised; none for an audience that may not see our judgements."""
    if not audience.sees_internal:
        return {}
    found: dict[str, str] = {}
    for flag in red_flags(ws, audience=audience):
        word = STRAIN_FLAGS.get(flag.kind)
        if word and flag.consultant and found.get(flag.consultant) != "caught":
            found[flag.consultant] = word
    return found


def _score(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None

"""The Clients list: a manager's clients with segment, lifecycle stage, spiral quarter,
the next planned meeting and the health grade, and which of them share a name with
another client. In a call only the client in view, without segment and health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import MeetingStatus
from pulsetui.domain.segments import segment_of
from pulsetui.service.insights.health import client_health
from pulsetui.service.merge import same_name_groups
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class MeetingSlot:
    """A planned client meeting: its day and, when agreed, its time ("10:30")."""

    uid: str
    date: dt.date
    time: str | None


@dataclass(frozen=True)
class HealthMark:
    score: int  # 0..100
    grade: str  # "good", "watch" or "at risk"


@dataclass(frozen=True)
class ClientRow:
    uid: str
    name: str
    shares_name: bool  # another client has the same name (made twice before a sync)
    segment: str | None  # a Segment value; None: not for this audience
    stage: str
    spiral: str
    next_meeting: MeetingSlot | None
    health: HealthMark | None  # None: not for this audience, or it could not be weighed


@dataclass(frozen=True)
class ClientsView:
    rows: tuple[ClientRow, ...]  # by name
    in_call: bool
    shared_names: int  # rows sharing their name with another client


def next_meeting(ws: Workspace, client: str, today: dt.date) -> MeetingSlot | None:
    """The next meeting planned from ``today`` on (read through the client index)."""
    day = today.isoformat()
    planned = [
        doc
        for doc in ws.docs("meeting", client=client)
        if doc.get("status") == MeetingStatus.PLANNED.value and str(doc.get("date", "")) >= day
    ]
    doc = min(planned, key=lambda d: (str(d["date"]), d.get("time") or ""), default=None)
    date = as_date(doc.get("date")) if doc is not None else None
    if doc is None or date is None:
        return None
    return MeetingSlot(str(doc["uid"]), date, doc.get("time") or None)


def health_mark(ws: Workspace, client: str) -> HealthMark | None:
    """The client's health score and grade; None when it cannot be weighed (health is
    advice: a list still opens without it)."""
    try:
        health = client_health(ws, client)
    except Exception:
        return None
    return HealthMark(health.score, health.grade)


def clients_view(ws: Workspace, audience: Audience) -> ClientsView:
    """The rows of ``audience.me``'s clients. Reads only; safe in a worker thread."""
    today = ws.today()
    docs = sorted(
        audience.clients(ws.docs("client", manager=audience.me or "")),
        key=lambda d: str(d.get("name", "")).casefold(),
    )
    duplicates = same_name_groups(ws, "client")
    rows = []
    for doc in docs:
        uid = str(doc["uid"])
        segment = segment_of(
            doc.get("client_wants_us", "unsure"), doc.get("we_want_client", "unsure")
        )
        rows.append(
            ClientRow(
                uid=uid,
                name=str(doc.get("name", "")),
                shares_name=uid in duplicates,
                segment=segment.value if audience.sees_internal else None,
                stage=str(doc.get("stage", "")),
                spiral=str(doc.get("spiral", "")),
                next_meeting=next_meeting(ws, uid, today),
                health=health_mark(ws, uid) if audience.sees_internal else None,
            )
        )
    shared = sum(row.shares_name for row in rows)
    return ClientsView(tuple(rows), audience.in_call, shared)

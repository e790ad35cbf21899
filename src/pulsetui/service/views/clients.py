"""The Clients list: a manager's clients with segment, lifecycle stage, spiral quarter,
the next planned meeting and the health grade, and which of them share a name with
another client. In a call only the client in view, without segment and health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.cadence import last_held
from pulsetui.domain.dates import as_date
from pulsetui.domain.meeting_plan import is_not_held, is_upcoming
from pulsetui.domain.segments import segment_of
from pulsetui.service.insights.health import client_health
from pulsetui.service.merge import same_name_groups
from pulsetui.service.views.audience import Audience, Doc
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class MeetingSlot:
    """A planned client meeting: its day and, when agreed, its time ("10:30")."""

    uid: str
    date: dt.date
    time: str | None

    @property
    def text(self) -> str:
        """``2026-12-01 10:30``; ``2026-12-01`` with no time agreed."""
        return f"{self.date.isoformat()} {self.time}" if self.time else self.date.isoformat()


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
    # with nothing planned ahead: the latest planned meeting whose day passed unheld
    not_held: MeetingSlot | None = None


@dataclass(frozen=True)
class ClientsView:
    rows: tuple[ClientRow, ...]  # by name
    in_call: bool
    shared_names: int  # rows sharing their name with another client


def _slot(doc: Doc) -> MeetingSlot:
    return MeetingSlot(
        str(doc["uid"]), as_date(doc.get("date")) or dt.date.min, doc.get("time") or None
    )


def next_meeting(ws: Workspace, client: str, today: dt.date) -> MeetingSlot | None:
    """The next meeting (:func:`~pulsetui.domain.meeting_plan.is_upcoming`): the first
    still planned from ``today`` on, read through the client index."""
    planned = [
        doc
        for doc in ws.docs("meeting", client=client)
        if is_upcoming(doc.get("status"), doc.get("date"), today)
    ]
    doc = min(planned, key=lambda d: (str(as_date(d["date"])), d.get("time") or ""), default=None)
    return _slot(doc) if doc is not None else None


def not_held_meeting(ws: Workspace, client: str, today: dt.date) -> MeetingSlot | None:
    """The latest meeting planned but not held
    (:func:`~pulsetui.domain.meeting_plan.is_not_held`): its day passed, still planned,
    and no meeting held on or after it."""
    docs = list(ws.docs("meeting", client=client))
    last = last_held(((d.get("status"), d.get("date")) for d in docs), today)
    missed = [d for d in docs if is_not_held(d.get("status"), d.get("date"), today, last)]
    doc = max(missed, key=lambda d: (str(as_date(d["date"])), d.get("time") or ""), default=None)
    return _slot(doc) if doc is not None else None


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
        upcoming = next_meeting(ws, uid, today)
        rows.append(
            ClientRow(
                uid=uid,
                name=str(doc.get("name", "")),
                shares_name=uid in duplicates,
                segment=segment.value if audience.sees_internal else None,
                stage=str(doc.get("stage", "")),
                spiral=str(doc.get("spiral", "")),
                next_meeting=upcoming,
                health=health_mark(ws, uid) if audience.sees_internal else None,
                not_held=not_held_meeting(ws, uid, today) if upcoming is None else None,
            )
        )
    shared = sum(row.shares_name for row in rows)
    return ClientsView(tuple(rows), audience.in_call, shared)

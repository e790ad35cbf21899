"""The since-last-meeting brief of a client, read from the workspace; what goes in it
is decided by :mod:`pulsetui.domain.brief`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.brief import (
    agreements_due,
    carried_over,
    days_since_last,
    new_requests,
    nps_change,
    nps_windows,
)
from pulsetui.domain.cadence import last_held
from pulsetui.domain.dates import as_date
from pulsetui.domain.meeting_plan import next_meeting_words, next_planned, not_held
from pulsetui.domain.models import AgendaItem, Agreement, Request
from pulsetui.domain.nps import NpsSummary
from pulsetui.service.insights.facts import client_doc
from pulsetui.service.insights.nps import nps_for
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class Brief:
    client: str
    last_meeting: dt.date | None
    carried_over: list[AgendaItem]
    agreements_due: list[Agreement]
    nps_change: float | None
    nps_now: NpsSummary
    new_requests: list[Request]
    days_since_touchpoint: int | None
    next_meeting: dt.date | None = None
    not_held: dt.date | None = None  # the latest meeting planned but not held

    def next_meeting_text(self, today: dt.date) -> str:
        """``2026-12-04``, ``none planned``, or with a meeting planned but not held:
        ``planned 2026-11-10, not held (10 days ago); none planned since``."""
        upcoming = self.next_meeting.isoformat() if self.next_meeting else None
        return next_meeting_words(upcoming, self.not_held, today, none="none planned")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, records by their id and a few fields."""
        return {
            "client": self.client,
            "last_meeting": _iso(self.last_meeting),
            "next_meeting": _iso(self.next_meeting),
            "not_held_meeting": _iso(self.not_held),
            "carried_over": [
                {"uid": i.uid, "text": i.text, "added_at": i.added_at.isoformat()}
                for i in self.carried_over
            ],
            "agreements_due": [
                {
                    "uid": a.uid,
                    "text": a.text,
                    "side": a.side.value,
                    "owner": a.owner,
                    "due": _iso(a.due),
                }
                for a in self.agreements_due
            ],
            "nps_now": self.nps_now.as_dict(),
            "nps_change": None if self.nps_change is None else round(self.nps_change, 1),
            "new_requests": [
                {
                    "uid": r.uid,
                    "kind": r.kind.value,
                    "text": r.text,
                    "date": r.date.isoformat(),
                    "status": r.status.value,
                }
                for r in self.new_requests
            ],
            "days_since_touchpoint": self.days_since_touchpoint,
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def since_last_meeting(ws: Workspace, client: str) -> Brief:
    """What changed for a client since the last meeting held: agenda items still open
    from before it, agreements due within a week or overdue, the NPS now (last 12
    months) and its change against the answers before the meeting, requests that
    arrived after it, days since the last touchpoint, the next meeting and the latest
    one planned but not held.

    Agenda items, agreements and requests are read as validated records: one holding a
    value this version cannot read falls back to defaults or is skipped (as every
    workspace list does), so it never breaks the brief."""
    client_doc(ws, client)  # raises for an unknown client
    today = ws.today()
    meetings = [
        (m.get("status"), as_date(m.get("date"))) for m in ws.docs("meeting", client=client)
    ]
    last = last_held(meetings, today)

    now, before, after = nps_windows(today, last)
    change = None
    if before is not None and after is not None:
        change = nps_change(
            nps_for(ws, client=client, start=before[0], end=before[1]).score,
            nps_for(ws, client=client, start=after[0], end=after[1]).score,
        )

    touchpoints = (as_date(t.get("date")) for t in ws.docs("touchpoint", client=client))
    return Brief(
        client=client,
        last_meeting=last,
        carried_over=carried_over(ws.list(AgendaItem, client=client), last),
        agreements_due=agreements_due(ws.list(Agreement, client=client), today),
        nps_change=change,
        nps_now=nps_for(ws, client=client, start=now[0], end=now[1]),
        new_requests=new_requests(ws.list(Request, client=client), last),
        days_since_touchpoint=days_since_last((d for d in touchpoints if d is not None), today),
        next_meeting=next_planned(meetings, today),
        not_held=not_held(meetings, today),
    )

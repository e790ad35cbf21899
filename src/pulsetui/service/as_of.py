"""The workspace as it stood at the end of a past day, for reports about a past week.

Built from the records' own dates rather than from when changes were typed in, so
history entered later (a meeting recorded the day after, an imported or generated
workspace) counts on the day it happened:

- an agreement made by then, with the status and reason its history had that day and
  the due date it had before any later move;
- a meeting on or before the day as it is now (held, cancelled, or planned and late);
  a later one as planned, unless it is cancelled;
- an agenda item added by then, still open if it was settled in a later meeting;
- work notes, NPS answers, touchpoints, requests, pulse conversations, red-flag notes
  and reports sent dated by then; engagements begun by then;
- everything else (clients, people, eNPS answers) as it is now.

The result is a read-only :class:`Workspace` over an in-memory view whose clock stands
at the end of that day, so every query and rule (red flags included) answers as of then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from pulsetui.domain.agreements import due_on, status_on
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgendaStatus, MeetingStatus
from pulsetui.domain.models import ENTITIES
from pulsetui.service.workspace import Workspace
from pulsetui.store.ops import Stamp, create_op, stored
from pulsetui.store.store import Store
from pulsetui.store.view import View, public_fields

SNAPSHOT_RID = "asof"
DATED = {
    "work": "date",
    "nps": "date",
    "touchpoint": "date",
    "request": "date",
    "pulse": "date",
    "flag_ack": "date",
    "report_sent": "sent",
    "engagement": "start",
}


def _day(value: Any) -> dt.date | None:
    return as_date(str(value)[:10]) if value is not None else None


def _docs(ws: Workspace, kind: str, client: str | None) -> Iterable[dict[str, Any]]:
    """The records of ``kind`` a view of ``client`` needs (None: every record)."""
    if client is None:
        return ws.docs(kind)
    if kind == "client":
        doc = ws.store.view.get("client", client)
        return [doc] if doc is not None else []
    if "client" in ENTITIES[kind].refs:
        return ws.docs(kind, client=client)
    placed = sorted({e["consultant"] for e in ws.docs("engagement", client=client)})
    if kind == "consultant":
        return [d for uid in placed if (d := ws.store.view.get("consultant", uid)) is not None]
    if kind == "pulse":
        return [d for uid in placed for d in ws.docs("pulse", consultant=uid)]
    if kind in ("manager", "flag_ack"):
        return ws.docs(kind)
    return []


def _records_then(
    ws: Workspace, day: dt.date, client: str | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    meeting_days = {d["uid"]: _day(d.get("date")) for d in _docs(ws, "meeting", client)}
    for kind in ENTITIES:
        dated = DATED.get(kind)
        for doc in _docs(ws, kind, client):
            record = public_fields(doc)
            if dated is not None:
                when = _day(record.get(dated))
                if when is None or when > day:
                    continue
            if kind == "agreement":
                history = [h for h in record.get("history") or [] if isinstance(h, dict)]
                changes = [
                    (_day(h.get("at")), (h.get("status"), str(h.get("reason") or "")))
                    for h in history
                ]
                now = (record.get("status"), str(record.get("reason") or ""))
                then, _ = status_on(changes, now, _day(record.get("created")), day)
                if not isinstance(then, tuple):
                    continue  # not made yet
                record["status"], record["reason"] = then
                record["history"] = [h for h in history if str(h.get("at", ""))[:10] <= str(day)]
                moves = [m for m in record.get("due_moves") or [] if isinstance(m, dict)]
                made = [(_day(m.get("at")), m.get("from_due")) for m in moves]
                record["due"] = due_on(made, record.get("due"), day)
                record["due_moves"] = [m for m in moves if str(m.get("at", ""))[:10] <= str(day)]
            elif kind == "meeting":
                when = _day(record.get("date"))
                if when is not None and when > day and record.get("status") == MeetingStatus.HELD:
                    record["status"] = MeetingStatus.PLANNED.value
            elif kind == "agenda":
                added = _day(record.get("added_at"))
                if added is None or added > day:
                    continue
                settled = meeting_days.get(record.get("meeting") or "")
                if record.get("status") != AgendaStatus.OPEN and (settled is None or settled > day):
                    record["status"], record["meeting"] = AgendaStatus.OPEN.value, None
            yield kind, record


def as_of(ws: Workspace, day: dt.date, client: str | None = None) -> Workspace:
    """The workspace at the end of ``day`` (see the module docstring), read-only; with
    ``client`` only what a view of that client needs: its own records, the consultants
    placed there and their pulses, the managers and the red-flag notes."""
    view = View()
    for counter, (kind, record) in enumerate(_records_then(ws, day, client)):
        data = {k: v for k, v in record.items() if k != "uid"}
        (op,) = stored([create_op(Stamp(SNAPSHOT_RID, 1, counter), kind, record["uid"], data)])
        view.apply(op)
    store = Store(ws.home, readonly=True)
    store.view = view
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    snapshot = Workspace(store, ws.config, clock=lambda: end)
    snapshot.me, snapshot.me_name = ws.me, ws.me_name
    return snapshot

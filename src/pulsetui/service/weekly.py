"""The weekly client report as data (rendered by :mod:`pulsetui.reports.weekly`), and
its rhythm: recording that a report was sent, and which reports are due.

What the report holds for one client and ISO week:

- Done: the team's work notes of the week (``pulsetui work add --kind done``), client
  meetings held with the topics discussed, agreements done.
- Next: the team's plans noted in the week, planned meetings in the next two weeks
  with their open agenda, agreements due, requests accepted and in progress.
- Risks, each with a proposed way out worded for the client: the risks the team noted
  and the red flags a client may see (overdue or broken agreements, a meeting
  overdue); internal flags never reach it.
- The agreements open, or changed in the week, with their status.

A past week is reported from the workspace as it stood at the end of that Sunday
(:mod:`pulsetui.service.as_of`), so statuses changed since do not leak back into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.agenda import distinct_topics
from pulsetui.domain.agreements import is_due_within, is_overdue
from pulsetui.domain.dates import as_date
from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import (
    AgendaStatus,
    AgreementStatus,
    MeetingStatus,
    RequestStatus,
    WorkKind,
)
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.flags import FLAG_KINDS
from pulsetui.domain.models import Agreement, ReportSent, WorkNote
from pulsetui.domain.reporting import monday_of, report_week_due, week_label
from pulsetui.service.as_of import as_of
from pulsetui.service.insights.flags import red_flags
from pulsetui.service.workspace import Workspace

NEXT_DAYS = 14
NO_WAY_OUT = "We agree a way forward together at our next meeting."


@dataclass(frozen=True)
class Line:
    """One line of a list, with the lines that belong under it."""

    text: str
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Risk:
    risk: str
    since: dt.date | None
    way_out: str  # worded for the client


@dataclass(frozen=True)
class AgreementRow:
    text: str
    owner: str  # "us, Mia Koskinen", "client, Eva", "client"
    due: dt.date | None
    status: str  # "open", "overdue", "done", "broken: CFO away"


@dataclass(frozen=True)
class WeeklyReport:
    client: str
    client_name: str
    week: str  # "2026-W47"
    monday: dt.date
    sunday: dt.date
    as_of: dt.date  # the day the statuses are from: today, or the Sunday of a past week
    prepared_by: str
    prepared_on: dt.date
    done: tuple[Line, ...]
    next: tuple[Line, ...]
    risks: tuple[Risk, ...]
    agreements: tuple[AgreementRow, ...]
    sent: tuple[dt.date, ...]  # when this week's report was recorded as sent


def _owner(agreement: Agreement) -> str:
    side = "us" if agreement.side.value == "us" else "client"
    return f"{side}, {agreement.owner}" if agreement.owner else side


def _done_on(agreement: Agreement) -> dt.date | None:
    done = [h.at.date() for h in agreement.history if h.status == AgreementStatus.DONE]
    return done[-1] if done else None


def _notes(
    ws: Workspace, client: str, kind: WorkKind, monday: dt.date, sunday: dt.date
) -> list[dict[str, Any]]:
    found = [
        d
        for d in ws.docs("work", client=client)
        if d.get("kind") == kind.value
        and (day := as_date(d.get("date"))) is not None
        and monday <= day <= sunday
    ]
    return sorted(found, key=lambda d: (str(d["date"]), d["uid"]))


def weekly_report(ws: Workspace, client: str, monday: dt.date | None = None) -> WeeklyReport:
    """The report of ``client`` for the ISO week starting ``monday`` (default: this week)."""
    doc = ws.store.view.get("client", client)
    if doc is None:
        raise InvalidInput.one("client", f"no client with id {client!r}")
    today = ws.today()
    monday = monday or monday_of(today)
    if monday.weekday() != 0:
        raise InvalidInput.one("week", "must start on a Monday")
    sunday = monday + dt.timedelta(days=6)
    state = as_of(ws, sunday, client) if sunday < today else ws
    then = state.today()
    horizon = sunday + dt.timedelta(days=NEXT_DAYS)

    agreements = sorted(
        state.list(Agreement, client=client),
        key=lambda a: (a.due or dt.date.max, a.text.casefold(), a.uid),
    )
    meetings = sorted(
        state.docs("meeting", client=client),
        key=lambda m: (m["date"], m.get("time") or "", m["uid"]),
    )
    agenda = sorted(
        state.docs("agenda", client=client), key=lambda i: (str(i["added_at"]), i["uid"])
    )

    done = [Line(str(n["text"])) for n in _notes(state, client, WorkKind.DONE, monday, sunday)]
    for meeting in meetings:
        day = as_date(meeting.get("date"))
        held = meeting.get("status") == MeetingStatus.HELD.value
        if held and day is not None and monday <= day <= sunday:
            topics = tuple(
                f"Discussed: {text}"
                for text in distinct_topics(
                    str(item["text"])
                    for item in agenda
                    if item.get("meeting") == meeting["uid"] and item.get("status") == "discussed"
                )
            )
            done.append(Line(f"Client meeting held on {day.isoformat()}.", topics))
    for agreement in agreements:
        finished = _done_on(agreement)
        if agreement.status == AgreementStatus.DONE and finished and monday <= finished <= sunday:
            done.append(Line(f"Done: {agreement.text} ({_owner(agreement)})."))

    upcoming = [Line(str(n["text"])) for n in _notes(state, client, WorkKind.NEXT, monday, sunday)]
    planned = [
        m
        for m in meetings
        if m.get("status") == MeetingStatus.PLANNED.value
        and (day := as_date(m.get("date"))) is not None
        and max(monday, then) <= day <= horizon
    ]
    for index, meeting in enumerate(planned):
        when = meeting["date"] + (f" {meeting['time']}" if meeting.get("time") else "")
        items = tuple(
            f"Agenda: {text}"
            for text in distinct_topics(
                str(i["text"])
                for i in agenda
                if i.get("status") == AgendaStatus.OPEN.value
                and (i.get("meeting") == meeting["uid"] or (index == 0 and not i.get("meeting")))
            )
        )
        upcoming.append(Line(f"Client meeting on {when}.", items))
    for agreement in agreements:
        due = agreement.due
        soon = is_due_within(agreement.status, due, then, (horizon - then).days)
        if due is not None and soon and not is_overdue(agreement.status, due, then):
            upcoming.append(Line(f"Due {due.isoformat()}: {agreement.text} ({_owner(agreement)})."))
    requests = sorted(state.docs("request", client=client), key=lambda r: (r["date"], r["uid"]))
    for request in requests:
        if request.get("status") == RequestStatus.ACCEPTED.value:
            upcoming.append(Line(f"In progress: {request['text']}."))

    risks = [
        Risk(str(n["text"]), as_date(n.get("date")), str(n.get("way_out") or "") or NO_WAY_OUT)
        for n in _notes(state, client, WorkKind.RISK, monday, sunday)
    ]
    for flag in red_flags(state, client=client, include_addressed=True):
        if not flag.internal and flag.client == client:
            kind = FLAG_KINDS[flag.kind]
            risks.append(Risk(f"{flag.label}: {flag.reason}", flag.since, kind.for_client))

    rows = []
    for agreement in agreements:
        changed = any(monday <= h.at.date() <= sunday for h in agreement.history)
        if agreement.status != AgreementStatus.OPEN and not changed:
            continue
        status = agreement.status.value
        if is_overdue(agreement.status, agreement.due, then):
            status = "overdue"
        if agreement.reason and agreement.status != AgreementStatus.OPEN:
            status += f": {agreement.reason}"
        rows.append(AgreementRow(agreement.text, _owner(agreement), agreement.due, status))

    label = week_label(monday)
    sent = sorted(
        d
        for r in ws.docs("report_sent", client=client)
        if r.get("week") == label and (d := as_date(r.get("sent"))) is not None
    )
    return WeeklyReport(
        client=client,
        client_name=str(doc.get("name", "")),
        week=label,
        monday=monday,
        sunday=sunday,
        as_of=then,
        prepared_by=ws.me_name,
        prepared_on=today,
        done=tuple(done),
        next=tuple(upcoming),
        risks=tuple(risks),
        agreements=tuple(rows),
        sent=tuple(sent),
    )


# ---- sent and due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDue:
    client: str
    client_name: str
    week: str  # the week whose report is due
    last_sent: str | None  # the latest week a report was sent for


def record_sent(ws: Workspace, client: str, monday: dt.date | None = None) -> ReportSent:
    """Record that the report of ``client`` for the week of ``monday`` (default: the week
    due now) was sent today."""
    ws.require("client", client)
    week = week_label(monday or report_week_due(ws.today()))
    return ws.add(ReportSent, client=client, week=week, sent=ws.today(), by=ws.me)


def reports_due(ws: Workspace, manager: str | None = None) -> list[ReportDue]:
    """Clients of ``manager`` (default: me) with an engagement running whose report for
    the week due now has not been sent, by name."""
    today = ws.today()
    week = week_label(report_week_due(today))
    who = manager or ws.me
    found = []
    for client in ws.docs("client", manager=who) if who else []:
        running = any(
            is_active(e.get("start"), e.get("end"), today)
            for e in ws.docs("engagement", client=client["uid"])
        )
        if not running:
            continue
        weeks = sorted(str(r.get("week")) for r in ws.docs("report_sent", client=client["uid"]))
        if week in weeks:
            continue
        found.append(
            ReportDue(
                client["uid"], str(client.get("name", "")), week, weeks[-1] if weeks else None
            )
        )
    return sorted(found, key=lambda r: (r.client_name.casefold(), r.client))


def add_work_note(
    ws: Workspace,
    client: str,
    kind: WorkKind | str,
    text: str,
    way_out: str = "",
    day: dt.date | None = None,
) -> WorkNote:
    """A line for the client's weekly report, of the week of ``day`` (default: today),
    written by the signed-in manager."""
    ws.require("client", client)
    return ws.add(
        WorkNote,
        client=client,
        kind=kind,
        text=text,
        way_out=way_out,
        date=day or ws.today(),
        by=ws.me_name,
    )

"""One client's page: the next meeting and one planned but not held, contacts,
engagements, health with the reason for every point lost, red flags, NPS with its n,
the brief since the last meeting, the agenda backlog, a timeline of everything that
happened, and what sync met twice. In a call: no segment, health, internal flag,
private notes or sync notice, and NPS answers without who gave them or why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.agreements import is_overdue
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgendaStatus
from pulsetui.domain.meeting_plan import next_meeting_words
from pulsetui.domain.segments import segment_of
from pulsetui.service.insights.brief import since_last_meeting
from pulsetui.service.insights.flags import red_flags
from pulsetui.service.insights.health import client_health
from pulsetui.service.insights.nps import nps_for, nps_trend
from pulsetui.service.views.audience import Audience, Doc
from pulsetui.service.views.clients import MeetingSlot, next_meeting, not_held_meeting
from pulsetui.service.views.today import TrendPoint
from pulsetui.service.workspace import Workspace

RELATED_KINDS = ("agreement", "meeting", "agenda", "engagement", "touchpoint", "request")


@dataclass(frozen=True)
class ContactLine:
    name: str
    role: str
    decision_maker: bool


@dataclass(frozen=True)
class EngagementLine:
    uid: str
    consultant: str  # the consultant's name
    start: dt.date | None
    end: dt.date | None  # None: running
    main_communicator: str


@dataclass(frozen=True)
class HealthLine:
    score: int
    grade: str
    trend: tuple[int, ...]  # the last four quarters, oldest first
    lost: tuple[tuple[int, str], ...]  # (points lost, why), biggest first


@dataclass(frozen=True)
class FlagLine:
    key: str
    kind: str
    label: str
    reason: str
    since: dt.date | None
    addressed: bool


@dataclass(frozen=True)
class DueAgreement:
    uid: str
    due: dt.date | None
    text: str
    overdue: bool


@dataclass(frozen=True)
class NewRequest:
    uid: str
    kind: str
    text: str


@dataclass(frozen=True)
class BriefView:
    """What changed since the last meeting held."""

    last_meeting: dt.date | None
    nps_now: str  # label: "+33 (n=6, directional)"
    nps_change: float | None
    days_since_touchpoint: int | None
    carried_over: int  # agenda items still open from before the last meeting
    agreements_due: tuple[DueAgreement, ...]
    new_requests: tuple[NewRequest, ...]


@dataclass(frozen=True)
class TimelineEntry:
    day: dt.date | None
    kind: str  # the record's kind: meeting, agreement, nps, touchpoint, request
    uid: str
    what: str  # "meeting held", "agreement ours open", "NPS 9", ...
    detail: str


@dataclass(frozen=True)
class SyncNotice:
    """A record of this client that sync met in two versions, or kept against a delete."""

    kind: str
    uid: str
    title: str  # its text or date; "" for the client itself
    fields: tuple[str, ...]  # the fields with two versions (none when kept)


@dataclass(frozen=True)
class ClientPageView:
    uid: str
    name: str
    segment: str | None  # a Segment value; None: not for this audience
    stage: str
    stage_since: dt.date | None
    spiral: str
    cadence: str
    next_meeting: MeetingSlot | None  # the first still planned for today or later
    not_held: MeetingSlot | None  # the latest planned one whose day passed unheld
    next_meeting_text: str  # both in words: "2026-12-01 10:30 · planned 2026-11-10, not held …"
    contacts: tuple[ContactLine, ...]
    engagements: tuple[EngagementLine, ...]  # by start
    notes: str  # private notes; "" when none or not for this audience
    nps: str  # label
    nps_interval: str
    nps_by_quarter: tuple[TrendPoint, ...]  # the last four quarters, oldest first
    health: HealthLine | None  # None: not for this audience
    flags: tuple[FlagLine, ...]  # addressed ones included
    brief: BriefView
    agenda: tuple[str, ...]  # the open backlog, oldest first
    timeline: tuple[TimelineEntry, ...]  # newest first
    conflicted: tuple[SyncNotice, ...]  # the client first
    kept: tuple[SyncNotice, ...]


def client_page_view(ws: Workspace, audience: Audience, client: str) -> ClientPageView | None:
    """Everything about one client; None when it does not exist or is not for this
    audience (a call with another client in view)."""
    doc = ws.doc("client", client)
    if doc is None or not audience.sees_client(client):
        return None
    internal = audience.sees_internal
    segment = segment_of(doc.get("client_wants_us", "unsure"), doc.get("we_want_client", "unsure"))
    nps = nps_for(ws, client=client)
    conflicted, kept = sync_notices(ws, client) if internal else ((), ())
    today = ws.today()
    upcoming, missed = next_meeting(ws, client, today), not_held_meeting(ws, client, today)
    return ClientPageView(
        uid=client,
        name=str(doc.get("name", "")),
        segment=segment.value if internal else None,
        stage=str(doc.get("stage", "")),
        stage_since=as_date(doc.get("stage_since")),
        spiral=str(doc.get("spiral", "")),
        cadence=str(doc.get("cadence", "")),
        next_meeting=upcoming,
        not_held=missed,
        next_meeting_text=next_meeting_words(
            upcoming.text if upcoming else None, missed.date if missed else None, today
        ),
        contacts=tuple(
            ContactLine(
                str(c.get("name", "")), str(c.get("role") or ""), bool(c.get("decision_maker"))
            )
            for c in doc.get("contacts") or []
        ),
        engagements=_engagements(ws, client),
        notes=str(doc.get("notes") or "") if audience.sees_private else "",
        nps=nps.label(),
        nps_interval=nps.interval_label(),
        nps_by_quarter=tuple(
            TrendPoint(quarter, summary.n, summary.score)
            for quarter, summary in nps_trend(ws, client=client)
        ),
        health=_health(ws, audience, client) if internal else None,
        flags=tuple(
            FlagLine(f.key, f.kind, f.label, f.reason, f.since, f.addressed)
            for f in red_flags(ws, audience=audience, client=client, include_addressed=True)
        ),
        brief=_brief(ws, client),
        agenda=tuple(
            str(d.get("text", ""))
            for d in sorted(
                (
                    d
                    for d in ws.docs("agenda", client=client)
                    if d.get("status") == AgendaStatus.OPEN.value
                ),
                key=lambda d: (str(d.get("added_at", "")), d["uid"]),
            )
        ),
        timeline=timeline(ws, audience, client),
        conflicted=conflicted,
        kept=kept,
    )


def _engagements(ws: Workspace, client: str) -> tuple[EngagementLine, ...]:
    found = []
    for eng in sorted(ws.docs("engagement", client=client), key=lambda d: str(d.get("start", ""))):
        person = ws.doc("consultant", str(eng.get("consultant", ""))) or {}
        found.append(
            EngagementLine(
                str(eng["uid"]),
                str(person.get("name", "?")),
                as_date(eng.get("start")),
                as_date(eng.get("end")),
                str(eng.get("main_communicator") or ""),
            )
        )
    return tuple(found)


def _health(ws: Workspace, audience: Audience, client: str) -> HealthLine:
    health = client_health(ws, client, audience)
    return HealthLine(health.score, health.grade, tuple(health.trend), tuple(health.lost))


def _brief(ws: Workspace, client: str) -> BriefView:
    brief = since_last_meeting(ws, client)
    today = ws.today()
    return BriefView(
        last_meeting=brief.last_meeting,
        nps_now=brief.nps_now.label(),
        nps_change=brief.nps_change,
        days_since_touchpoint=brief.days_since_touchpoint,
        carried_over=len(brief.carried_over),
        agreements_due=tuple(
            DueAgreement(a.uid, a.due, a.text, is_overdue(a.status, a.due, today))
            for a in brief.agreements_due
        ),
        new_requests=tuple(NewRequest(r.uid, r.kind.value, r.text) for r in brief.new_requests),
    )


def timeline(ws: Workspace, audience: Audience, client: str) -> tuple[TimelineEntry, ...]:
    """Everything that happened with a client, newest first: meetings, agreements, NPS
    answers, touchpoints and requests."""
    rows: list[TimelineEntry] = []

    def add(doc: Doc, kind: str, day: object, what: str, detail: object) -> None:
        rows.append(TimelineEntry(as_date(day), kind, str(doc["uid"]), what, str(detail or "")))

    for doc in ws.docs("meeting", client=client):
        add(doc, "meeting", doc.get("date"), f"meeting {doc.get('status', '')}", doc.get("notes"))
    for doc in ws.docs("agreement", client=client):
        side = "ours" if doc.get("side") == "us" else "theirs"
        detail = f"{doc.get('text', '')} (due {doc.get('due') or '—'})"
        what = f"agreement {side} {doc.get('status', '')}"
        add(doc, "agreement", doc.get("created"), what, detail)
    for doc in ws.docs("nps", client=client):
        answer = audience.nps_answer(str(doc.get("contact") or ""), str(doc.get("reason", "")))
        detail = "" if answer is None else f"{answer[0] or '?'}: {answer[1]}"
        add(doc, "nps", doc.get("date"), f"NPS {doc.get('score')}", detail)
    for doc in ws.docs("touchpoint", client=client):
        add(
            doc, "touchpoint", doc.get("date"), f"touchpoint {doc.get('kind', '')}", doc.get("note")
        )
    for doc in ws.docs("request", client=client):
        what = f"request {doc.get('kind', '')} {doc.get('status', '')}"
        add(doc, "request", doc.get("date"), what, doc.get("text"))
    rows.sort(key=lambda row: row.day.isoformat() if row.day else "", reverse=True)
    return tuple(rows)


def sync_notices(
    ws: Workspace, client: str
) -> tuple[tuple[SyncNotice, ...], tuple[SyncNotice, ...]]:
    """This client's records (the client first) with two versions of a field, and
    those an edit kept alive against a delete made elsewhere."""
    related = [("client", client)] + [
        (kind, str(doc["uid"])) for kind in RELATED_KINDS for doc in ws.docs(kind, client=client)
    ]
    conflicts = {kind: ws.conflicted(kind) for kind in ("client", *RELATED_KINDS)}
    revived = {kind: ws.revived(kind) for kind in ("client", *RELATED_KINDS)}
    conflicted: list[SyncNotice] = []
    kept: list[SyncNotice] = []
    for kind, uid in related:
        if uid in conflicts[kind]:
            fields = tuple(sorted(ws.conflicts(kind, uid)))
            conflicted.append(SyncNotice(kind, uid, _title(ws, kind, uid), fields))
        if uid in revived[kind]:
            kept.append(SyncNotice(kind, uid, _title(ws, kind, uid), ()))
    return tuple(conflicted), tuple(kept)


def _title(ws: Workspace, kind: str, uid: str) -> str:
    if kind == "client":
        return ""
    doc = ws.doc(kind, uid) or {}
    return str(doc.get("text") or doc.get("date") or uid)

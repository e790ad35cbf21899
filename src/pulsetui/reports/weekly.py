"""The weekly client report in Markdown: what was done, what is next, risks with a
proposed way out, and the agreements.

The report goes to the client, so it shows only red flags that are not internal
(meetings and agreements); the way out is the manager's "addressed" note when there
is one, else the standard advice for that kind of flag. Text from the store is
escaped so it cannot change the Markdown around it.
"""

from __future__ import annotations

import datetime as dt
import re

from pulsetui.domain.agreements import is_due_within, is_overdue
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgendaStatus, AgreementStatus, MeetingStatus, RequestStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.flags import FLAG_KINDS
from pulsetui.domain.models import Agreement
from pulsetui.domain.text import safe_line
from pulsetui.service.insights.flags import red_flags
from pulsetui.service.workspace import Workspace

NEXT_DAYS = 14
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """One line of plain text, safe inside Markdown (also inside a table cell) and on a
    terminal: control characters and line breaks become spaces, anything else that
    may not reach a terminal (bidi controls, zero-width characters) shows visibly."""
    flat = safe_line(" ".join(_CONTROL.sub(" ", str(text)).split()))
    return _MARKDOWN.sub(r"\\\1", flat)


def _week_label(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _owner(agreement: Agreement) -> str:
    """Who owns an agreement, as Markdown."""
    side = "us" if agreement.side.value == "us" else "client"
    return f"{side}, {md(agreement.owner)}" if agreement.owner else side


def _done_on(agreement: Agreement) -> dt.date | None:
    done = [h.at.date() for h in agreement.history if h.status == AgreementStatus.DONE]
    return done[-1] if done else None


def weekly_report(ws: Workspace, client: str, monday: dt.date | None = None) -> str:
    """The report of ``client`` for the ISO week starting ``monday`` (default: this week)."""
    doc = ws.doc("client", client)
    if doc is None:
        raise InvalidInput.one("client", f"no client with id {client!r}")
    today = ws.today()
    monday = monday or today - dt.timedelta(days=today.weekday())
    if monday.weekday() != 0:
        raise InvalidInput.one("week", "must start on a Monday")
    sunday = monday + dt.timedelta(days=6)
    horizon = sunday + dt.timedelta(days=NEXT_DAYS)

    agreements = sorted(
        ws.list(Agreement, client=client),
        key=lambda a: (a.due or dt.date.max, a.text.casefold(), a.uid),
    )
    meetings = sorted(
        ws.docs("meeting", client=client), key=lambda m: (m["date"], m.get("time") or "", m["uid"])
    )
    agenda = sorted(ws.docs("agenda", client=client), key=lambda i: (i["added_at"], i["uid"]))

    lines = [
        f"# Weekly report: {md(doc['name'])}",
        "",
        f"Week {_week_label(monday)} ({monday.isoformat()} – {sunday.isoformat()}), "
        f"prepared by {md(ws.me_name)} on {today.isoformat()}.",
        "",
        "## Done",
        "",
    ]
    done: list[str] = []
    for meeting in meetings:
        day = as_date(meeting.get("date"))
        held = meeting.get("status") == MeetingStatus.HELD.value
        if held and day is not None and monday <= day <= sunday:
            done.append(f"- Client meeting held on {day.isoformat()}.")
            for item in agenda:
                if item.get("meeting") == meeting["uid"] and item.get("status") == "discussed":
                    done.append(f"  - Discussed: {md(item['text'])}")
    for agreement in agreements:
        finished = _done_on(agreement)
        if agreement.status == AgreementStatus.DONE and finished and monday <= finished <= sunday:
            done.append(f"- Done: {md(agreement.text)} ({_owner(agreement)}).")
    lines += done or ["- Nothing recorded as done this week."]

    lines += ["", "## Next", ""]
    upcoming: list[str] = []
    planned = [
        m
        for m in meetings
        if m.get("status") == MeetingStatus.PLANNED.value
        and (day := as_date(m.get("date"))) is not None
        and max(monday, today) <= day <= horizon
    ]
    for index, meeting in enumerate(planned):
        when = meeting["date"] + (f" {meeting['time']}" if meeting.get("time") else "")
        upcoming.append(f"- Client meeting on {when}.")
        items = [
            i
            for i in agenda
            if i.get("status") == AgendaStatus.OPEN.value
            and (i.get("meeting") == meeting["uid"] or (index == 0 and not i.get("meeting")))
        ]
        upcoming += [f"  - Agenda: {md(i['text'])}" for i in items]
    for agreement in agreements:
        due = agreement.due
        soon = is_due_within(agreement.status, due, today, (horizon - today).days)
        if due is not None and soon and not is_overdue(agreement.status, due, today):
            upcoming.append(f"- Due {due.isoformat()}: {md(agreement.text)} ({_owner(agreement)}).")
    for request in sorted(ws.docs("request", client=client), key=lambda r: (r["date"], r["uid"])):
        if request.get("status") == RequestStatus.ACCEPTED.value:
            upcoming.append(f"- In progress: {md(request['text'])}.")
    lines += upcoming or ["- Nothing planned yet."]

    lines += ["", "## Risks and the proposed way out", ""]
    risks = [
        f
        for f in red_flags(ws, client=client, include_addressed=True)
        if not f.internal and f.client == client
    ]
    if risks:
        lines += ["| Risk | Since | Proposed way out |", "| --- | --- | --- |"]
        for flag in risks:
            way_out = flag.note.strip() or FLAG_KINDS[flag.kind].way_out
            since = flag.since.isoformat() if flag.since else ""
            lines.append(f"| {md(flag.label)}: {md(flag.reason)} | {since} | {md(way_out)} |")
    else:
        lines.append("- No open risks.")

    lines += ["", "## Agreements", ""]
    shown = [
        a
        for a in agreements
        if a.status == AgreementStatus.OPEN
        or any(monday <= h.at.date() <= sunday for h in a.history)
    ]
    if shown:
        lines += ["| Agreement | Owner | Due | Status |", "| --- | --- | --- | --- |"]
        for agreement in shown:
            status = agreement.status.value
            if is_overdue(agreement.status, agreement.due, today):
                status = "overdue"
            if agreement.reason and agreement.status != AgreementStatus.OPEN:
                status += f": {agreement.reason}"
            due_text = agreement.due.isoformat() if agreement.due else ""
            lines.append(
                f"| {md(agreement.text)} | {_owner(agreement)} | {due_text} | {md(status)} |"
            )
    else:
        lines.append("- No open agreements.")
    return "\n".join(lines) + "\n"

"""What can be sent to a client, each in the forms it can leave in, keyed by file ending:
the weekly report (Markdown, an HTML page, plain text for a mail), the agenda of the
next meeting with its invite (Markdown, iCalendar), and the summary of the last meeting
held (Markdown). The front-ends preview one, then save the form a file name ends in or
copy the one meant for a mail body."""

from __future__ import annotations

from dataclasses import dataclass, field

from pulsetui.domain.enums import MeetingStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client
from pulsetui.reports.agenda import agenda_markdown
from pulsetui.reports.ics import invite_calendar
from pulsetui.reports.meeting_summary import meeting_summary
from pulsetui.reports.weekly import weekly_markdown
from pulsetui.reports.weekly_html import weekly_html
from pulsetui.reports.weekly_text import weekly_text
from pulsetui.service.agenda_ahead import agenda_ahead
from pulsetui.service.meetings import next_meeting_proposal
from pulsetui.service.weekly import weekly_report
from pulsetui.service.workspace import Workspace

MARKDOWN = ".md"


@dataclass(frozen=True)
class ReportForms:
    """One report: ``forms`` maps a file ending to the text (``.md`` always); ``mail``
    is the ending of the form to copy into a mail body."""

    title: str  # names the file: "Weekly report Acme Oy 2026-W47"
    forms: dict[str, str] = field(default_factory=dict)
    mail: str = MARKDOWN

    @property
    def markdown(self) -> str:
        return self.forms[MARKDOWN]


def weekly_forms(ws: Workspace, client: str) -> ReportForms:
    """This week's report of ``client``; plain text is what goes into a mail."""
    report = weekly_report(ws, client)
    return ReportForms(
        f"Weekly report {report.client_name} {report.week}",
        {".md": weekly_markdown(report), ".html": weekly_html(report), ".txt": weekly_text(report)},
        mail=".txt",
    )


def agenda_forms(ws: Workspace, client: str) -> ReportForms:
    """The agenda of the client's next planned meeting and its invite (the reminder
    from ``[calendar] reminder_minutes``)."""
    ahead = agenda_ahead(ws, client)
    minutes = ws.config.calendar.reminder_minutes
    invite = invite_calendar(ws, ahead.meeting, reminder_minutes=minutes)
    slot = ahead.meeting
    return ReportForms(
        f"{slot.client_name} {slot.day.isoformat()} agenda",
        {".md": agenda_markdown(ahead), ".ics": invite.decode("utf-8")},
    )


def summary_forms(ws: Workspace, client: str) -> ReportForms:
    """The summary of the client's last meeting held, with the next meeting if one is
    planned."""
    held = [m for m in ws.meetings_of(client) if m.status == MeetingStatus.HELD]
    if not held:
        raise InvalidInput.one("meeting", "the client has no meeting held yet")
    last = held[-1]
    next_day, planned = next_meeting_proposal(ws, client)
    name = ws.require(Client, client).name
    return ReportForms(
        f"{name} {last.date.isoformat()} meeting summary",
        {".md": meeting_summary(ws, last.uid, next_day if planned else None)},
    )

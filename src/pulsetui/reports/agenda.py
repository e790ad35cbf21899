"""The agenda of one client meeting sent ahead, as Markdown: when and who, the new
topics, the topics carried over, and the open agreements of both sides. Everything
typed is escaped so it reads as typed."""

from __future__ import annotations

import datetime as dt

from pulsetui.reports.markdown import inline
from pulsetui.service.agenda_ahead import AgendaAhead


def _when(ahead: AgendaAhead) -> str:
    meeting = ahead.meeting
    end = meeting.end
    if meeting.time is None or not isinstance(end, dt.datetime):
        return f"{meeting.day.isoformat()} (all day)"
    return f"{meeting.day.isoformat()} {meeting.time}–{end:%H:%M} ({meeting.zone.name})"


def agenda_markdown(ahead: AgendaAhead) -> str:
    meeting = ahead.meeting
    lines = [f"# Agenda: {inline(meeting.client_name)}", ""]
    if meeting.cancelled:
        lines += [f"**The meeting of {_when(ahead)} is cancelled.**", ""]
    else:
        lines += [f"Meeting on {_when(ahead)}.", ""]
    if ahead.host is not None:
        lines += [f"From {inline(ahead.host.name)}.", ""]
    if meeting.attendees:
        lines += ["## Invited", ""]
        lines += [
            f"- {inline(p.name)}" + (f" ({inline(p.role)})" if p.role else "")
            for p in meeting.attendees
        ]
        lines.append("")
    lines += ["## New topics", ""]
    lines += [f"- {inline(text)}" for text in ahead.new] or ["- none yet"]
    lines += ["", "## Carried over", ""]
    if ahead.carried:
        since = (
            f" (open since the meeting of {ahead.last_held.isoformat()})" if ahead.last_held else ""
        )
        lines[-2] = f"## Carried over{since}"
        lines += [f"- {inline(text)}" for text in ahead.carried]
    else:
        lines.append("- none")
    lines += ["", "## Open agreements", ""]
    if ahead.agreements:
        lines += ["| Agreement | Who | Due |", "| --- | --- | --- |"]
        for agreement in ahead.agreements:
            who = "us" if agreement.side == "us" else "you"
            if agreement.owner:
                who += f", {inline(agreement.owner)}"
            due = agreement.due.isoformat() if agreement.due else ""
            if agreement.overdue:
                due += " (overdue)"
            lines.append(f"| {inline(agreement.text)} | {who} | {due} |")
    else:
        lines.append("- none")
    return "\n".join(lines).rstrip() + "\n"

"""The weekly client report as Markdown (:mod:`pulsetui.service.weekly` computes it):
what was done, what is next, risks with the proposed way out, and the agreements.
Typed text is escaped by :mod:`pulsetui.reports.markdown`, so it reads as typed in any
Markdown reader (also inside a table cell and at the start of a line).
"""

from __future__ import annotations

import datetime as dt

from pulsetui.reports.markdown import inline
from pulsetui.service import weekly
from pulsetui.service.weekly import WeeklyReport
from pulsetui.service.workspace import Workspace


def heading_line(report: WeeklyReport) -> str:
    """Which week, by whom and when, and from which day's state (a past week)."""
    line = (
        f"Week {report.week} ({report.monday.isoformat()} – {report.sunday.isoformat()}), "
        f"prepared by {report.prepared_by} on {report.prepared_on.isoformat()}"
    )
    if report.as_of != report.prepared_on:
        line += f", as things stood on {report.as_of.isoformat()}"
    return line + "."


def weekly_markdown(report: WeeklyReport) -> str:
    lines = [f"# Weekly report: {inline(report.client_name)}", "", inline(heading_line(report)), ""]
    for title, items, empty in (
        ("Done", report.done, "Nothing recorded as done this week."),
        ("Next", report.next, "Nothing planned yet."),
    ):
        lines += [f"## {title}", ""]
        for item in items:
            lines.append(f"- {inline(item.text)}")
            lines += [f"  - {inline(detail)}" for detail in item.detail]
        if not items:
            lines.append(f"- {empty}")
        lines.append("")
    lines += ["## Risks and the proposed way out", ""]
    if report.risks:
        lines += ["| Risk | Since | Proposed way out |", "| --- | --- | --- |"]
        for risk in report.risks:
            since = risk.since.isoformat() if risk.since else ""
            lines.append(f"| {inline(risk.risk)} | {since} | {inline(risk.way_out)} |")
    else:
        lines.append("- No open risks.")
    lines += ["", "## Agreements", ""]
    if report.agreements:
        lines += ["| Agreement | Owner | Due | Status |", "| --- | --- | --- | --- |"]
        for row in report.agreements:
            due = row.due.isoformat() if row.due else ""
            lines.append(
                f"| {inline(row.text)} | {inline(row.owner)} | {due} | {inline(row.status)} |"
            )
    else:
        lines.append("- No open agreements.")
    return "\n".join(lines) + "\n"


def weekly_report(ws: Workspace, client: str, monday: dt.date | None = None) -> str:
    """The Markdown report of ``client`` for the ISO week of ``monday`` (default: this
    week)."""
    return weekly_markdown(weekly.weekly_report(ws, client, monday))

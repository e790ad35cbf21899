"""The weekly client report as Markdown (:mod:`pulsetui.service.weekly` computes it):
what was done, what is next, risks with the proposed way out, and the agreements.

Text from the store is escaped so that it reads as typed in any Markdown reader
(CommonMark with the GFM tables and strikethrough, and the usual maths plugins): no
emphasis, code, strikethrough, HTML, entity, link, table cell, heading, list or maths
can come out of it, and control characters are made spaces.
"""

from __future__ import annotations

import datetime as dt
import re

from pulsetui.domain.text import safe_line
from pulsetui.service import weekly
from pulsetui.service.weekly import WeeklyReport
from pulsetui.service.workspace import Workspace

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# characters that render wherever they stand
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#~&$])")
# what opens a block at the start of a line: quote, list item, thematic break, setext
# underline, ordered list ("2026. ", "3) ")
_LINE_START = re.compile(r"^([>+\-=]|\d{1,9}(?=[.)]))")


def md(text: str) -> str:
    """One line of plain text, safe inside Markdown (also inside a table cell and at the
    start of a line) and on a terminal: control characters and line breaks become
    spaces, anything else that may not reach a terminal (bidi controls, zero-width
    characters) shows visibly."""
    flat = safe_line(" ".join(_CONTROL.sub(" ", str(text)).split()))
    escaped = _MARKDOWN.sub(r"\\\1", flat)

    def start(match: re.Match[str]) -> str:
        mark = match.group(1)
        return mark + "\\" if mark.isdigit() else "\\" + mark

    return _LINE_START.sub(start, escaped, count=1)


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
    lines = [f"# Weekly report: {md(report.client_name)}", "", md(heading_line(report)), ""]
    for title, items, empty in (
        ("Done", report.done, "Nothing recorded as done this week."),
        ("Next", report.next, "Nothing planned yet."),
    ):
        lines += [f"## {title}", ""]
        for item in items:
            lines.append(f"- {md(item.text)}")
            lines += [f"  - {md(detail)}" for detail in item.detail]
        if not items:
            lines.append(f"- {empty}")
        lines.append("")
    lines += ["## Risks and the proposed way out", ""]
    if report.risks:
        lines += ["| Risk | Since | Proposed way out |", "| --- | --- | --- |"]
        for risk in report.risks:
            since = risk.since.isoformat() if risk.since else ""
            lines.append(f"| {md(risk.risk)} | {since} | {md(risk.way_out)} |")
    else:
        lines.append("- No open risks.")
    lines += ["", "## Agreements", ""]
    if report.agreements:
        lines += ["| Agreement | Owner | Due | Status |", "| --- | --- | --- | --- |"]
        for row in report.agreements:
            due = row.due.isoformat() if row.due else ""
            lines.append(f"| {md(row.text)} | {md(row.owner)} | {due} | {md(row.status)} |")
    else:
        lines.append("- No open agreements.")
    return "\n".join(lines) + "\n"


def weekly_report(ws: Workspace, client: str, monday: dt.date | None = None) -> str:
    """The Markdown report of ``client`` for the ISO week of ``monday`` (default: this
    week)."""
    return weekly_markdown(weekly.weekly_report(ws, client, monday))

"""The weekly client report as plain text for the body of an e-mail: headings in
capitals, lists with hyphens, risks and agreements one per paragraph so that no mail
client has to keep a table's columns. Nothing in plain text renders; characters that
could mislead (control, bidi and zero-width characters) are shown visibly."""

from __future__ import annotations

import textwrap

from pulsetui.domain.text import safe_line
from pulsetui.reports.weekly import heading_line
from pulsetui.service.weekly import WeeklyReport

WIDTH = 72


def _wrapped(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        safe_line(text),
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def weekly_text(report: WeeklyReport) -> str:
    title = f"Weekly report: {safe_line(report.client_name)}"
    lines = [title, "=" * min(len(title), WIDTH), ""]
    lines += _wrapped(heading_line(report), "", "")
    for heading, items, empty in (
        ("DONE", report.done, "Nothing recorded as done this week."),
        ("NEXT", report.next, "Nothing planned yet."),
    ):
        lines += ["", heading, ""]
        for item in items:
            lines += _wrapped(item.text, "- ", "  ")
            for detail in item.detail:
                lines += _wrapped(detail, "  - ", "    ")
        if not items:
            lines.append(f"- {empty}")
    lines += ["", "RISKS AND THE PROPOSED WAY OUT", ""]
    for risk in report.risks:
        since = f" (since {risk.since.isoformat()})" if risk.since else ""
        lines += _wrapped(risk.risk + since, "- ", "  ")
        lines += _wrapped(f"Proposed way out: {risk.way_out}", "  ", "  ")
    if not report.risks:
        lines.append("- No open risks.")
    lines += ["", "AGREEMENTS", ""]
    for row in report.agreements:
        due = f", due {row.due.isoformat()}" if row.due else ""
        lines += _wrapped(f"{row.text} ({row.owner}{due}): {row.status}", "- ", "  ")
    if not report.agreements:
        lines.append("- No open agreements.")
    return "\n".join(lines) + "\n"

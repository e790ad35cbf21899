"""The summary of a held client meeting as Markdown: topics discussed, dropped and
carried over, the agreements made, the notes and the next meeting — ready to copy into
a mail or save as a file. Everything typed is escaped (:mod:`pulsetui.reports.markdown`)."""

from __future__ import annotations

import datetime as dt

from pulsetui.reports.markdown import block, inline
from pulsetui.service.views.meeting import MeetingOutcome, meeting_outcome
from pulsetui.service.workspace import Workspace


def summary_markdown(outcome: MeetingOutcome, next_date: dt.date | None) -> str:
    """The meeting written up as Markdown; ``next_date`` None: no next meeting planned."""
    out = [f"# Meeting with {inline(outcome.client_name)}: {outcome.date.isoformat()}", ""]

    def section(title: str, lines: list[str]) -> None:
        out.append(f"## {title}")
        out.extend(lines or ["- none"])
        out.append("")

    def items(texts: tuple[str, ...]) -> list[str]:
        return [f"- {inline(text)}" for text in texts]

    section("Discussed", items(outcome.discussed))
    section("Dropped", items(outcome.dropped))
    section("Carried over to the next meeting", items(outcome.carried))
    lines = []
    for a in outcome.agreements:
        owner = f", {inline(a.owner)}" if a.owner else ""
        due = f", due {a.due.isoformat()}" if a.due else ""
        lines.append(f"- [{a.side}{owner}{due}] {inline(a.text)}")
    section("Agreements", lines)
    if outcome.notes.strip():
        section("Notes", [block(outcome.notes)])
    section("Next meeting", [f"- {next_date.isoformat()}" if next_date else "- not planned"])
    return "\n".join(out).rstrip() + "\n"


def meeting_summary(ws: Workspace, meeting: str, next_date: dt.date | None) -> str:
    """The summary of ``meeting`` as it stands in the workspace."""
    return summary_markdown(meeting_outcome(ws, meeting), next_date)

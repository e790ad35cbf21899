"""One earlier pulse conversation as text: when it was, the answers, growth wishes,
worries, the notes and every promise with what became of it — the same words in the
pulse form's history pane, on the consultant page and in the full read-only view. Text
from the store is shown literally (markup stays text, control characters visible)."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from pulsetui.domain.words import days_ago
from pulsetui.service.views.pulse_history import HistoryEntry
from pulsetui.tui.widgets.literal import literal, one_line

WORKLOAD_WORDS = {"too_low": "too low", "ok": "ok", "high": "high", "too_high": "too high"}


def score(value: int | None) -> str:
    """``4/5``, or ``–`` where it was not asked."""
    return f"{value}/5" if value is not None else "–"


def workload(value: str | None) -> str:
    return WORKLOAD_WORDS.get(value or "", value or "–")


def answers_line(entry: HistoryEntry) -> str:
    """``wellbeing 4/5 · workload ok · fit 3/5``."""
    a = entry.answers
    return f"wellbeing {score(a.wellbeing)} · workload {workload(a.workload)} · fit {score(a.fit)}"


def follow_ups_summary(entry: HistoryEntry) -> str:
    """``2 kept · 1 open``, ``1 kept``, or ``–`` when nothing was promised."""
    if not entry.follow_ups:
        return "–"
    kept = entry.kept()
    still = len(entry.follow_ups) - kept
    parts = [f"{kept} kept" if kept else "", f"{still} open" if still else ""]
    return " · ".join(p for p in parts if p)


def follow_up_lines(entry: HistoryEntry) -> Text:
    """Each promise on its own line, ``[x]`` kept / ``[ ]`` open, with its outcome."""
    out = Text()
    for item in entry.follow_ups:
        if out:
            out.append("\n")
        out.append("[x] " if item.done else "[ ] ", style="bold")
        out.append_text(literal(one_line(item.text, 300)))
        out.append(f" — {item.outcome}", style="italic" if item.done else "bold")
    return out


def conversation_text(entry: HistoryEntry, today: dt.date) -> Text:
    """The whole conversation, each part headed, for a pane or a page."""
    a = entry.answers
    out = Text()
    when = f"{a.date.isoformat()} · {days_ago((today - a.date).days)}"
    out.append(when, style="bold")
    if a.status != "held":
        out.append(f" ({a.status})", style="italic")
    out.append("\n" + answers_line(entry))
    for label, value in (("Growth", a.growth), ("Worries", a.worries)):
        if value.strip():
            out.append(f"\n{label}: ", style="bold")
            out.append_text(literal(value))
    out.append("\nNotes", style="bold underline")
    out.append("\n")
    out.append_text(literal(a.notes) if a.notes.strip() else Text("(none written)", "italic"))
    out.append("\nFollow-ups", style="bold underline")
    out.append("\n")
    if entry.follow_ups:
        out.append_text(follow_up_lines(entry))
    else:
        out.append("(none promised)", style="italic")
    return out

"""What became of a promise made in a pulse conversation, in words: kept (when, and how
long after it was made) or still open (for how long, and over how many conversations
held since). Every front-end that shows a follow-up's outcome says it this way."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.words import counted


def follow_up_outcome(
    done: bool,
    done_on: dt.date | None,
    promised: dt.date,
    today: dt.date,
    held_since: int = 0,
) -> str:
    """``done 2026-05-14 (27 days later)``, ``done`` (no day recorded), ``open (40
    days)``, ``open (217 days, 6 conversations since)``.

    ``held_since`` counts the conversations held with the same consultant after the one
    the promise was made in: an open promise that outlived them was carried over."""
    if done:
        if done_on is None:
            return "done"
        days = (done_on - promised).days
        if days <= 0:
            return f"done {done_on.isoformat()} (the same day)"
        return f"done {done_on.isoformat()} ({counted(days, 'day')} later)"
    days = max((today - promised).days, 0)
    since = f", {counted(held_since, 'conversation')} since" if held_since > 0 else ""
    return f"open ({counted(days, 'day')}{since})"

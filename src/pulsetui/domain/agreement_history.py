"""An agreement's two append-only histories: its status changes (who changed the
status, when, and why) and its due-date moves (who moved the due date, when, from which
day to which), so "but we said otherwise" can be settled. Entries made on two devices
at once both stay (the store merges append-only lists by keeping every entry)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from pulsetui.domain.enums import AgreementStatus
from pulsetui.domain.fields import OptName, Text


class StatusChange(BaseModel):
    """One entry of an agreement's append-only status history."""

    model_config = ConfigDict(extra="forbid")

    status: AgreementStatus
    reason: Text = ""
    at: dt.datetime
    by: OptName = ""


class DueMove(BaseModel):
    """One entry of an agreement's append-only list of due-date moves: who moved it,
    when, and from which day to which (None: no due date)."""

    model_config = ConfigDict(extra="forbid")

    at: dt.datetime
    by: OptName = ""
    from_due: dt.date | None = None
    to_due: dt.date | None = None


class HistoryEntry(BaseModel):
    """One line of an agreement's history as shown: a status change or a due move."""

    at: dt.datetime
    by: str
    change: str  # "done", "due 2026-11-27 → 2026-12-04"
    reason: str = ""


def timeline(history: list[StatusChange], moves: list[DueMove]) -> list[HistoryEntry]:
    """Status changes and due-date moves in one list, oldest first (entries made at the
    same moment keep the order stored, status changes first)."""
    entries = [
        HistoryEntry(at=h.at, by=h.by, change=h.status.value, reason=h.reason) for h in history
    ]
    entries += [
        HistoryEntry(at=m.at, by=m.by, change=f"due {m.from_due or '—'} → {m.to_due or '—'}")
        for m in moves
    ]
    return sorted(entries, key=lambda e: e.at)

"""The rows of the Today view: one thing that needs attention (:class:`TodayItem`) and a
titled group of them (:class:`TodaySection`), as plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TodayItem:
    """One thing that needs attention.

    ``kind`` and ``uid`` name it: a red flag ("flag", its key), a pulse due
    ("consultant", uid), a meeting due or slipping health ("client", uid), an agreement
    ("agreement", uid), a weekly client report not sent ("report", the client's uid), the
    yearly eNPS round ("enps_round", "next"), two versions kept by sync ("conflict",
    "kind/uid"), or a record an edit kept alive against a delete (its kind, uid)."""

    kind: str
    uid: str
    what: str  # "Pulse", "Meeting", a flag's label, an agreement's text
    who: str  # the consultant or client it is about
    why: str  # when or why: "overdue, 8 d late (last 2026-09-01)", a flag's reason
    client: str | None = None  # the client it is about
    consultant: str | None = None  # the consultant it is about
    opens: tuple[str, str] | None = None  # (kind, uid) of the record to open
    day: dt.date | None = None  # the day it fell or falls due, or the flag was raised


@dataclass(frozen=True)
class TodaySection:
    key: str  # "sync", "flags", "pulses", "meetings", "agreements", "reports", "enps",
    # "health", "onboarding"
    title: str
    items: tuple[TodayItem, ...]

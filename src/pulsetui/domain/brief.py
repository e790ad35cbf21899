"""The since-last-meeting brief: what a manager should know before the next client
meeting, picked from the client's records relative to the last meeting held.

- agenda items still open that were added on or before the last meeting;
- agreements due within a week or overdue, soonest first;
- NPS now (the last twelve months) and its change: the answers after the last
  meeting against those before it (the meeting day counts as before);
- requests that arrived after the last meeting; with no meeting yet, the new ones;
- the next planned meeting, one planned but not held (:mod:`.meeting_plan`), and the
  days since the last touchpoint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pulsetui.domain.agreements import is_due_within
from pulsetui.domain.enums import AgendaStatus, RequestStatus
from pulsetui.domain.meeting_plan import next_planned as next_planned
from pulsetui.domain.models import AgendaItem, Agreement, Request

NPS_NOW_DAYS = 365  # "NPS now" in the brief: the last twelve months

DateRange = tuple[dt.date, dt.date]


def carried_over(items: Iterable[AgendaItem], last: dt.date | None) -> list[AgendaItem]:
    """Agenda items still open that were already there at the last meeting, oldest first."""
    if last is None:
        return []
    found = [i for i in items if i.status == AgendaStatus.OPEN and i.added_at.date() <= last]
    return sorted(found, key=lambda i: (i.added_at, i.uid))


def agreements_due(agreements: Iterable[Agreement], today: dt.date) -> list[Agreement]:
    """Open agreements due within a week or overdue, soonest first."""
    return sorted(
        (a for a in agreements if is_due_within(a.status, a.due, today)),
        key=lambda a: (a.due or dt.date.max, a.text, a.uid),
    )


def new_requests(requests: Iterable[Request], last: dt.date | None) -> list[Request]:
    """Requests dated after the last meeting; with no meeting yet, those still new."""
    found = sorted(
        (r for r in requests if last is None or r.date > last), key=lambda r: (r.date, r.uid)
    )
    if last is None:
        found = [r for r in found if r.status == RequestStatus.NEW]
    return found


def nps_windows(
    today: dt.date, last: dt.date | None
) -> tuple[DateRange, DateRange | None, DateRange | None]:
    """The days of "NPS now", and of the answers before and after the last meeting
    whose scores are compared (None without a meeting)."""
    start = today - dt.timedelta(days=NPS_NOW_DAYS)
    if last is None:
        return (start, today), None, None
    return (start, today), (start, last), (last + dt.timedelta(days=1), today)


def nps_change(before: float | None, after: float | None) -> float | None:
    """How the score moved since the last meeting; None unless both sides have answers."""
    if before is None or after is None:
        return None
    return after - before


def days_since_last(days: Iterable[dt.date], today: dt.date) -> int | None:
    """Days since the latest of ``days`` on or before today; None when there is none."""
    past = [d for d in days if d <= today]
    return (today - max(past)).days if past else None

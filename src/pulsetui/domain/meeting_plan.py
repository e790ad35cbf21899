"""Where a client's planned meetings stand on a day, and how that reads.

- the **next meeting**: the first one still planned for today or later;
- a meeting **not held**: one still marked planned whose day has passed with no meeting
  held on or after that day (it was neither held, moved nor cancelled). A planned
  meeting left behind by one held later is history, not a slip. The latest such
  meeting is the one shown.

Meetings are ``(status, date)`` pairs as stored (:data:`~pulsetui.domain.facts.Held`):
the status a :class:`MeetingStatus` value, the date a date or an ISO string. A date
that cannot be read counts as neither."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pulsetui.domain.cadence import last_held
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import MeetingStatus
from pulsetui.domain.words import days_ago

Meeting = tuple[object, object]  # (status, date) as stored


def is_upcoming(status: object, date: object, today: dt.date) -> bool:
    """Still planned, for today or later: a candidate for the next meeting."""
    day = as_date(date)
    return status == MeetingStatus.PLANNED.value and day is not None and day >= today


def is_not_held(status: object, date: object, today: dt.date, last: dt.date | None) -> bool:
    """Still planned for a day before today, and no meeting held on or after that day
    (``last``: the last meeting held, :func:`~pulsetui.domain.cadence.last_held`)."""
    day = as_date(date)
    if status != MeetingStatus.PLANNED.value or day is None or day >= today:
        return False
    return last is None or last < day


def next_planned(meetings: Iterable[Meeting], today: dt.date) -> dt.date | None:
    """The day of the next meeting: the first still planned for today or later."""
    return min(
        (
            day
            for status, date in meetings
            if is_upcoming(status, date, today) and (day := as_date(date))
        ),
        default=None,
    )


def not_held(meetings: Iterable[Meeting], today: dt.date) -> dt.date | None:
    """The day of the latest meeting planned but not held (see the module docstring)."""
    meetings = list(meetings)
    last = last_held(meetings, today)
    return max(
        (
            day
            for status, date in meetings
            if is_not_held(status, date, today, last) and (day := as_date(date))
        ),
        default=None,
    )


def not_held_words(day: dt.date, today: dt.date) -> str:
    """``planned 2026-11-10, not held (10 days ago)``."""
    return f"planned {day.isoformat()}, not held ({days_ago((today - day).days)})"


def next_meeting_words(
    upcoming: str | None, missed: dt.date | None, today: dt.date, none: str = "—"
) -> str:
    """How the next meeting reads: ``upcoming`` (its day, and time if wanted) with a
    meeting planned but not held (``missed``) beside it; ``none`` when neither."""
    if missed is None:
        return upcoming or none
    slip = not_held_words(missed, today)
    return f"{upcoming} · {slip}" if upcoming else f"{slip}; none planned since"

"""Cadence rules: the last conversation or meeting held, and when the next one is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import CADENCE_DAYS, Cadence, MeetingStatus, PulseStatus

PULSE_DUE_DAYS = 28  # a monthly pulse is due four weeks after the last one held
PULSE_OVERDUE_DAYS = 42  # and overdue at six


class DueState(StrEnum):
    OK = "ok"
    DUE = "due"
    OVERDUE = "overdue"
    NEVER = "never"  # no conversation or meeting held yet


@dataclass(frozen=True)
class DueInfo:
    state: DueState
    last: dt.date | None
    due_on: dt.date | None
    days_since: int | None

    @property
    def needs_action(self) -> bool:
        return self.state in (DueState.DUE, DueState.OVERDUE, DueState.NEVER)


def last_held(records: Iterable[tuple[object, object]], day: dt.date) -> dt.date | None:
    """The latest day on or before ``day`` on which one of ``records`` — pulse
    conversations or client meetings as ``(status, date)`` pairs, the date a date or a
    stored ISO string — was held; None when none was."""
    held = (PulseStatus.HELD, MeetingStatus.HELD)
    days = [
        when
        for status, date in records
        if status in held and (when := as_date(date)) is not None and when <= day
    ]
    return max(days, default=None)


def due_after(
    last_held: dt.date | None, today: dt.date, due_days: int, overdue_days: int
) -> DueInfo:
    """Due ``due_days`` after the last one held, overdue at ``overdue_days``; never held
    yet: needed now."""
    if last_held is None:
        return DueInfo(DueState.NEVER, None, today, None)
    since = (today - last_held).days
    due_on = last_held + dt.timedelta(days=due_days)
    if since >= overdue_days:
        state = DueState.OVERDUE
    elif since >= due_days:
        state = DueState.DUE
    else:
        state = DueState.OK
    return DueInfo(state, last_held, due_on, since)


def meeting_interval(cadence: Cadence) -> int:
    """Days between client meetings: the agreed cadence, quarterly at the latest."""
    return min(CADENCE_DAYS[cadence], CADENCE_DAYS[Cadence.QUARTERLY])


def pulse_due(
    last_held: dt.date | None,
    today: dt.date,
    due_days: int = PULSE_DUE_DAYS,
    overdue_days: int = PULSE_OVERDUE_DAYS,
) -> DueInfo:
    """Due at four weeks after the last pulse actually held, overdue at six."""
    return due_after(last_held, today, due_days, overdue_days)


def meeting_due(
    last_held: dt.date | None,
    cadence: Cadence,
    today: dt.date,
    grace_days: int = 7,
) -> DueInfo:
    """A client meeting is due when the agreed cadence has elapsed (quarterly at the
    latest) and overdue once a further grace period has passed."""
    interval = meeting_interval(cadence)
    return due_after(last_held, today, interval, interval + grace_days)


ENPS_ROUND_EVERY_DAYS = 365  # employees are asked once a year
ENPS_ROUND_NOTICE_DAYS = 30  # the next round shows as due this long before its day


def enps_round_due(closing_days: Iterable[dt.date], today: dt.date) -> DueInfo:
    """The yearly eNPS round: the next is due a year after the latest round closed
    (``last``), shown as due a month ahead, and overdue once that day has passed; a
    round still open is the latest. No round opened yet: never held."""
    last = max(closing_days, default=None)
    if last is None:
        return DueInfo(DueState.NEVER, None, today, None)
    due_on = last + dt.timedelta(days=ENPS_ROUND_EVERY_DAYS)
    if today > due_on:
        state = DueState.OVERDUE
    elif (due_on - today).days <= ENPS_ROUND_NOTICE_DAYS:
        state = DueState.DUE
    else:
        state = DueState.OK
    return DueInfo(state, last, due_on, max((today - last).days, 0))

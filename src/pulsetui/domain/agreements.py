"""When an agreement is overdue or due soon, and what its status was on a given day.

The rules take the few fields they need (status and due day, as a validated
:class:`~pulsetui.domain.models.Agreement` or a stored record holds them), so every
screen, report and query asks the same question the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pulsetui.domain.dates import add_months, as_date
from pulsetui.domain.enums import AgreementStatus
from pulsetui.domain.errors import FieldProblem, InvalidInput

DUE_SOON_DAYS = 7  # "due this week": due within the next seven days, overdue ones included
DUE_AHEAD_MONTHS = 12  # a due date further ahead than this is asked about before it is saved


def is_overdue(status: object, due: object, day: dt.date) -> bool:
    """Still open and due before ``day``. ``due`` may be a date or a stored ISO string."""
    when = as_date(due)
    return status == AgreementStatus.OPEN and when is not None and when < day


def is_due_within(status: object, due: object, day: dt.date, days: int = DUE_SOON_DAYS) -> bool:
    """Still open and due on or before ``day + days``: due soon, or already overdue."""
    when = as_date(due)
    return status == AgreementStatus.OPEN and when is not None and (when - day).days <= days


def due_to_confirm(due: dt.date | None, today: dt.date) -> str | None:
    """Why a due date is asked about before it is saved (it is in the past, or more than
    a year ahead: likely a typo), or None when it is an ordinary one."""
    if due is None:
        return None
    if due < today:
        return f"{due} is in the past"
    try:
        furthest = add_months(today, DUE_AHEAD_MONTHS)
    except OverflowError:
        return None
    if due > furthest:
        return f"{due} is more than a year ahead"
    return None


class DueToConfirm(InvalidInput):
    """A due date that is saved only when confirmed; ``why`` says what is odd about it."""

    def __init__(self, why: str) -> None:
        self.why = why
        super().__init__([FieldProblem("due", f"{why}: confirm to save it")])


def check_due(due: dt.date | None, today: dt.date, confirmed: bool) -> None:
    """Raise :class:`DueToConfirm` for a due date asked about (:func:`due_to_confirm`)
    that is not ``confirmed``: every way of saving an agreement's due date asks this."""
    why = due_to_confirm(due, today)
    if why is not None and not confirmed:
        raise DueToConfirm(why)


def status_on(
    history: Sequence[tuple[dt.date | None, object]],
    status: object,
    created: dt.date | None,
    day: dt.date,
) -> tuple[object, dt.date | None]:
    """An agreement's status at the end of ``day`` and the day it took that status.

    ``history`` is its (day, status) changes in the order stored; an agreement with no
    history has had its current ``status`` since it was ``created``. (None, None)
    before any of that."""
    found: object = None
    since: dt.date | None = None
    for at, entry in history:
        if at is not None and at <= day:
            found, since = entry, at
    if found is None and not history and created is not None and created <= day:
        return status, created
    return found, since


def due_on(moves: Sequence[tuple[dt.date | None, object]], due: object, day: dt.date) -> object:
    """An agreement's due date at the end of ``day``: the date the first move made after
    that day moved it from, else its due date now. ``moves`` are its (day moved, due
    date before the move) in the order stored."""
    for at, before in sorted(moves, key=lambda move: move[0] or dt.date.min):
        if at is not None and at > day:
            return before
    return due

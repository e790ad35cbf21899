"""When an agreement is overdue or due soon.

The rules take the few fields they need (status and due day, as a validated
:class:`~pulsetui.domain.models.Agreement` or a stored record holds them), so every
screen, report and query asks the same question the same way."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgreementStatus

DUE_SOON_DAYS = 7  # "due this week": due within the next seven days, overdue ones included


def is_overdue(status: object, due: object, day: dt.date) -> bool:
    """Still open and due before ``day``. ``due`` may be a date or a stored ISO string."""
    when = as_date(due)
    return status == AgreementStatus.OPEN and when is not None and when < day


def is_due_within(status: object, due: object, day: dt.date, days: int = DUE_SOON_DAYS) -> bool:
    """Still open and due on or before ``day + days``: due soon, or already overdue."""
    when = as_date(due)
    return status == AgreementStatus.OPEN and when is not None and (when - day).days <= days

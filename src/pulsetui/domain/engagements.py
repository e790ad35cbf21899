"""When an engagement (a consultant placed at a client) is running."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.dates import as_date


def is_active(start: object, end: object, day: dt.date) -> bool:
    """Running on ``day``: started on or before it (or no start recorded) and not ended
    before it (``end`` is the last day). Dates may be dates or stored ISO strings."""
    first, last = as_date(start), as_date(end)
    return (first is None or first <= day) and (last is None or last >= day)

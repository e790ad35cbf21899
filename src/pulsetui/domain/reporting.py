"""The weekly client report's rhythm: which week a report is for, and when it is due.

A week's report tells the client what happened in it, so it is due from that week's
Friday; until the next Friday the week before it is the one due (a report sent on
Monday for last week is on time enough to count). Clients with an engagement running
get one every week."""

from __future__ import annotations

import datetime as dt

DUE_WEEKDAY = 4  # Friday


def week_label(monday: dt.date) -> str:
    """``2026-W47`` for the ISO week holding ``monday``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def report_week_due(day: dt.date) -> dt.date:
    """The Monday of the week whose report is due on ``day``: this week from Friday on,
    else last week."""
    return monday_of(day - dt.timedelta(days=DUE_WEEKDAY))

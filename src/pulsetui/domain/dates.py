"""Dates: typed as a manager says them in a call (``fri``, ``+2w``, ``2026-12-01``), and
read back from what is stored (an ISO string, a date or a datetime)."""

from __future__ import annotations

import datetime as dt
import re

from pulsetui.domain.errors import InvalidInput

WEEKDAYS = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip

_RELATIVE = re.compile(r"^\+?(\d{1,4})\s*([dwmy])$", re.ASCII)
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# day.month. or day.month.year, as written in Finland and much of Europe
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})?$", re.ASCII)


def as_date(value: object) -> dt.date | None:
    """A stored day as a date: a date as it is, a datetime's day, an ISO string's first
    ten characters (``2026-11-20T09:30`` is 2026-11-20); None when empty or unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value:
        return None  # nothing stored, or a number or list where a day belongs
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_date(text: str, today: dt.date, field: str = "date") -> dt.date:
    """Read a date typed as ISO, a weekday (the next one), ``next fri`` (that day in
    next week), ``4.12.`` (this year) or ``4.12.2026``, ``today``, ``tomorrow`` or an
    offset such as ``+3d``, ``+2w``, ``+1m``, ``+1y``."""
    raw = text.strip().lower()
    if not raw:
        raise InvalidInput.one(field, "must not be empty")
    if raw in ("today", "now"):
        return today
    if raw in ("tomorrow", "tmrw"):
        return today + dt.timedelta(days=1)
    if raw in ("yesterday",):
        return today - dt.timedelta(days=1)
    if raw in WEEKDAYS:
        ahead = (WEEKDAYS[raw] - today.weekday()) % 7 or 7
        return today + dt.timedelta(days=ahead)
    words = raw.split()
    if len(words) == 2 and words[0] == "next" and words[1] in WEEKDAYS:
        # the day in next week (Monday to Sunday after this one)
        monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=1)
        return monday + dt.timedelta(days=WEEKDAYS[words[1]])
    dotted = _DOTTED.match(raw)
    if dotted:
        day, month = int(dotted.group(1)), int(dotted.group(2))
        year = int(dotted.group(3)) if dotted.group(3) else today.year
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise InvalidInput.one(
                field, f"is not a day of the calendar (got {text.strip()!r})"
            ) from None
    match = _RELATIVE.match(raw)
    if match:
        count, unit = int(match.group(1)), match.group(2)
        try:
            if unit == "d":
                return today + dt.timedelta(days=count)
            if unit == "w":
                return today + dt.timedelta(weeks=count)
            if unit == "m":
                return add_months(today, count)
            return add_months(today, 12 * count)
        except (OverflowError, ValueError):
            raise InvalidInput.one(
                field, f"is too far ahead: the calendar ends at 9999-12-31 (got {text.strip()!r})"
            ) from None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        if _ISO_LIKE.match(raw):
            raise InvalidInput.one(
                field, f"is not a day of the calendar (got {text.strip()!r})"
            ) from None
        raise InvalidInput.one(
            field,
            f"must be a date such as 2026-12-01, 4.12., fri, next fri, +3d or +2w "
            f"(got {text.strip()!r})",
        ) from None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter).

    Raises :class:`OverflowError` past the calendar's end (year 9999)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"year {year} is out of range")
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def parse_iso_week(text: str, field: str = "week") -> dt.date:
    """The Monday of an ISO week written ``2026-W47``."""
    match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), flags=re.IGNORECASE | re.ASCII)
    if not match:
        raise InvalidInput.one(field, f"must be an ISO week such as 2026-W47 (got {text!r})")
    year = int(match.group(1))
    if not 1900 <= year <= 2199:
        raise InvalidInput.one(field, f"must be a week of the years 1900-2199 (got {text!r})")
    try:
        return dt.date.fromisocalendar(year, int(match.group(2)), 1)
    except ValueError:
        raise InvalidInput.one(field, f"no such ISO week: {text!r}") from None


# records of something that has already happened, by kind: what the date says
HAPPENED = {"nps": "an answer already given", "request": "a wish or request already made"}


def check_happened(kind: str, day: dt.date | None, today: dt.date) -> None:
    """A record of something that has happened is not dated after today."""
    if kind in HAPPENED and day is not None and day > today:
        raise InvalidInput.one(
            "date", f"must not be after today: {HAPPENED[kind]} (got {day.isoformat()})"
        )

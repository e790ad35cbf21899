"""The client meeting schedule as an iCalendar file (RFC 5545), written by hand.

One VEVENT per meeting: a stable UID (the meeting's uid), floating local start and
end times (or all-day dates when no time is set), the client in the summary, the
agenda and attendees in the description, STATUS CONFIRMED or CANCELLED. Text is
escaped (backslash, semicolon, comma, newline), control characters are dropped,
lines are folded at 75 octets without splitting a UTF-8 character, and every line
ends with CRLF.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pulsetui import __version__
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgendaStatus, MeetingStatus
from pulsetui.service.workspace import Workspace

PRODID = f"-//pulsetui//pulsetui {__version__}//EN"
UID_DOMAIN = "pulsetui"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    description: str = ""
    cancelled: bool = False


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): escapes and no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """A content line folded at 75 octets (3.1); continuation lines start with a space."""
    data = line.encode("utf-8")
    parts: list[bytes] = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while (data[cut] & 0xC0) == 0x80:  # never split inside a UTF-8 character
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # the leading space of a continuation line counts
    parts.append(data)
    return b"\r\n ".join(parts) + b"\r\n"


def _when(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return f":{value:%Y%m%dT%H%M%S}"
    return f";VALUE=DATE:{value:%Y%m%d}"


def calendar_bytes(events: Iterable[CalendarEvent], stamp: dt.datetime, name: str) -> bytes:
    """A VCALENDAR holding ``events``; ``stamp`` (UTC) is every event's DTSTAMP."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}@{UID_DOMAIN}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART{_when(event.start)}",
            f"DTEND{_when(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines += [
            f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)


def meeting_events(ws: Workspace, clients: Iterable[str]) -> list[CalendarEvent]:
    """Every meeting of these clients, with the agenda items that belong to it (the
    next planned meeting also carries the client's open items not yet assigned)."""
    events = []
    today = ws.today()
    for client_uid in clients:
        client = ws.doc("client", client_uid)
        if client is None:
            continue
        meetings = sorted(
            ws.docs("meeting", client=client_uid), key=lambda m: (m["date"], m.get("time") or "")
        )
        upcoming = [
            m
            for m in meetings
            if m.get("status") == MeetingStatus.PLANNED.value
            and (day := as_date(m.get("date"))) is not None
            and day >= today
        ]
        next_uid = upcoming[0]["uid"] if upcoming else None
        items = sorted(
            ws.docs("agenda", client=client_uid), key=lambda i: (i["added_at"], i["uid"])
        )
        for meeting in meetings:
            day = as_date(meeting.get("date"))
            start: dt.datetime | dt.date
            end: dt.datetime | dt.date
            if day is None or day >= dt.date.max - dt.timedelta(days=2):
                continue  # unreadable, or at the end of time where no calendar can hold it
            if meeting.get("time"):
                hour, minute = (int(x) for x in meeting["time"].split(":"))
                start = dt.datetime.combine(day, dt.time(hour, minute))
                end = start + dt.timedelta(minutes=int(meeting.get("duration_min", 60)))
            else:
                start, end = day, day + dt.timedelta(days=1)
            agenda = [
                i["text"]
                for i in items
                if i.get("meeting") == meeting["uid"]
                or (
                    meeting["uid"] == next_uid
                    and not i.get("meeting")
                    and i.get("status") == AgendaStatus.OPEN.value
                )
            ]
            parts = []
            if agenda:
                parts.append("Agenda:\n" + "\n".join(f"- {text}" for text in agenda))
            if meeting.get("attendees"):
                parts.append("Attendees: " + ", ".join(meeting["attendees"]))
            events.append(
                CalendarEvent(
                    uid=meeting["uid"],
                    summary=f"{client['name']}: client meeting",
                    start=start,
                    end=end,
                    description="\n\n".join(parts),
                    cancelled=meeting.get("status") == MeetingStatus.CANCELLED.value,
                )
            )
    events.sort(key=lambda e: (_sort_key(e.start), e.uid))
    return events


def _sort_key(value: dt.datetime | dt.date) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def meeting_calendar(ws: Workspace, clients: Iterable[str] | None = None) -> bytes:
    """The meeting schedule of ``clients`` (default: the signed-in manager's)."""
    if clients is None:
        clients = [c["uid"] for c in ws.docs("client", manager=ws.me)] if ws.me else []
    name = f"pulsetui meetings: {ws.me_name}" if ws.me_name else "pulsetui meetings"
    return calendar_bytes(meeting_events(ws, clients), ws.now(), name)

"""Client meetings as iCalendar (RFC 5545), written with the ``icalendar`` library.

One VEVENT per meeting (:mod:`pulsetui.service.calendar` computes them): a stable UID
(the meeting's uid), the start and end in the meeting's time zone (``TZID`` with its
``VTIMEZONE``; all-day dates when no time is set), ``SEQUENCE`` (the meeting's
revision), ``STATUS`` CONFIRMED or CANCELLED, every attendee as an ``ATTENDEE`` with
``CN`` (a contact's e-mail as the address), the agenda in the description with each
topic once, and an optional ``VALARM``.

Two kinds of file: the schedule (``METHOD:PUBLISH``, ``export --format ics``) and the
invite to one meeting (``METHOD:REQUEST``, or ``CANCEL`` for a cancelled meeting,
with the organizer; ``agenda send``). Control characters are dropped from text; the
library escapes and folds.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Iterable, Sequence

import icalendar

from pulsetui import __version__
from pulsetui.service.calendar import CalendarMeeting, Person, calendar_meetings, organizer
from pulsetui.service.workspace import Workspace

PRODID = f"-//pulsetui//pulsetui {__version__}//EN"
UID_DOMAIN = "pulsetui"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ZONE_MARGIN = dt.timedelta(days=366)


def plain(text: str, lines: bool = False) -> str:
    """Text as a TEXT value holds it: no control characters; line breaks kept only in
    ``lines`` (a description), else made spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not lines:
        text = text.replace("\n", " ")
    return _CONTROL.sub("", text)


def address(person: Person) -> icalendar.vCalAddress:
    """A person as a calendar address with their name as ``CN``: ``mailto:`` when the
    e-mail is known, else a URN naming them (they are listed, but get no mail)."""
    if person.email:
        value = f"mailto:{person.email}"
    else:
        value = "urn:x-pulsetui:name:" + urllib.parse.quote(plain(person.name), safe="")
    calendar_address = icalendar.vCalAddress(value)
    calendar_address.params["CN"] = plain(person.name)
    return calendar_address


def _description(meeting: CalendarMeeting, preface: str = "") -> str:
    parts = [preface] if preface else []
    if meeting.agenda:
        parts.append("Agenda:\n" + "\n".join(f"- {plain(t, lines=True)}" for t in meeting.agenda))
    return "\n\n".join(parts)


def meeting_event(
    meeting: CalendarMeeting,
    stamp: dt.datetime,
    *,
    host: Person | None = None,
    reminder_minutes: int = 0,
    preface: str = "",
) -> icalendar.Event:
    """One meeting as a VEVENT (``host``: the organizer of an invite)."""
    event = icalendar.Event()
    event.add("uid", f"{meeting.uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", meeting.start)
    event.add("dtend", meeting.end)
    event.add("sequence", meeting.sequence)
    event.add("summary", plain(f"{meeting.client_name}: client meeting"))
    description = _description(meeting, preface)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if host is not None and host.email:
        event.add("organizer", address(host))
    for person in meeting.attendees:
        attendee = address(person)
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        hosting = host is not None and bool(host.email) and person.email == host.email
        attendee.params["ROLE"] = "CHAIR" if hosting else "REQ-PARTICIPANT"
        if host is not None:
            attendee.params["PARTSTAT"] = "ACCEPTED" if hosting else "NEEDS-ACTION"
            attendee.params["RSVP"] = "TRUE" if person.email and not hosting else "FALSE"
        event.add("attendee", attendee)
    if reminder_minutes and not meeting.cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(minutes=-reminder_minutes))
        alarm.add("description", plain(f"{meeting.client_name}: client meeting"))
        event.add_component(alarm)
    return event


def calendar_bytes(
    events: Sequence[icalendar.Event], meetings: Sequence[CalendarMeeting], name: str, method: str
) -> bytes:
    """A VCALENDAR of ``events`` with the VTIMEZONE each needs (over the span of the
    meetings, with a year's margin either side)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", plain(name))
    for event in events:
        calendar.add_component(event)
    timed = [m.day for m in meetings if m.time is not None]
    if timed:
        first = max(dt.date(1900, 1, 1), min(timed) - _ZONE_MARGIN)
        last = min(dt.date(9999, 1, 1), max(timed) + _ZONE_MARGIN)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())


def schedule_calendar(
    ws: Workspace, meetings: Iterable[CalendarMeeting], name: str, reminder_minutes: int = 0
) -> bytes:
    """The meetings as a published schedule."""
    chosen = list(meetings)
    stamp = ws.now()
    events = [meeting_event(m, stamp, reminder_minutes=reminder_minutes) for m in chosen]
    return calendar_bytes(events, chosen, name, "PUBLISH")


def meeting_calendar(ws: Workspace, clients: Iterable[str] | None = None) -> bytes:
    """The meeting schedule of ``clients`` (default: the signed-in manager's)."""
    if clients is None:
        clients = [c["uid"] for c in ws.docs("client", manager=ws.me)] if ws.me else []
    name = f"pulsetui meetings: {ws.me_name}" if ws.me_name else "pulsetui meetings"
    meetings = calendar_meetings(ws, clients)
    return schedule_calendar(ws, meetings, name, ws.config.calendar.reminder_minutes)


def invite_calendar(
    ws: Workspace, meeting: CalendarMeeting, preface: str = "", reminder_minutes: int = 0
) -> bytes:
    """An invite to one meeting: ``REQUEST`` (``CANCEL`` once cancelled) from the
    client's manager to the attendees."""
    host = organizer(ws, meeting.client)
    event = meeting_event(
        meeting, ws.now(), host=host, reminder_minutes=reminder_minutes, preface=preface
    )
    method = "CANCEL" if meeting.cancelled else "REQUEST"
    if host is None or not host.email:
        method = "PUBLISH"  # an invite needs an organizer with an address to answer to
    return calendar_bytes([event], [meeting], f"{meeting.client_name}: client meeting", method)

"""Client meetings as a calendar holds them: the data of an iCalendar event for each,
computed here and written by :mod:`pulsetui.reports.ics`.

- The agenda of a meeting: the items settled in it and, for the next planned meeting,
  the open items; each topic once (items added with the same words are one topic).
- Attendees: the meeting's attendees and, in an invite, the client's contacts; each
  person once, with the e-mail and role of the contact of that name when there is one.
- The revision (``SEQUENCE``): how many times the meeting's day, time, length, status
  or attendees were changed since it was planned, counted from the workspace's
  journal. Every replica that has the same changes counts the same number, so an
  invite sent again after a change always carries a higher revision, whoever sends it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.agenda import distinct_topics
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgendaStatus, MeetingStatus
from pulsetui.domain.names import loose_key
from pulsetui.service.timezones import MeetingZone, meeting_zone
from pulsetui.service.workspace import Workspace
from pulsetui.store.journal import JournalCursor

# fields whose change makes a new revision of an invite (RFC 5545 3.8.7.4)
SCHEDULE_FIELDS = frozenset({"date", "time", "duration_min", "status", "attendees"})
# the last days a calendar can still hold an event ending the day after
LAST_DAY = dt.date(9999, 12, 28)


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""
    role: str = ""


@dataclass(frozen=True)
class CalendarMeeting:
    """One meeting as an event: times are the wall clock in ``zone``."""

    uid: str
    client: str
    client_name: str
    day: dt.date
    time: str | None  # "HH:MM"; None: all day
    duration_min: int
    status: str  # planned, held or cancelled
    attendees: tuple[Person, ...]
    agenda: tuple[str, ...]
    sequence: int
    zone: MeetingZone

    @property
    def cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED.value

    @property
    def start(self) -> dt.datetime | dt.date:
        """The start: an aware datetime in the meeting's zone, or the day (all day)."""
        if self.time is None:
            return self.day
        hour, minute = (int(part) for part in self.time.split(":"))
        return dt.datetime.combine(self.day, dt.time(hour, minute), tzinfo=self.zone.zone)

    @property
    def end(self) -> dt.datetime | dt.date:
        start = self.start
        if isinstance(start, dt.datetime):
            return start + dt.timedelta(minutes=self.duration_min)
        return start + dt.timedelta(days=1)


def people(
    names: Iterable[str], contacts: Iterable[dict[str, Any]], team: Iterable[dict[str, Any]] = ()
) -> tuple[Person, ...]:
    """Each person once, by name, with an e-mail where one is known: the client's
    contact of that name (and their role), else a consultant or manager of the team."""
    known: dict[str, dict[str, Any]] = {}
    for doc in team:
        if doc.get("email"):
            known.setdefault(loose_key(str(doc.get("name", ""))), {"email": doc["email"]})
    for contact in contacts:
        known[loose_key(str(contact.get("name", "")))] = contact
    found: dict[str, Person] = {}
    for name in names:
        key = loose_key(name)
        if not key or key in found:
            continue
        entry = known.get(key, {})
        found[key] = Person(
            name=name.strip(),
            email=str(entry.get("email") or "").strip(),
            role=str(entry.get("role") or ""),
        )
    return tuple(found.values())


def revisions(ws: Workspace, meetings: Iterable[str]) -> dict[str, int]:
    """How often each meeting's schedule changed since it was planned (see the module
    docstring); read from the journal, decoding only lines with changes of meetings,
    each counted as it is read (a firm's history of meetings is never held)."""
    wanted = {uid: 0 for uid in meetings}
    if not wanted:
        return {}
    # a few meetings (an invite): only lines naming them; many (the schedule): lines
    # with a change of a meeting (the journal is written compact, by orjson)
    needles = [uid.encode() for uid in wanted] if len(wanted) <= 16 else [b'"entity":"meeting"']

    def count(op: dict[str, Any]) -> bool:
        if (
            op.get("entity") == "meeting"
            and op.get("kind") in ("set", "resolve")
            and op.get("field") in SCHEDULE_FIELDS
            and op.get("uid") in wanted
        ):
            wanted[op["uid"]] += 1
        return False  # counted as it is read: no op is kept

    ws.store.journal.read_tail(JournalCursor(), mentioning=needles, keep=count)
    return wanted


def calendar_meetings(
    ws: Workspace, clients: Iterable[str], invite: bool = False
) -> list[CalendarMeeting]:
    """Every meeting of these clients, soonest first. With ``invite`` the attendees
    are the client's contacts as well as the meeting's own."""
    zone = meeting_zone(ws.config.calendar.timezone)
    today = ws.today()
    found: list[tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]] = []
    for client_uid in clients:
        client = ws.store.view.get("client", client_uid)
        if client is None:
            continue
        docs = sorted(
            ws.docs("meeting", client=client_uid), key=lambda m: (m["date"], m.get("time") or "")
        )
        upcoming = [
            m
            for m in docs
            if m.get("status") == MeetingStatus.PLANNED.value
            and (day := as_date(m.get("date"))) is not None
            and day >= today
        ]
        next_uid = upcoming[0]["uid"] if upcoming else None
        items = sorted(
            ws.docs("agenda", client=client_uid), key=lambda i: (str(i["added_at"]), i["uid"])
        )
        for meeting in docs:
            agenda = distinct_topics(
                str(i["text"])
                for i in items
                if i.get("meeting") == meeting["uid"]
                or (
                    meeting["uid"] == next_uid
                    and not i.get("meeting")
                    and i.get("status") == AgendaStatus.OPEN.value
                )
            )
            found.append((client, meeting, agenda))
    sequence = revisions(ws, [meeting["uid"] for _, meeting, _ in found])
    team = [*ws.docs("consultant"), *ws.docs("manager")]
    events = []
    for client, meeting, agenda in found:
        day = as_date(meeting.get("date"))
        if day is None or day > LAST_DAY:
            continue  # unreadable, or at the end of time where no calendar can hold it
        contacts = client.get("contacts") or []
        names = [str(n) for n in meeting.get("attendees") or []]
        if invite:
            names += [str(c.get("name", "")) for c in contacts]
        events.append(
            CalendarMeeting(
                uid=meeting["uid"],
                client=client["uid"],
                client_name=str(client.get("name", "")),
                day=day,
                time=meeting.get("time") or None,
                duration_min=int(meeting.get("duration_min") or 60),
                status=str(meeting.get("status") or MeetingStatus.PLANNED.value),
                attendees=people(names, contacts, team),
                agenda=agenda,
                sequence=sequence.get(meeting["uid"], 0),
                zone=zone,
            )
        )
    events.sort(key=lambda e: (e.day, e.time or "", e.uid))
    return events


def organizer(ws: Workspace, client: str) -> Person | None:
    """Who sends a client's invites: the client's manager, else the one signed in."""
    doc = ws.store.view.get("client", client) or {}
    manager = ws.store.view.get("manager", str(doc.get("manager") or ws.me or ""))
    if manager is None:
        return None
    return Person(str(manager.get("name", "")), str(manager.get("email") or "").strip())

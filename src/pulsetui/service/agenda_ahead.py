"""The agenda of one client meeting, to send ahead so both sides prepare: the topics
new since the last meeting held, the topics carried over from earlier meetings, and
the client's open agreements (ours and theirs), with the meeting as an invite holds
it (:mod:`pulsetui.service.calendar`).

The meeting is the one named (by id or day), else the client's next planned meeting.
A meeting already held has a summary instead, and one in the past nothing to prepare.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.agenda import topic_key
from pulsetui.domain.agreements import is_overdue
from pulsetui.domain.cadence import last_held
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgendaStatus, AgreementStatus, MeetingStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.service.calendar import CalendarMeeting, Person, calendar_meetings, organizer
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class OpenAgreement:
    text: str
    side: str  # "us" or "client"
    owner: str
    due: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class AgendaAhead:
    meeting: CalendarMeeting  # its agenda: the new and the carried-over topics
    last_held: dt.date | None  # the last meeting held before it
    new: tuple[str, ...]  # open topics added since the last meeting held
    carried: tuple[str, ...]  # open topics that were open at an earlier meeting already
    agreements: tuple[OpenAgreement, ...]  # the client's open agreements, soonest due first
    host: Person | None  # who sends it: the client's manager


def choose_meeting(ws: Workspace, client: str, meeting: str | None = None) -> CalendarMeeting:
    """The meeting named by id or ISO day (``--meeting``), else the next planned one."""
    meetings = calendar_meetings(ws, [client], invite=True)
    today = ws.today()
    if meeting:
        text = meeting.strip()
        day = as_date(text)
        found = [m for m in meetings if m.uid == text or (day is not None and m.day == day)]
        if not found:
            raise InvalidInput.one("meeting", f"the client has no meeting {text!r}")
        found.sort(key=lambda m: (m.status != MeetingStatus.PLANNED.value, m.time or ""))
        chosen = found[0]
    else:
        planned = [m for m in meetings if m.status == MeetingStatus.PLANNED.value]
        upcoming = [m for m in planned if m.day >= today]
        if not upcoming:
            raise InvalidInput.one(
                "meeting",
                "the client has no planned meeting ahead; plan one (pulsetui meeting add)",
            )
        chosen = upcoming[0]
    if chosen.status == MeetingStatus.HELD.value:
        raise InvalidInput.one(
            "meeting",
            f"the meeting of {chosen.day.isoformat()} was held; its summary says what came of it",
        )
    if chosen.day < today and not chosen.cancelled:
        raise InvalidInput.one("meeting", f"the meeting of {chosen.day.isoformat()} is past")
    return chosen


def agenda_ahead(ws: Workspace, client: str, meeting: str | None = None) -> AgendaAhead:
    """What to send ahead of a meeting with ``client`` (see the module docstring)."""
    if ws.store.view.get("client", client) is None:
        raise InvalidInput.one("client", f"no client with id {client!r}")
    chosen = choose_meeting(ws, client, meeting)
    held = last_held(
        ((d.get("status"), d.get("date")) for d in ws.docs("meeting", client=client)),
        min(chosen.day, ws.today()),
    )
    new: dict[str, str] = {}
    carried: dict[str, str] = {}
    items = sorted(ws.docs("agenda", client=client), key=lambda i: (str(i["added_at"]), i["uid"]))
    for item in items:
        if item.get("status") != AgendaStatus.OPEN.value:
            continue
        key = topic_key(item.get("text", ""))
        if not key or key in new or key in carried:
            continue
        added = as_date(str(item.get("added_at", ""))[:10])
        earlier = held is not None and added is not None and added <= held
        (carried if earlier else new)[key] = str(item["text"])
    today = ws.today()
    agreements = sorted(
        (
            OpenAgreement(
                text=str(d.get("text", "")),
                side="us" if d.get("side") == "us" else "client",
                owner=str(d.get("owner") or ""),
                due=as_date(d.get("due")),
                overdue=is_overdue(d.get("status"), d.get("due"), today),
            )
            for d in ws.docs("agreement", client=client)
            if d.get("status") == AgreementStatus.OPEN.value
        ),
        key=lambda a: (a.due or dt.date.max, a.text.casefold()),
    )
    agenda = (*carried.values(), *new.values())
    return AgendaAhead(
        meeting=dataclasses.replace(chosen, agenda=agenda),
        last_held=held,
        new=tuple(new.values()),
        carried=tuple(carried.values()),
        agreements=tuple(agreements),
        host=organizer(ws, client),
    )

"""Holding a client meeting, the same way from the app and the command line.

:func:`start_meeting` gives a :class:`MeetingDraft`: the meeting planned for it when
there is one (the one due today or overdue, else the next planned), else nothing written
yet. The record is written with the meeting's first content — a topic ticked or
dropped, a note, an agreement — so a meeting opened and left leaves no trace.
:func:`end_meeting` holds it: items added twice (by two people, or on two replicas)
share the fate of the topic settled in it, and the next meeting is proposed from the
client's cadence unless one is planned already; :func:`plan_next_meeting` plans it.
:func:`leave_meeting` (left without ending) removes a record the meeting wrote that
holds nothing after all (a topic ticked and unticked); :func:`discard_meeting` undoes
a meeting: its topics open again, its agreements go, a planned meeting stays planned."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from pulsetui.domain.agenda import topic_key
from pulsetui.domain.cadence import meeting_interval
from pulsetui.domain.enums import AgendaStatus, Cadence, MeetingStatus, Side
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Agreement, Client, ClientMeeting
from pulsetui.service.views.meeting import AgendaTopic
from pulsetui.service.workspace import Workspace


@dataclass
class MeetingDraft:
    """A meeting being held with one client, as its screen holds it."""

    client: str
    meeting: str | None = None  # its record, once there is one
    notes: str = ""  # the notes as last saved
    planned: bool = False  # the record was there (planned) before the meeting began
    notes_before: str = ""  # the planned meeting's notes when it began
    _writing: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def written(self) -> bool:
        return self.meeting is not None


@dataclass(frozen=True)
class MeetingEnd:
    """A meeting held, and the next one: planned already, or proposed by the cadence."""

    meeting: str
    client: str
    held_on: dt.date
    next_date: dt.date
    next_planned: str | None  # the planned next meeting; None: only proposed


def start_meeting(ws: Workspace, client: str, meeting: str | None = None) -> MeetingDraft:
    """A meeting with ``client``: ``meeting`` when given, else the planned one due today
    or before, else the next one planned; with none planned nothing is written yet."""
    found = ws.get(ClientMeeting, meeting) if meeting else None
    if found is None:
        today = ws.today()
        planned = [m for m in ws.meetings_of(client) if m.status == MeetingStatus.PLANNED]
        due = [m for m in planned if m.date <= today]
        later = [m for m in planned if m.date > today]
        found = due[-1] if due else (later[0] if later else None)
    if found is None:
        return MeetingDraft(client)
    return MeetingDraft(client, found.uid, found.notes, planned=True, notes_before=found.notes)


def has_content(ws: Workspace, draft: MeetingDraft) -> bool:
    """Whether the meeting holds anything: notes, a topic settled in it, an agreement."""
    if draft.meeting is None:
        return False
    current = ws.get(ClientMeeting, draft.meeting)
    if current is not None and current.notes.strip():
        return True
    settled = any(
        d.get("meeting") == draft.meeting and d.get("status") != AgendaStatus.OPEN.value
        for d in ws.docs("agenda", client=draft.client)
    )
    return settled or any(True for _ in ws.docs("agreement", meeting=draft.meeting))


def leave_meeting(ws: Workspace, draft: MeetingDraft) -> None:
    """The meeting is left without ending it: a record it wrote that holds nothing (a
    topic ticked and unticked, notes typed and deleted) is removed; one that was planned
    before, or that holds something, stays for the meeting to go on later."""
    with draft._writing:
        if draft.meeting is None or draft.planned or has_content(ws, draft):
            return
        current = ws.get(ClientMeeting, draft.meeting)
        if current is None or current.status != MeetingStatus.PLANNED:
            return  # held (ended) meanwhile: a meeting held stays
        ws.delete(ClientMeeting, draft.meeting)
        draft.meeting, draft.notes = None, ""


def discard_meeting(ws: Workspace, draft: MeetingDraft) -> None:
    """Undo the meeting: topics settled in it are open again, agreements captured in it
    are deleted, a planned meeting is left planned with the notes it had, and a record
    the meeting wrote is deleted."""
    uid = draft.meeting
    if uid is None:
        return
    for doc in list(ws.docs("agenda", client=draft.client)):
        if doc.get("meeting") == uid:
            ws.mark_agenda(doc["uid"], AgendaStatus.OPEN, None)
    for doc in list(ws.docs("agreement", meeting=uid)):
        ws.delete(Agreement, doc["uid"])
    with draft._writing:
        if draft.planned:
            if ws.require(ClientMeeting, uid).notes != draft.notes_before:
                ws.update(ClientMeeting, uid, notes=draft.notes_before)
            draft.notes = draft.notes_before
        else:
            ws.delete(ClientMeeting, uid)
            draft.meeting, draft.notes = None, ""


def on_agenda(ws: Workspace, client: str, text: str) -> bool:
    """Whether the topic ``text`` is already open on the client's agenda backlog."""
    wanted = topic_key(text)
    return any(
        d.get("status") == AgendaStatus.OPEN.value and topic_key(d.get("text", "")) == wanted
        for d in ws.docs("agenda", client=client)
    )


def record(ws: Workspace, draft: MeetingDraft) -> str:
    """The draft's meeting record, written now (planned for today) if it has none."""
    with draft._writing:
        if draft.meeting is None:
            draft.meeting = ws.plan_meeting(draft.client, ws.today()).uid
        return draft.meeting


def _mark(ws: Workspace, topic: AgendaTopic, status: AgendaStatus, meeting: str | None) -> None:
    for item in topic.items:
        if item.status != status.value or item.meeting != meeting:
            ws.mark_agenda(item.uid, status, meeting)


def tick_topic(ws: Workspace, draft: MeetingDraft, topic: AgendaTopic) -> None:
    """Mark a topic discussed in this meeting, or, when it was, open again."""
    if topic.status == AgendaStatus.DISCUSSED.value:
        _mark(ws, topic, AgendaStatus.OPEN, None)
    else:
        _mark(ws, topic, AgendaStatus.DISCUSSED, record(ws, draft))


def drop_topic(ws: Workspace, draft: MeetingDraft, topic: AgendaTopic) -> None:
    """Drop a topic in this meeting without discussing it."""
    _mark(ws, topic, AgendaStatus.DROPPED, record(ws, draft))


def reopen_topic(ws: Workspace, topic: AgendaTopic) -> None:
    """Put a topic back on the agenda, open, as if not settled."""
    _mark(ws, topic, AgendaStatus.OPEN, None)


def save_notes(ws: Workspace, draft: MeetingDraft, text: str) -> bool:
    """Save the meeting's notes; False when there was nothing new to save (the same
    text, or none typed in a meeting not written yet)."""
    if text == draft.notes or (not draft.written and not text.strip()):
        return False
    ws.update(ClientMeeting, record(ws, draft), notes=text)
    draft.notes = text
    return True


def capture_agreement(
    ws: Workspace,
    draft: MeetingDraft,
    text: str,
    side: Side | str,
    owner: str = "",
    due: dt.date | None = None,
) -> Agreement:
    """An agreement made in the meeting. Its fields are checked first, so one that
    cannot be saved does not write the meeting either."""
    ws.validate(
        Agreement,
        {
            "uid": draft.client,  # any id: only the typed fields are being checked
            "client": draft.client,
            "text": text,
            "side": side,
            "owner": owner,
            "due": due,
            "created": ws.today(),
        },
    )
    return ws.add_agreement(
        draft.client, text, side, owner=owner, due=due, meeting=record(ws, draft)
    )


def settle_duplicates(ws: Workspace, client: str, meeting: str) -> None:
    """Open items with the text of a topic settled in ``meeting`` share its fate, so
    one topic is never both settled and carried over."""
    items = list(ws.docs("agenda", client=client))
    settled: dict[str, AgendaStatus] = {}
    for doc in items:
        if doc.get("meeting") == meeting and doc.get("status") in ("discussed", "dropped"):
            settled.setdefault(topic_key(doc.get("text", "")), AgendaStatus(doc["status"]))
    for doc in items:
        status = settled.get(topic_key(doc.get("text", "")))
        if doc.get("status") == AgendaStatus.OPEN.value and status is not None:
            ws.mark_agenda(doc["uid"], status, meeting)


def end_meeting(
    ws: Workspace, draft: MeetingDraft, notes: str | None = None, held_on: dt.date | None = None
) -> MeetingEnd:
    """Hold the meeting: on ``held_on`` (default today, or the day it was held when it
    already was), with ``notes`` when given; settle duplicate topics; propose the next."""
    uid = record(ws, draft)
    current = ws.require(ClientMeeting, uid)
    if held_on is None:
        held_on = current.date if current.status == MeetingStatus.HELD else ws.today()
    settle_duplicates(ws, draft.client, uid)
    changes: dict[str, Any] = {"date": held_on}
    if notes is not None:
        changes["notes"] = notes
    ws.hold_meeting(uid, **changes)
    if notes is not None:
        draft.notes = notes
    next_date, planned = next_meeting_proposal(ws, draft.client)
    return MeetingEnd(uid, draft.client, held_on, next_date, planned)


def next_meeting_proposal(ws: Workspace, client: str) -> tuple[dt.date, str | None]:
    """The next meeting: the first planned after today (and its uid), else today plus
    the client's cadence (and None)."""
    today = ws.today()
    for meeting in ws.meetings_of(client):
        if meeting.status == MeetingStatus.PLANNED and meeting.date > today:
            return meeting.date, meeting.uid
    cadence = ws.require(Client, client).cadence
    return today + dt.timedelta(days=meeting_interval(Cadence(cadence))), None


def plan_next_meeting(ws: Workspace, end: MeetingEnd, day: dt.date) -> MeetingEnd:
    """Plan the next meeting on ``day`` (after today): move the planned one, or plan it."""
    if day <= ws.today():
        raise InvalidInput.one("next meeting", "must be after today")
    if end.next_planned is not None:
        ws.update(ClientMeeting, end.next_planned, date=day)
        planned = end.next_planned
    else:
        planned = ws.plan_meeting(end.client, day).uid
    return MeetingEnd(end.meeting, end.client, end.held_on, day, planned)

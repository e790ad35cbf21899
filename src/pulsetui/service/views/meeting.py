"""A client meeting's data: the agenda as topics (items added with the same words are one
topic), the agreements captured in it, and once it is held what it produced — topics
discussed, dropped and carried over to the next meeting, agreements and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pulsetui.domain.agenda import topic_key
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgendaStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ClientMeeting
from pulsetui.service.views.audience import Audience, Doc
from pulsetui.service.workspace import Workspace

MIXED = "mixed"  # a topic whose items were settled differently


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda item of a topic."""

    uid: str
    status: str  # an AgendaStatus value
    meeting: str | None  # the meeting it was settled in


@dataclass(frozen=True)
class AgendaTopic:
    key: str  # the uid of the topic's first item
    text: str  # the first item's text
    status: str  # an AgendaStatus value its items share, or MIXED
    items: tuple[AgendaEntry, ...]  # in the order they were added


@dataclass(frozen=True)
class CapturedAgreement:
    uid: str
    side: str  # "us" or "client"
    owner: str
    due: dt.date | None
    text: str


@dataclass(frozen=True)
class MeetingView:
    client: str
    client_name: str
    meeting: str | None  # None: not written yet
    topics: tuple[AgendaTopic, ...]  # open ones and those settled in this meeting
    discussed: int  # topics discussed
    agreements: tuple[CapturedAgreement, ...]  # captured in this meeting


@dataclass(frozen=True)
class MeetingOutcome:
    """What a held meeting produced."""

    client_name: str
    date: dt.date
    discussed: tuple[str, ...]  # one text per topic
    dropped: tuple[str, ...]
    carried: tuple[str, ...]  # open topics not settled in it, for the next meeting
    agreements: tuple[CapturedAgreement, ...]  # soonest due first
    notes: str


def agenda_topics(items: Iterable[Doc]) -> list[AgendaTopic]:
    """Agenda items grouped by topic, in the order each topic was first added."""
    groups: dict[str, list[Doc]] = {}
    for doc in sorted(items, key=lambda d: (str(d.get("added_at", "")), d["uid"])):
        groups.setdefault(topic_key(doc.get("text", "")), []).append(doc)
    topics = []
    for group in groups.values():
        statuses = {str(d.get("status")) for d in group}
        topics.append(
            AgendaTopic(
                key=str(group[0]["uid"]),
                text=str(group[0].get("text", "")),
                status=statuses.pop() if len(statuses) == 1 else MIXED,
                items=tuple(
                    AgendaEntry(str(d["uid"]), str(d.get("status")), d.get("meeting"))
                    for d in group
                ),
            )
        )
    return topics


def _captured(docs: Iterable[Doc]) -> tuple[CapturedAgreement, ...]:
    return tuple(
        CapturedAgreement(
            str(d["uid"]),
            "us" if d.get("side") == "us" else "client",
            str(d.get("owner") or ""),
            as_date(d.get("due")),
            str(d.get("text", "")),
        )
        for d in docs
    )


def meeting_view(
    ws: Workspace, audience: Audience, client: str, meeting: str | None
) -> MeetingView | None:
    """The agenda of a meeting with ``client`` (``meeting``: its record, None while not
    written): open topics and those settled in it, and the agreements captured in it.
    None when the client does not exist or is not for this audience."""
    doc = ws.doc("client", client)
    if doc is None or not audience.sees_client(client):
        return None
    items = [
        d
        for d in ws.docs("agenda", client=client)
        if d.get("status") == AgendaStatus.OPEN.value or (meeting and d.get("meeting") == meeting)
    ]
    topics = agenda_topics(items)
    return MeetingView(
        client=client,
        client_name=str(doc.get("name", "")),
        meeting=meeting,
        topics=tuple(topics),
        discussed=sum(t.status == AgendaStatus.DISCUSSED.value for t in topics),
        agreements=_captured(ws.docs("agreement", meeting=meeting)) if meeting else (),
    )


def meeting_outcome(ws: Workspace, meeting: str) -> MeetingOutcome:
    """What a meeting produced: each topic once, under the way it was settled, the
    open topics it left for the next meeting, its agreements and notes."""
    held = ws.get(ClientMeeting, meeting)
    if held is None:
        raise InvalidInput.one("meeting", f"no client meeting with id {meeting!r}")
    client = ws.doc("client", held.client) or {}
    items = list(ws.docs("agenda", client=held.client))
    mine = [d for d in items if d.get("meeting") == meeting]
    settled = {topic_key(d.get("text", "")) for d in mine if d.get("status") != "open"}
    carried = [
        topic.text
        for topic in agenda_topics(d for d in items if d.get("status") == "open")
        if topic_key(topic.text) not in settled
    ]

    def settled_as(status: AgendaStatus) -> tuple[str, ...]:
        return tuple(t.text for t in agenda_topics(d for d in mine if d.get("status") == status))

    agreements = sorted(
        ws.docs("agreement", meeting=meeting), key=lambda d: str(d.get("due") or "9999")
    )
    return MeetingOutcome(
        client_name=str(client.get("name", "")),
        date=held.date,
        discussed=settled_as(AgendaStatus.DISCUSSED),
        dropped=settled_as(AgendaStatus.DROPPED),
        carried=tuple(carried),
        agreements=_captured(agreements),
        notes=held.notes,
    )

"""What search reads: the records people write in (pulse notes, meeting notes, agenda
items, agreements, requests and wishes, touchpoints, NPS reasons, notes on addressed red
flags), the text each offers, its day, the client or consultant it is about, what Enter
opens, and who may see it — decided through the :class:`Audience`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.dates import as_date
from pulsetui.domain.flags import FLAG_KINDS, is_flag_key
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

Doc = dict[str, Any]

# the kinds searched, with the word a result row shows for each
KIND_LABELS: dict[str, str] = {
    "agreement": "agreement",
    "meeting": "meeting",
    "agenda": "agenda",
    "request": "request",
    "touchpoint": "touchpoint",
    "nps": "NPS",
    "flag_ack": "flag note",
    "pulse": "pulse",
}
KINDS = tuple(KIND_LABELS)
# the records a flag can be about, and where each names its client
_FLAG_SUBJECTS = ("client", "agreement", "nps", "request", "engagement", "consultant")


@dataclass(frozen=True, slots=True)
class Seen:
    """Who may see a written record: its kind, client, owner (private records) and
    whether it is internal (a note on an internal red flag)."""

    kind: str
    client: str | None
    owner: str | None = None
    internal: bool = False

    def for_audience(self, audience: Audience) -> bool:
        """Whether ``audience`` may find this record (the rules are the audience's)."""
        if self.kind == "pulse":
            return audience.sees_private_of(self.owner)
        if self.kind == "nps":  # why a client gave a score: not for a call
            return audience.sees_private and audience.sees_client(self.client)
        if self.kind == "flag_ack":
            return audience.sees_flag_about(self.internal, self.client)
        return audience.sees_record("team") and audience.sees_client(self.client)


@dataclass(frozen=True, slots=True)
class Written:
    """One record's searchable text and what a result row needs of it."""

    kind: str
    uid: str
    day: dt.date | None
    text: str  # every written field, one per line
    seen: Seen
    about: tuple[str, str] | None  # (kind, uid) of the client or consultant it is about
    opens: tuple[str, str]  # (kind, uid) of the record Enter opens


def _texts(*values: Any) -> str:
    return "\n".join(str(v) for v in values if isinstance(v, str) and v.strip())


def _follow_ups(doc: Doc) -> list[str]:
    items = doc.get("follow_ups")
    if not isinstance(items, list):
        return []
    return [str(item.get("text", "")) for item in items if isinstance(item, dict)]


def _flag_subject(ws: Workspace, key: str) -> tuple[tuple[str, str] | None, str | None]:
    """What a flag key is about, (kind, uid), and the client it concerns."""
    subject = key.split(":", 1)[1] if ":" in key else ""
    for kind in _FLAG_SUBJECTS:
        doc = ws.doc(kind, subject) if subject else None
        if doc is not None:
            client = subject if kind == "client" else doc.get("client")
            return (kind, subject), (str(client) if client else None)
    return None, None


def written(ws: Workspace, kind: str, doc: Doc) -> Written:
    """The searchable text of one current record of a searched ``kind``."""
    uid = str(doc["uid"])
    client = str(doc["client"]) if doc.get("client") else None
    about = ("client", client) if client else None
    opens = (kind, uid)
    day = as_date(doc.get("date"))
    seen = Seen(kind, client)
    if kind == "pulse":
        text = _texts(doc.get("notes"), doc.get("growth"), doc.get("worries"), *_follow_ups(doc))
        consultant = doc.get("consultant")
        about = ("consultant", str(consultant)) if consultant else None
        owner = doc.get("manager")
        seen = Seen(kind, None, str(owner) if owner else None)
    elif kind == "meeting":
        text = _texts(doc.get("notes"))
    elif kind == "agenda":
        text = _texts(doc.get("text"))
        day = as_date(doc.get("added_at"))
    elif kind == "agreement":
        text = _texts(doc.get("text"), doc.get("owner"), doc.get("reason"))
        day = as_date(doc.get("created"))
    elif kind in ("request", "touchpoint"):
        text = _texts(doc.get("text"), doc.get("note"))
    elif kind == "nps":
        text = _texts(doc.get("reason"))
    elif kind == "flag_ack":
        key = str(doc.get("flag", ""))
        subject, client = _flag_subject(ws, key)
        flag_kind = FLAG_KINDS.get(key.split(":", 1)[0]) if is_flag_key(key) else None
        internal = flag_kind.internal if flag_kind is not None else True
        text = _texts(doc.get("note"))
        seen = Seen(kind, client, internal=internal)
        about = ("client", client) if client else subject
        opens = subject or opens
    else:
        raise ValueError(f"{kind!r} is not searched")
    return Written(kind, uid, day, text, seen, about, opens)


def read_written(ws: Workspace, kind: str) -> Iterator[Written]:
    """Every current record of one searched kind, read one at a time (a big workspace's
    records are never held whole). A save while it reads is safe: the records in memory
    are listed when the read starts and those still in the view file are walked by a
    copy of their locations (:meth:`~pulsetui.store.records.RecordTable.values`)."""
    for doc in ws.docs(kind):
        yield written(ws, kind, doc)

"""Red flags of a manager's portfolio or of one client; addressing or snoozing one.

The service reads the facts of each client and consultant (:mod:`.facts`) and the
notes written on flags; the rules raising flags are :mod:`pulsetui.domain.flag_rules`,
and where a flag stands with its notes (open, addressed, snoozed, recurring, its
history) is :func:`pulsetui.domain.flag_lifecycle.flag_state`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.dates import as_date
from pulsetui.domain.engagements import is_active
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.facts import ClientFacts
from pulsetui.domain.flag_lifecycle import (
    OPEN,
    SNOOZED,
    FlagEvent,
    FlagNote,
    flag_state,
)
from pulsetui.domain.flag_rules import FlagRaised, FlagSettings, client_flags, consultant_flags
from pulsetui.domain.flags import FLAG_KINDS, flag_order, is_flag_key
from pulsetui.domain.models import FlagAck
from pulsetui.service.config import Config
from pulsetui.service.insights.facts import client_facts, consultant_facts, reader
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

Doc = dict[str, Any]


@dataclass(frozen=True)
class RedFlag:
    key: str  # stable id "kind:<uid>", used by address_flag
    kind: str
    label: str
    reason: str
    since: dt.date | None  # when it was raised (again, for a recurring flag)
    client: str | None
    consultant: str | None
    internal: bool  # hidden in call mode: about our people or our own judgement
    addressed: bool  # covered by a note (addressed or snoozed): left out unless asked
    note: str  # the note covering it
    status: str = OPEN  # "open" | "addressed" | "snoozed"
    recurring: bool = False  # raised again on new evidence after an earlier note
    until: dt.date | None = None  # snoozed until
    earlier: tuple[FlagNote, ...] = ()  # the earlier notes of a recurring flag
    history: tuple[FlagEvent, ...] = ()
    client_name: str = ""
    consultant_name: str = ""
    evidence: tuple[str, ...] = ()  # the evidence keys it shows now

    @property
    def who(self) -> str:
        """Whom it is about, in words: ``Aino Laine at Revontuli Pankki Oyj``, a client's
        name, or a consultant's."""
        if self.consultant_name and self.client_name:
            return f"{self.consultant_name} at {self.client_name}"
        return self.consultant_name or self.client_name

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "label": self.label,
            "reason": self.reason,
            "since": _iso(self.since),
            "client": self.client,
            "client_name": self.client_name or None,
            "consultant": self.consultant,
            "consultant_name": self.consultant_name or None,
            "internal": self.internal,
            "addressed": self.addressed,
            "note": self.note,
            "status": self.status,
            "recurring": self.recurring,
            "snoozed_until": _iso(self.until),
            "earlier_notes": [
                {"date": n.day.isoformat(), "note": n.note, "snoozed_until": _iso(n.until)}
                for n in self.earlier
            ],
            "history": [
                {"event": e.event, "date": _iso(e.day), "note": e.note, "until": _iso(e.until)}
                for e in self.history
            ],
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def flag_settings(config: Config) -> FlagSettings:
    """The flag rules' limits as configured ([cadences] and [thresholds])."""
    cad, limits = config.cadences, config.thresholds
    return FlagSettings(
        pulse_due_days=cad.pulse_due_days,
        pulse_overdue_days=cad.pulse_overdue_days,
        meeting_grace_days=cad.meeting_grace_days,
        feedback_unprocessed_days=limits.feedback_unprocessed_days,
        communicator_max_months=limits.communicator_max_months,
        nps_directional_below=limits.nps_directional_below,
        squeezed_wellbeing=limits.squeezed_wellbeing,
        squeezed_pulses=limits.squeezed_pulses,
    )


# ---- the notes written on flags ------------------------------------------------------------


def _note(doc: Doc) -> FlagNote | None:
    day = as_date(doc.get("date"))
    if day is None:
        return None  # a note with no readable day covers nothing
    covers = doc.get("covers") or []
    return FlagNote(
        day=day,
        note=str(doc.get("note", "")),
        covers=tuple(str(c) for c in covers) if isinstance(covers, list) else (),
        until=as_date(doc.get("until")),
        by=str(doc.get("by") or ""),
    )


def _note_owner(ws: Workspace, kind: str, subject: str, doc: Doc) -> str | None:
    """Whom a note's flag was about (:attr:`FlagRaised.owner`): from the note, or, for a
    note written before notes said so, from the record its key names."""
    consultant, client = doc.get("consultant"), doc.get("client")
    if consultant or client:
        return str(consultant) if consultant == subject or not client else str(client)
    view = ws.store.view
    if view.get("consultant", subject) or view.get("client", subject):
        return subject
    for entity in ("agreement", "nps", "request", "engagement"):
        found = view.get(entity, subject)
        if found is not None:
            return str(found.get("client")) if found.get("client") else None
    return None


@dataclass
class _Notes:
    """Every note on a flag, by flag key and by (kind, owner)."""

    by_key: dict[str, list[FlagNote]]
    by_owner: dict[tuple[str, str], list[tuple[str, FlagNote]]]

    def kin(self, raised: FlagRaised) -> list[FlagNote]:
        owner = raised.owner
        if owner is None:
            return []
        return [n for key, n in self.by_owner.get((raised.kind, owner), []) if key != raised.key]


def _notes(ws: Workspace) -> _Notes:
    by_key: dict[str, list[FlagNote]] = {}
    by_owner: dict[tuple[str, str], list[tuple[str, FlagNote]]] = {}
    docs = sorted(ws.docs("flag_ack"), key=lambda d: (str(d.get("date")), d["uid"]))
    for doc in docs:
        key = str(doc.get("flag"))
        note = _note(doc)
        if note is None or not is_flag_key(key):
            continue
        by_key.setdefault(key, []).append(note)
        kind, subject = key.split(":", 1)
        owner = _note_owner(ws, kind, subject, doc)
        if owner is not None:
            by_owner.setdefault((kind, owner), []).append((key, note))
    return _Notes(by_key, by_owner)


# ---- raising --------------------------------------------------------------------------------


def _subjects(
    ws: Workspace, manager: str | None, client: str | None, today: dt.date
) -> tuple[list[ClientFacts], list[str]]:
    """The clients and the active consultants whose flags are asked for: one client and
    the consultants placed there today, or a manager's portfolio."""
    if client is not None:
        facts = client_facts(ws, client)  # raises for an unknown client
        placed = {
            e.consultant
            for e in facts.engagements
            if e.consultant and is_active(e.start, e.end, today)
        }
        consultants = [
            uid
            for uid in sorted(placed)
            if (doc := ws.store.view.get("consultant", uid)) and doc.get("active", True)
        ]
        return [facts], consultants
    who = manager or ws.me
    if not who:
        return [], []
    clients = [client_facts(ws, doc["uid"]) for doc in ws.docs("client", manager=who)]
    consultants = [d["uid"] for d in ws.docs("consultant", manager=who) if d.get("active", True)]
    return clients, consultants


def _raised(
    ws: Workspace,
    clients: list[ClientFacts],
    consultants: Iterable[str],
    today: dt.date,
    audience: Audience,
) -> list[FlagRaised]:
    """Every flag the clients and the consultants raise today, judged from the pulse
    conversations ``audience`` may read."""
    settings = flag_settings(ws.config)
    known = {facts.uid: facts for facts in clients}
    raised: list[FlagRaised] = []
    for person in consultants:
        consultant = consultant_facts(ws, person, audience)
        placed = {}
        for engagement in consultant.engagements:
            uid = engagement.client
            if uid and is_active(engagement.start, engagement.end, today):
                if uid not in known and ws.store.view.get("client", uid) is not None:
                    known[uid] = client_facts(ws, uid)
                if uid in known:
                    placed[uid] = known[uid]
        raised.extend(consultant_flags(consultant, today, settings, placed))
    for facts in clients:
        raised.extend(client_flags(facts, today, settings))
    return raised


def _names(ws: Workspace, raised: list[FlagRaised]) -> dict[str, str]:
    names: dict[str, str] = {}
    for item in raised:
        for kind, uid in (("client", item.client), ("consultant", item.consultant)):
            if uid and uid not in names:
                doc = ws.store.view.get(kind, uid)
                names[uid] = str(doc.get("name", "")) if doc else ""
    return names


def red_flags(
    ws: Workspace,
    *,
    audience: Audience | None = None,
    manager: str | None = None,
    client: str | None = None,
    include_addressed: bool = False,
) -> list[RedFlag]:
    """Red flags of one client, or of a manager's whole portfolio (clients and
    consultants), as ``audience`` may see them (None: the signed-in manager): judged
    from its manager's own pulse conversations only (another manager's are private to
    them), and in a call only the flags meant for the client in view. ``manager`` None
    is the audience's manager. Flags covered by a note (addressed, or snoozed until a
    later day) are left out unless ``include_addressed``. Both front-ends call this."""
    today = ws.today()
    who = reader(ws, audience)
    clients, consultants = _subjects(ws, manager or who.me, client, today)
    raised = _raised(ws, clients, consultants, today, who)
    if client is not None:  # a consultant placed here may be caught at another client
        raised = [r for r in raised if r.client in (None, client)]
    return [f for f in _states(ws, raised, today, include_addressed) if who.sees_flag(f)]


def _states(
    ws: Workspace, raised: list[FlagRaised], today: dt.date, include_addressed: bool
) -> list[RedFlag]:
    notes = _notes(ws)
    names = _names(ws, raised)
    flags = []
    for item in raised:
        spec = FLAG_KINDS[item.kind]
        state = flag_state(
            item.proof, item.since, notes.by_key.get(item.key, []), notes.kin(item), today
        )
        covered = state.status != OPEN
        if covered and not include_addressed:
            continue
        flags.append(
            RedFlag(
                key=item.key,
                kind=item.kind,
                label=spec.label,
                reason=item.reason,
                since=state.since,
                client=item.client,
                consultant=item.consultant,
                internal=spec.internal,
                addressed=covered,
                note=state.note,
                status=state.status,
                recurring=state.recurring,
                until=state.until if state.status == SNOOZED else None,
                earlier=state.earlier,
                history=state.history,
                client_name=names.get(item.client or "", ""),
                consultant_name=names.get(item.consultant or "", ""),
                evidence=tuple(e.key for e in item.proof),
            )
        )
    flags.sort(key=lambda f: flag_order(f.kind, f.since, f.key))
    return flags


# ---- addressing and snoozing -------------------------------------------------------------------


def find_flag(ws: Workspace, key: str) -> RedFlag | None:
    """The flag with this key raised now, whoever's portfolio it is in."""
    key = key.strip()
    if not is_flag_key(key):
        return None
    subject = key.split(":", 1)[1]
    today = ws.today()
    view = ws.store.view
    clients: list[ClientFacts] = []
    consultants: list[str] = []
    if view.get("consultant", subject) is not None:
        consultants = [subject]
    elif view.get("client", subject) is not None:
        clients = [client_facts(ws, subject)]
    else:
        for entity in ("agreement", "nps", "request", "engagement"):
            doc = view.get(entity, subject)
            if doc is None:
                continue
            if doc.get("client") and view.get("client", str(doc["client"])) is not None:
                clients = [client_facts(ws, str(doc["client"]))]
            if entity == "engagement" and doc.get("consultant"):
                consultants = [str(doc["consultant"])]
            break
    signed_in = reader(ws, None)
    raised = [r for r in _raised(ws, clients, consultants, today, signed_in) if r.key == key]
    found = _states(ws, raised, today, include_addressed=True)
    return found[0] if found else None


def _current(ws: Workspace, key: str) -> RedFlag:
    key = key.strip()
    if not is_flag_key(key):
        raise InvalidInput.one("flag", f"unknown red flag {key!r}")
    flag = find_flag(ws, key)
    if flag is None:
        raise InvalidInput.one(
            "flag", f"{key!r} is not a red flag raised now (see pulsetui flags --all)"
        )
    return flag


def address_flag(ws: Workspace, key: str, note: str) -> None:
    """Mark a flag raised now as addressed today, with a note (a FlagAck record). The
    note covers the evidence the flag shows now; new evidence raises it again."""
    flag = _current(ws, key)
    ws.add(
        FlagAck,
        flag=flag.key,
        note=note,
        date=ws.today(),
        by=ws.me,
        covers=list(flag.evidence),
        client=flag.client,
        consultant=flag.consultant,
    )


def snooze_flag(ws: Workspace, key: str, until: dt.date, note: str = "") -> None:
    """Hide a flag raised now until ``until`` (a later day), with an optional note;
    new evidence shows it again before then."""
    if until <= ws.today():
        raise InvalidInput.one("until", f"must be a day after today (got {until.isoformat()})")
    flag = _current(ws, key)
    ws.add(
        FlagAck,
        flag=flag.key,
        note=note,
        date=ws.today(),
        by=ws.me,
        until=until,
        covers=list(flag.evidence),
        client=flag.client,
        consultant=flag.consultant,
    )

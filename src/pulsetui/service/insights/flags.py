"""Red flags of a manager's portfolio or of one client, and marking one addressed.

The service reads the facts of each client and consultant (:mod:`.facts`) and the
"addressed" notes; the rules raising flags are :mod:`pulsetui.domain.flag_rules`, and
whether a note still covers a flag is :func:`pulsetui.domain.flags.covering_note`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.dates import as_date
from pulsetui.domain.engagements import is_active
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.facts import ClientFacts
from pulsetui.domain.flag_rules import FlagRaised, FlagSettings, client_flags, consultant_flags
from pulsetui.domain.flags import FLAG_KINDS, covering_note, flag_order, is_flag_key
from pulsetui.domain.models import FlagAck
from pulsetui.service.config import Config
from pulsetui.service.insights.facts import client_facts, consultant_facts
from pulsetui.service.workspace import Workspace

Doc = dict[str, Any]


@dataclass(frozen=True)
class RedFlag:
    key: str  # stable id "kind:<uid>", used by address_flag
    kind: str
    label: str
    reason: str
    since: dt.date | None
    client: str | None
    consultant: str | None
    internal: bool  # hidden in call mode: about our people or our own judgement
    addressed: bool
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "label": self.label,
            "reason": self.reason,
            "since": self.since.isoformat() if self.since else None,
            "client": self.client,
            "consultant": self.consultant,
            "internal": self.internal,
            "addressed": self.addressed,
            "note": self.note,
        }


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
    )


def _acks(ws: Workspace) -> dict[str, list[Doc]]:
    """The "addressed" notes of every flag key, oldest first."""
    found: dict[str, list[Doc]] = {}
    for doc in ws.docs("flag_ack"):
        found.setdefault(str(doc.get("flag")), []).append(doc)
    for docs in found.values():
        docs.sort(key=lambda d: (str(d.get("date")), d["uid"]))
    return found


def _notes(acks: list[Doc]) -> Iterator[tuple[dt.date | None, str]]:
    return ((as_date(d.get("date")), str(d.get("note", ""))) for d in acks)


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


def red_flags(
    ws: Workspace,
    *,
    manager: str | None = None,
    client: str | None = None,
    include_addressed: bool = False,
) -> list[RedFlag]:
    """Red flags of one client, or of a manager's whole portfolio (clients and
    consultants); ``manager`` None is the signed-in manager. Flags covered by an
    "addressed" note are left out unless ``include_addressed``."""
    today = ws.today()
    settings = flag_settings(ws.config)
    clients, consultants = _subjects(ws, manager, client, today)
    raised: list[FlagRaised] = []
    for person in consultants:
        raised.extend(consultant_flags(consultant_facts(ws, person), today, settings))
    for facts in clients:
        raised.extend(client_flags(facts, today, settings))
    acks = _acks(ws)
    flags = []
    for item in raised:
        spec = FLAG_KINDS[item.kind]
        note = covering_note(_notes(acks.get(item.key, [])), item.since)
        if note is not None and not include_addressed:
            continue
        flags.append(
            RedFlag(
                key=item.key,
                kind=item.kind,
                label=spec.label,
                reason=item.reason,
                since=item.since,
                client=item.client,
                consultant=item.consultant,
                internal=spec.internal,
                addressed=note is not None,
                note=note or "",
            )
        )
    flags.sort(key=lambda f: flag_order(f.kind, f.since, f.key))
    return flags


def address_flag(ws: Workspace, key: str, note: str) -> None:
    """Mark a flag as addressed today, with a note (kept as a FlagAck record)."""
    key = key.strip()
    if not is_flag_key(key):
        raise InvalidInput.one("flag", f"unknown red flag {key!r}")
    ws.add(FlagAck, flag=key, note=note, date=ws.today(), by=ws.me)

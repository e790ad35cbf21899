"""A client's main communicator: who holds the role now, the history of who held it,
and handing it over to someone else (:mod:`pulsetui.domain.communicators` has the
rules).

The history is an append-only list on the client: each handover is one entry, so
handovers made on two machines at once both stay. A client whose history is empty
still has its main communicators where older versions kept them, on its running
engagements: they are shown as its history (read as stored, never rewritten), and the
first handover carries them over into the client's own history before the new entry,
so nothing of who held the role is lost and the engagements' fields are read no more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from pulsetui.domain.communicators import (
    LEGACY_NOTE,
    Tenure,
    current_tenure,
    legacy_tenures,
    tenures,
)
from pulsetui.domain.errors import InvalidInput, from_validation_error
from pulsetui.domain.fields import EARLIEST_DAY, LATEST_DAY
from pulsetui.domain.models import INPUT, Client, Engagement, Handover
from pulsetui.domain.names import loose_key
from pulsetui.service.insights.facts import client_facts
from pulsetui.service.workspace import Workspace


def communicator_history(ws: Workspace, client: str) -> list[Tenure]:
    """Who held the role, oldest first (a planned handover's tenure included); for a
    client with no history yet, the main communicators its running engagements name."""
    facts = client_facts(ws, client)
    if facts.handovers:
        return tenures(facts.handovers)
    return legacy_tenures(facts.engagements, ws.today())


def main_communicator(ws: Workspace, client: str) -> Tenure | None:
    """Who holds the role today."""
    return current_tenure(communicator_history(ws, client), ws.today())


def hand_over(
    ws: Workspace,
    client: str,
    name: str,
    role: str,
    start: dt.date | None = None,
    note: str = "",
    before: list[Tenure] | None = None,
) -> Client:
    """Make ``name`` (in ``role``) the client's main communicator from ``start``
    (default today), with a handover note. Starts a new tenure: the count of months in
    the role starts again. A client with no history of its own carries over what its
    engagements named (``before``: as they named it before a change being saved)."""
    record = ws.require(Client, client)
    day = start or ws.today()
    check_handover({"name": name, "role": role, "start": day, "note": note})
    entries: list[dict[str, Any]] = []
    if not record.communicators:
        carried = before if before is not None else communicator_history(ws, client)
        for tenure in carried:
            entries.append(_entry(ws, tenure.name, tenure.role, tenure.start, LEGACY_NOTE))
    entries.append(_entry(ws, name, role, day, note))
    checked = ws.validate(
        Client, {**record.model_dump(), "communicators": [*record.communicators, *entries]}
    )
    new = checked.fields()["communicators"][len(record.communicators) :]
    edit = ws.store.edit("client", record.uid)
    for entry in new:
        edit.append("communicators", entry)
    edit.commit()
    return ws.require(Client, record.uid)


def _entry(ws: Workspace, name: str, role: object, start: dt.date, note: str) -> dict[str, Any]:
    return {"name": name, "role": role, "start": start, "note": note, "by": ws.me_name}


def check_handover(data: dict[str, Any]) -> Handover:
    """A handover as typed, checked with every input rule; :class:`InvalidInput` names
    the field (``name``, ``role``, ``start``, ``note``) and the rule."""
    try:
        handover = Handover.model_validate(data, context=INPUT)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    if not EARLIEST_DAY <= handover.start <= LATEST_DAY:
        raise InvalidInput.one(
            "start",
            f"must be between {EARLIEST_DAY} and {LATEST_DAY} (got {handover.start})",
        )
    return handover


def follow_engagement(
    ws: Workspace, engagement: str, before: list[Tenure], since: dt.date | None = None
) -> Client | None:
    """An engagement saved naming a main communicator (as older versions kept the role):
    when that person was not the client's main communicator (``before``: the client's
    history before the save), hand the role over to them at the client from ``since``
    (the "since" given with the name; default today), so their tenure starts then.
    Returns the client when it changed."""
    record = ws.require(Engagement, engagement)
    name = record.main_communicator.strip()
    if not name:
        return None
    holder = current_tenure(before, ws.today())
    if holder is not None and loose_key(holder.name) == loose_key(name):
        return None  # the same person keeps the role, and their tenure
    start = since or ws.today()
    role = record.communicator_role.value
    return hand_over(ws, record.client, name, role, start, FOLLOW_NOTE, before)


FOLLOW_NOTE = "named on an engagement"

"""The 2x2 segment grid of a manager's clients with each one's move since last
quarter, and a client's lifecycle stage and spiral quarter. The service reads the
answers (today's, and as the journal had them at the end of last quarter); the
segment, the move and the warnings are :mod:`pulsetui.domain.segments`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import Answer, LifecycleStage, Segment, SpiralQuarter
from pulsetui.domain.segments import Lifecycle, lifecycle_on, moves_since, segment_move
from pulsetui.service.insights.facts import client_doc
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import op_key
from pulsetui.store.journal import ReplayStats

_FIELDS = ("client_wants_us", "we_want_client")


@dataclass(frozen=True)
class SegmentPlace:
    """A client's place on the 2x2 grid now and at the end of last quarter."""

    client: str
    name: str
    segment: Segment
    previous: Segment | None  # None: the client did not exist yet
    move: str  # "new", "stayed" or "steady → top"


def _end_of_day_ms(day: dt.date) -> int:
    """Epoch ms at the end of ``day``: the journal's clock reads in milliseconds."""
    return int(dt.datetime.combine(day, dt.time.max).timestamp() * 1000)


def _answers_at(ws: Workspace, clients: set[str], moment_ms: int) -> dict[str, dict[str, Any]]:
    """The two segmentation answers of each client as recorded by ``moment_ms``.

    The view keeps only current values, so this reads the journal once: for each
    client and field, the last change recorded (by hybrid-clock time) at or before
    the moment. Concurrent changes count in clock order, as the view shows them."""
    found: dict[str, dict[str, tuple[tuple[int, int, str], Any]]] = {}
    for op in ws.store.journal.replay(0, ReplayStats()):
        if op.get("entity") != "client" or op.get("uid") not in clients:
            continue
        try:
            key = op_key(str(op["id"]))
        except (KeyError, ValueError):
            continue
        if key[0] > moment_ms:
            continue
        changes: dict[str, Any] = {}
        if op.get("kind") == "create":
            data = op.get("data") or {}
            changes = {f: data.get(f, Answer.UNSURE.value) for f in _FIELDS}
            changes["_exists"] = True
        elif op.get("kind") in ("set", "resolve") and op.get("field") in _FIELDS:
            changes = {op["field"]: op.get("value")}
        record = found.setdefault(op["uid"], {})
        for field, value in changes.items():
            if field not in record or record[field][0] <= key:
                record[field] = (key, value)
    return {uid: {f: v for f, (_, v) in rec.items()} for uid, rec in found.items()}


def segment_grid(ws: Workspace, manager: str | None = None) -> list[SegmentPlace]:
    """Every client of a manager (default: me) on the grid, with the move since the end
    of last quarter, by name."""
    who = manager or ws.me
    clients = sorted(
        ws.docs("client", manager=who) if who else [],
        key=lambda d: (str(d.get("name", "")).casefold(), d["uid"]),
    )
    before = _answers_at(ws, {c["uid"] for c in clients}, _end_of_day_ms(moves_since(ws.today())))
    places = []
    for doc in clients:
        now = (
            doc.get("client_wants_us", Answer.UNSURE.value),
            doc.get("we_want_client", Answer.UNSURE.value),
        )
        then = before.get(doc["uid"])
        earlier = None
        if then and then.get("_exists"):
            earlier = (
                then.get("client_wants_us") or Answer.UNSURE.value,
                then.get("we_want_client") or Answer.UNSURE.value,
            )
        segment, previous, move = segment_move(now, earlier)
        places.append(SegmentPlace(doc["uid"], str(doc["name"]), segment, previous, move))
    return places


def lifecycle(ws: Workspace, client: str) -> Lifecycle:
    """Lifecycle stage and spiral quarter with time in each, and their warnings.

    With no date recorded for the stage or the spiral, the client's start is used."""
    doc = client_doc(ws, client)
    return lifecycle_on(
        doc.get("stage", LifecycleStage.ONBOARDING.value),
        as_date(doc.get("stage_since")),
        doc.get("spiral", SpiralQuarter.Q1_FUNCTIONALITY.value),
        as_date(doc.get("spiral_since")),
        as_date(doc.get("started")),
        ws.today(),
    )

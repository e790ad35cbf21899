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
from pulsetui.domain.segment_check import POLICIES, SelfCheck, self_check
from pulsetui.domain.segments import Lifecycle, lifecycle_on, moves_since, segment_move
from pulsetui.domain.spiral import SpiralMix, fed_items, fed_split, spiral_mix
from pulsetui.service.insights.facts import client_doc, client_facts
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import op_key
from pulsetui.store.journal import ReplayStats

_FIELDS = ("client_wants_us", "we_want_client")


@dataclass(frozen=True)
class SegmentPlace:
    """A client's place on the 2x2 grid now and at the end of last quarter, its
    quadrant's policy, and the two answers the evidence suggests (the self-check)."""

    client: str
    name: str
    segment: Segment
    previous: Segment | None  # None: the client did not exist yet
    move: str  # "new", "stayed" or "steady → top"
    client_wants_us: Answer = Answer.UNSURE
    we_want_client: Answer = Answer.UNSURE
    policy: str = ""
    check: SelfCheck | None = None

    @property
    def moved(self) -> bool:
        return self.previous is not None and self.previous != self.segment

    def as_dict(self) -> dict[str, Any]:
        check = self.check
        return {
            "client": self.client,
            "name": self.name,
            "segment": self.segment.value,
            "previous": self.previous.value if self.previous else None,
            "move": self.move,
            "moved": self.moved,
            "client_wants_us": self.client_wants_us.value,
            "we_want_client": self.we_want_client.value,
            "policy": self.policy,
            "suggested": None
            if check is None
            else {
                "client_wants_us": check.client_wants_us.value,
                "we_want_client": check.we_want_client.value,
                "client_reasons": list(check.client_reasons),
                "our_reasons": list(check.our_reasons),
            },
        }


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
    today = ws.today()
    before = _answers_at(ws, {c["uid"] for c in clients}, _end_of_day_ms(moves_since(today)))
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
        check = self_check(client_facts(ws, doc["uid"]), now[0], now[1], today)
        places.append(
            SegmentPlace(
                doc["uid"],
                str(doc["name"]),
                segment,
                previous,
                move,
                _answer(now[0]),
                _answer(now[1]),
                POLICIES[segment],
                check,
            )
        )
    return places


def _answer(value: object) -> Answer:
    try:
        return Answer(str(value))
    except ValueError:
        return Answer.UNSURE


def record_self_check(
    ws: Workspace, client: str, client_wants_us: Answer | str, we_want_client: Answer | str
) -> None:
    """Save the two answers of a client's quarterly self-check (its segment follows)."""
    ws.update("client", client, client_wants_us=client_wants_us, we_want_client=we_want_client)


def spiral_ledger(ws: Workspace, client: str) -> SpiralMix:
    """What fed the client's spiral over this calendar quarter and the one before."""
    return spiral_mix(fed_items(client_facts(ws, client)), ws.today())


def lifecycle(ws: Workspace, client: str) -> Lifecycle:
    """Lifecycle stage and spiral quarter with time in each, their warnings (the
    spiral's read against its ledger) and the onboarding countdown.

    With no date recorded for the stage or the spiral, the client's start is used."""
    doc = client_doc(ws, client)
    here, elsewhere = fed_split(spiral_ledger(ws, client), doc.get("spiral"))
    return lifecycle_on(
        doc.get("stage", LifecycleStage.ONBOARDING.value),
        as_date(doc.get("stage_since")),
        doc.get("spiral", SpiralQuarter.Q1_FUNCTIONALITY.value),
        as_date(doc.get("spiral_since")),
        as_date(doc.get("started")),
        ws.today(),
        elsewhere,
        here,
    )

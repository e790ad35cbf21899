"""How the demo firm's year turned, written last and each on its own day: clients
moving on the 2x2 grid, main communicators handing over, invoices paid and going
unpaid again, red flags addressed that came back.

Nothing here draws from the builder's random generator, so the records written
before stay exactly as they were; the days come from the plan (:mod:`.firm`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pulsetui.domain.enums import RequestKind, RequestStatus
from pulsetui.domain.flag_rules import request_evidence, state_evidence
from pulsetui.domain.models import Client, FlagAck, Request
from pulsetui.service.communicators import hand_over
from pulsetui.service.demo.builder import DemoBuilder
from pulsetui.service.demo.firm import ADDRESSED, CLIENTS, PAID

Turn = tuple[dt.date, int, Callable[[], None]]  # day, client index, what happened


def year_turns(builder: DemoBuilder) -> None:
    """Write every turn of the year, oldest first."""
    turns: list[Turn] = []
    for client_i, plan in enumerate(CLIENTS):
        for days_ago, wants, ours in plan.turns[1:]:
            turns.append(
                (builder.day(days_ago), client_i, _answers(builder, client_i, wants, ours))
            )
        for days_ago, name, role, note in plan.communicators:
            day = builder.day(days_ago)
            turns.append((day, client_i, _handover(builder, client_i, name, role.value, day, note)))
    for client_i, days_ago, unpaid in PAID:
        turns.append((builder.day(days_ago), client_i, _invoices(builder, client_i, unpaid)))
    for client_i, kind, days_ago, note in ADDRESSED:
        day = builder.day(days_ago)
        turns.append((day, client_i, _addressed(builder, client_i, kind, day, note)))
    for day, client_i, turn in sorted(turns, key=lambda t: (t[0], t[1])):
        manager = builder.managers[CLIENTS[client_i].manager]
        builder.ws.me, builder.ws.me_name = manager.uid, manager.name  # who wrote it
        builder.clock.at(day, 11)
        turn()


def _answers(
    builder: DemoBuilder, client_i: int, wants: object, ours: object
) -> Callable[[], None]:
    uid = builder.clients[client_i].uid

    def write() -> None:
        builder.ws.update(Client, uid, client_wants_us=wants, we_want_client=ours)

    return write


def _handover(
    builder: DemoBuilder, client_i: int, name: str, role: str, day: dt.date, note: str
) -> Callable[[], None]:
    uid = builder.clients[client_i].uid

    def write() -> None:
        hand_over(builder.ws, uid, name, role, day, note)

    return write


def _invoices(builder: DemoBuilder, client_i: int, unpaid: bool) -> Callable[[], None]:
    uid = builder.clients[client_i].uid

    def write() -> None:
        builder.ws.update(Client, uid, unpaid_invoices=unpaid)

    return write


def _addressed(
    builder: DemoBuilder, client_i: int, kind: str, day: dt.date, note: str
) -> Callable[[], None]:
    """A note on a flag, covering the evidence it showed that day."""
    client = builder.clients[client_i]

    def write() -> None:
        if kind == "unpaid_invoices":  # unpaid since the client was recorded
            covers = [state_evidence("unpaid", builder.day(CLIENTS[client_i].started)).key]
        else:  # wishes accepted without a plan by then
            covers = [
                request_evidence(r.uid, r.date).key
                for r in builder.ws.list(Request, client=client.uid)
                if r.kind == RequestKind.WISH
                and r.status == RequestStatus.ACCEPTED
                and not r.planned
                and r.date <= day
            ]
        builder.ws.add(
            FlagAck,
            uid=builder.uid(day, 11),
            flag=f"{kind}:{client.uid}",
            note=note,
            date=day,
            by=builder.managers[CLIENTS[client_i].manager].uid,
            covers=covers,
            client=client.uid,
        )

    return write

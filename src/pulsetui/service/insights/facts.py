"""Reads what the store says about a client or a consultant into the plain facts the
domain's judgements take (:mod:`pulsetui.domain.facts`), through the reference
indexes: one read per kind of record, never a scan of the whole workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import Cadence
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.facts import (
    AgreementFacts,
    ClientFacts,
    ConsultantFacts,
    EngagementFacts,
    HandoverFacts,
    NpsAnswer,
    PulseFacts,
    RequestFacts,
)
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import op_key

Doc = dict[str, Any]


def client_doc(ws: Workspace, client: str) -> Doc:
    """The stored client; :class:`InvalidInput` naming the id when there is none."""
    doc = ws.store.view.get("client", client)
    if doc is None:
        raise InvalidInput.one("client", f"no client with id {client!r}")
    return doc


def name_of(ws: Workspace, kind: str, uid: str | None) -> str:
    """A record's name; its uid when it is gone, empty for no uid."""
    if not uid:
        return ""
    doc = ws.store.view.get(kind, uid)
    return str(doc.get("name", uid)) if doc else uid


def _text(value: object) -> str:
    return str(value) if value else ""


def day_of_op(opid: object) -> dt.date | None:
    """The day (local time) an op was made, from its id's clock."""
    try:
        wall = op_key(str(opid))[0]
        return dt.datetime.fromtimestamp(wall / 1000).date()
    except (ValueError, OverflowError, OSError):
        return None


def set_on(ws: Workspace, kind: str, uid: str, field: str) -> dt.date | None:
    """The day the field's current value was recorded (the latest of concurrent ones)."""
    heads = ws.store.view.heads(kind, uid, field)
    if not heads:
        return None
    latest = max((opid for opid, _ in heads), key=lambda opid: op_key(str(opid)))
    return day_of_op(latest)


def recorded_on(doc: Doc) -> dt.date | None:
    """The day a record was created (its create op's clock)."""
    return day_of_op(doc.get("_c")) if doc.get("_c") else None


def _handovers(doc: Doc) -> tuple[HandoverFacts, ...]:
    found = []
    for entry in doc.get("communicators") or []:
        start = as_date(entry.get("start")) if isinstance(entry, dict) else None
        name = str(entry.get("name") or "").strip() if isinstance(entry, dict) else ""
        if start is None or not name:
            continue  # an entry this version cannot read is left out of the history
        found.append(
            HandoverFacts(
                name=name,
                role=entry.get("role"),
                start=start,
                note=str(entry.get("note") or ""),
                by=str(entry.get("by") or ""),
            )
        )
    return tuple(found)


def engagement_facts(doc: Doc) -> EngagementFacts:
    client, consultant = doc.get("client"), doc.get("consultant")
    return EngagementFacts(
        uid=doc["uid"],
        client=None if client is None else str(client),
        consultant=None if consultant is None else str(consultant),
        start=as_date(doc.get("start")),
        end=as_date(doc.get("end")),
        unplanned=bool(doc.get("unplanned")),
        main_communicator=str(doc.get("main_communicator") or "").strip(),
        communicator_since=as_date(doc.get("communicator_since")),
        communicator_role=doc.get("communicator_role"),
    )


def _agreement(doc: Doc) -> AgreementFacts:
    return AgreementFacts(
        uid=doc["uid"],
        text=str(doc.get("text", "")),
        side=doc.get("side"),
        owner=_text(doc.get("owner")),
        status=doc.get("status"),
        due=as_date(doc.get("due")),
        reason=str(doc.get("reason", "")),
        created=as_date(doc.get("created")),
        history=tuple(
            (as_date(entry.get("at")), entry.get("status")) for entry in doc.get("history") or []
        ),
        spiral=doc.get("spiral"),
    )


def _nps(doc: Doc) -> NpsAnswer:
    return NpsAnswer(
        uid=doc["uid"],
        day=as_date(doc.get("date")),
        score=int(doc["score"]),
        contact=_text(doc.get("contact")),
        reason=str(doc.get("reason", "")),
    )


def _request(doc: Doc) -> RequestFacts:
    return RequestFacts(
        uid=doc["uid"],
        kind=doc.get("kind"),
        status=doc.get("status"),
        day=as_date(doc.get("date")),
        text=str(doc.get("text", "")),
        planned=bool(doc.get("planned")),
        delivered_early_free=bool(doc.get("delivered_early_free")),
        spiral=doc.get("spiral"),
    )


def client_facts(ws: Workspace, client: str) -> ClientFacts:
    """A client and its records; :class:`InvalidInput` for an unknown client."""
    doc = client_doc(ws, client)
    engagements = tuple(engagement_facts(e) for e in ws.docs("engagement", client=client))
    names = {
        e.consultant: name_of(ws, "consultant", e.consultant) for e in engagements if e.consultant
    }
    uid = doc["uid"]
    try:
        cadence = Cadence(doc.get("cadence", Cadence.QUARTERLY.value))
    except ValueError:  # a cadence a newer version added
        cadence = Cadence.QUARTERLY
    return ClientFacts(
        uid=uid,
        name=str(doc.get("name", "")),
        created=recorded_on(doc),
        spiral=doc.get("spiral"),
        spiral_since=as_date(doc.get("spiral_since")),
        unpaid_since=set_on(ws, "client", uid, "unpaid_invoices")
        if doc.get("unpaid_invoices")
        else None,
        approval_delays_since=(
            set_on(ws, "client", uid, "approval_delays") if doc.get("approval_delays") else None
        ),
        contacts_since=set_on(ws, "client", uid, "contacts"),
        handovers=_handovers(doc),
        cadence=cadence,
        started=as_date(doc.get("started")),
        stage=doc.get("stage"),
        stage_since=as_date(doc.get("stage_since")),
        unpaid_invoices=bool(doc.get("unpaid_invoices")),
        approval_delays=bool(doc.get("approval_delays")),
        decision_makers=sum(1 for c in doc.get("contacts") or [] if c.get("decision_maker")),
        meetings=tuple(
            (m.get("status"), as_date(m.get("date"))) for m in ws.docs("meeting", client=client)
        ),
        touchpoints=tuple(
            day for t in ws.docs("touchpoint", client=client) if (day := as_date(t.get("date")))
        ),
        agreements=tuple(_agreement(a) for a in ws.docs("agreement", client=client)),
        # an answer without a score (never written by this version) counts for nothing
        nps=tuple(_nps(n) for n in ws.docs("nps", client=client) if n.get("score") is not None),
        requests=tuple(_request(r) for r in ws.docs("request", client=client)),
        engagements=engagements,
        names=names,
    )


def reader(ws: Workspace, audience: Audience | None) -> Audience:
    """Who a judgement is made for: ``audience``, or (None) the signed-in manager."""
    return audience if audience is not None else Audience.manager(ws.me)


def pulse_facts(
    ws: Workspace, consultant: str, audience: Audience | None = None
) -> tuple[PulseFacts, ...]:
    """A consultant's pulse conversations, as stored, that ``audience`` (None: the
    signed-in manager) may read: a conversation is private to its manager, so no
    judgement made for one manager weighs another's (:meth:`Audience.sees_private_of`)."""
    who = reader(ws, audience)
    return tuple(
        PulseFacts(
            status=p.get("status"),
            day=as_date(p.get("date")),
            wellbeing=None if p.get("wellbeing") is None else int(p["wellbeing"]),
            workload=p.get("workload"),
            uid=str(p.get("uid", "")),
        )
        for p in ws.docs("pulse", consultant=consultant)
        if who.sees_private_of(p.get("manager"))
    )


def consultant_facts(
    ws: Workspace, consultant: str, audience: Audience | None = None
) -> ConsultantFacts:
    """A consultant's engagements, and the pulse conversations ``audience`` (None: the
    signed-in manager) may read (:func:`pulse_facts`)."""
    return ConsultantFacts(
        uid=consultant,
        name=name_of(ws, "consultant", consultant),
        pulses=pulse_facts(ws, consultant, audience),
        engagements=tuple(
            engagement_facts(e) for e in ws.docs("engagement", consultant=consultant)
        ),
    )

"""Reads what the store says about a client or a consultant into the plain facts the
domain's judgements take (:mod:`pulsetui.domain.facts`), through the reference
indexes: one read per kind of record, never a scan of the whole workspace."""

from __future__ import annotations

from typing import Any

from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import Cadence
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.facts import (
    AgreementFacts,
    ClientFacts,
    ConsultantFacts,
    EngagementFacts,
    NpsAnswer,
    PulseFacts,
    RequestFacts,
)
from pulsetui.service.workspace import Workspace

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
    )


def client_facts(ws: Workspace, client: str) -> ClientFacts:
    """A client and its records; :class:`InvalidInput` for an unknown client."""
    doc = client_doc(ws, client)
    engagements = tuple(engagement_facts(e) for e in ws.docs("engagement", client=client))
    names = {
        e.consultant: name_of(ws, "consultant", e.consultant) for e in engagements if e.consultant
    }
    return ClientFacts(
        uid=doc["uid"],
        cadence=Cadence(doc.get("cadence", Cadence.QUARTERLY.value)),
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


def pulse_facts(ws: Workspace, consultant: str) -> tuple[PulseFacts, ...]:
    """A consultant's pulse conversations, as stored."""
    return tuple(
        PulseFacts(
            status=p.get("status"),
            day=as_date(p.get("date")),
            wellbeing=None if p.get("wellbeing") is None else int(p["wellbeing"]),
        )
        for p in ws.docs("pulse", consultant=consultant)
    )


def consultant_facts(ws: Workspace, consultant: str) -> ConsultantFacts:
    """A consultant's pulse conversations and engagements."""
    return ConsultantFacts(
        uid=consultant,
        pulses=pulse_facts(ws, consultant),
        engagements=tuple(
            engagement_facts(e) for e in ws.docs("engagement", consultant=consultant)
        ),
    )

"""Facts: what the store says about a client or a consultant, as plain frozen values.

The service reads these from the workspace; the judgements (red flags, health,
three hats) are pure functions of them and of a day, so every rule can be read and
tested without a store. Dates are already read into ``datetime.date`` (None when
missing or unreadable); statuses and kinds keep their stored values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from pulsetui.domain.enums import Cadence

# (status, day) of a meeting or a pulse conversation, as ``last_held`` reads them
Held = tuple[object, dt.date | None]


@dataclass(frozen=True)
class AgreementFacts:
    """One agreement: its current status and the history of status changes."""

    uid: str
    text: str = ""
    side: object = None  # "us" or "client"
    owner: str = ""
    status: object = None
    due: dt.date | None = None
    reason: str = ""  # why it was broken or cancelled
    created: dt.date | None = None
    history: tuple[tuple[dt.date | None, object], ...] = ()  # (day, status), as stored
    spiral: object = None  # the spiral quarter the promised work feeds, as stored


@dataclass(frozen=True)
class NpsAnswer:
    uid: str
    day: dt.date | None
    score: int  # 0..10
    contact: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RequestFacts:
    """A support request, wish or piece of feedback from the client."""

    uid: str
    kind: object
    status: object
    day: dt.date | None
    text: str = ""
    planned: bool = False
    delivered_early_free: bool = False
    spiral: object = None  # the spiral quarter the work feeds, as stored


@dataclass(frozen=True)
class EngagementFacts:
    """A consultant placed at a client, and who talks with the client."""

    uid: str
    client: str | None
    consultant: str | None
    start: dt.date | None = None
    end: dt.date | None = None  # the last day
    unplanned: bool = False
    main_communicator: str = ""
    communicator_since: dt.date | None = None
    communicator_role: object = None


@dataclass(frozen=True)
class PulseFacts:
    """One pulse conversation: its status, day, the wellbeing (1-5) and workload given."""

    status: object
    day: dt.date | None
    wellbeing: int | None = None
    workload: object = None  # too_low | ok | high | too_high, as stored
    uid: str = ""


@dataclass(frozen=True)
class HandoverFacts:
    """One entry of a client's main communicator history: from ``start`` on, ``name``
    in ``role``, with the note it was handed over with."""

    name: str
    role: object
    start: dt.date
    note: str = ""
    by: str = ""


@dataclass(frozen=True)
class ClientFacts:
    """A client and its records: meetings, touchpoints, agreements, NPS answers,
    requests and engagements (with the names of the consultants placed)."""

    uid: str
    cadence: Cadence = Cadence.QUARTERLY
    started: dt.date | None = None
    stage: object = None
    stage_since: dt.date | None = None
    unpaid_invoices: bool = False
    approval_delays: bool = False
    decision_makers: int = 0
    name: str = ""
    created: dt.date | None = None  # when the record was made (its existence, without a start)
    spiral: object = None  # the spiral quarter the client is in, as stored
    spiral_since: dt.date | None = None
    # the day each state was last recorded (None: unknown)
    unpaid_since: dt.date | None = None
    approval_delays_since: dt.date | None = None
    contacts_since: dt.date | None = None
    handovers: tuple[HandoverFacts, ...] = ()  # the main communicator history, as appended
    meetings: tuple[Held, ...] = ()
    touchpoints: tuple[dt.date, ...] = ()
    agreements: tuple[AgreementFacts, ...] = ()
    nps: tuple[NpsAnswer, ...] = ()
    requests: tuple[RequestFacts, ...] = ()
    engagements: tuple[EngagementFacts, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # consultant uid -> name


@dataclass(frozen=True)
class ConsultantFacts:
    """A consultant's pulse conversations and engagements."""

    uid: str
    pulses: tuple[PulseFacts, ...] = ()
    engagements: tuple[EngagementFacts, ...] = ()
    name: str = ""

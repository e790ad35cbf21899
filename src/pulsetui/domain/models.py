"""The records pulsetui keeps, as validated pydantic models.

Every record has a ``uid`` (a ULID, or a random UUID for anonymous eNPS answers) that
is its identity everywhere; references between records hold uids. Dates are ISO dates,
text is arbitrary Unicode kept exactly as typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pulsetui.domain.agreement_history import DueMove as DueMove
from pulsetui.domain.agreement_history import StatusChange as StatusChange
from pulsetui.domain.enums import (
    AgendaStatus,
    AgreementStatus,
    Answer,
    Cadence,
    CommunicatorRole,
    LifecycleStage,
    MeetingStatus,
    PulseStatus,
    RequestKind,
    RequestStatus,
    Side,
    SpiralQuarter,
    TouchpointKind,
    WorkKind,
    Workload,
)

# the base record, the input rules and the length of free text, for the modules that
# import them from here
from pulsetui.domain.fields import IMPORTED as IMPORTED
from pulsetui.domain.fields import INPUT as INPUT
from pulsetui.domain.fields import MAX_TEXT as MAX_TEXT
from pulsetui.domain.fields import (
    Email,
    IsoWeek,
    Name,
    NonEmptyText,
    OneToFive,
    OptName,
    RoundName,
    Score,
    Text,
    TimeOfDay,
    Uid,
    is_input,
    whole_number,
)
from pulsetui.domain.fields import Record as Record
from pulsetui.domain.fields import visible as visible
from pulsetui.domain.handover import Handover as Handover


class Manager(Record):
    entity: ClassVar[str] = "manager"
    name: Name
    email: Email = ""


class Consultant(Record):
    entity: ClassVar[str] = "consultant"
    name: Name
    manager: Uid | None = None
    email: Email = ""
    active: bool = True


class Contact(BaseModel):
    """A person at a client."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    role: OptName = ""
    decision_maker: bool = False
    email: Email = ""


class Client(Record):
    entity: ClassVar[str] = "client"
    name: Name
    manager: Uid | None = None
    contacts: list[Contact] = Field(default_factory=list, max_length=500)
    client_wants_us: Answer = Answer.UNSURE
    we_want_client: Answer = Answer.UNSURE
    stage: LifecycleStage = LifecycleStage.ONBOARDING
    stage_since: dt.date | None = None
    spiral: SpiralQuarter = SpiralQuarter.Q1_FUNCTIONALITY
    spiral_since: dt.date | None = None
    unpaid_invoices: bool = False
    approval_delays: bool = False
    cadence: Cadence = Cadence.QUARTERLY
    started: dt.date | None = None
    notes: Text = ""
    # Filled by the store from append ops (pulsetui.service.communicators); never set directly.
    communicators: list[Handover] = Field(default_factory=list, max_length=500)

    @property
    def decision_makers(self) -> list[Contact]:
        return [c for c in self.contacts if c.decision_maker]


class Engagement(Record):
    entity: ClassVar[str] = "engagement"
    client: Uid
    consultant: Uid
    manager: Uid | None = None
    start: dt.date
    end: dt.date | None = None
    main_communicator: OptName = ""
    communicator_since: dt.date | None = None
    communicator_role: CommunicatorRole = CommunicatorRole.DELIVERY_LEAD
    unplanned: bool = False  # the team was grown for work nobody planned
    notes: Text = ""

    @model_validator(mode="after")
    def _ends_after_start(self, info: ValidationInfo) -> Engagement:
        if is_input(info) and self.end is not None and self.end < self.start:
            raise PydanticCustomError(
                "end_before_start",
                "must not be before the start {start} (got {end})",
                {"field": "end", "start": str(self.start), "end": str(self.end)},
            )
        return self


class FollowUp(BaseModel):
    """Something the manager promised in a pulse conversation."""

    model_config = ConfigDict(extra="forbid")

    text: NonEmptyText
    done: bool = False
    done_on: dt.date | None = None


class PulseConversation(Record):
    entity: ClassVar[str] = "pulse"
    consultant: Uid
    manager: Uid | None = None
    date: dt.date
    status: PulseStatus = PulseStatus.HELD
    wellbeing: OneToFive | None = None
    workload: Workload | None = None
    fit: OneToFive | None = None
    growth: Text = ""
    worries: Text = ""
    notes: Text = ""
    follow_ups: list[FollowUp] = Field(default_factory=list, max_length=500)
    private: bool = True


class ClientMeeting(Record):
    entity: ClassVar[str] = "meeting"
    client: Uid
    date: dt.date
    time: TimeOfDay | None = None
    duration_min: Annotated[int, BeforeValidator(whole_number), Field(ge=5, le=600)] = 60
    status: MeetingStatus = MeetingStatus.PLANNED
    attendees: list[Name] = Field(default_factory=list, max_length=200)
    notes: Text = ""


class AgendaItem(Record):
    entity: ClassVar[str] = "agenda"
    client: Uid
    text: NonEmptyText
    added_by: OptName = ""
    added_at: dt.datetime
    status: AgendaStatus = AgendaStatus.OPEN
    meeting: Uid | None = None


class Agreement(Record):
    entity: ClassVar[str] = "agreement"
    client: Uid
    meeting: Uid | None = None
    text: NonEmptyText
    side: Side
    owner: OptName = ""
    due: dt.date | None = None
    status: AgreementStatus = AgreementStatus.OPEN
    reason: Text = ""
    created: dt.date
    spiral: SpiralQuarter | None = None  # the spiral quarter the promised work feeds
    # Filled by the store from append ops; never set directly.
    history: list[StatusChange] = Field(default_factory=list)
    due_moves: list[DueMove] = Field(default_factory=list)


class NpsResponse(Record):
    entity: ClassVar[str] = "nps"
    client: Uid
    contact: OptName = ""
    score: Score
    reason: Text = ""
    date: dt.date
    manager: Uid | None = None


class EnpsResponse(Record):
    """An anonymous eNPS answer: no author, no replica, no time but the round."""

    entity: ClassVar[str] = "enps"
    round: RoundName
    score: Score
    reason: Text = ""


class EnpsRound(Record):
    """An eNPS survey round: answers are taken through ``closes`` (uid: ``round_uid``)."""

    entity: ClassVar[str] = "enps_round"
    round: RoundName
    closes: dt.date


class Touchpoint(Record):
    entity: ClassVar[str] = "touchpoint"
    client: Uid
    kind: TouchpointKind = TouchpointKind.OTHER
    date: dt.date
    note: Text = ""
    contact: OptName = ""  # the client's contact person it reached


class Request(Record):
    entity: ClassVar[str] = "request"
    client: Uid
    kind: RequestKind = RequestKind.WISH
    text: NonEmptyText
    date: dt.date
    status: RequestStatus = RequestStatus.NEW
    planned: bool = False  # accepted together with a plan (scope, time, price)
    delivered_early_free: bool = False  # promised work delivered early and free of charge
    spiral: SpiralQuarter | None = None  # the spiral quarter the work, once accepted, feeds


class FlagAck(Record):
    """A manager's note that a red flag has been addressed, or snoozed ``until`` a day.

    It covers the evidence the flag showed when it was written (``covers``: its keys;
    an older note without them covers what was dated on or before its day); new
    evidence raises the flag again. ``client`` and ``consultant`` say whom the flag
    was about, so a later flag of the same kind there reads as recurring."""

    entity: ClassVar[str] = "flag_ack"
    flag: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    note: Text = ""
    date: dt.date
    by: Uid | None = None
    until: dt.date | None = None
    covers: list[Annotated[str, StringConstraints(max_length=300)]] = Field(
        default_factory=list, max_length=500
    )
    client: Uid | None = None
    consultant: Uid | None = None


class WorkNote(Record):
    """A line for a client's weekly report: what the team did, plans next, or sees as
    a risk (with the proposed way out, worded for the client). It belongs to the week
    of its ``date``."""

    entity: ClassVar[str] = "work"
    client: Uid
    kind: WorkKind = WorkKind.DONE
    text: NonEmptyText
    way_out: Text = ""
    date: dt.date
    by: OptName = ""


class ReportSent(Record):
    """A client's weekly report for ``week`` was sent on ``sent``."""

    entity: ClassVar[str] = "report_sent"
    client: Uid
    week: IsoWeek
    sent: dt.date
    by: Uid | None = None


Scope = Literal["team", "private", "anonymous"]


class EntitySpec(BaseModel):
    """How the store and the front-ends treat one kind of record."""

    name: str
    model: type[Record]
    label: str
    plural: str
    scope: Scope = "team"
    refs: tuple[str, ...] = ()
    title_field: str = "name"
    appends: tuple[str, ...] = ()


ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        EntitySpec(name="manager", model=Manager, label="manager", plural="managers"),
        EntitySpec(
            name="consultant",
            model=Consultant,
            label="consultant",
            plural="consultants",
            refs=("manager",),
        ),
        EntitySpec(
            name="client",
            model=Client,
            label="client",
            plural="clients",
            refs=("manager",),
            appends=("communicators",),
        ),
        EntitySpec(
            name="engagement",
            model=Engagement,
            label="engagement",
            plural="engagements",
            refs=("client", "consultant", "manager"),
            title_field="main_communicator",
        ),
        EntitySpec(
            name="pulse",
            model=PulseConversation,
            label="pulse conversation",
            plural="pulses",
            scope="private",
            refs=("consultant", "manager"),
            title_field="date",
        ),
        EntitySpec(
            name="meeting",
            model=ClientMeeting,
            label="client meeting",
            plural="meetings",
            refs=("client",),
            title_field="date",
        ),
        EntitySpec(
            name="agenda",
            model=AgendaItem,
            label="agenda item",
            plural="agenda",
            refs=("client", "meeting"),
            title_field="text",
        ),
        EntitySpec(
            name="agreement",
            model=Agreement,
            label="agreement",
            plural="agreements",
            refs=("client", "meeting"),
            title_field="text",
            appends=("history", "due_moves"),
        ),
        EntitySpec(
            name="nps",
            model=NpsResponse,
            label="NPS response",
            plural="nps",
            refs=("client", "manager"),
            title_field="score",
        ),
        EntitySpec(
            name="enps",
            model=EnpsResponse,
            label="eNPS response",
            plural="enps",
            scope="anonymous",
            title_field="round",
        ),
        EntitySpec(
            name="enps_round",
            model=EnpsRound,
            label="eNPS round",
            plural="enps_rounds",
            title_field="round",
        ),
        EntitySpec(
            name="touchpoint",
            model=Touchpoint,
            label="touchpoint",
            plural="touchpoints",
            refs=("client",),
            title_field="kind",
        ),
        EntitySpec(
            name="request",
            model=Request,
            label="request",
            plural="requests",
            refs=("client",),
            title_field="text",
        ),
        EntitySpec(
            name="work",
            model=WorkNote,
            label="work note",
            plural="work",
            refs=("client",),
            title_field="text",
        ),
        EntitySpec(
            name="report_sent",
            model=ReportSent,
            label="weekly report sent",
            plural="reports_sent",
            refs=("client",),
            title_field="week",
        ),
        EntitySpec(
            name="flag_ack",
            model=FlagAck,
            label="addressed red flag",
            plural="flag_acks",
            title_field="flag",
        ),
    )
}

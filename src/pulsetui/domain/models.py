"""The records pulsetui keeps, as validated pydantic models.

Every record has a ``uid`` (a ULID, or a random UUID for anonymous eNPS answers) that
is its identity everywhere; references between records hold uids. Dates are ISO dates,
text is arbitrary Unicode kept exactly as typed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

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

MAX_TEXT = 4 * 1024 * 1024  # free text: notes may be long, but not unbounded

# Rules for what a person types. They apply when a record is added or changed
# (``model_validate(..., context=INPUT)``), not when a stored record is read back, so
# a record written before a rule existed (or by another version) still opens.
INPUT = {"input": True}
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2199, 12, 31)
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"}
_WHOLE_NUMBER = re.compile(r"[ \t\r\n]*([+-]?[0-9]{1,30})[ \t\r\n]*")
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
_UID = re.compile(r"[0-9A-Za-z_-]+")
_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def is_input(info: ValidationInfo) -> bool:
    """Whether the value is being typed in (the input rules apply) or read back."""
    return bool(info.context and info.context.get("input"))


def visible(text: str) -> bool:
    """Whether the text shows anything: not only spaces, control or zero-width marks."""
    return any(unicodedata.category(char) not in _INVISIBLE for char in text)


def _whole_number(value: Any) -> Any:
    """Whole numbers as typed: ASCII digits with an optional sign, nothing else
    (no ``1_0``, ``0x7``, ``7.0``, ``1e3``, Arabic or full-width digits); never a bool."""
    if isinstance(value, bool):
        raise PydanticCustomError("whole_number", "must be a whole number, not yes/no")
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    if isinstance(value, str):
        match = _WHOLE_NUMBER.fullmatch(value)
        if match is None:
            raise PydanticCustomError(
                "whole_number", "must be a whole number written with the digits 0-9"
            )
        return int(match.group(1))
    return value


def _shows_something(value: str, info: ValidationInfo) -> str:
    if is_input(info) and value and not visible(value):
        raise PydanticCustomError("blank", "must not be blank")
    return value


def _time_of_day(value: str) -> str:
    if not _TIME.fullmatch(value):
        raise PydanticCustomError("time_of_day", "must be a time HH:MM from 00:00 to 23:59")
    return value


def _iso_week(value: str) -> str:
    match = _ISO_WEEK.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise PydanticCustomError("iso_week", "must be an ISO week such as 2026-W47") from None
    return value


def _uid_form(value: str) -> str:
    if not _UID.fullmatch(value):
        raise PydanticCustomError(
            "uid_form", "must be an id of letters, digits, '-' and '_' (a ULID)"
        )
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_shows_something),
]
OptName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
NonEmptyText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(_shows_something)
]
Uid = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_uid_form)]
Score = Annotated[int, BeforeValidator(_whole_number), Field(ge=0, le=10, strict=False)]
OneToFive = Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=5)]
TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
IsoWeek = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_iso_week)]


def _dates_in_range(value: Any, path: str) -> list[tuple[str, str]]:
    """Dates (also inside lists and nested records) outside the plausible range, as
    (path, date)."""
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return [] if EARLIEST_DAY <= day <= LATEST_DAY else [(path, value.isoformat())]
    if isinstance(value, BaseModel):
        found: list[tuple[str, str]] = []
        for name in type(value).model_fields:
            found += _dates_in_range(getattr(value, name), f"{path}.{name}" if path else name)
        return found
    if isinstance(value, list):
        items: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            items += _dates_in_range(item, f"{path}.{index}")
        return items
    return []


class Record(BaseModel):
    """Base of every stored record."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)

    entity: ClassVar[str] = ""
    uid: Uid

    @model_validator(mode="after")
    def _plausible_dates(self, info: ValidationInfo) -> Record:
        if is_input(info):
            bad = _dates_in_range(self, "")
            if bad:
                raise PydanticCustomError(
                    "date_range",
                    "must be between {first} and {last} (got {got})",
                    {
                        "field": bad[0][0],
                        "first": str(EARLIEST_DAY),
                        "last": str(LATEST_DAY),
                        "got": bad[0][1],
                    },
                )
        return self

    def fields(self) -> dict[str, Any]:
        """The record's stored fields (JSON-ready), without ``uid``."""
        data = self.model_dump(mode="json")
        data.pop("uid", None)
        return data


class Manager(Record):
    entity: ClassVar[str] = "manager"
    name: Name
    email: OptName = ""


class Consultant(Record):
    entity: ClassVar[str] = "consultant"
    name: Name
    manager: Uid | None = None
    email: OptName = ""
    active: bool = True


class Contact(BaseModel):
    """A person at a client."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    role: OptName = ""
    decision_maker: bool = False
    email: OptName = ""


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
    duration_min: Annotated[int, BeforeValidator(_whole_number), Field(ge=5, le=600)] = 60
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


class StatusChange(BaseModel):
    """One entry of an agreement's append-only status history."""

    model_config = ConfigDict(extra="forbid")

    status: AgreementStatus
    reason: Text = ""
    at: dt.datetime
    by: OptName = ""


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
    # Filled by the store from append ops; never set directly.
    history: list[StatusChange] = Field(default_factory=list)


class NpsResponse(Record):
    entity: ClassVar[str] = "nps"
    client: Uid
    contact: OptName = ""
    score: Score
    reason: Text = ""
    date: dt.date
    manager: Uid | None = None


RoundName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_shows_something),
]


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


class Request(Record):
    entity: ClassVar[str] = "request"
    client: Uid
    kind: RequestKind = RequestKind.WISH
    text: NonEmptyText
    date: dt.date
    status: RequestStatus = RequestStatus.NEW
    planned: bool = False  # accepted together with a plan (scope, time, price)
    delivered_early_free: bool = False  # promised work delivered early and free of charge


class FlagAck(Record):
    """A manager's note that a red flag has been addressed."""

    entity: ClassVar[str] = "flag_ack"
    flag: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    note: Text = ""
    date: dt.date
    by: Uid | None = None


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
            name="client", model=Client, label="client", plural="clients", refs=("manager",)
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
            appends=("history",),
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

"""Enumerations of the pulsetui domain: stages, segments, statuses and kinds."""

from __future__ import annotations

from enum import StrEnum


class Answer(StrEnum):
    """An answer to one of the two segmentation questions."""

    YES = "yes"
    UNSURE = "unsure"
    NO = "no"


class Segment(StrEnum):
    """Where a client sits on the 'client wants us' x 'we want the client' grid."""

    TOP = "top"
    STEADY = "steady"
    WIN_BACK = "win_back"
    PART_WAYS = "part_ways"
    UNKNOWN = "unknown"


class LifecycleStage(StrEnum):
    ONBOARDING = "onboarding"
    ADOPTION = "adoption"
    SUCCESS = "success"


class SpiralQuarter(StrEnum):
    """The quarter of the relationship spiral the client is being fed."""

    Q1_FUNCTIONALITY = "q1_functionality"
    Q2_USABILITY = "q2_usability"
    Q3_STABILITY = "q3_stability"
    Q4_SUPPORT = "q4_support"


class Cadence(StrEnum):
    """An agreed client meeting cadence. Quarterly is the longest allowed; twice a week
    is how a client in adoption is often met."""

    TWICE_WEEKLY = "twice_weekly"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


CADENCE_DAYS: dict[Cadence, int] = {
    Cadence.TWICE_WEEKLY: 4,  # three or four days apart, so every 4 days at the latest
    Cadence.WEEKLY: 7,
    Cadence.BIWEEKLY: 14,
    Cadence.MONTHLY: 30,
    Cadence.QUARTERLY: 91,
}


class CommunicatorRole(StrEnum):
    """The role of the main communicator towards the client: someone who works out
    with the client what to solve, then how. A purely technical person in the role
    is a red flag (they look at the beauty of the solution, not the client's need)."""

    ANALYST = "analyst"
    PROJECT_MANAGER = "project_manager"
    DELIVERY_MANAGER = "delivery_manager"
    PRODUCT_MANAGER = "product_manager"
    MANAGER = "manager"
    DELIVERY_LEAD = "delivery_lead"
    BUSINESS = "business"
    TECHNICAL = "technical"  # a purely technical person: a red flag in this role


class Workload(StrEnum):
    TOO_LOW = "too_low"
    OK = "ok"
    HIGH = "high"
    TOO_HIGH = "too_high"


class PulseStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class AgendaStatus(StrEnum):
    OPEN = "open"
    DISCUSSED = "discussed"
    DROPPED = "dropped"


class Side(StrEnum):
    """Who owns an agreement: our side or the client's."""

    US = "us"
    CLIENT = "client"


class AgreementStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    BROKEN = "broken"
    CANCELLED = "cancelled"


class TouchpointKind(StrEnum):
    CALL = "call"
    ARTICLE = "article"
    CASE = "case"
    ROADMAP = "roadmap"
    GREETING = "greeting"
    EVENT = "event"
    FEEDBACK = "feedback"
    OTHER = "other"


class RequestKind(StrEnum):
    SUPPORT = "support"
    WISH = "wish"
    FEEDBACK = "feedback"


class RequestStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DONE = "done"


class WorkKind(StrEnum):
    """A line of the weekly report: what the team did, plans next, or sees as a risk."""

    DONE = "done"
    NEXT = "next"
    RISK = "risk"

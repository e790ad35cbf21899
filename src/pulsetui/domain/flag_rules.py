"""Red-flag rules: which flags a consultant or a client raises on a day, each with the
reason a manager reads and the day it was raised (since when).

Pure functions of the facts the service reads (:mod:`pulsetui.domain.facts`) and of
the settings a manager may change (:class:`FlagSettings`, from the configuration).
Whether an "addressed" note still covers a flag, and the kinds' labels, are in
:mod:`pulsetui.domain.flags`.

- pulse overdue: the last pulse held is older than the overdue limit, or none was held
  that long after the consultant's first engagement started;
- client meeting overdue: cadence and grace passed since the last meeting held, or
  since the client's start with none held;
- agreement overdue; agreement broken in the last six months;
- detractor NPS answer (0-6) in the last quarter; NPS falling: the last six months at
  least 20 points below the six months before, with at least two answers in each;
- unpaid invoices; approvals slipping (marked late, or more than three decision makers);
- wishes accepted without a plan; promised work delivered early and free twice or more;
  client feedback unanswered too long;
- team grown for unplanned work; the same main communicator too long; a purely
  technical person as main communicator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.agreements import is_overdue, status_on
from pulsetui.domain.cadence import (
    PULSE_DUE_DAYS,
    PULSE_OVERDUE_DAYS,
    DueState,
    last_held,
    meeting_due,
    meeting_interval,
    pulse_due,
)
from pulsetui.domain.dates import add_months
from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import AgreementStatus, CommunicatorRole, RequestKind, RequestStatus
from pulsetui.domain.facts import ClientFacts, ConsultantFacts
from pulsetui.domain.flags import flag_key
from pulsetui.domain.health import RECENT_DAYS
from pulsetui.domain.nps import DETRACTOR_MAX, DIRECTIONAL_BELOW, NpsCounts, NpsSummary

DETRACTOR_FLAG_DAYS = 91  # a detractor answer raises a flag for a quarter
FALLING_DROP = 20  # NPS points lost between two half-years that count as falling
FALLING_MIN_N = 2  # answers needed in each half-year to compare them
APPROVAL_GROUP_MAX = 3  # more decision makers than this is a warning
EARLY_FREE_TIMES = 2  # promised work delivered early and free this often is a habit
NAMED_IN_REASON = 3  # a reason names this many wishes or deliveries, then "and N more"


@dataclass(frozen=True)
class FlagSettings:
    """The limits a manager may set in the configuration ([cadences], [thresholds])."""

    pulse_due_days: int = PULSE_DUE_DAYS
    pulse_overdue_days: int = PULSE_OVERDUE_DAYS
    meeting_grace_days: int = 7
    feedback_unprocessed_days: int = 14
    communicator_max_months: int = 12
    nps_directional_below: int = DIRECTIONAL_BELOW


@dataclass(frozen=True)
class FlagRaised:
    """One flag a rule raised: about ``subject`` (a uid), with its reason and since when."""

    kind: str
    subject: str
    reason: str
    since: dt.date | None
    client: str | None = None
    consultant: str | None = None

    @property
    def key(self) -> str:
        return flag_key(self.kind, self.subject)


def _short(text: object, limit: int = 60) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# ---- the consultant -----------------------------------------------------------------------


def pulse_overdue(
    consultant: ConsultantFacts, today: dt.date, settings: FlagSettings
) -> list[FlagRaised]:
    uid = consultant.uid
    overdue_days = settings.pulse_overdue_days
    last = last_held(((p.status, p.day) for p in consultant.pulses), today)
    placed = next((e for e in consultant.engagements if is_active(e.start, e.end, today)), None)
    client = placed.client if placed else None
    info = pulse_due(last, today, settings.pulse_due_days, overdue_days)
    if info.state == DueState.OVERDUE and last is not None:
        reason = f"last pulse {last.isoformat()}, {info.days_since} days ago"
        since = last + dt.timedelta(days=overdue_days)
        return [FlagRaised("pulse_overdue", uid, reason, since, client, uid)]
    if info.state == DueState.NEVER:
        starts = [e.start for e in consultant.engagements if e.start and e.start <= today]
        if starts and (today - min(starts)).days >= overdue_days:
            first = min(starts)
            reason = f"no pulse conversation since the engagement started {first.isoformat()}"
            since = first + dt.timedelta(days=overdue_days)
            return [FlagRaised("pulse_overdue", uid, reason, since, client, uid)]
    return []


def consultant_flags(
    consultant: ConsultantFacts, today: dt.date, settings: FlagSettings
) -> list[FlagRaised]:
    """Every flag a consultant raises on ``today``."""
    return pulse_overdue(consultant, today, settings)


# ---- the client ---------------------------------------------------------------------------


def meeting_overdue(
    client: ClientFacts, today: dt.date, settings: FlagSettings
) -> list[FlagRaised]:
    uid, cadence = client.uid, client.cadence
    grace = settings.meeting_grace_days
    interval = meeting_interval(cadence)
    last = last_held(client.meetings, today)
    info = meeting_due(last, cadence, today, grace)
    if info.state == DueState.OVERDUE and last is not None:
        reason = (
            f"last meeting {last.isoformat()}, {info.days_since} days ago; "
            f"agreed cadence {cadence.value}"
        )
        since = last + dt.timedelta(days=interval + grace)
        return [FlagRaised("meeting_overdue", uid, reason, since, uid)]
    started = client.started
    if info.state == DueState.NEVER and started and (today - started).days >= interval + grace:
        reason = f"no client meeting held since the start on {started.isoformat()}"
        since = started + dt.timedelta(days=interval + grace)
        return [FlagRaised("meeting_overdue", uid, reason, since, uid)]
    return []


def agreement_flags(client: ClientFacts, today: dt.date) -> list[FlagRaised]:
    """Agreements overdue, and agreements broken in the last six months."""
    found = []
    for agreement in client.agreements:
        due = agreement.due
        owner = agreement.owner or ("us" if agreement.side == "us" else "the client")
        text = _short(agreement.text)
        if due is not None and is_overdue(agreement.status, due, today):
            late = (today - due).days
            reason = f"“{text}” was due {due.isoformat()}, {late} days ago; owner {owner}"
            found.append(FlagRaised("agreement_overdue", agreement.uid, reason, due, client.uid))
        elif agreement.status == AgreementStatus.BROKEN.value:
            _, broken_on = status_on(agreement.history, agreement.status, agreement.created, today)
            if broken_on is not None and (today - broken_on).days <= RECENT_DAYS:
                why = _short(agreement.reason, 80)
                reason = f"“{text}” broken on {broken_on.isoformat()}" + (f": {why}" if why else "")
                found.append(
                    FlagRaised("agreement_broken", agreement.uid, reason, broken_on, client.uid)
                )
    return found


def nps_flags(client: ClientFacts, today: dt.date, settings: FlagSettings) -> list[FlagRaised]:
    """Detractor answers of the last quarter, and NPS falling between two half-years."""
    uid = client.uid
    found = []
    for answer in client.nps:
        day, score = answer.day, answer.score
        if day and score <= DETRACTOR_MAX and 0 <= (today - day).days <= DETRACTOR_FLAG_DAYS:
            who = answer.contact or "a contact"
            why = _short(answer.reason, 80)
            reason = f"{who} answered {score} on {day.isoformat()}" + (f": {why}" if why else "")
            found.append(FlagRaised("nps_detractor", answer.uid, reason, day, uid))
    recent_start = today - dt.timedelta(days=RECENT_DAYS - 1)
    before_start = recent_start - dt.timedelta(days=RECENT_DAYS)
    before_end = recent_start - dt.timedelta(days=1)
    recent = [a for a in client.nps if a.day is not None and recent_start <= a.day <= today]
    before = [a for a in client.nps if a.day is not None and before_start <= a.day <= before_end]
    if len(recent) >= FALLING_MIN_N and len(before) >= FALLING_MIN_N:
        below = settings.nps_directional_below
        now_s = NpsSummary.of(NpsCounts.of(a.score for a in recent), below)
        then_s = NpsSummary.of(NpsCounts.of(a.score for a in before), below)
        assert now_s.score is not None and then_s.score is not None
        if then_s.score - now_s.score >= FALLING_DROP:
            reason = (
                f"NPS {now_s.label()} over the last 6 months, "
                f"was {then_s.label()} the 6 months before"
            )
            since = min(a.day for a in recent if a.day)
            found.append(FlagRaised("nps_falling", uid, reason, since, uid))
    return found


def client_state_flags(client: ClientFacts) -> list[FlagRaised]:
    """Unpaid invoices; approvals late or needing too many decision makers."""
    uid = client.uid
    found = []
    if client.unpaid_invoices:
        found.append(FlagRaised("unpaid_invoices", uid, "invoices are marked unpaid", None, uid))
    why = []
    if client.approval_delays:
        why.append("approvals are marked late")
    if client.decision_makers > APPROVAL_GROUP_MAX:
        why.append(f"{client.decision_makers} decision makers must agree")
    if why:
        found.append(FlagRaised("approvals_slipping", uid, "; ".join(why), None, uid))
    return found


def request_flags(client: ClientFacts, today: dt.date, settings: FlagSettings) -> list[FlagRaised]:
    """Feedback left unanswered, wishes accepted without a plan, work delivered early
    and free. A request with no readable date counts as made today."""
    uid = client.uid
    found = []
    unplanned: list[tuple[dt.date, str]] = []
    early: list[tuple[dt.date, str]] = []
    for request in client.requests:
        day = request.day or today
        kind, status = request.kind, request.status
        accepted = kind == RequestKind.WISH.value and status == RequestStatus.ACCEPTED.value
        if accepted and not request.planned:
            unplanned.append((day, _short(request.text, 40)))
        if request.delivered_early_free:
            early.append((day, _short(request.text, 40)))
        if kind == RequestKind.FEEDBACK.value and status == RequestStatus.NEW.value:
            waited = (today - day).days
            if waited >= settings.feedback_unprocessed_days:
                text = _short(request.text)
                reason = f"“{text}” from {day.isoformat()}, {waited} days unanswered"
                found.append(FlagRaised("feedback_unprocessed", request.uid, reason, day, uid))
    if unplanned:
        unplanned.sort()
        names = ", ".join(f"“{t}”" for _, t in unplanned[:NAMED_IN_REASON])
        rest = len(unplanned) - NAMED_IN_REASON
        more = f" and {rest} more" if rest > 0 else ""
        reason = f"{len(unplanned)} accepted without a plan: {names}{more}"
        found.append(FlagRaised("wishes_unplanned", uid, reason, unplanned[0][0], uid))
    if len(early) >= EARLY_FREE_TIMES:
        early.sort()
        reason = f"{len(early)} times: " + ", ".join(
            f"“{t}” ({d.isoformat()})" for d, t in early[:NAMED_IN_REASON]
        )
        since = early[EARLY_FREE_TIMES - 1][0]
        found.append(FlagRaised("early_free_work", uid, reason, since, uid))
    return found


def engagement_flags(
    client: ClientFacts, today: dt.date, settings: FlagSettings
) -> list[FlagRaised]:
    """Of the engagements running today: a team grown for unplanned work, the same main
    communicator too long, a purely technical person as main communicator."""
    uid = client.uid
    months = settings.communicator_max_months
    found = []
    for engagement in client.engagements:
        if not is_active(engagement.start, engagement.end, today):
            continue
        consultant, start = engagement.consultant, engagement.start
        if engagement.unplanned:
            who = client.names.get(consultant, consultant) if consultant else ""
            reason = f"{who} joined on {start.isoformat() if start else '?'} for unplanned work"
            found.append(
                FlagRaised("team_grown_unplanned", engagement.uid, reason, start, uid, consultant)
            )
        person = engagement.main_communicator
        if not person:
            continue
        since = engagement.communicator_since or start
        if since is not None and add_months(since, months) <= today:
            held = (today.year - since.year) * 12 + today.month - since.month
            reason = (
                f"{person} has been the main communicator since {since.isoformat()} "
                f"({held} months; rotate after {months})"
            )
            found.append(
                FlagRaised(
                    "communicator_too_long",
                    engagement.uid,
                    reason,
                    add_months(since, months),
                    uid,
                    consultant,
                )
            )
        if engagement.communicator_role == CommunicatorRole.TECHNICAL.value:
            reason = f"{person} is a purely technical person in the main communicator role"
            found.append(
                FlagRaised("communicator_technical", engagement.uid, reason, since, uid, consultant)
            )
    return found


def client_flags(client: ClientFacts, today: dt.date, settings: FlagSettings) -> list[FlagRaised]:
    """Every flag a client raises on ``today``."""
    return [
        *meeting_overdue(client, today, settings),
        *agreement_flags(client, today),
        *nps_flags(client, today, settings),
        *client_state_flags(client),
        *request_flags(client, today, settings),
        *engagement_flags(client, today, settings),
    ]

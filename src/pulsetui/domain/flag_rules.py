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
- detractor NPS answer (0-6) in the last quarter; NPS falling (see below);
- unpaid invoices; approvals slipping (marked late, or more than three decision makers);
- wishes accepted without a plan; promised work delivered early and free twice or more;
  client feedback unanswered too long;
- team grown for unplanned work; the same main communicator too long; a purely
  technical person as main communicator (:mod:`.communicators`);
- the consultant squeezed, or caught between client and firm (:mod:`.squeeze`);
- onboarding past three months, the spiral stuck, and the spiral mix's mistakes
  (:mod:`.stage_flags`).

Every flag carries its evidence (:class:`~pulsetui.domain.flag_lifecycle.Evidence`),
so an "addressed" note covers what was seen and new evidence raises it again.
NPS falling: the whole 95% interval of the last six months lies below the whole
interval of the six months before (:func:`is_falling`); a handful of answers gives
intervals too wide for that, so a drop among a few answers does not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pulsetui.domain.agreements import is_overdue, status_on
from pulsetui.domain.cadence import (
    DueState,
    last_held,
    meeting_due,
    meeting_interval,
    pulse_due,
)
from pulsetui.domain.communicators import (
    current_tenure,
    is_technical,
    technical_reason,
    tenures,
    too_long_reason,
    too_long_since,
)
from pulsetui.domain.dates import add_months
from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import AgreementStatus, RequestKind, RequestStatus
from pulsetui.domain.facts import ClientFacts, ConsultantFacts
from pulsetui.domain.flag_lifecycle import Evidence
from pulsetui.domain.flag_raised import FlagRaised, FlagSettings
from pulsetui.domain.flag_raised import short as _short
from pulsetui.domain.health import RECENT_DAYS
from pulsetui.domain.nps import DETRACTOR_MAX, NpsCounts, NpsSummary
from pulsetui.domain.squeeze import squeeze_flags
from pulsetui.domain.stage_flags import onboarding_flags, spiral_flags
from pulsetui.domain.words import counted

__all__ = ["FlagRaised", "FlagSettings"]  # the rules' results, kept importable from here

DETRACTOR_FLAG_DAYS = 91  # a detractor answer raises a flag for a quarter
FALLING_DROP = 20  # and never fewer NPS points than this
FALLING_MIN_N = 2  # answers needed in each half-year to compare them
APPROVAL_GROUP_MAX = 3  # more decision makers than this is a warning
EARLY_FREE_TIMES = 2  # promised work delivered early and free this often is a habit
NAMED_IN_REASON = 3  # a reason names this many wishes or deliveries, then "and N more"


def state_evidence(state: str, day: dt.date | None) -> Evidence:
    """A client's state (invoices unpaid, approvals late) recorded on ``day``."""
    return Evidence(f"{state}:{day.isoformat() if day else '-'}", day)


def request_evidence(uid: str, day: dt.date | None, text: str = "") -> Evidence:
    """One request (a wish, a delivery, a piece of feedback) behind a flag."""
    return Evidence(f"request:{uid}", day, text)


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
        reason = f"last pulse {last.isoformat()}, {counted(info.days_since or 0, 'day')} ago"
        since = last + dt.timedelta(days=overdue_days)
        evidence = (Evidence(f"last:{last.isoformat()}", since),)
        return [FlagRaised("pulse_overdue", uid, reason, since, client, uid, evidence)]
    if info.state == DueState.NEVER:
        starts = [e.start for e in consultant.engagements if e.start and e.start <= today]
        if starts and (today - min(starts)).days >= overdue_days:
            first = min(starts)
            reason = f"no pulse conversation since the engagement started {first.isoformat()}"
            since = first + dt.timedelta(days=overdue_days)
            evidence = (Evidence(f"never:{first.isoformat()}", since),)
            return [FlagRaised("pulse_overdue", uid, reason, since, client, uid, evidence)]
    return []


def consultant_flags(
    consultant: ConsultantFacts,
    today: dt.date,
    settings: FlagSettings,
    placed: Mapping[str, ClientFacts] | None = None,
) -> list[FlagRaised]:
    """Every flag a consultant raises on ``today``; ``placed`` holds the clients of
    their running engagements (by uid), whose scope pressure makes a squeeze cross-hat."""
    return [
        *pulse_overdue(consultant, today, settings),
        *squeeze_flags(consultant, placed or {}, today, settings),
    ]


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
            f"last meeting {last.isoformat()}, {counted(info.days_since or 0, 'day')} ago; "
            f"agreed cadence {cadence.value.replace('_', ' ')}"
        )
        since = last + dt.timedelta(days=interval + grace)
        evidence = (Evidence(f"last:{last.isoformat()}", since),)
        return [FlagRaised("meeting_overdue", uid, reason, since, uid, None, evidence)]
    started = client.started
    if info.state == DueState.NEVER and started and (today - started).days >= interval + grace:
        reason = f"no client meeting held since the start on {started.isoformat()}"
        since = started + dt.timedelta(days=interval + grace)
        evidence = (Evidence(f"never:{started.isoformat()}", since),)
        return [FlagRaised("meeting_overdue", uid, reason, since, uid, None, evidence)]
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
            reason = (
                f"“{text}” was due {due.isoformat()}, {counted(late, 'day')} ago; owner {owner}"
            )
            evidence = (Evidence(f"due:{due.isoformat()}", due),)
            found.append(
                FlagRaised(
                    "agreement_overdue", agreement.uid, reason, due, client.uid, None, evidence
                )
            )
        elif agreement.status == AgreementStatus.BROKEN.value:
            _, broken_on = status_on(agreement.history, agreement.status, agreement.created, today)
            if broken_on is not None and (today - broken_on).days <= RECENT_DAYS:
                why = _short(agreement.reason, 80)
                reason = f"“{text}” broken on {broken_on.isoformat()}" + (f": {why}" if why else "")
                evidence = (Evidence(f"broken:{broken_on.isoformat()}", broken_on),)
                found.append(
                    FlagRaised(
                        "agreement_broken",
                        agreement.uid,
                        reason,
                        broken_on,
                        client.uid,
                        None,
                        evidence,
                    )
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
            evidence = (Evidence(f"answer:{answer.uid}", day),)
            found.append(FlagRaised("nps_detractor", answer.uid, reason, day, uid, None, evidence))
    recent_start = today - dt.timedelta(days=RECENT_DAYS - 1)
    before_start = recent_start - dt.timedelta(days=RECENT_DAYS)
    before_end = recent_start - dt.timedelta(days=1)
    recent = [a for a in client.nps if a.day is not None and recent_start <= a.day <= today]
    before = [a for a in client.nps if a.day is not None and before_start <= a.day <= before_end]
    if len(recent) >= FALLING_MIN_N and len(before) >= FALLING_MIN_N:
        below = settings.nps_directional_below
        now_s = NpsSummary.of(NpsCounts.of(a.score for a in recent), below)
        then_s = NpsSummary.of(NpsCounts.of(a.score for a in before), below)
        if is_falling(then_s, now_s):
            reason = (
                f"NPS {now_s.label()} over the last 6 months, "
                f"was {then_s.label()} the 6 months before"
            )
            since = min(a.day for a in recent if a.day)
            answers = tuple(Evidence(f"answer:{a.uid}", a.day) for a in recent)
            found.append(FlagRaised("nps_falling", uid, reason, since, uid, None, answers))
    return found


def is_falling(then: NpsSummary, now: NpsSummary) -> bool:
    """The score dropped by more than both 95% intervals allow: the whole interval of
    the last six months lies below the whole interval of the six months before (and
    the drop is at least ``FALLING_DROP`` points). Few answers give wide intervals,
    so only a drop seen in enough answers counts."""
    if None in (then.score, now.score, then.low, now.high):
        return False
    assert then.score is not None and now.score is not None
    assert then.low is not None and now.high is not None
    return then.low > now.high and then.score - now.score >= FALLING_DROP


def client_state_flags(client: ClientFacts) -> list[FlagRaised]:
    """Unpaid invoices; approvals late or needing too many decision makers."""
    uid = client.uid
    found = []
    if client.unpaid_invoices:
        evidence = (state_evidence("unpaid", client.unpaid_since),)
        found.append(
            FlagRaised(
                "unpaid_invoices", uid, "invoices are marked unpaid", None, uid, None, evidence
            )
        )
    why, proof = [], []
    if client.approval_delays:
        why.append("approvals are marked late")
        proof.append(state_evidence("late", client.approval_delays_since))
    if client.decision_makers > APPROVAL_GROUP_MAX:
        why.append(f"{client.decision_makers} decision makers must agree")
        proof.append(Evidence(f"group:{client.decision_makers}", client.contacts_since))
    if why:
        found.append(
            FlagRaised("approvals_slipping", uid, "; ".join(why), None, uid, None, tuple(proof))
        )
    return found


def request_flags(client: ClientFacts, today: dt.date, settings: FlagSettings) -> list[FlagRaised]:
    """Feedback left unanswered, wishes accepted without a plan, work delivered early
    and free. A request with no readable date counts as made today."""
    uid = client.uid
    found = []
    unplanned: list[tuple[dt.date, str, str]] = []
    early: list[tuple[dt.date, str, str]] = []
    for request in client.requests:
        day = request.day or today
        kind, status = request.kind, request.status
        accepted = kind == RequestKind.WISH.value and status == RequestStatus.ACCEPTED.value
        if accepted and not request.planned:
            unplanned.append((day, _short(request.text, 40), request.uid))
        if request.delivered_early_free:
            early.append((day, _short(request.text, 40), request.uid))
        if kind == RequestKind.FEEDBACK.value and status == RequestStatus.NEW.value:
            waited = (today - day).days
            if waited >= settings.feedback_unprocessed_days:
                text = _short(request.text)
                reason = f"“{text}” from {day.isoformat()}, {counted(waited, 'day')} unanswered"
                evidence = (request_evidence(request.uid, day),)
                found.append(
                    FlagRaised(
                        "feedback_unprocessed", request.uid, reason, day, uid, None, evidence
                    )
                )
    if unplanned:
        unplanned.sort()
        names = ", ".join(f"“{t}”" for _, t, _ in unplanned[:NAMED_IN_REASON])
        rest = len(unplanned) - NAMED_IN_REASON
        more = f" and {rest} more" if rest > 0 else ""
        reason = f"{len(unplanned)} accepted without a plan: {names}{more}"
        wishes = tuple(request_evidence(r, d, t) for d, t, r in unplanned)
        found.append(
            FlagRaised("wishes_unplanned", uid, reason, unplanned[0][0], uid, None, wishes)
        )
    if len(early) >= EARLY_FREE_TIMES:
        early.sort()
        reason = f"{len(early)} times: " + ", ".join(
            f"“{t}” ({d.isoformat()})" for d, t, _ in early[:NAMED_IN_REASON]
        )
        since = early[EARLY_FREE_TIMES - 1][0]
        deliveries = tuple(request_evidence(r, d, t) for d, t, r in early)
        found.append(FlagRaised("early_free_work", uid, reason, since, uid, None, deliveries))
    return found


def engagement_flags(
    client: ClientFacts, today: dt.date, settings: FlagSettings
) -> list[FlagRaised]:
    """Of the engagements running today: a team grown for unplanned work; and, for a
    client with no main communicator history of its own yet, the main communicator
    each engagement names (as older versions kept it) too long or purely technical."""
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
            evidence = (Evidence(f"engagement:{engagement.uid}", start),)
            found.append(
                FlagRaised(
                    "team_grown_unplanned", engagement.uid, reason, start, uid, consultant, evidence
                )
            )
        person = engagement.main_communicator
        if not person or client.handovers:
            continue
        since = engagement.communicator_since or start
        tenure = f"tenure:{person}:{since.isoformat() if since else '-'}"
        if since is not None and add_months(since, months) <= today:
            reason = too_long_reason(person, since, today, months)
            due = add_months(since, months)
            evidence = (Evidence(tenure, due),)
            found.append(
                FlagRaised(
                    "communicator_too_long", engagement.uid, reason, due, uid, consultant, evidence
                )
            )
        if is_technical(engagement.communicator_role):
            evidence = (Evidence(tenure, since),)
            found.append(
                FlagRaised(
                    "communicator_technical",
                    engagement.uid,
                    technical_reason(person),
                    since,
                    uid,
                    consultant,
                    evidence,
                )
            )
    return found


def communicator_flags(
    client: ClientFacts, today: dt.date, settings: FlagSettings
) -> list[FlagRaised]:
    """The client's own main communicator (its history): the current holder too long,
    or purely technical. A handover starts a new tenure, so the count starts again."""
    holder = current_tenure(tenures(client.handovers), today)
    if holder is None:
        return []
    uid, months = client.uid, settings.communicator_max_months
    tenure = f"tenure:{holder.name}:{holder.start.isoformat()}"
    found = []
    due = too_long_since(holder, months)
    if due <= today:
        reason = too_long_reason(holder.name, holder.start, today, months)
        evidence = (Evidence(tenure, due),)
        found.append(FlagRaised("communicator_too_long", uid, reason, due, uid, None, evidence))
    if is_technical(holder.role):
        evidence = (Evidence(tenure, holder.start),)
        found.append(
            FlagRaised(
                "communicator_technical",
                uid,
                technical_reason(holder.name),
                holder.start,
                uid,
                None,
                evidence,
            )
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
        *communicator_flags(client, today, settings),
        *onboarding_flags(client, today),
        *spiral_flags(client, today),
    ]

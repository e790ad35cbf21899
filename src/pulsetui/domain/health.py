"""Client health: a 0-100 score built from factors a manager can read and check.

Every client starts at 100; each factor below takes points off and says why. The
service reads what the store says about a client (:class:`~pulsetui.domain.facts.ClientFacts`);
:func:`facts_on` turns that into what the score weighs on one day (:class:`HealthFacts`)
and :func:`weigh` weighs it, so the rules can be read and tested on their own.

Factor (points lost)                               normal   onboarding
- recent NPS (last 6 months) below 0                 20        20
- recent NPS 0 ... +29                               10        10
- no NPS answer in the last 6 months (success: 10)    5         5
- each overdue agreement, ours / theirs (max 24)     8 / 4     8 / 4
- each agreement broken in the last 6 months (max 30) 10        10
- client meeting overdue (cadence + grace passed)    15        25
- client meeting due (cadence passed)                  5        10
- no contact (meeting or touchpoint) for 14+ days      -        10
- a placed consultant's last wellbeing 1-2 / 3       15 / 5    15 / 5
- unpaid invoices                                    15        15
- approval delays                                    10        10
- each request left unprocessed 14+ days (max 12)     3         3

Each lifecycle stage (the client's stage field, :func:`~pulsetui.domain.segments.stage_on`)
adds its own rules:

- onboarding is stricter on contact (above): a client not engaged in the first three
  months rarely commits later;
- adoption wants frequent contact — calls twice a week are recommended: no contact
  (meeting or touchpoint) for 7+ days loses 10, meetings agreed less often than
  weekly lose 5;
- success runs on autopilot, watched through health and red flags, so it needs the
  measurement: no NPS answer in the last 6 months loses 10 instead of 5.

A new client is not expected to have had a meeting before its cadence and grace have
passed (a month at most), or two weeks while onboarding. The trend scores only the
quarters the client existed in (from its start, else from when it was recorded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulsetui.domain.agreements import is_overdue, status_on
from pulsetui.domain.cadence import DueState, last_held, meeting_due, meeting_interval
from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import (
    CADENCE_DAYS,
    AgreementStatus,
    Cadence,
    LifecycleStage,
    PulseStatus,
    RequestStatus,
)
from pulsetui.domain.facts import ClientFacts, PulseFacts
from pulsetui.domain.nps import (
    DIRECTIONAL_BELOW,
    NpsCounts,
    nps_score,
    previous_quarters,
    quarter_bounds,
)
from pulsetui.domain.segments import stage_on
from pulsetui.domain.words import counted, days_ago

GOOD_FROM = 75
WATCH_FROM = 50
ONBOARDING_CONTACT_DAYS = 14
ADOPTION_CONTACT_DAYS = 7  # calls twice a week are recommended: a week without any is a miss
REQUEST_STALE_DAYS = 14
RECENT_DAYS = 182  # "recent" NPS answers and broken agreements: the last six months
FIRST_MEETING_MAX_DAYS = 30  # a new client's first meeting is expected within a month
ONBOARDING_FIRST_MEETING_DAYS = 14  # or within two weeks while onboarding
TREND_QUARTERS = 4


@dataclass(frozen=True)
class HealthFacts:
    """What the health score is computed from, as of one day."""

    onboarding: bool = False
    stage: str | None = None  # the lifecycle stage the rules use that day (None: unknown)
    cadence: str = ""  # the agreed meeting cadence
    nps: float | None = None  # recent NPS score
    nps_n: int = 0
    overdue_ours: int = 0
    overdue_theirs: int = 0
    broken_recent: int = 0
    meeting: DueState = DueState.OK
    meeting_days_since: int | None = None
    meeting_expected: bool = True  # False while a new client has had no time for one
    days_since_contact: int | None = None
    wellbeing: dict[str, int] = field(default_factory=dict)  # consultant name -> 1..5
    unpaid_invoices: bool = False
    approval_delays: bool = False
    stale_requests: int = 0


_NO_NPS = "no NPS answer in the last 6 months"


def grade(score: int) -> str:
    if score >= GOOD_FROM:
        return "good"
    if score >= WATCH_FROM:
        return "watch"
    return "at risk"


def weigh(facts: HealthFacts) -> tuple[int, list[tuple[int, str]]]:
    """The score (0-100) and every loss as (points, reason), biggest first."""
    lost: list[tuple[int, str]] = []

    def take(points: int, reason: str) -> None:
        if points > 0:
            lost.append((points, reason))

    if facts.nps_n == 0 or facts.nps is None:
        take(10 if facts.stage == LifecycleStage.SUCCESS.value else 5, _NO_NPS)
    else:
        shown = round(facts.nps)
        sign = "+" if shown > 0 else ""
        note = f"NPS {sign}{shown} over the last 6 months (n={facts.nps_n}"
        note += ", directional)" if facts.nps_n < DIRECTIONAL_BELOW else ")"
        if facts.nps < 0:
            take(20, f"{note}: below 0")
        elif facts.nps < 30:
            take(10, f"{note}: below +30")

    if facts.overdue_ours:
        take(
            min(24, 8 * facts.overdue_ours),
            f"{_count(facts.overdue_ours, 'agreement')} of ours overdue",
        )
    if facts.overdue_theirs:
        take(
            min(24, 4 * facts.overdue_theirs),
            f"{_count(facts.overdue_theirs, 'agreement')} of the client's overdue",
        )
    if facts.broken_recent:
        take(
            min(30, 10 * facts.broken_recent),
            f"{_count(facts.broken_recent, 'agreement')} broken in the last 6 months",
        )

    strict = facts.onboarding
    since = facts.meeting_days_since
    if facts.meeting == DueState.OVERDUE:
        take(25 if strict else 15, f"client meeting overdue: last one {days_ago(since or 0)}")
    elif facts.meeting == DueState.DUE:
        take(10 if strict else 5, f"client meeting due: last one {days_ago(since or 0)}")
    elif facts.meeting == DueState.NEVER and facts.meeting_expected:
        take(25 if strict else 15, "no client meeting held yet")
    if strict:
        contact = facts.days_since_contact
        if contact is None:
            if facts.meeting_expected:
                take(10, "onboarding: no contact recorded yet")
        elif contact >= ONBOARDING_CONTACT_DAYS:
            take(10, f"onboarding: no contact for {counted(contact, 'day')}")
    _stage_rules(facts, take)

    for name, wellbeing in sorted(facts.wellbeing.items()):
        if wellbeing <= 2:
            take(15, f"{name}'s wellbeing {wellbeing}/5 at the last pulse")
        elif wellbeing == 3:
            take(5, f"{name}'s wellbeing 3/5 at the last pulse")

    if facts.unpaid_invoices:
        take(15, "unpaid invoices")
    if facts.approval_delays:
        take(10, "approvals are late")
    if facts.stale_requests:
        take(
            min(12, 3 * facts.stale_requests),
            f"{_count(facts.stale_requests, 'request')} unprocessed for {REQUEST_STALE_DAYS}+ days",
        )

    lost.sort(key=lambda item: (-item[0], item[1]))
    score = max(0, 100 - sum(points for points, _ in lost))
    return score, lost


def _count(n: int, noun: str) -> str:
    return counted(n, noun)


def _stage_rules(facts: HealthFacts, take: Callable[[int, str], None]) -> None:
    """What adoption adds (onboarding's and success's rules are in :func:`weigh`)."""
    contact = facts.days_since_contact
    if facts.stage == LifecycleStage.ADOPTION.value:
        if contact is not None and contact >= ADOPTION_CONTACT_DAYS:
            take(
                10,
                f"adoption: no contact for {counted(contact, 'day')}; "
                "calls twice a week are recommended",
            )
        try:
            every = CADENCE_DAYS[Cadence(facts.cadence)]
        except ValueError:
            every = 0
        if every > CADENCE_DAYS[Cadence.WEEKLY]:
            take(5, f"adoption: meetings agreed {facts.cadence}; frequent contact is recommended")


def facts_on(
    client: ClientFacts,
    pulses: Mapping[str, Sequence[PulseFacts]],
    day: dt.date,
    grace_days: int,
) -> HealthFacts:
    """What the score weighs, as of the end of ``day``: the client's dated records as
    they stood that day, and the last wellbeing of each consultant placed there then
    (``pulses`` by consultant uid). Unpaid invoices and approval delays have no dated
    history, so their current value is used."""
    recent_start = day - dt.timedelta(days=RECENT_DAYS - 1)
    recent = NpsCounts.of(
        a.score for a in client.nps if a.day is not None and recent_start <= a.day <= day
    )

    overdue_ours = overdue_theirs = broken = 0
    for agreement in client.agreements:
        status, since = status_on(agreement.history, agreement.status, agreement.created, day)
        if is_overdue(status, agreement.due, day):
            if agreement.side == "us":
                overdue_ours += 1
            else:
                overdue_theirs += 1
        elif status == AgreementStatus.BROKEN.value and since and (day - since).days < RECENT_DAYS:
            broken += 1

    last = last_held(client.meetings, day)
    info = meeting_due(last, client.cadence, day, grace_days)
    started = client.started
    interval = meeting_interval(client.cadence)
    expected = started is None or (day - started).days >= min(
        interval + grace_days, FIRST_MEETING_MAX_DAYS
    )
    stage = stage_on(client.stage, client.stage_since, client.started, day)
    onboarding = stage == LifecycleStage.ONBOARDING
    if onboarding and started is not None:
        expected = (day - started).days >= ONBOARDING_FIRST_MEETING_DAYS

    contacts = [last] if last else []
    contacts += [d for d in client.touchpoints if d <= day]
    days_since_contact = (day - max(contacts)).days if contacts else None

    wellbeing: dict[str, int] = {}
    for engagement in client.engagements:
        if not is_active(engagement.start, engagement.end, day):
            continue
        person = str(engagement.consultant)
        held = [
            (p.day, p.wellbeing)
            for p in pulses.get(person, ())
            if p.status == PulseStatus.HELD.value
            and p.wellbeing is not None
            and p.day is not None
            and p.day <= day
        ]
        if held:
            wellbeing[client.names.get(person, person)] = max(held, key=lambda p: p[0])[1]

    stale = sum(
        1
        for request in client.requests
        if request.status == RequestStatus.NEW.value
        and request.day is not None
        and (day - request.day).days >= REQUEST_STALE_DAYS
    )

    return HealthFacts(
        onboarding=onboarding,
        stage=stage.value if stage is not None else None,
        cadence=client.cadence.value,
        nps=nps_score(recent),
        nps_n=recent.n,
        overdue_ours=overdue_ours,
        overdue_theirs=overdue_theirs,
        broken_recent=broken,
        meeting=info.state,
        meeting_days_since=info.days_since,
        meeting_expected=expected,
        days_since_contact=days_since_contact,
        wellbeing=wellbeing,
        unpaid_invoices=client.unpaid_invoices,
        approval_delays=client.approval_delays,
        stale_requests=stale,
    )


@dataclass(frozen=True)
class Health:
    score: int  # 0..100
    grade: str  # "good" (>=75) | "watch" (50..74) | "at risk" (<50)
    lost: list[tuple[int, str]]  # (points lost, reason), biggest first
    trend: list[int]  # scores at the end of each of the last 4 quarters it existed in

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "grade": self.grade,
            "lost": [[points, reason] for points, reason in self.lost],
            "trend": list(self.trend),
        }


def health_on(
    client: ClientFacts,
    pulses: Mapping[str, Sequence[PulseFacts]],
    today: dt.date,
    grace_days: int,
) -> Health:
    """Health today, the reason for every point lost, and a trend: the score at the end
    of each of the last four quarters, the current one counted up to today. A quarter
    that ended before the client existed (its start, else when it was recorded) has no
    score: the trend holds the quarters since, so it may be shorter."""
    score, lost = weigh(facts_on(client, pulses, today, grace_days))
    existed = client.started or (min(client.created, today) if client.created else None)
    trend = []
    for year, quarter in previous_quarters(today, TREND_QUARTERS):
        end = min(quarter_bounds(year, quarter)[1], today)
        if existed is not None and end < existed:
            continue
        trend.append(score if end == today else weigh(facts_on(client, pulses, end, grace_days))[0])
    return Health(score=score, grade=grade(score), lost=lost, trend=trend)

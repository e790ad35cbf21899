"""Client health: a 0-100 score built from factors a manager can read and check.

Every client starts at 100; each factor below takes points off and says why. The
service gathers the facts (:class:`HealthFacts`) from the workspace; this module only
weighs them, so the rules can be read and tested on their own.

Factor (points lost)                               normal   onboarding
- recent NPS (last 6 months) below 0                 20        20
- recent NPS 0 ... +29                               10        10
- no NPS answer in the last 6 months                  5         5
- each overdue agreement, ours / theirs (max 24)     8 / 4     8 / 4
- each agreement broken in the last 6 months (max 30) 10        10
- client meeting overdue (cadence + grace passed)    15        25
- client meeting due (cadence passed)                  5        10
- no contact (meeting or touchpoint) for 14+ days      -        10
- a placed consultant's last wellbeing 1-2 / 3       15 / 5    15 / 5
- unpaid invoices                                    15        15
- approval delays                                    10        10
- each request left unprocessed 14+ days (max 12)     3         3

Onboarding (the first three months) is stricter on contact: a client not engaged in
that window rarely commits later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pulsetui.domain.cadence import DueState

GOOD_FROM = 75
WATCH_FROM = 50
ONBOARDING_CONTACT_DAYS = 14
REQUEST_STALE_DAYS = 14


@dataclass(frozen=True)
class HealthFacts:
    """What the health score is computed from, as of one day."""

    onboarding: bool = False
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
        take(5, "no NPS answer in the last 6 months")
    else:
        shown = round(facts.nps)
        sign = "+" if shown > 0 else ""
        note = f"NPS {sign}{shown} over the last 6 months (n={facts.nps_n}"
        note += ", directional)" if facts.nps_n < 10 else ")"
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
        take(25 if strict else 15, f"client meeting overdue: last one {since} days ago")
    elif facts.meeting == DueState.DUE:
        take(10 if strict else 5, f"client meeting due: last one {since} days ago")
    elif facts.meeting == DueState.NEVER and facts.meeting_expected:
        take(25 if strict else 15, "no client meeting held yet")
    if strict:
        contact = facts.days_since_contact
        if contact is None:
            if facts.meeting_expected:
                take(10, "onboarding: no contact recorded yet")
        elif contact >= ONBOARDING_CONTACT_DAYS:
            take(10, f"onboarding: no contact for {contact} days")

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
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

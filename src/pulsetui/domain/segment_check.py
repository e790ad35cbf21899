"""The quarterly self-check of the 2x2 segments: each quadrant's policy, and the two
questions re-asked per client with answers suggested by the evidence.

- "Do we want to work with the client?" — unpaid invoices, client approvals late
  (marked late, or the client's agreements overdue or broken in the last six months)
  and more than two decision makers suggest **unsure** where the answer was yes.
- "Does the client want to work with us?" — a detractor NPS answer or a promise of
  ours broken in the last six months suggests **no**.

Otherwise the answers stay as recorded; the manager confirms or changes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.agreements import is_overdue, status_on
from pulsetui.domain.enums import AgreementStatus, Answer, Segment, Side
from pulsetui.domain.facts import ClientFacts
from pulsetui.domain.nps import DETRACTOR_MAX
from pulsetui.domain.words import counted

RECENT_DAYS = 182  # the evidence of the last six months
DECISION_GROUP_MAX = 2  # a pair who agree is fine; more is a warning

POLICIES = {
    Segment.TOP: "both want it: extra effort pays off here, our best people and time go here",
    Segment.STEADY: "they want us, we are unsure: good, steady service with strict rules both ways",
    Segment.WIN_BACK: "we want them, they are not sure: meet their expectations, or let them go",
    Segment.PART_WAYS: "neither wants it: part ways carefully, without dragging it out",
    Segment.UNKNOWN: "the client's answer is not known: ask them",
}
# the same in a few words, for a narrow screen (at most 24 characters)
BRIEF_POLICIES = {
    Segment.TOP: "extra effort pays off",
    Segment.STEADY: "good service, firm rules",
    Segment.WIN_BACK: "win them or let them go",
    Segment.PART_WAYS: "part ways carefully",
    Segment.UNKNOWN: "ask them",
}


@dataclass(frozen=True)
class SelfCheck:
    """The two answers suggested for a client, and the evidence behind each change."""

    client_wants_us: Answer
    we_want_client: Answer
    client_reasons: tuple[str, ...]  # why the client may not want us
    our_reasons: tuple[str, ...]  # why we may be unsure

    @property
    def changes(self) -> bool:
        return bool(self.client_reasons or self.our_reasons)


def _answer(value: object) -> Answer:
    try:
        return Answer(str(value))
    except ValueError:
        return Answer.UNSURE


def our_doubts(client: ClientFacts, today: dt.date) -> list[str]:
    """What makes us unsure about a client."""
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    found = []
    if client.unpaid_invoices:
        found.append("unpaid invoices")
    late = 0
    for agreement in client.agreements:
        if agreement.side != Side.CLIENT.value:
            continue
        if agreement.due is not None and is_overdue(agreement.status, agreement.due, today):
            late += 1
        elif agreement.status == AgreementStatus.BROKEN.value:
            _, day = status_on(agreement.history, agreement.status, agreement.created, today)
            if day is not None and since <= day <= today:
                late += 1
    if client.approval_delays:
        found.append("approvals marked late")
    if late:
        found.append(f"{counted(late, 'client approval')} late")
    if client.decision_makers > DECISION_GROUP_MAX:
        found.append(f"{client.decision_makers} decision makers")
    return found


def client_doubts(client: ClientFacts, today: dt.date) -> list[str]:
    """What says the client may not want us."""
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    found = []
    detractors = [
        a
        for a in client.nps
        if a.day is not None and since <= a.day <= today and a.score <= DETRACTOR_MAX
    ]
    if detractors:
        found.append(f"{counted(len(detractors), 'detractor answer')} in 6 months")
    broken = 0
    for agreement in client.agreements:
        if agreement.side == Side.US.value and agreement.status == AgreementStatus.BROKEN.value:
            _, day = status_on(agreement.history, agreement.status, agreement.created, today)
            if day is not None and since <= day <= today:
                broken += 1
    if broken:
        found.append(f"{counted(broken, 'promise')} of ours broken in 6 months")
    return found


def self_check(client: ClientFacts, wants: object, ours: object, today: dt.date) -> SelfCheck:
    """The two answers pre-filled from the evidence (see the module docstring)."""
    client_wants, we_want = _answer(wants), _answer(ours)
    doubts_them = tuple(client_doubts(client, today)) if client_wants != Answer.NO else ()
    doubts_us = tuple(our_doubts(client, today)) if we_want == Answer.YES else ()
    return SelfCheck(
        Answer.NO if doubts_them else client_wants,
        Answer.UNSURE if doubts_us else we_want,
        doubts_them,
        doubts_us,
    )

"""The main communicator: the one person who mainly talks with a client (the "talking
head"). The role belongs to the client, and a history says who held it, from when to
when, in which role and with which handover note.

- A handover starts a new tenure on its day and ends the one before on the day before;
  of two handovers on one day, the one recorded later stands.
- The same person for too long (``communicator_max_months``) is a red flag: after a
  while they become the client's agent inside the firm. The months count from the
  start of the current holder's tenure, so a handover starts the count again.
- A purely technical person in the role is a red flag from the first day: the client
  should talk with someone who first works out what to solve (an analyst, a project,
  delivery or product manager), and only then how.

A client whose history is still empty keeps its main communicators where older
versions kept them, on its running engagements; those are read as before (one per
engagement, counted from the engagement's "since") until the first handover is
recorded on the client (:mod:`pulsetui.service.communicators` then carries them over).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pulsetui.domain.dates import add_months
from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import CommunicatorRole
from pulsetui.domain.facts import EngagementFacts, HandoverFacts
from pulsetui.domain.words import counted

ROLE_LABELS = {
    CommunicatorRole.ANALYST: "analyst",
    CommunicatorRole.PROJECT_MANAGER: "project manager",
    CommunicatorRole.DELIVERY_MANAGER: "delivery manager",
    CommunicatorRole.PRODUCT_MANAGER: "product manager",
    CommunicatorRole.MANAGER: "manager",
    CommunicatorRole.DELIVERY_LEAD: "delivery lead",
    CommunicatorRole.BUSINESS: "business",
    CommunicatorRole.TECHNICAL: "purely technical",
}


def role_label(role: object) -> str:
    """The role in words; a stored value this version does not know, as stored."""
    try:
        return ROLE_LABELS[CommunicatorRole(str(role))]
    except ValueError:
        return str(role or "")


@dataclass(frozen=True)
class Tenure:
    """One holder of the role: from ``start`` to ``end`` (the last day; None while
    holding it), the role, and the note the role was handed over with."""

    name: str
    role: object
    start: dt.date
    end: dt.date | None
    note: str = ""
    by: str = ""

    def months(self, today: dt.date) -> int:
        """Whole calendar months held up to ``today`` (or to the end)."""
        last = min(self.end, today) if self.end else today
        return max(0, (last.year - self.start.year) * 12 + last.month - self.start.month)


def tenures(handovers: Iterable[HandoverFacts]) -> list[Tenure]:
    """The history, oldest first: each handover's tenure ends the day before the next
    one starts. Handovers come in the order they were recorded; on one day, the later."""
    by_day: dict[dt.date, HandoverFacts] = {}
    for handover in handovers:
        by_day[handover.start] = handover  # the later of two on one day stands
    days = sorted(by_day)
    found = []
    for index, day in enumerate(days):
        handover = by_day[day]
        end = days[index + 1] - dt.timedelta(days=1) if index + 1 < len(days) else None
        found.append(Tenure(handover.name, handover.role, day, end, handover.note, handover.by))
    return found


def current_tenure(history: Iterable[Tenure], today: dt.date) -> Tenure | None:
    """Who holds the role today: the latest tenure started on or before today."""
    started = [t for t in history if t.start <= today]
    return started[-1] if started else None


def too_long_since(tenure: Tenure, months: int) -> dt.date:
    """The day the holder has held the role for ``months``: rotate from then on."""
    return add_months(tenure.start, months)


def too_long_reason(name: str, since: dt.date, today: dt.date, months: int) -> str:
    held = (today.year - since.year) * 12 + today.month - since.month
    return (
        f"{name} has been the main communicator since {since.isoformat()} "
        f"({counted(held, 'month')}; rotate after {months})"
    )


def technical_reason(name: str) -> str:
    return f"{name} is a purely technical person in the main communicator role"


def is_technical(role: object) -> bool:
    return role == CommunicatorRole.TECHNICAL.value


def legacy_tenures(engagements: Iterable[EngagementFacts], today: dt.date) -> list[Tenure]:
    """The main communicators the client's running engagements name (as older versions
    kept them), each from its "since" (else the engagement's start), oldest first."""
    found: dict[tuple[str, dt.date], Tenure] = {}
    for engagement in engagements:
        name = engagement.main_communicator
        since = engagement.communicator_since or engagement.start
        if not name or since is None or not is_active(engagement.start, engagement.end, today):
            continue
        found.setdefault(
            (name, since),
            Tenure(name, engagement.communicator_role, since, None, LEGACY_NOTE),
        )
    return sorted(found.values(), key=lambda t: (t.start, t.name))


LEGACY_NOTE = "named on an engagement before the client kept a history"

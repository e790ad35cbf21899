"""The squeezed consultant: the reason for the monthly pulse is to notice a consultant
under strain before they burn out or leave the project, and before the client learns
of it too late.

- A pulse is **strained** when wellbeing is at or below ``squeezed_wellbeing`` (1-5;
  default 2: "not well") or the workload is "too high".
- A consultant is **squeezed** when their last ``squeezed_pulses`` pulses held (default
  2: two months in a row, so one bad month is not yet a flag) were all strained. The
  flag names every strained pulse of the run.
- The consultant is **caught between client and firm** when, at the same time, the
  client they are placed at presses scope: wishes accepted without a plan, the team
  grown for unplanned work, promised work delivered early and free, client approvals
  overdue or late. "The same time" is from a month before the first strained pulse of
  the run. This stronger flag names both sides and replaces the plain one for that
  client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pulsetui.domain.agreements import is_overdue, status_on
from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import (
    AgreementStatus,
    PulseStatus,
    RequestKind,
    RequestStatus,
    Workload,
)
from pulsetui.domain.facts import ClientFacts, ConsultantFacts, PulseFacts
from pulsetui.domain.flag_lifecycle import Evidence
from pulsetui.domain.flag_raised import (
    SQUEEZED_PULSES,
    SQUEEZED_WELLBEING,
    FlagRaised,
    FlagSettings,
)
from pulsetui.domain.words import counted

PRESSURE_LEAD_DAYS = 31  # scope pressure counts from a month before the strain began

WORKLOAD_WORDS = {
    Workload.TOO_LOW.value: "too low",
    Workload.OK.value: "ok",
    Workload.HIGH.value: "high",
    Workload.TOO_HIGH.value: "too high",
}


def strained(pulse: PulseFacts, wellbeing_max: int = SQUEEZED_WELLBEING) -> bool:
    low = pulse.wellbeing is not None and pulse.wellbeing <= wellbeing_max
    return low or pulse.workload == Workload.TOO_HIGH.value


def strained_run(
    pulses: Iterable[PulseFacts],
    today: dt.date,
    wellbeing_max: int = SQUEEZED_WELLBEING,
    needed: int = SQUEEZED_PULSES,
) -> list[PulseFacts]:
    """The strained pulses at the end of the consultant's history (oldest first) when
    there are at least ``needed`` of them in a row; otherwise none."""
    held = sorted(
        (p for p in pulses if p.status == PulseStatus.HELD.value and p.day and p.day <= today),
        key=lambda p: (p.day, p.uid),
    )
    run: list[PulseFacts] = []
    for pulse in reversed(held):
        if not strained(pulse, wellbeing_max):
            break
        run.append(pulse)
    return run[::-1] if len(run) >= max(1, needed) else []


def strain_text(run: list[PulseFacts]) -> str:
    """``wellbeing 3, 2, 2 and workload too high at the last 3 pulses (2026-09-01 to
    2026-11-05)``."""
    parts = []
    wellbeing = [str(p.wellbeing) for p in run if p.wellbeing is not None]
    if wellbeing:
        parts.append(f"wellbeing {', '.join(wellbeing)}")
    loads = {WORKLOAD_WORDS.get(str(p.workload), str(p.workload)) for p in run if p.workload}
    if "too high" in loads:
        parts.append("workload too high")
    first, last = run[0].day, run[-1].day
    assert first is not None and last is not None
    span = f"{first.isoformat()} to {last.isoformat()}" if first != last else first.isoformat()
    return f"{' and '.join(parts)} at the last {counted(len(run), 'pulse')} ({span})"


def run_evidence(run: list[PulseFacts]) -> tuple[Evidence, ...]:
    return tuple(Evidence(f"pulse:{p.uid or p.day}", p.day, f"pulse {p.day}") for p in run if p.day)


@dataclass(frozen=True)
class Pressure:
    """One sign that a client presses scope: ``noun`` counts it ("wish"), ``what`` says
    the rest ("accepted without a plan"); a sign with no noun is said as it is."""

    key: str
    day: dt.date | None
    noun: str
    what: str

    def text(self, n: int = 1) -> str:
        if not self.noun:
            return self.what
        if n == 1:
            return f"{'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun} {self.what}"
        return f"{counted(n, self.noun)} {self.what}"


def scope_pressure(client: ClientFacts, since: dt.date, today: dt.date) -> list[Pressure]:
    """Signs from ``since`` to today that the client presses scope, oldest first."""
    found: list[Pressure] = []
    for request in client.requests:
        day = request.day
        if day is None or not since <= day <= today:
            continue
        accepted = request.kind == RequestKind.WISH.value
        accepted = accepted and request.status == RequestStatus.ACCEPTED.value
        if accepted and not request.planned:
            found.append(Pressure(f"wish:{request.uid}", day, "wish", "accepted without a plan"))
        if request.delivered_early_free:
            found.append(Pressure(f"free:{request.uid}", day, "delivery", "made early and free"))
    for engagement in client.engagements:
        start = engagement.start
        if engagement.unplanned and is_active(start, engagement.end, today):
            who = client.names.get(str(engagement.consultant), "someone")
            found.append(
                Pressure(f"team:{engagement.uid}", start, "", f"{who} added for unplanned work")
            )
    for agreement in client.agreements:
        if agreement.side != "client":
            continue
        due = agreement.due
        if due is not None and is_overdue(agreement.status, due, today):
            found.append(Pressure(f"late:{agreement.uid}", due, "client approval", "overdue"))
        elif agreement.status == AgreementStatus.BROKEN.value:
            _, broken_on = status_on(agreement.history, agreement.status, agreement.created, today)
            if broken_on is not None and since <= broken_on <= today:
                found.append(
                    Pressure(f"late:{agreement.uid}", broken_on, "client approval", "late")
                )
    if client.approval_delays:
        found.append(
            Pressure("approvals", client.approval_delays_since, "", "approvals marked late")
        )
    found.sort(key=lambda p: (p.day or dt.date.min, p.key))
    return found


def pressure_text(signs: list[Pressure]) -> str:
    """``approvals marked late, 2 wishes accepted without a plan``: alike signs counted."""
    groups: dict[tuple[str, str], list[Pressure]] = {}
    for sign in signs:
        groups.setdefault((sign.noun, sign.what), []).append(sign)
    return ", ".join(group[0].text(len(group)) for group in groups.values())


def squeeze_flags(
    consultant: ConsultantFacts,
    placed: Mapping[str, ClientFacts],
    today: dt.date,
    settings: FlagSettings,
) -> list[FlagRaised]:
    """The consultant squeezed, or caught between client and firm at each client
    (``placed``: the clients of their running engagements, by uid) pressing scope."""
    run = strained_run(
        consultant.pulses, today, settings.squeezed_wellbeing, settings.squeezed_pulses
    )
    if not run:
        return []
    uid, who = consultant.uid, consultant.name or consultant.uid
    strain = strain_text(run)
    first = run[0].day
    assert first is not None
    evidence = run_evidence(run)
    found = []
    plain_client = None
    for engagement in consultant.engagements:
        client = placed.get(str(engagement.client))
        if client is None or not is_active(engagement.start, engagement.end, today):
            continue
        plain_client = plain_client or client.uid
        signs = scope_pressure(client, first - dt.timedelta(days=PRESSURE_LEAD_DAYS), today)
        if not signs:
            continue
        where = client.name or client.uid
        reason = f"{who}: {strain}; meanwhile {where} presses scope: {pressure_text(signs)}"
        proof = evidence + tuple(Evidence(s.key, s.day, s.text()) for s in signs)
        since = max(first, min((s.day for s in signs if s.day), default=first))
        found.append(
            FlagRaised("caught_between", engagement.uid, reason, since, client.uid, uid, proof)
        )
    if not found:
        reason = f"{who}: {strain}"
        found.append(
            FlagRaised("consultant_squeezed", uid, reason, first, plain_client, uid, evidence)
        )
    return found

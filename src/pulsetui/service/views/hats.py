"""The three-hats screen: every running engagement at a manager's clients, the
consultant's wellbeing at the last pulses (and whether the next pulse is due) beside
the client's health and its trend, so one person sees both sides at once. Pulses are
private and health internal: a call sees none of it."""

from __future__ import annotations

from dataclasses import dataclass

from pulsetui.domain.words import counted
from pulsetui.service.insights.hats import HatsRow, three_hats
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class HatsLine:
    """One engagement: the consultant's pulse trend beside the client's health."""

    engagement: str
    consultant: str  # uid, for opening the consultant
    consultant_name: str
    client: str  # uid, for opening the client page
    client_name: str
    wellbeing: tuple[int, ...]  # 1-5 at the last pulses held, oldest first
    pulse_state: str  # ok | due | overdue | never
    workload: str  # at the last pulse held; "" when unknown
    strained: int  # strained pulses in a row at the end (a squeeze when it reaches the limit)
    health: int  # 0..100
    grade: str  # good | watch | at risk
    trend: tuple[int, ...]  # the client's health at the end of each quarter, oldest first

    @property
    def pulse_text(self) -> str:
        """``3 → 2 → 2 (overdue)``; ``no pulse held (never)``."""
        shown = " → ".join(str(w) for w in self.wellbeing) or "no pulse held"
        return f"{shown} ({self.pulse_state.replace('_', ' ')})"

    @property
    def health_text(self) -> str:
        """``60 watch (55 → 60)``."""
        trend = " → ".join(str(s) for s in self.trend)
        return f"{self.health} {self.grade}" + (f" ({trend})" if trend else "")


@dataclass(frozen=True)
class HatsView:
    in_call: bool
    lines: tuple[HatsLine, ...]  # by client, then consultant
    summary: str  # "4 running engagements · 1 consultant strained · 1 client at risk"


def _line(row: HatsRow) -> HatsLine:
    return HatsLine(
        row.engagement,
        row.consultant,
        row.consultant_name,
        row.client,
        row.client_name,
        tuple(w for _day, w in row.pulse),
        row.pulse_state,
        row.workload,
        row.strained,
        row.health.score,
        row.health.grade,
        tuple(row.health.trend),
    )


def hats_view(ws: Workspace, audience: Audience) -> HatsView:
    """Every running engagement at my clients; in a call, nothing."""
    if not (audience.sees_internal and audience.sees_private):
        return HatsView(True, (), "The three hats are internal: not shown in a call.")
    lines = tuple(_line(row) for row in three_hats(ws, audience))
    if not lines:
        return HatsView(False, (), "No running engagements at your clients.")
    strained = len({line.consultant for line in lines if line.strained})
    at_risk = len({line.client for line in lines if line.grade == "at risk"})
    summary = (
        f"{counted(len(lines), 'running engagement')} · "
        f"{counted(strained, 'consultant')} strained · {counted(at_risk, 'client')} at risk"
    )
    return HatsView(False, lines, summary)

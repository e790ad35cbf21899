"""The three hats: every running engagement at a manager's clients, the consultant's
pulse trend beside the client's health. The service reads; which pulses make the
trend and whether the next one is due are :mod:`pulsetui.domain.hats`. Both
front-ends call :func:`three_hats` with the audience they show it to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import PulseStatus
from pulsetui.domain.hats import pulse_state, wellbeing_trend
from pulsetui.domain.health import Health
from pulsetui.domain.squeeze import strained_run
from pulsetui.service.insights.facts import engagement_facts, name_of, pulse_facts, reader
from pulsetui.service.insights.health import client_health
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class HatsRow:
    """One engagement seen with all three hats: the consultant's pulse beside the
    client's health."""

    engagement: str
    consultant: str
    consultant_name: str
    client: str
    client_name: str
    pulse: list[tuple[dt.date, int]]  # wellbeing 1-5 of the last 4 held pulses, oldest first
    pulse_state: str  # ok | due | overdue | never
    health: Health
    strained: int = 0  # strained pulses in a row at the end (0 unless a squeeze run)
    workload: str = ""  # the workload at the last pulse held, as stored

    def as_dict(self) -> dict[str, Any]:
        return {
            "engagement": self.engagement,
            "consultant": self.consultant,
            "consultant_name": self.consultant_name,
            "client": self.client,
            "client_name": self.client_name,
            "pulse": [{"date": day.isoformat(), "wellbeing": w} for day, w in self.pulse],
            "pulse_state": self.pulse_state,
            "workload": self.workload or None,
            "strained_pulses": self.strained,
            "health": self.health.as_dict(),
        }


def three_hats(ws: Workspace, audience: Audience | None = None) -> list[HatsRow]:
    """Every active engagement at the clients of the audience's manager (None: the
    signed-in manager), judged from what that manager may see: their own pulse
    conversations only (another manager's are private to them), in the pulse trend and
    in the client's health alike. None in a call: pulses are private, health internal."""
    audience = reader(ws, audience)
    if not (audience.sees_internal and audience.sees_private):
        return []
    who = audience.me
    today = ws.today()
    cad = ws.config.cadences
    limits = ws.config.thresholds
    rows = []
    healths: dict[str, Health] = {}
    for client in ws.docs("client", manager=who) if who else []:
        for doc in ws.docs("engagement", client=client["uid"]):
            engagement = engagement_facts(doc)
            if not is_active(engagement.start, engagement.end, today):
                continue
            person = str(engagement.consultant)
            pulses = pulse_facts(ws, person, audience)
            state = pulse_state(pulses, today, cad.pulse_due_days, cad.pulse_overdue_days)
            if client["uid"] not in healths:
                healths[client["uid"]] = client_health(ws, client["uid"], audience)
            run = strained_run(pulses, today, limits.squeezed_wellbeing, limits.squeezed_pulses)
            held = [
                p for p in pulses if p.status == PulseStatus.HELD.value and p.day and p.day <= today
            ]
            last = max(held, key=lambda p: (p.day, p.uid), default=None)
            rows.append(
                HatsRow(
                    engagement.uid,
                    person,
                    name_of(ws, "consultant", person),
                    client["uid"],
                    str(client["name"]),
                    wellbeing_trend(pulses, today),
                    state.value,
                    healths[client["uid"]],
                    len(run),
                    str(last.workload or "") if last else "",
                )
            )
    rows.sort(key=lambda r: (r.client_name.casefold(), r.consultant_name.casefold(), r.engagement))
    return rows

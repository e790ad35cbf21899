"""The judgements on one client's page: days in the lifecycle stage with the onboarding
countdown and warnings, the spiral mix of the last two calendar quarters, who has been
the main communicator, each contact's NPS path, and every red flag's history (raised,
addressed, snoozed, recurred). All of it is our internal judgement, and a path names
who answered: a call sees none of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.communicators import role_label
from pulsetui.domain.spiral import SHORT
from pulsetui.domain.words import counted
from pulsetui.service.communicators import communicator_history
from pulsetui.service.insights.flags import red_flags
from pulsetui.service.insights.nps import contact_paths
from pulsetui.service.insights.segments import lifecycle, spiral_ledger
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class CommunicatorLine:
    name: str
    role: str  # in words: "project manager"
    start: dt.date
    end: dt.date | None  # None: holds it now
    note: str  # the handover note


@dataclass(frozen=True)
class FlagStory:
    """One red flag of the client (or a consultant placed there) and its history."""

    label: str
    who: str
    status: str  # open | addressed | snoozed
    recurring: bool
    events: tuple[str, ...]  # "2026-06-10 addressed: invoices paid", oldest first


@dataclass(frozen=True)
class ClientJudgement:
    stage_line: str  # "adoption for 300 days (since 2026-01-24)"
    countdown: str  # while onboarding: days left of the first three months
    warnings: tuple[str, ...]  # the lifecycle and spiral warnings
    spiral_mix: tuple[tuple[str, str], ...]  # (calendar quarter, "functionality 2 · ...")
    communicators: tuple[CommunicatorLine, ...]  # oldest first
    nps_paths: tuple[tuple[str, str], ...]  # (contact, "passive → promoter (7, 8, 9)")
    flags: tuple[FlagStory, ...]


def _story(day: dt.date | None, event: str, note: str, until: dt.date | None) -> str:
    when = day.isoformat() if day else "----------"
    line = f"{when} {event}" + (f" until {until.isoformat()}" if until else "")
    return f"{line}: {note}" if note else line


def client_judgement(ws: Workspace, audience: Audience, client: str) -> ClientJudgement | None:
    """The judgements of one client; None for a call (or a client not for this audience)."""
    if not audience.sees_internal or not audience.sees_client(client):
        return None
    if ws.doc("client", client) is None:
        return None
    life = lifecycle(ws, client)
    stage = life.stage.value
    if life.days_in_stage is not None and life.since is not None:
        stage += f" for {counted(life.days_in_stage, 'day')} (since {life.since.isoformat()})"
    mix = spiral_ledger(ws, client)
    return ClientJudgement(
        stage_line=stage,
        countdown=life.countdown,
        warnings=tuple(w for w in (life.warning, life.spiral_warning) if w),
        spiral_mix=tuple(
            (period, " · ".join(f"{SHORT[q]} {n}" for q, n in counts.items()))
            for period, counts in mix.periods
        ),
        communicators=tuple(
            CommunicatorLine(t.name, role_label(t.role), t.start, t.end, t.note)
            for t in communicator_history(ws, client)
        ),
        nps_paths=tuple(
            (p.contact or "(no contact)", p.label()) for p in contact_paths(ws, client)
        ),
        flags=tuple(
            FlagStory(
                f.label,
                f.who,
                f.status,
                f.recurring,
                tuple(_story(e.day, e.event, e.note, e.until) for e in f.history),
            )
            for f in red_flags(ws, audience=audience, client=client, include_addressed=True)
        ),
    )

"""A consultant's pulse conversations as a history: newest first, each with its answers,
notes and follow-ups and what became of every promise (kept when, or still open). The
consultant page lists it, one conversation is read in full from it, and the pulse form
shows it beside the conversation being held.

Pulse conversations are private: a call sees none of them, and outside a call a
manager sees only the conversations that are theirs (the rule is the audience's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.cadence import DueInfo
from pulsetui.domain.enums import PulseStatus
from pulsetui.domain.follow_ups import follow_up_outcome
from pulsetui.domain.models import Consultant, PulseConversation
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.consultants import placement
from pulsetui.service.views.pulses import PulseAnswers, answers_of
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class FollowUpOutcome:
    """One promise of a conversation and what became of it, in words."""

    text: str
    done: bool
    outcome: str  # "done 2026-05-14 (27 days later)", "open (40 days)", …


@dataclass(frozen=True)
class HistoryEntry:
    """One earlier conversation as the history shows it."""

    answers: PulseAnswers
    follow_ups: tuple[FollowUpOutcome, ...]

    @property
    def uid(self) -> str:
        return self.answers.uid

    @property
    def date(self) -> dt.date:
        return self.answers.date

    def kept(self) -> int:
        """How many of its promises were kept."""
        return sum(1 for f in self.follow_ups if f.done)


@dataclass(frozen=True)
class PulseHistory:
    consultant: str
    name: str  # "" for an audience that may not know who it is
    client_name: str  # where the consultant is placed today ("" nowhere, or not shown)
    hidden: bool  # a call: none of the conversations is given
    due: DueInfo | None  # whether the next conversation is due (None: hidden, not asked)
    entries: tuple[HistoryEntry, ...]  # newest first


def visible_pulses(ws: Workspace, audience: Audience, consultant: str) -> list[PulseConversation]:
    """The consultant's conversations this audience may read, oldest first: the
    signed-in manager's own, and none in a call."""
    if not audience.sees_private:
        return []
    return [p for p in ws.pulses_of(consultant) if audience.sees_private_of(p.manager)]


def pulse_history(
    ws: Workspace,
    audience: Audience,
    consultant: str,
    besides: str | None = None,
    held_only: bool = False,
    with_due: bool = True,
) -> PulseHistory | None:
    """The consultant's conversations (but ``besides``, the one being held; with
    ``held_only`` none merely planned), newest first, and (``with_due``) whether the
    next one is due; None when there is no such consultant. Reads only; safe in a
    worker."""
    person = ws.get(Consultant, consultant)
    if person is None:
        return None
    today = ws.today()
    placed = placement(ws, person.uid, today)
    client = placed.client if placed is not None else None
    shown = audience.sees_client(client)
    client_doc = ws.doc("client", client) if client and shown else None
    client_name = str(client_doc.get("name", "")) if client_doc else ""
    if not audience.sees_private:
        return PulseHistory(person.uid, person.name if shown else "", client_name, True, None, ())
    pulses = visible_pulses(ws, audience, person.uid)
    shown_pulses = [
        p
        for p in reversed(pulses)
        if p.uid != besides and not (held_only and p.status != PulseStatus.HELD)
    ]
    entries = [_entry(p, pulses, today) for p in shown_pulses]
    return PulseHistory(
        consultant=person.uid,
        name=person.name,
        client_name=client_name,
        hidden=False,
        due=ws.pulse_due(person.uid) if with_due else None,
        entries=tuple(entries),
    )


def pulse_entry(ws: Workspace, audience: Audience, pulse: str) -> HistoryEntry | None:
    """One conversation in full, if this audience may read it."""
    record = ws.get(PulseConversation, pulse)
    if record is None or not audience.sees_private_of(record.manager):
        return None
    return _entry(record, visible_pulses(ws, audience, record.consultant), ws.today())


def _entry(
    pulse: PulseConversation, pulses: list[PulseConversation], today: dt.date
) -> HistoryEntry:
    """``pulse`` with what became of its promises; ``pulses`` are the consultant's
    conversations (to count the ones held since)."""
    held_since = sum(1 for p in pulses if p.status == PulseStatus.HELD and p.date > pulse.date)
    answers = answers_of(pulse)
    return HistoryEntry(
        answers,
        tuple(
            FollowUpOutcome(
                line.text,
                line.done,
                follow_up_outcome(line.done, line.done_on, pulse.date, today, held_since),
            )
            for line in answers.follow_ups
        ),
    )

"""The pulse form's data: the conversation being held (the one asked for, or today's),
the earlier conversations with the same consultant, and the follow-ups promised in
them and not yet kept. Pulse conversations are private: a call sees none of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.models import Consultant, PulseConversation
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.consultants import placement
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class FollowUpLine:
    """One promise made in a pulse conversation."""

    pulse: str  # the conversation's uid
    index: int  # its place in that conversation's follow-ups
    text: str
    promised: dt.date  # the day of the conversation
    done: bool
    done_on: dt.date | None


@dataclass(frozen=True)
class PulseAnswers:
    """One pulse conversation as it was saved."""

    uid: str
    date: dt.date
    status: str
    wellbeing: int | None
    workload: str | None
    fit: int | None
    growth: str
    worries: str
    notes: str
    follow_ups: tuple[FollowUpLine, ...]


@dataclass(frozen=True)
class PulseFormView:
    consultant: str
    name: str  # "" in a call, for a consultant not placed at the client in view
    hidden: bool  # a call: nothing of the conversations below is given
    current: PulseAnswers | None  # the conversation the form edits (None: a new one)
    earlier: tuple[PulseAnswers, ...]  # the other conversations, newest first
    open_follow_ups: tuple[FollowUpLine, ...]  # promised in the others, not yet kept


def answers_of(pulse: PulseConversation) -> PulseAnswers:
    """One conversation's answers as the views give them."""
    return PulseAnswers(
        uid=pulse.uid,
        date=pulse.date,
        status=pulse.status.value,
        wellbeing=pulse.wellbeing,
        workload=pulse.workload.value if pulse.workload else None,
        fit=pulse.fit,
        growth=pulse.growth,
        worries=pulse.worries,
        notes=pulse.notes,
        follow_ups=tuple(
            FollowUpLine(pulse.uid, index, f.text, pulse.date, f.done, f.done_on)
            for index, f in enumerate(pulse.follow_ups)
        ),
    )


def pulse_form_view(
    ws: Workspace, audience: Audience, consultant: str, pulse: str | None = None
) -> PulseFormView:
    """The form for a conversation with ``consultant``: ``pulse`` when given, else the
    one already held today, else a new one. Every conversation is read (and validated)
    once."""
    person = ws.require(Consultant, consultant)
    if not audience.sees_private:
        placed = placement(ws, person.uid, ws.today())
        shown = audience.sees_client(placed.client if placed else None)
        return PulseFormView(person.uid, person.name if shown else "", True, None, (), ())
    pulses = ws.pulses_of(person.uid)
    today = ws.today()
    mine = [p for p in pulses if audience.sees_private_of(p.manager)]
    if pulse is not None:
        current = next((p for p in pulses if p.uid == pulse), None)
        current = current or ws.get(PulseConversation, pulse)
    else:
        current = next((p for p in mine if p.date == today), None)
    # the other conversations: only the manager's own (another's notes are theirs)
    others = [p for p in mine if current is None or p.uid != current.uid]
    return PulseFormView(
        consultant=person.uid,
        name=person.name,
        hidden=False,
        current=answers_of(current) if current is not None else None,
        earlier=tuple(answers_of(p) for p in reversed(others)),
        open_follow_ups=_open(others),
    )


def open_follow_ups(
    ws: Workspace, audience: Audience, consultant: str, besides: str | None = None
) -> tuple[FollowUpLine, ...]:
    """Promises not yet kept from the consultant's conversations (but ``besides``),
    oldest conversation first: the manager's own, none for an audience that may not
    see them."""
    if not audience.sees_private:
        return ()
    return _open(
        [
            p
            for p in ws.pulses_of(consultant)
            if p.uid != besides and audience.sees_private_of(p.manager)
        ]
    )


def _open(pulses: list[PulseConversation]) -> tuple[FollowUpLine, ...]:
    return tuple(line for pulse in pulses for line in answers_of(pulse).follow_ups if not line.done)

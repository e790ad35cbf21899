"""Red flag kinds: their label, whether they are internal (about our people or our own
judgement, so hidden in call mode and in reports to the client), the proposed way
out (advice to the manager) and, for a flag the client may see, the way out as the
client reads it in the weekly report; the order flags are listed in, and the rule
deciding whether an "addressed" note still covers a flag. The rules raising flags are
in :mod:`pulsetui.domain.flag_rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FlagKind:
    kind: str
    label: str
    internal: bool
    way_out: str
    for_client: str = ""  # the way out worded for the client (flags that are not internal)


FLAG_KINDS: dict[str, FlagKind] = {
    k.kind: k
    for k in (
        FlagKind(
            "pulse_overdue",
            "Pulse overdue",
            True,
            "Book a pulse conversation with the consultant this week.",
        ),
        FlagKind(
            "caught_between",
            "Consultant caught between client and firm",
            True,
            "Hold a pulse conversation this week, take load off the consultant, and agree "
            "the client's extra work as planned, priced scope at the next meeting.",
        ),
        FlagKind(
            "consultant_squeezed",
            "Consultant squeezed",
            True,
            "Hold a pulse conversation this week and agree what to take off their plate.",
        ),
        FlagKind(
            "meeting_overdue",
            "Client meeting overdue",
            False,
            "Agree the next client meeting date and share the open agenda ahead.",
            "We propose a date for our next meeting and send the agenda ahead, so that "
            "both sides can prepare.",
        ),
        FlagKind(
            "agreement_overdue",
            "Agreement overdue",
            False,
            "Agree a new date with the owner, or close the agreement with a reason.",
            "We agree a new date with the owner, or close the item with its reason, at "
            "our next meeting.",
        ),
        FlagKind(
            "agreement_broken",
            "Agreement broken",
            False,
            "Discuss the broken agreement at the next meeting and record a new one.",
            "At our next meeting we look at what got in the way and agree a new "
            "commitment both sides can keep.",
        ),
        FlagKind(
            "nps_detractor",
            "Detractor NPS",
            True,
            "Call the contact, hear the reason out and agree one concrete fix.",
        ),
        FlagKind(
            "nps_falling",
            "NPS falling",
            True,
            "Look for missed deadlines behind the drop and raise them with the client.",
        ),
        FlagKind(
            "unpaid_invoices",
            "Unpaid invoices",
            True,
            "Raise the invoices with the decision maker; apply the agreed payment terms.",
        ),
        FlagKind(
            "approvals_slipping",
            "Approvals slipping",
            True,
            "Agree a decision deadline and a smaller approval group.",
        ),
        FlagKind(
            "wishes_unplanned",
            "Wishes accepted without a plan",
            True,
            "Plan each accepted wish: scope, time and price, or say no.",
        ),
        FlagKind(
            "early_free_work",
            "Promised work delivered early and free",
            True,
            "Deliver on the agreed date and charge extra work as agreed.",
        ),
        FlagKind(
            "team_grown_unplanned",
            "Team grown for unplanned work",
            True,
            "Turn the unplanned work into a planned, priced change or shrink the team.",
        ),
        FlagKind(
            "feedback_unprocessed",
            "Client feedback unprocessed",
            True,
            "Answer the feedback and record what will change.",
        ),
        FlagKind(
            "communicator_too_long",
            "Same main communicator too long",
            True,
            "Rotate the main communicator towards the client.",
        ),
        FlagKind(
            "communicator_technical",
            "Technical person as main communicator",
            True,
            "Put an analyst or a project, delivery or product manager in front of the client.",
        ),
        FlagKind(
            "onboarding_overdue",
            "Onboarding over three months",
            True,
            "Agree with the client what engaged use looks like and hold frequent calls, "
            "or move the client on to adoption.",
        ),
        FlagKind(
            "spiral_features_without_ux",
            "Functionality fed without usability",
            True,
            "Propose usability work for the features already delivered before new ones.",
        ),
        FlagKind(
            "spiral_ux_without_features",
            "Usability fed without functionality",
            True,
            "Check the polish solves a real need; agree the next functionality with the client.",
        ),
        FlagKind(
            "spiral_no_stabilisation",
            "Functionality and usability without stabilisation",
            True,
            "Plan stabilisation (technical debt, incidents) before the next features.",
        ),
        FlagKind(
            "spiral_stuck",
            "Spiral quarter stuck",
            True,
            "Agree with the client what the next quarter of the spiral brings.",
        ),
    )
}


def flag_key(kind: str, subject: str) -> str:
    """The stable id of one flag: its kind and the uid it is about."""
    return f"{kind}:{subject}"


def ack_covers(ack_date: dt.date, since: dt.date | None) -> bool:
    """An "addressed" note covers a flag raised on or before the day it was written.

    A flag that comes back later (a new overdue pulse after one was held) has a later
    ``since`` and shows again."""
    return since is None or ack_date >= since


def is_flag_key(key: str) -> bool:
    """Whether ``key`` names a flag: a known kind, a colon and what it is about."""
    return ":" in key and key.split(":", 1)[0] in FLAG_KINDS


def covering_note(acks: Iterable[tuple[dt.date | None, str]], since: dt.date | None) -> str | None:
    """The note of the last "addressed" note (day, note) covering a flag raised on
    ``since``; None when none covers it (the flag is open). ``acks`` oldest first."""
    covering = [note for day, note in acks if day is not None and ack_covers(day, since)]
    return covering[-1] if covering else None


_KIND_ORDER = {kind: index for index, kind in enumerate(FLAG_KINDS)}


def flag_order(kind: str, since: dt.date | None, key: str) -> tuple[int, dt.date, str]:
    """Flags are listed by kind (in the order above), then oldest first, then by key."""
    return (_KIND_ORDER[kind], since or dt.date.max, key)

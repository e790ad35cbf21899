"""What a red-flag rule gives: the flag raised (kind, what it is about, why, since when,
and the evidence behind it), and the settings a manager may change. The rules are in
:mod:`pulsetui.domain.flag_rules` and the modules it gathers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.cadence import PULSE_DUE_DAYS, PULSE_OVERDUE_DAYS
from pulsetui.domain.flag_lifecycle import Evidence
from pulsetui.domain.flags import flag_key
from pulsetui.domain.nps import DIRECTIONAL_BELOW

# A consultant is squeezed when this many pulses in a row (two months: one bad month is
# not yet a pattern) had wellbeing at or below this (2 of 5: "not well"; 3 is neutral)
# or a workload "too high".
SQUEEZED_WELLBEING = 2
SQUEEZED_PULSES = 2


@dataclass(frozen=True)
class FlagSettings:
    """The limits a manager may set in the configuration ([cadences], [thresholds])."""

    pulse_due_days: int = PULSE_DUE_DAYS
    pulse_overdue_days: int = PULSE_OVERDUE_DAYS
    meeting_grace_days: int = 7
    feedback_unprocessed_days: int = 14
    communicator_max_months: int = 12
    nps_directional_below: int = DIRECTIONAL_BELOW
    squeezed_wellbeing: int = SQUEEZED_WELLBEING
    squeezed_pulses: int = SQUEEZED_PULSES


@dataclass(frozen=True)
class FlagRaised:
    """One flag a rule raised: about ``subject`` (a uid), with its reason, since when
    and the evidence behind it (none given: the flag itself, dated ``since``)."""

    kind: str
    subject: str
    reason: str
    since: dt.date | None
    client: str | None = None
    consultant: str | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def key(self) -> str:
        return flag_key(self.kind, self.subject)

    @property
    def proof(self) -> tuple[Evidence, ...]:
        """The evidence, never empty: a flag raised without any is its own, ``since``."""
        if self.evidence:
            return self.evidence
        return (Evidence(f"since:{self.since.isoformat() if self.since else '-'}", self.since),)

    @property
    def owner(self) -> str | None:
        """Whom the flag is about for its history: the consultant for a flag about a
        consultant, otherwise the client (flags of one kind there are one story)."""
        if self.consultant and self.subject == self.consultant:
            return self.consultant
        return self.client or self.consultant


def short(text: object, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, cut with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"

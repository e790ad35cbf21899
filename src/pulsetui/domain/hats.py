"""The three hats: each engagement seen from the consultant's side (the wellbeing trend
of the last pulse conversations and whether the next one is due) beside the client's
health. These rules pick the consultant's side from their pulse conversations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pulsetui.domain.cadence import (
    PULSE_DUE_DAYS,
    PULSE_OVERDUE_DAYS,
    DueState,
    last_held,
    pulse_due,
)
from pulsetui.domain.enums import PulseStatus
from pulsetui.domain.facts import PulseFacts

TREND_PULSES = 4  # the wellbeing trend shows the last four pulses held


def wellbeing_trend(
    pulses: Iterable[PulseFacts], day: dt.date, count: int = TREND_PULSES
) -> list[tuple[dt.date, int]]:
    """Wellbeing (1-5) of the last ``count`` pulses held on or before ``day``, oldest
    first."""
    held = sorted(
        (p.day, p.wellbeing)
        for p in pulses
        if p.status == PulseStatus.HELD.value
        and p.wellbeing is not None
        and p.day is not None
        and p.day <= day
    )
    return held[-count:]


def pulse_state(
    pulses: Iterable[PulseFacts],
    day: dt.date,
    due_days: int = PULSE_DUE_DAYS,
    overdue_days: int = PULSE_OVERDUE_DAYS,
) -> DueState:
    """Whether the consultant's next pulse is due on ``day``: ok, due, overdue or never."""
    last = last_held(((p.status, p.day) for p in pulses), day)
    return pulse_due(last, day, due_days, overdue_days).state

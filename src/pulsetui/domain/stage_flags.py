"""Red flags of a client's lifecycle and spiral: onboarding that outlasts its three
months, the spiral quarter stuck, and the mistakes the spiral mix shows (functionality
without usability, usability without functionality, and both without
stabilisation). The rules themselves are in :mod:`pulsetui.domain.segments` and
:mod:`pulsetui.domain.spiral`."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.enums import LifecycleStage, SpiralQuarter
from pulsetui.domain.facts import ClientFacts
from pulsetui.domain.flag_lifecycle import Evidence
from pulsetui.domain.flag_raised import FlagRaised
from pulsetui.domain.segments import (
    ONBOARDING_DAYS,
    SPIRAL_WARN_DAYS,
    known_stage,
    lifecycle_warning,
    spiral_warning,
)
from pulsetui.domain.spiral import fed_items, fed_split, mix_mistakes, quarter_of_spiral, spiral_mix


def existed_since(client: ClientFacts) -> dt.date | None:
    """Since when the client has been with us: its start, else when it was recorded."""
    return client.started or client.created


def onboarding_flags(client: ClientFacts, today: dt.date) -> list[FlagRaised]:
    """Onboarding past its first three months (the stage field says onboarding)."""
    if known_stage(client.stage) != LifecycleStage.ONBOARDING:
        return []
    start = client.stage_since or client.started
    if start is None:
        return []
    warning = lifecycle_warning(LifecycleStage.ONBOARDING, (today - start).days)
    if not warning:
        return []
    since = start + dt.timedelta(days=ONBOARDING_DAYS + 1)
    evidence = (Evidence(f"onboarding:{start.isoformat()}", since, warning),)
    return [
        FlagRaised("onboarding_overdue", client.uid, warning, since, client.uid, None, evidence)
    ]


def spiral_flags(client: ClientFacts, today: dt.date) -> list[FlagRaised]:
    """The mistakes the spiral mix shows; without one, the client's spiral quarter
    stuck (the mistake says more precisely what is missing)."""
    mix = spiral_mix(fed_items(client), today)
    found = [
        FlagRaised(
            mistake.kind,
            client.uid,
            mistake.reason,
            max(mix.start, min(i.day for i in mistake.items)),
            client.uid,
            None,
            tuple(Evidence(f"{i.kind}:{i.uid}", i.day, i.text) for i in mistake.items),
        )
        for mistake in mix_mistakes(mix, existed_since(client))
    ]
    quarter = quarter_of_spiral(client.spiral)
    spiral_from = client.spiral_since or client.started
    if quarter is not None and spiral_from is not None and not found:
        days = (today - spiral_from).days
        here, elsewhere = fed_split(mix, quarter)
        warning = spiral_warning(quarter, days, elsewhere, here)
        if warning:
            since = spiral_from + dt.timedelta(days=SPIRAL_WARN_DAYS + 1)
            key = f"quarter:{SpiralQuarter(quarter).value}:{spiral_from.isoformat()}"
            evidence = (Evidence(key, since, warning),)
            found.append(
                FlagRaised("spiral_stuck", client.uid, warning, since, client.uid, None, evidence)
            )
    return found

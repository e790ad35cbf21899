"""Segmentation, lifecycle and spiral rules.

- **Segment**: the 2x2 grid of "does the client want us" x "do we want the client".
  Both yes: top. Client yes, we unsure or no: steady (good service, strict rules both
  ways). Client no, we yes or unsure: win back (improve or let go). Both no: part
  ways. While the client's side is unsure the place is unknown: ask them. A client's
  move is counted since the end of last quarter.
- **Lifecycle**: the stage is the client's stage field (onboarding, adoption,
  success), from its "since" day. Onboarding is the first three months from the start
  (or from when the stage was set): a countdown shows the days left, and onboarding
  that lasts beyond them is a warning — a client not engaged in the first three
  months rarely commits later. Before the recorded "since" the client was in the
  stage before (onboarding before adoption, adoption before success); before its
  start, in none.
- **Spiral**: functionality -> usability -> stability -> support -> a new round;
  feeding one quarter for more than two calendar quarters starves the others (unless
  the ledger shows the others fed meanwhile: :mod:`pulsetui.domain.spiral`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.enums import Answer, LifecycleStage, Segment, SpiralQuarter
from pulsetui.domain.nps import previous_quarters, quarter_bounds
from pulsetui.domain.words import counted

ONBOARDING_DAYS = 91  # the first three months
SPIRAL_WARN_DAYS = 182

SEGMENT_LABELS = {
    Segment.TOP: "top",
    Segment.STEADY: "steady",
    Segment.WIN_BACK: "win back",
    Segment.PART_WAYS: "part ways",
    Segment.UNKNOWN: "unknown",
}

SPIRAL_LABELS = {
    SpiralQuarter.Q1_FUNCTIONALITY: "Q1 functionality",
    SpiralQuarter.Q2_USABILITY: "Q2 usability",
    SpiralQuarter.Q3_STABILITY: "Q3 stability",
    SpiralQuarter.Q4_SUPPORT: "Q4 support",
}


def segment_of(client_wants_us: Answer | str, we_want_client: Answer | str) -> Segment:
    wants, ours = Answer(client_wants_us), Answer(we_want_client)
    if wants == Answer.YES:
        return Segment.TOP if ours == Answer.YES else Segment.STEADY
    if wants == Answer.NO:
        return Segment.PART_WAYS if ours == Answer.NO else Segment.WIN_BACK
    return Segment.UNKNOWN


def segment_move(
    now: tuple[Answer | str, Answer | str], before: tuple[Answer | str, Answer | str] | None
) -> tuple[Segment, Segment | None, str]:
    """A client's segment from its two answers (client wants us, we want the client)
    now and at an earlier moment (None: the client did not exist then), and the move
    between them (:func:`move_label`)."""
    segment = segment_of(*now)
    previous = segment_of(*before) if before is not None else None
    return segment, previous, move_label(previous, segment)


def moves_since(day: dt.date) -> dt.date:
    """A segment move is counted since the last day of the quarter before ``day``'s."""
    year, quarter = previous_quarters(day, 2)[0]
    return quarter_bounds(year, quarter)[1]


def move_label(before: Segment | None, now: Segment) -> str:
    """``"new"``, ``"stayed"`` or ``"steady → top"``."""
    if before is None:
        return "new"
    if before == now:
        return "stayed"
    return f"{SEGMENT_LABELS[before]} → {SEGMENT_LABELS[now]}"


def in_onboarding(
    started: dt.date | None, stage_since: dt.date | None, stage: object, day: dt.date
) -> bool:
    """Onboarding is the first three months from the start (or, with no start date,
    from when the stage was set); with neither date known, the recorded stage."""
    start = started or stage_since
    if start is not None:
        return start <= day < start + dt.timedelta(days=ONBOARDING_DAYS)
    return stage == LifecycleStage.ONBOARDING.value


_PREVIOUS = {
    LifecycleStage.SUCCESS: LifecycleStage.ADOPTION,
    LifecycleStage.ADOPTION: LifecycleStage.ONBOARDING,
}


def known_stage(stage: object) -> LifecycleStage | None:
    try:
        return LifecycleStage(str(stage)) if stage else None
    except ValueError:
        return None


def stage_on(
    stage: object,
    stage_since: dt.date | None,
    started: dt.date | None,
    day: dt.date,
) -> LifecycleStage | None:
    """The stage the rules use on ``day``: the recorded stage from its "since" day,
    the stage before it before then, none before the client's start. With no stage
    recorded, onboarding for the first three months from the start (None after)."""
    if started is not None and day < started:
        return None
    current = known_stage(stage)
    if current is None:
        return LifecycleStage.ONBOARDING if in_onboarding(started, stage_since, None, day) else None
    if stage_since is not None and day < stage_since:
        return _PREVIOUS.get(current, current)
    return current


def onboarding_days_left(
    stage: object, stage_since: dt.date | None, started: dt.date | None, today: dt.date
) -> int | None:
    """While in onboarding: days left of its first three months, counted from when the
    stage was set (else the start), negative once they are over; None in any other
    stage or with no date to count from."""
    if known_stage(stage) != LifecycleStage.ONBOARDING:
        return None
    start = stage_since or started
    if start is None or start > today:
        return None
    return (start + dt.timedelta(days=ONBOARDING_DAYS) - today).days


def countdown_text(days_left: int | None) -> str:
    """``onboarding: 16 days left of the first three months``; empty when not counting."""
    if days_left is None or days_left < 0:
        return ""
    return (
        f"onboarding: {counted(days_left, 'day')} left of the first three months; "
        "a client not engaged by then rarely commits later"
    )


def lifecycle_warning(stage: LifecycleStage | str, days_in_stage: int | None) -> str:
    if (
        LifecycleStage(stage) == LifecycleStage.ONBOARDING
        and days_in_stage is not None
        and days_in_stage > ONBOARDING_DAYS
    ):
        return (
            f"onboarding for {days_in_stage} days: a client not engaged in the first "
            "three months rarely commits later"
        )
    return ""


def spiral_warning(
    quarter: SpiralQuarter | str,
    days_fed: int | None,
    fed_elsewhere: int = 0,
    fed_here: int | None = None,
) -> str:
    """The client's quarter unchanged for over two calendar quarters while what was
    recorded fed only that quarter: ``fed_here`` items fed it and ``fed_elsewhere``
    other quarters (None for ``fed_here``: no ledger read, the time alone decides)."""
    if days_fed is None or days_fed <= SPIRAL_WARN_DAYS or fed_elsewhere or fed_here == 0:
        return ""
    current = SpiralQuarter(quarter)
    others = [SPIRAL_LABELS[q].split(" ", 1)[1] for q in SpiralQuarter if q != current]
    return (
        f"{SPIRAL_LABELS[current]} fed for {days_fed} days; "
        f"{', '.join(others[:-1])} and {others[-1]} are waiting"
    )


@dataclass(frozen=True)
class Lifecycle:
    stage: LifecycleStage
    since: dt.date | None
    days_in_stage: int | None
    warning: str
    spiral: SpiralQuarter
    spiral_since: dt.date | None
    days_in_spiral: int | None
    spiral_warning: str
    onboarding_days_left: int | None = None  # the countdown, while in onboarding
    countdown: str = ""  # the countdown in words, while days are left


def lifecycle_on(
    stage: LifecycleStage | str,
    stage_since: dt.date | None,
    spiral: SpiralQuarter | str,
    spiral_since: dt.date | None,
    started: dt.date | None,
    today: dt.date,
    fed_elsewhere: int = 0,
    fed_here: int | None = None,
) -> Lifecycle:
    """Lifecycle stage and spiral quarter with time in each, their warnings, and the
    onboarding countdown. ``fed_here`` and ``fed_elsewhere``: items of the spiral mix
    that fed the client's quarter and the others (:func:`spiral_warning`).

    With no date recorded for the stage or the spiral, the client's start is used."""
    stage_from = stage_since or started
    stage_days = (today - stage_from).days if stage_from else None
    spiral_from = spiral_since or started
    spiral_days = (today - spiral_from).days if spiral_from else None
    left = onboarding_days_left(stage, stage_since, started, today)
    return Lifecycle(
        LifecycleStage(stage),
        stage_from,
        stage_days,
        lifecycle_warning(stage, stage_days),
        SpiralQuarter(spiral),
        spiral_from,
        spiral_days,
        spiral_warning(spiral, spiral_days, fed_elsewhere, fed_here),
        left,
        countdown_text(left),
    )

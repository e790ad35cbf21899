"""Segmentation, lifecycle and spiral rules.

- **Segment**: the 2x2 grid of "does the client want us" x "do we want the client".
  Both yes: top. Client yes, we unsure or no: steady (good service, strict rules both
  ways). Client no, we yes or unsure: win back (improve or let go). Both no: part
  ways. While the client's side is unsure the place is unknown: ask them.
- **Lifecycle**: onboarding should not last beyond about three months.
- **Spiral**: functionality -> usability -> stability -> support -> a new round;
  feeding one quarter for more than two calendar quarters starves the others.
"""

from __future__ import annotations

from pulsetui.domain.enums import Answer, LifecycleStage, Segment, SpiralQuarter

ONBOARDING_MAX_DAYS = 91
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


def move_label(before: Segment | None, now: Segment) -> str:
    """``"new"``, ``"stayed"`` or ``"steady → top"``."""
    if before is None:
        return "new"
    if before == now:
        return "stayed"
    return f"{SEGMENT_LABELS[before]} → {SEGMENT_LABELS[now]}"


def lifecycle_warning(stage: LifecycleStage | str, days_in_stage: int | None) -> str:
    if (
        LifecycleStage(stage) == LifecycleStage.ONBOARDING
        and days_in_stage is not None
        and days_in_stage > ONBOARDING_MAX_DAYS
    ):
        return (
            f"onboarding for {days_in_stage} days: a client not engaged in the first "
            "three months rarely commits later"
        )
    return ""


def spiral_warning(quarter: SpiralQuarter | str, days_fed: int | None) -> str:
    if days_fed is None or days_fed <= SPIRAL_WARN_DAYS:
        return ""
    current = SpiralQuarter(quarter)
    others = [SPIRAL_LABELS[q].split(" ", 1)[1] for q in SpiralQuarter if q != current]
    return (
        f"{SPIRAL_LABELS[current]} fed for {days_fed} days; "
        f"{', '.join(others[:-1])} and {others[-1]} are waiting"
    )

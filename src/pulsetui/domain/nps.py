"""NPS and eNPS maths: promoter / passive / detractor counts, the score, its 95%
adjusted-Wald interval, a summary of both with its labels, eNPS bands, and calendar
quarters (the rules that keep eNPS answers anonymous are in :mod:`.enps`).

Pure functions of plain numbers; nothing here reads the store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Z95 = 1.959963984540054  # two-sided 95% normal quantile

PROMOTER_MIN = 9  # 9-10
DETRACTOR_MAX = 6  # 0-6; 7-8 are passives


def classify(score: int) -> str:
    """``"promoter"`` (9-10), ``"passive"`` (7-8) or ``"detractor"`` (0-6)."""
    if not 0 <= score <= 10:
        raise ValueError(f"an NPS answer is 0-10, not {score}")
    if score >= PROMOTER_MIN:
        return "promoter"
    if score <= DETRACTOR_MAX:
        return "detractor"
    return "passive"


@dataclass(frozen=True)
class NpsCounts:
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @classmethod
    def of(cls, scores: Iterable[int]) -> NpsCounts:
        found = {"promoter": 0, "passive": 0, "detractor": 0}
        for score in scores:
            found[classify(int(score))] += 1
        return cls(found["promoter"], found["passive"], found["detractor"])


def nps_score(counts: NpsCounts) -> float | None:
    """NPS = 100 x (promoters - detractors) / n, from -100 to +100; None when n is 0."""
    if counts.n == 0:
        return None
    return 100.0 * (counts.promoters - counts.detractors) / counts.n


def adjusted_wald(counts: NpsCounts, z: float = Z95) -> tuple[float, float] | None:
    """The adjusted-Wald interval for NPS (Rocks 2016; Sauro & Lewis), in NPS points.

    Three pseudo-observations are added, split 3/4 promoter, 3/4 detractor and
    3/2 passive::

        n'  = n + 3
        pP' = (promoters + 0.75) / n'
        pD' = (detractors + 0.75) / n'
        NPS' = pP' - pD'
        Var  = (pP' + pD' - NPS'^2) / n'
        interval = NPS' +/- z * sqrt(Var)      (z = 1.96 for 95%)

    clipped to [-1, +1] and scaled by 100. The interval is centred on the adjusted
    NPS', not on the raw score, so a small all-promoter group gets an upper bound
    below +100 and a lower bound well below it. None when there are no answers.
    """
    n = counts.n
    if n == 0:
        return None
    n_adj = n + 3
    p_pro = (counts.promoters + 0.75) / n_adj
    p_det = (counts.detractors + 0.75) / n_adj
    centre = p_pro - p_det
    variance = (p_pro + p_det - centre * centre) / n_adj
    margin = z * math.sqrt(max(variance, 0.0))
    low = max(-1.0, centre - margin)
    high = min(1.0, centre + margin)
    return 100.0 * low, 100.0 * high


def format_score(score: float | None) -> str:
    """``+33``, ``-5``, ``0``; an en dash when there is no score."""
    if score is None:
        return "–"
    rounded = round(score)
    return f"+{rounded}" if rounded > 0 else str(rounded)


DIRECTIONAL_BELOW = 10  # fewer answers than this make a score directional only


@dataclass(frozen=True)
class NpsSummary:
    """An NPS score with its counts, n and 95% adjusted-Wald interval."""

    n: int
    promoters: int
    passives: int
    detractors: int
    score: float | None  # None when n == 0; -100..+100
    low: float | None  # 95% adjusted-Wald interval, in NPS points
    high: float | None
    directional: bool  # n below the directional threshold (default 10)

    @classmethod
    def of(cls, counts: NpsCounts, directional_below: int = DIRECTIONAL_BELOW) -> NpsSummary:
        interval = adjusted_wald(counts)
        return cls(
            n=counts.n,
            promoters=counts.promoters,
            passives=counts.passives,
            detractors=counts.detractors,
            score=nps_score(counts),
            low=interval[0] if interval else None,
            high=interval[1] if interval else None,
            directional=counts.n < directional_below,
        )

    def label(self) -> str:
        """``+33 (n=6, directional)``, ``-5 (n=40)`` or ``no answers``."""
        if self.n == 0 or self.score is None:
            return "no answers"
        extra = ", directional" if self.directional else ""
        return f"{format_score(self.score)} (n={self.n}{extra})"

    def interval_label(self) -> str:
        """``95% CI -27 … +71``; empty when there are no answers."""
        if self.low is None or self.high is None:
            return ""
        return f"95% CI {format_score(self.low)} … {format_score(self.high)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "score": None if self.score is None else round(self.score, 1),
            "low": None if self.low is None else round(self.low, 1),
            "high": None if self.high is None else round(self.high, 1),
            "directional": self.directional,
        }


# ---- eNPS -----------------------------------------------------------------------------

ENPS_BANDS = ("below satisfactory", "satisfactory", "good", "excellent")


def enps_band(score: float) -> str:
    """The eNPS band of a score, as they are published: above 0 satisfactory,
    +10 … +30 good, above +50 excellent (scores compared unrounded).

    - score <= 0            -> "below satisfactory" (nothing lower is named)
    - 0 < score < 10        -> "satisfactory"
    - 10 <= score <= 50     -> "good" (above +30 no new band is named before
      excellent, so good holds)
    - score > 50            -> "excellent"
    """
    if score <= 0:
        return "below satisfactory"
    if score < 10:
        return "satisfactory"
    if score <= 50:
        return "good"
    return "excellent"


# ---- calendar quarters ------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter."""
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    if quarter == 4:
        end = dt.date(year, 12, 31)
    else:
        end = dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return start, end


def previous_quarters(day: dt.date, count: int) -> list[tuple[int, int]]:
    """The ``count`` quarters ending with the one holding ``day``, oldest first."""
    year, quarter = quarter_of(day)
    found = []
    for _ in range(max(count, 0)):
        found.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found[::-1]

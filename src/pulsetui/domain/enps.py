"""eNPS results that keep answers anonymous: the minimum group, reasons in random
order, per-year totals that cannot reveal a small round, and the order of rounds.

- Below ``threshold`` answers (``thresholds.enps_min_answers``, default 5) a round
  shows only its n: no score, band, counts or reasons.
- Reasons are shown in random order, so they cannot be matched to when they came in.
- A year's total over several rounds named after it ("2026-spring", "2026-autumn")
  is withheld when it is itself below the threshold, or when the rounds withheld for
  being small could be worked out from it by subtracting the rounds shown
  (complementary suppression); it never carries reasons.
- Rounds sort by name, case aside: "2025" < "2026-spring".
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.nps import NpsCounts, enps_band, format_score, nps_score, total_reveals_hidden

MIN_ANSWERS = 5

Answer = tuple[int, str]  # (score 0-10, reason)

_YEAR = re.compile(r"^(\d{4})(?!\d)")


@dataclass(frozen=True)
class EnpsResult:
    """One survey round's eNPS, or only its n when the group is below the threshold."""

    round: str
    n: int
    withheld: bool  # n < threshold -> score, band and reasons are withheld
    score: float | None
    band: str | None  # unacceptable | acceptable | good | very good | excellent
    reasons: list[str]  # only when not withheld, in random order
    threshold: int = MIN_ANSWERS
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None

    def label(self) -> str:
        if self.withheld or self.score is None:
            return f"withheld: {self.n} of at least {self.threshold} answers needed"
        return f"{format_score(self.score)} {self.band} (n={self.n})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "n": self.n,
            "threshold": self.threshold,
            "withheld": self.withheld,
            "score": None if self.score is None else round(self.score, 1),
            "band": self.band,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "reasons": list(self.reasons),
        }


def _shuffle(items: list[str]) -> None:
    random.SystemRandom().shuffle(items)


def enps_of(
    round: str,
    answers: Sequence[Answer],
    threshold: int = MIN_ANSWERS,
    with_reasons: bool = True,
    shuffle: Callable[[list[str]], None] = _shuffle,
) -> EnpsResult:
    """A round's result from its answers: only n below ``threshold``; otherwise the
    score, band and counts, and the reasons given (``shuffle``d) when ``with_reasons``."""
    n = len(answers)
    if n < threshold:
        return EnpsResult(round, n, True, None, None, [], threshold)
    counts = NpsCounts.of(score for score, _ in answers)
    score = nps_score(counts)
    assert score is not None
    reasons: list[str] = []
    if with_reasons:
        reasons = [reason for _, reason in answers if reason.strip()]
        shuffle(reasons)
    return EnpsResult(
        round,
        n,
        False,
        score,
        enps_band(score),
        reasons,
        threshold,
        counts.promoters,
        counts.passives,
        counts.detractors,
    )


def round_order(name: str) -> tuple[str, str]:
    """Sort key of round names: by name, case aside."""
    return (name.casefold(), name)


def newest_round(sizes: Mapping[str, int], min_answers: int = 0) -> str | None:
    """The newest round (by :func:`round_order`) with at least ``min_answers`` answers."""
    rounds = [name for name, n in sizes.items() if n >= min_answers]
    return max(rounds, key=round_order) if rounds else None


def round_year(name: str) -> str | None:
    """The year a round is named after ("2026-spring" -> "2026"); None for other names."""
    match = _YEAR.match(name)
    return match.group(1) if match else None


@dataclass(frozen=True)
class EnpsYear:
    """All rounds of one year together (shown only for years with several rounds)."""

    year: str
    rounds: tuple[str, ...]
    result: EnpsResult  # withheld when it is below the threshold or would reveal a round
    why_withheld: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "rounds": list(self.rounds),
            "why_withheld": self.why_withheld,
            **{k: v for k, v in self.result.as_dict().items() if k not in ("round", "reasons")},
        }


def enps_years_of(
    rounds: Mapping[str, Sequence[Answer]], threshold: int = MIN_ANSWERS
) -> list[EnpsYear]:
    """Per-year totals of the rounds named after their year, for years with at least
    two such rounds, oldest first."""
    by_year: dict[str, dict[str, Sequence[Answer]]] = {}
    for name, answers in rounds.items():
        year = round_year(name)
        if year is not None:
            by_year.setdefault(year, {})[name] = answers
    years = []
    for year in sorted(by_year):
        of_year = by_year[year]
        if len(of_year) < 2:
            continue
        answers = [a for items in of_year.values() for a in items]
        names = tuple(sorted(of_year, key=round_order))
        why = ""
        if len(answers) < threshold:
            why = f"fewer than {threshold} answers"
        elif total_reveals_hidden((len(v) for v in of_year.values()), threshold):
            why = "a round below the threshold could be worked out from the total"
        result = enps_of(year, answers, threshold, with_reasons=False)
        if why and not result.withheld:
            result = EnpsResult(year, len(answers), True, None, None, [], threshold)
        years.append(EnpsYear(year, names, result, why))
    return years

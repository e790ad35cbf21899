"""eNPS results that keep answers anonymous: rounds that open and close, the minimum
group, reasons in random order, per-year totals that cannot reveal a hidden round, and
the order of rounds.

- A round takes answers through its closing day (``open``), waits
  ``RESULTS_AFTER_DAYS`` for the last answers to arrive (``closed``), then is
  ``published``: only then, and only with at least ``threshold`` answers
  (``thresholds.enps_min_answers``, default 5), does it show its score, band, counts
  and reasons; otherwise only its n. Never while it is open: reports compared as
  answers arrive would tell each one apart.
- Reasons are shown in random order, so they cannot be matched to when they came in.
- A year's total over several rounds named after it ("2026-spring", "2026-autumn")
  appears only when every one of them is shown (:func:`total_shown`), and never
  carries reasons.
- Rounds sort by name, case aside: "2025" < "2026-spring".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pulsetui.domain.nps import NpsCounts, enps_band, format_score, nps_score

MIN_ANSWERS = 5
RESULTS_AFTER_DAYS = 2  # answers held for a random while and synced have time to arrive

RoundPhase = Literal["open", "closed", "published"]

Answer = tuple[int, str]  # (score 0-10, reason)

_YEAR = re.compile(r"^(\d{4})(?!\d)")


@dataclass(frozen=True)
class EnpsResult:
    """One survey round's eNPS, or only its n when the group is below the threshold or
    the round is not published yet (``status`` says which)."""

    round: str
    n: int
    withheld: bool  # n < threshold -> score, band and reasons are withheld
    score: float | None
    band: str | None  # below satisfactory | satisfactory | good | excellent
    reasons: list[str]  # only when not withheld, in random order
    threshold: int = MIN_ANSWERS
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None
    status: str = ""  # why it is withheld when time is why (open, closed, due)

    def label(self) -> str:
        if self.withheld and self.status:
            return f"{self.status} (n={self.n} so far)"
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
            "status": self.status,
        }


def _shuffle(items: list[str]) -> None:
    random.SystemRandom().shuffle(items)


def enps_of(
    round: str,
    answers: Sequence[Answer],
    threshold: int = MIN_ANSWERS,
    with_reasons: bool = True,
    shuffle: Callable[[list[str]], None] = _shuffle,
    shown: bool | None = None,
    status: str = "",
) -> EnpsResult:
    """A round's result from its answers: only n below ``threshold`` (or when ``shown``
    says no: :func:`round_shown`); otherwise the score, band and counts, and the
    reasons given (``shuffle``d) when ``with_reasons``."""
    n = len(answers)
    if (n < threshold) if shown is None else not shown:
        return EnpsResult(round, n, True, None, None, [], threshold, status=status)
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
    rounds: Mapping[str, Sequence[Answer]],
    threshold: int = MIN_ANSWERS,
    shown: Mapping[str, bool] | None = None,
) -> list[EnpsYear]:
    """Per-year totals of the rounds named after their year, for years with at least
    two such rounds, oldest first. ``shown``: whether each round's own figures are
    shown (by default, when it has at least ``threshold`` answers)."""
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
        elif not total_shown(
            shown[name] if shown is not None else len(of_year[name]) >= threshold
            for name in of_year
        ):
            why = (
                "a round below the threshold or not yet published (open, or waiting for "
                "its results day) could be worked out from the total"
            )
        result = enps_of(year, answers, threshold, with_reasons=False)
        if why and not result.withheld:
            result = EnpsResult(year, len(answers), True, None, None, [], threshold)
        years.append(EnpsYear(year, names, result, why))
    return years


def total_shown(rounds_shown: Iterable[bool]) -> bool:
    """Whether a total over several rounds (a year's eNPS) may appear next to them.

    Each round's own figures are published on their own once shown. A total that also
    held a withheld round would give that round away by subtraction (the total minus
    the shown rounds), and two withheld rounds together as well: six answers of two
    withheld rounds that come out at -100 say that each of them is -100. Withholding
    further rounds to complement it is no way out, since every shown round is already
    published by itself. So a total appears only when every round in it is shown; the
    numbers of answers (n) are public for withheld rounds too, so a total's n may be
    given either way."""
    return all(rounds_shown)


# ---- rounds: open, closed, published ------------------------------------------------------


def round_uid(name: str) -> str:
    """The uid of the round called ``name``: the same on every installation, so two
    managers who open one round open one record."""
    return "round-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]


def results_day(closes: dt.date) -> dt.date:
    """The day a round's results appear: answers are taken through ``closes``, and the
    results wait ``RESULTS_AFTER_DAYS`` more for every answer to reach every manager."""
    return closes + dt.timedelta(days=RESULTS_AFTER_DAYS)


def round_phase(closes: dt.date | None, today: dt.date) -> RoundPhase:
    """``open`` through its closing day, ``closed`` until its results day, then
    ``published``. Answers with no round record (kept from before rounds had closing
    dates) count as a published round."""
    if closes is None:
        return "published"
    if today <= closes:
        return "open"
    return "closed" if today < results_day(closes) else "published"


def round_shown(phase: RoundPhase, n: int, threshold: int) -> bool:
    """A round's score, counts and reasons are shown once it is published and at least
    ``threshold`` people answered; never while it is open (answers arriving one by one
    would be told apart by comparing the figures)."""
    return phase == "published" and n >= threshold

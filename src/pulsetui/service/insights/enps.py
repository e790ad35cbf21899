"""Employee eNPS read from the workspace: each round's result, the newest round (or
the newest one with enough answers to show), and per-year totals. Which results may
be shown is decided by :mod:`pulsetui.domain.enps`; answers are never listed."""

from __future__ import annotations

from typing import Any

from pulsetui.domain.enps import (
    Answer,
    EnpsResult,
    EnpsYear,
    enps_of,
    enps_years_of,
    newest_round,
    round_order,
)
from pulsetui.service.workspace import Workspace

Doc = dict[str, Any]


def _answer(doc: Doc) -> Answer:
    return int(doc["score"]), str(doc.get("reason", ""))


def enps_rounds(ws: Workspace) -> dict[str, int]:
    """Every round with answers and its n (counts only, never answers)."""
    found: dict[str, int] = {}
    for doc in ws.docs("enps"):
        name = str(doc.get("round"))
        found[name] = found.get(name, 0) + 1
    return found


def enps_result(ws: Workspace, round: str) -> EnpsResult:
    """The round's eNPS for everyone, the manager included: score, band, counts and
    reasons (in random order) only when at least ``thresholds.enps_min_answers``
    answered; below that, only n."""
    threshold = ws.config.thresholds.enps_min_answers
    answers = [_answer(d) for d in ws.docs("enps") if d.get("round") == round]
    return enps_of(round, answers, threshold, with_reasons=True)


def latest_enps(ws: Workspace) -> EnpsResult | None:
    """The newest round with any answers (rounds sort by name: "2025" < "2026-spring")."""
    newest = newest_round(enps_rounds(ws))
    return None if newest is None else enps_result(ws, newest)


def latest_reportable_enps(ws: Workspace) -> EnpsResult | None:
    """The newest round where enough people answered (``thresholds.enps_min_answers``),
    so its score can be shown; None when no round has enough answers. A newer round
    still below the threshold is skipped, never shown."""
    threshold = ws.config.thresholds.enps_min_answers
    newest = newest_round(enps_rounds(ws), threshold)
    return None if newest is None else enps_result(ws, newest)


def all_enps(ws: Workspace) -> list[EnpsResult]:
    """Every round's result, oldest first."""
    return [enps_result(ws, r) for r in sorted(enps_rounds(ws), key=round_order)]


def enps_years(ws: Workspace) -> list[EnpsYear]:
    """Per-year totals over rounds named after their year ("2026-spring", "2026-autumn");
    a total that could reveal a small round is withheld, and none carries reasons."""
    rounds: dict[str, list[Answer]] = {}
    for doc in ws.docs("enps"):
        rounds.setdefault(str(doc.get("round")), []).append(_answer(doc))
    return enps_years_of(rounds, ws.config.thresholds.enps_min_answers)

"""Employee eNPS read from the workspace: each round's result, the newest round (or
the newest one that may be shown), and per-year totals. Which results may be shown is
decided by :mod:`pulsetui.domain.enps` (rounds, as this workspace sees them, by
:mod:`pulsetui.service.enps_rounds`); answers are never listed."""

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
from pulsetui.service.enps_rounds import counted_answers, round_state, round_states
from pulsetui.service.workspace import Workspace

Doc = dict[str, Any]


def _answer(doc: Doc) -> Answer:
    return int(doc["score"]), str(doc.get("reason", ""))


def enps_rounds(ws: Workspace) -> dict[str, int]:
    """Every round opened or answered, and its n (counts only, never answers)."""
    return {state.name: state.n for state in round_states(ws)}


def enps_result(ws: Workspace, round: str) -> EnpsResult:
    """The round's eNPS for everyone, the manager included: score, band, counts and
    reasons (in random order) only once the round is published and at least
    ``thresholds.enps_min_answers`` answered; otherwise only n (and why)."""
    threshold = ws.config.thresholds.enps_min_answers
    state = round_state(ws, round)
    answers = [_answer(d) for d in counted_answers(ws, round)]
    return enps_of(round, answers, threshold, True, shown=state.shown, status=state.status())


def latest_enps(ws: Workspace) -> EnpsResult | None:
    """The newest round with any answers (rounds sort by name: "2025" < "2026-spring")."""
    newest = newest_round(enps_rounds(ws))
    return None if newest is None else enps_result(ws, newest)


def latest_reportable_enps(ws: Workspace) -> EnpsResult | None:
    """The newest round whose score may be shown (published, and enough people
    answered: ``thresholds.enps_min_answers``); None when there is none. A newer round
    still open or below the threshold is skipped, never shown."""
    shown = {state.name: 1 for state in round_states(ws) if state.shown}
    newest = newest_round(shown)
    return None if newest is None else enps_result(ws, newest)


def all_enps(ws: Workspace) -> list[EnpsResult]:
    """Every round's result, oldest first."""
    return [enps_result(ws, r) for r in sorted(enps_rounds(ws), key=round_order)]


def enps_years(ws: Workspace) -> list[EnpsYear]:
    """Per-year totals over rounds named after their year ("2026-spring", "2026-autumn"),
    shown only when every round of the year is; none carries reasons."""
    rounds: dict[str, list[Answer]] = {}
    shown: dict[str, bool] = {}
    for state in round_states(ws):
        if state.n:
            rounds[state.name] = [_answer(d) for d in counted_answers(ws, state.name)]
            shown[state.name] = state.shown
    return enps_years_of(rounds, ws.config.thresholds.enps_min_answers, shown)

"""The latest eNPS round that may be shown: the newest with enough answers."""

from __future__ import annotations

from enps_setup import published_round
from pulsetui.service.insights.enps import latest_enps, latest_reportable_enps
from pulsetui.service.workspace import Workspace


def test_none_without_answers(ws: Workspace) -> None:
    assert latest_reportable_enps(ws) is None


def test_skips_a_newer_round_below_the_threshold(ws: Workspace) -> None:
    published_round(ws, "2025-autumn", [10, 10, 9, 7, 3])
    published_round(ws, "2026-spring", [(score, "private worry") for score in (0, 1)])
    newest = latest_enps(ws)
    assert newest is not None and newest.round == "2026-spring" and newest.withheld
    shown = latest_reportable_enps(ws)
    assert shown is not None and shown.round == "2025-autumn"
    assert not shown.withheld and shown.n == 5 and shown.score == 40
    assert "private worry" not in repr(shown)


def test_newest_round_once_it_has_enough_answers(ws: Workspace) -> None:
    published_round(ws, "2025-autumn", [10, 10, 9, 7, 3])
    published_round(ws, "2026-spring", [0, 1, 2, 3])
    assert latest_reportable_enps(ws).round == "2025-autumn"  # type: ignore[union-attr]
    published_round(ws, "2026-spring", [4])
    shown = latest_reportable_enps(ws)
    assert shown is not None and shown.round == "2026-spring" and shown.n == 5
    assert shown.score == -100 and shown.band == "below satisfactory"


def test_only_withheld_rounds(ws: Workspace) -> None:
    published_round(ws, "2026", [9, 9])
    assert latest_enps(ws) is not None
    assert latest_reportable_enps(ws) is None

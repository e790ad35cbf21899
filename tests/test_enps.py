"""eNPS: score, bands, the minimum group and complementary suppression."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import FROZEN_NOW
from enps_setup import published_round
from pulsetui.domain.enps import total_shown
from pulsetui.domain.nps import enps_band
from pulsetui.service.config import Config, Thresholds
from pulsetui.service.enps_rounds import open_round
from pulsetui.service.insights.enps import all_enps, enps_result, enps_years, latest_enps
from pulsetui.service.workspace import Workspace


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (-100, "below satisfactory"),
        (-0.5, "below satisfactory"),
        (0, "below satisfactory"),
        (0.1, "satisfactory"),
        (9.9, "satisfactory"),
        (10, "good"),
        (30, "good"),
        (30.1, "good"),
        (50, "good"),
        (50.1, "excellent"),
        (100, "excellent"),
    ],
)
def test_bands(score: float, band: str) -> None:
    assert enps_band(score) == band


def test_a_total_appears_only_when_every_round_in_it_is_shown() -> None:
    assert total_shown([True, True])  # nothing hidden
    assert not total_shown([True, False])  # total - shown = the hidden round
    assert not total_shown([True, False, False])  # the hidden rounds together
    # two hidden rounds of 3 answers each: together 6, above the minimum group of 5,
    # yet if those 6 are all detractors, each hidden round is -100
    assert not total_shown([True, False, False])


def test_below_threshold_is_withheld(ws: Workspace) -> None:
    published_round(ws, "2026", [(score, "secret reason") for score in (10, 0, 0, 9)])
    result = enps_result(ws, "2026")
    assert result.withheld and result.n == 4
    assert result.score is None and result.band is None and result.reasons == []
    assert result.promoters is None
    assert "secret" not in repr(result)
    assert "withheld" in result.label()


def test_at_threshold_shows_score_band_and_reasons(ws: Workspace) -> None:
    scores = [10, 10, 9, 7, 3]  # 3 promoters, 1 detractor -> +40 good
    published_round(
        ws, "2026", [(score, f"reason {i}" if i != 3 else "") for i, score in enumerate(scores)]
    )
    result = enps_result(ws, "2026")
    assert not result.withheld and result.n == 5
    assert result.score == 40 and result.band == "good"
    assert (result.promoters, result.passives, result.detractors) == (3, 1, 1)
    assert sorted(result.reasons) == ["reason 0", "reason 1", "reason 2", "reason 4"]


def test_reasons_come_in_random_order(ws: Workspace) -> None:
    published_round(ws, "2026", [(9, f"r{index}") for index in range(8)])
    orders = {tuple(enps_result(ws, "2026").reasons) for _ in range(30)}
    assert len(orders) > 1


def test_threshold_is_configurable(home: Path) -> None:
    config = Config(thresholds=Thresholds(enps_min_answers=3))
    ws = Workspace.open(home, me="Anna", config=config, clock=lambda: FROZEN_NOW)
    try:
        published_round(ws, "2026", [10, 9, 8])
        assert not enps_result(ws, "2026").withheld
    finally:
        ws.close()
    with pytest.raises(ValueError):
        Thresholds(enps_min_answers=2)


def test_unknown_round_and_latest(ws: Workspace) -> None:
    assert latest_enps(ws) is None
    assert enps_result(ws, "1999").n == 0 and enps_result(ws, "1999").withheld
    published_round(ws, "2025", [9] * 5)
    published_round(ws, "2026-spring", [0])
    latest = latest_enps(ws)
    assert latest is not None and latest.round == "2026-spring" and latest.withheld
    assert [r.round for r in all_enps(ws)] == ["2025", "2026-spring"]


def test_year_total_withheld_when_it_would_reveal_a_small_round(ws: Workspace) -> None:
    published_round(ws, "2026-spring", [10] * 6)
    published_round(ws, "2026-autumn", [0, 0])
    (year,) = enps_years(ws)
    # the total (8 answers) is above the threshold, but total - spring = autumn
    assert year.year == "2026" and year.result.n == 8
    assert year.result.withheld and year.result.score is None
    assert "worked out" in year.why_withheld
    assert not enps_result(ws, "2026-spring").withheld
    assert enps_result(ws, "2026-autumn").withheld


def test_year_total_shown_when_every_round_is_shown(ws: Workspace) -> None:
    published_round(ws, "2026-spring", [10] * 5)
    published_round(ws, "2026-autumn", [0] * 5)
    (year,) = enps_years(ws)
    assert not year.result.withheld and year.result.score == 0
    assert year.result.reasons == []


def test_enps_records_carry_no_author_or_time(ws: Workspace) -> None:
    open_round(ws, "2026", "2026-11-30")
    ws.add_enps(7, reason="fine", round="2026")
    (doc,) = ws.docs("enps")
    assert set(doc) - {"_c", "_h", "_d", "_a"} == {"uid", "round", "score", "reason"}
    assert dt.date.today().isoformat() not in str(doc)

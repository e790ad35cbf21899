"""NPS maths against hand-computed values, and NPS gathered per client, manager,
portfolio, quarter and year."""

from __future__ import annotations

import datetime as dt

import pytest

from pulsetui.domain.nps import (
    NpsCounts,
    adjusted_wald,
    classify,
    format_score,
    nps_score,
    previous_quarters,
    quarter_bounds,
)
from pulsetui.service.insights.nps import nps_by_year, nps_for, nps_portfolio, nps_trend
from pulsetui.service.workspace import Workspace

# ---- pure maths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "kind"),
    [
        (0, "detractor"),
        (6, "detractor"),
        (7, "passive"),
        (8, "passive"),
        (9, "promoter"),
        (10, "promoter"),
    ],
)
def test_classify_boundaries(score: int, kind: str) -> None:
    assert classify(score) == kind


@pytest.mark.parametrize("bad", [-1, 11, 100])
def test_classify_refuses_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        classify(bad)


def test_empty_group_has_no_score_and_no_interval() -> None:
    counts = NpsCounts.of([])
    assert counts.n == 0
    assert nps_score(counts) is None
    assert adjusted_wald(counts) is None
    assert format_score(None) == "–"


def test_mixed_group_hand_computed() -> None:
    # 3 promoters, 2 passives, 1 detractor: NPS = (3 - 1) / 6 = +33.3
    # n' = 9, pP' = 3.75/9 = .41667, pD' = 1.75/9 = .19444, NPS' = .22222
    # Var = (.61111 - .22222^2) / 9 = .062414, SE = .24983, 1.96 SE = .48966
    counts = NpsCounts.of([10, 9, 9, 8, 7, 3])
    assert (counts.promoters, counts.passives, counts.detractors) == (3, 2, 1)
    assert nps_score(counts) == pytest.approx(33.333, abs=0.001)
    low, high = adjusted_wald(counts)  # type: ignore[misc]
    assert low == pytest.approx(-26.74, abs=0.01)
    assert high == pytest.approx(71.19, abs=0.01)


def test_all_passive_group_hand_computed() -> None:
    # 4 passives: NPS 0; n' = 7, pP' = pD' = .75/7 = .10714, NPS' = 0
    # Var = .21429 / 7 = .030612, SE = .17496, 1.96 SE = .34293
    counts = NpsCounts.of([7, 8, 7, 8])
    assert nps_score(counts) == 0
    low, high = adjusted_wald(counts)  # type: ignore[misc]
    assert low == pytest.approx(-34.29, abs=0.01)
    assert high == pytest.approx(34.29, abs=0.01)


def test_single_answer_hand_computed() -> None:
    # one promoter: NPS +100; n' = 4, pP' = 1.75/4 = .4375, pD' = .75/4 = .1875
    # NPS' = .25, Var = (.625 - .0625) / 4 = .140625, SE = .375, 1.96 SE = .735
    counts = NpsCounts.of([10])
    assert nps_score(counts) == 100
    low, high = adjusted_wald(counts)  # type: ignore[misc]
    assert low == pytest.approx(-48.50, abs=0.01)
    assert high == pytest.approx(98.50, abs=0.01)


def test_interval_is_clipped_to_the_scale() -> None:
    # two detractors: n' = 5, pP' = .15, pD' = .55, NPS' = -.4
    # Var = (.7 - .16) / 5 = .108, SE = .32863, 1.96 SE = .64412 -> low -1.044 clipped
    low, high = adjusted_wald(NpsCounts.of([0, 6]))  # type: ignore[misc]
    assert low == -100
    assert high == pytest.approx(24.41, abs=0.01)


def test_large_group_hand_computed() -> None:
    # 60 promoters, 25 passives, 15 detractors: NPS +45
    # n' = 103, pP' = 60.75/103 = .58981, pD' = 15.75/103 = .15291, NPS' = .43689
    # Var = (.74272 - .19088) / 103 = .0053577, SE = .073196, 1.96 SE = .14346
    counts = NpsCounts(60, 25, 15)
    assert nps_score(counts) == 45
    low, high = adjusted_wald(counts)  # type: ignore[misc]
    assert low == pytest.approx(29.34, abs=0.01)
    assert high == pytest.approx(58.04, abs=0.01)


def test_quarters() -> None:
    assert quarter_bounds(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert previous_quarters(dt.date(2026, 2, 10), 3) == [(2025, 3), (2025, 4), (2026, 1)]


# ---- gathered from a workspace --------------------------------------------------------------


def _client(ws: Workspace, name: str, manager: str | None = None) -> str:
    return ws.add("client", name=name, manager=manager or ws.me).uid


def test_nps_for_client_counts_interval_and_directional(ws: Workspace) -> None:
    acme = _client(ws, "Acme")
    other = _client(ws, "Other")
    for score in (10, 9, 9, 8, 7, 3):
        ws.add_nps(acme, score, date=dt.date(2026, 10, 1))
    ws.add_nps(other, 0, date=dt.date(2026, 10, 1))
    summary = nps_for(ws, client=acme)
    assert (summary.n, summary.promoters, summary.passives, summary.detractors) == (6, 3, 2, 1)
    assert summary.score == pytest.approx(33.333, abs=0.001)
    assert summary.low == pytest.approx(-26.74, abs=0.01)
    assert summary.directional
    assert summary.label() == "+33 (n=6, directional)"
    assert summary.interval_label() == "95% CI -27 … +71"


def test_nps_for_empty_client(ws: Workspace) -> None:
    summary = nps_for(ws, client=_client(ws, "Quiet"))
    assert summary.n == 0 and summary.score is None and summary.low is None
    assert summary.label() == "no answers"


def test_ten_answers_are_not_directional(ws: Workspace) -> None:
    acme = _client(ws, "Acme")
    for _ in range(10):
        ws.add_nps(acme, 9)
    summary = nps_for(ws, client=acme)
    assert not summary.directional
    assert summary.label() == "+100 (n=10)"


def test_date_range_is_inclusive(ws: Workspace) -> None:
    acme = _client(ws, "Acme")
    ws.add_nps(acme, 10, date=dt.date(2026, 1, 1))
    ws.add_nps(acme, 0, date=dt.date(2026, 3, 31))
    ws.add_nps(acme, 0, date=dt.date(2026, 4, 1))
    summary = nps_for(ws, client=acme, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    assert summary.n == 2 and summary.score == 0


def test_manager_and_portfolio(ws: Workspace) -> None:
    bob = ws.add("manager", name="Bob").uid
    mine = _client(ws, "Mine")
    theirs = _client(ws, "Theirs", manager=bob)
    ws.add_nps(mine, 10)
    ws.add_nps(theirs, 2)
    # the answer was credited to Bob; later the client moved to me
    ws.update("client", theirs, manager=ws.me)
    assert nps_for(ws, manager=ws.me).n == 1
    assert nps_for(ws, manager=bob).score == -100
    portfolio = nps_portfolio(ws)
    assert portfolio.n == 2 and portfolio.score == 0
    assert nps_portfolio(ws, bob).n == 0


def test_trend_by_quarter_and_year(ws: Workspace) -> None:
    acme = _client(ws, "Acme")
    ws.add_nps(acme, 10, date=dt.date(2025, 12, 31))
    ws.add_nps(acme, 3, date=dt.date(2026, 1, 1))
    ws.add_nps(acme, 9, date=dt.date(2026, 8, 15))
    ws.add_nps(acme, 7, date=dt.date(2026, 11, 20))
    trend = nps_trend(ws, client=acme)
    assert [label for label, _ in trend] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [s.score for _, s in trend] == [-100, None, 100, 0]
    longer = nps_trend(ws, client=acme, quarters=5)
    assert longer[0][0] == "2025-Q4" and longer[0][1].score == 100
    years = nps_by_year(ws, client=acme)
    assert [(y, s.n) for y, s in years] == [("2025", 1), ("2026", 3)]

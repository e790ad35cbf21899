"""No hidden eNPS group can be worked out from what is published.

For any rounds (open, closed, published; any years), any answers and any minimum group,
the figures a report publishes (each round's counts once shown, each year's total) are
attacked with every subtraction at once: a hidden group's promoters, passives and
detractors (and so its score) can be worked out exactly when the group is a sum and
difference of published figures, that is when its set of rounds lies in the linear span
of the published figures' sets of rounds. No withheld round, and no union of withheld
rounds, may. (The number of answers of a withheld round is published on purpose.)"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulsetui.domain.enps import (
    RESULTS_AFTER_DAYS,
    round_phase,
    round_shown,
    round_uid,
    total_shown,
)
from pulsetui.domain.models import EnpsResponse
from pulsetui.domain.nps import NpsCounts
from pulsetui.service.config import Config, Thresholds
from pulsetui.service.insights.enps import all_enps, enps_years
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import new_anonymous_uid

TODAY = dt.date(2026, 11, 20)
CLOSES = {
    "open": TODAY + dt.timedelta(days=5),
    "closed": TODAY - dt.timedelta(days=1),
    "published": TODAY - dt.timedelta(days=RESULTS_AFTER_DAYS),
}

ROUND = st.tuples(
    st.sampled_from(["open", "closed", "published"]),
    st.integers(0, 7),  # promoters
    st.integers(0, 7),  # passives
    st.integers(0, 7),  # detractors
)
YEARS = st.dictionaries(st.sampled_from(["2025", "2026"]), st.lists(ROUND, min_size=1, max_size=4))


def in_span(target: list[int], rows: list[list[int]]) -> bool:
    """Whether ``target`` is a rational combination of ``rows`` (Gaussian elimination)."""
    basis: list[list[Fraction]] = []
    pivots: list[int] = []

    def reduce(vector: list[Fraction]) -> list[Fraction]:
        for row, col in zip(basis, pivots, strict=True):
            if vector[col]:
                factor = vector[col] / row[col]
                vector = [a - factor * b for a, b in zip(vector, row, strict=True)]
        return vector

    for row in rows:
        reduced = reduce([Fraction(x) for x in row])
        col = next((i for i, x in enumerate(reduced) if x), None)
        if col is not None:
            basis.append(reduced)
            pivots.append(col)
    return not any(reduce([Fraction(x) for x in target]))


def attack(
    names: list[str], hidden: set[str], published: list[tuple[frozenset[str], NpsCounts]]
) -> None:
    """Fail if a hidden round, or a union of hidden rounds, is worked out."""
    rows = [[1 if name in rounds else 0 for name in names] for rounds, _ in published]
    for size in range(1, len(hidden) + 1):
        for group in itertools.combinations(sorted(hidden), size):
            target = [1 if name in group else 0 for name in names]
            assert not in_span(target, rows), f"hidden {group} is worked out from {published}"
    # and plainly: no published figure minus another is a hidden group's counts
    for (a, counts_a), (b, counts_b) in itertools.permutations(published, 2):
        if b < a:
            assert not (a - b) & hidden, f"{sorted(a)} minus {sorted(b)} holds hidden rounds"
            left = (
                counts_a.promoters - counts_b.promoters,
                counts_a.passives - counts_b.passives,
                counts_a.detractors - counts_b.detractors,
            )
            assert left[0] >= 0 and left[2] >= 0


@settings(max_examples=300, deadline=None)
@given(years=YEARS, threshold=st.integers(3, 10))
def test_published_rules_never_let_a_hidden_group_be_worked_out(
    years: dict[str, list[tuple[str, int, int, int]]], threshold: int
) -> None:
    """The domain rules, composed the way a report composes them."""
    names: list[str] = []
    hidden: set[str] = set()
    published: list[tuple[frozenset[str], NpsCounts]] = []
    for year, rounds in years.items():
        shown_flags = []
        counts_of = {}
        for index, (phase_name, pro, pas, det) in enumerate(rounds):
            name = f"{year}-r{index}"
            names.append(name)
            counts = NpsCounts(pro, pas, det)
            counts_of[name] = counts
            phase = round_phase(CLOSES[phase_name], TODAY)
            shown = round_shown(phase, counts.n, threshold)
            shown_flags.append(shown)
            if shown:
                published.append((frozenset([name]), counts))
            elif counts.n:
                hidden.add(name)
        total = NpsCounts(
            sum(c.promoters for c in counts_of.values()),
            sum(c.passives for c in counts_of.values()),
            sum(c.detractors for c in counts_of.values()),
        )
        if len(rounds) > 1 and total.n >= threshold and total_shown(shown_flags):
            published.append((frozenset(counts_of), total))
    attack(names, hidden, published)


def test_the_reported_leak_is_closed() -> None:
    """A 6-answer round shown, two 3-answer rounds hidden: the year total minus the
    shown round gave the hidden rounds' -100."""
    names = ["2026-a", "2026-b", "2026-c"]
    shown = [round_shown("published", n, 5) for n in (6, 3, 3)]
    assert shown == [True, False, False] and not total_shown(shown)
    attack(names, {"2026-b", "2026-c"}, [(frozenset({"2026-a"}), NpsCounts(4, 2, 0))])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(years=YEARS, threshold=st.integers(3, 6))
def test_the_service_report_never_lets_a_hidden_group_be_worked_out(
    years: dict[str, list[tuple[str, int, int, int]]], threshold: int
) -> None:
    """The same attack on what ``enps report`` publishes, from a real workspace."""
    base = Path(tempfile.mkdtemp(prefix="pulsetui-enps-"))
    config = Config(thresholds=Thresholds(enps_min_answers=threshold))
    ws = Workspace.open(
        base / "home", me="Anna", config=config, clock=lambda: dt.datetime(2026, 11, 20, 10)
    )
    try:
        names: list[str] = []
        for year, rounds in years.items():
            for index, (phase_name, pro, pas, det) in enumerate(rounds):
                name = f"{year}-r{index}"
                names.append(name)
                record = {"round": name, "closes": CLOSES[phase_name].isoformat()}
                ws.store.edit("enps_round", round_uid(name)).create(record).commit()
                for score in [10] * pro + [7] * pas + [0] * det:
                    answer = ws.validate(
                        EnpsResponse, {"uid": new_anonymous_uid(), "round": name, "score": score}
                    )
                    ws.store.edit("enps", answer.uid).create_anonymous(answer.fields()).commit()
        results = {result.round: result for result in all_enps(ws)}
        published: list[tuple[frozenset[str], NpsCounts]] = []
        hidden: set[str] = set()
        for name in names:
            result = results[name]
            if result.withheld:
                assert result.score is None and result.promoters is None and not result.reasons
                if result.n:
                    hidden.add(name)
            else:
                assert result.promoters is not None and result.passives is not None
                assert result.detractors is not None
                counts = NpsCounts(result.promoters, result.passives, result.detractors)
                published.append((frozenset([name]), counts))
        for year in enps_years(ws):
            if not year.result.withheld:
                shown = year.result
                assert shown.promoters is not None and shown.passives is not None
                assert shown.detractors is not None
                counts = NpsCounts(shown.promoters, shown.passives, shown.detractors)
                published.append((frozenset(year.rounds), counts))
            else:
                assert year.result.score is None and year.result.promoters is None
        attack(names, hidden, published)
    finally:
        ws.close(checkpoint="never")
        shutil.rmtree(base, ignore_errors=True)

"""eNPS rounds open and close: answers are taken only while a round is open, and its
results appear once, after it closes, if enough people answered; never live."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pulsetui.cli.main import cli
from pulsetui.domain.errors import InvalidInput
from pulsetui.service.config import Config
from pulsetui.service.enps_rounds import answer_rules, open_round, round_state
from pulsetui.service.insights.enps import enps_result, enps_years
from pulsetui.service.workspace import Workspace


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 20, 10, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def day(self, text: str) -> None:
        self.now = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(10))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def lab(home: Path, clock: Clock) -> Iterator[Workspace]:
    ws = Workspace.open(home, me="Anna", config=Config(), clock=clock)
    yield ws
    ws.close()


def test_a_round_shows_no_score_while_open_and_once_after_it_closes(
    lab: Workspace, clock: Clock
) -> None:
    state = open_round(lab, "2026-autumn", "2026-11-30")
    assert (state.phase, state.closes, state.results_on) == (
        "open",
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 2),
    )
    seen = []
    for score in (10, 9, 3, 3, 0, 10):
        lab.add_enps(score, reason=f"because {score}")
        result = enps_result(lab, "2026-autumn")
        seen.append(result.as_dict())
        # never a score, band, count or reason while the round is open, however many
        assert result.withheld and result.score is None and result.band is None
        assert result.promoters is None and result.reasons == []
        assert result.label().startswith("open until 2026-11-30: results on 2026-12-02")
    # comparing the report after the 5th and the 6th answer tells nothing but n
    fifth, sixth = seen[4], seen[5]
    assert {k for k in fifth if fifth[k] != sixth[k]} == {"n"}
    clock.day("2026-12-01")
    with pytest.raises(InvalidInput) as refused:
        lab.add_enps(7)
    assert refused.value.for_field("round") is not None
    result = enps_result(lab, "2026-autumn")
    assert result.withheld and result.score is None
    assert result.label().startswith("closed on 2026-11-30: results on 2026-12-02")
    clock.day("2026-12-02")
    result = enps_result(lab, "2026-autumn")
    assert not result.withheld and result.n == 6
    assert (result.promoters, result.passives, result.detractors) == (3, 0, 3)
    assert result.score == 0 and sorted(result.reasons)[0] == "because 0"


def test_answers_for_a_round_not_open_are_refused_and_nothing_is_saved(
    lab: Workspace, clock: Clock
) -> None:
    with pytest.raises(InvalidInput) as none_open:
        lab.add_enps(8)
    assert "no eNPS round is open" in str(none_open.value)
    with pytest.raises(InvalidInput) as unopened:
        lab.add_enps(8, round="2027")
    assert "'2027' is not open: no manager has opened it" in str(unopened.value)
    open_round(lab, "2026", "2026-11-25")
    open_round(lab, "2026-b", "2026-11-25")
    with pytest.raises(InvalidInput) as several:
        lab.add_enps(8)
    assert "several rounds are open (2026, 2026-b)" in str(several.value)
    clock.day("2026-11-26")
    with pytest.raises(InvalidInput) as closed:
        lab.add_enps(8, round="2026")
    assert "'2026' closed on 2026-11-25: answers are no longer taken" in str(closed.value)
    assert lab.count("enps") == 0


def test_opening_rules(lab: Workspace, clock: Clock) -> None:
    with pytest.raises(InvalidInput, match="closes: must be today or later"):
        open_round(lab, "2026", "2026-11-19")
    with pytest.raises(InvalidInput, match="within a year"):
        open_round(lab, "2026", "2028-01-01")
    with pytest.raises(InvalidInput, match="round"):
        open_round(lab, "   ", "2026-11-30")
    open_round(lab, "2026", "2026-11-25")
    moved = open_round(lab, " 2026 ", "+2w")  # the same round: its closing day moves
    assert moved.name == "2026" and moved.closes == dt.date(2026, 12, 4)
    assert len(list(lab.docs("enps_round"))) == 1
    clock.day("2026-12-05")
    with pytest.raises(InvalidInput, match="never opened again"):
        open_round(lab, "2026", "2026-12-31")
    # rounds are not edited, added or deleted as plain records
    with pytest.raises(InvalidInput, match="enps open"):
        lab.add("enps_round", round="x", closes="2026-12-31")
    record = next(iter(lab.docs("enps_round")))
    with pytest.raises(InvalidInput, match="enps open"):
        lab.update("enps_round", record["uid"], closes="2027-01-31")
    with pytest.raises(InvalidInput, match="enps open"):
        lab.delete("enps_round", record["uid"])


def test_the_year_total_waits_for_every_round_of_the_year(lab: Workspace, clock: Clock) -> None:
    open_round(lab, "2026-spring", "2026-11-22")
    open_round(lab, "2026-autumn", "2026-11-30")
    for score in (10, 10, 10, 9, 9):
        lab.add_enps(score, round="2026-spring")
        lab.add_enps(0, round="2026-autumn")
    clock.day("2026-11-24")  # spring published, autumn still open
    assert not enps_result(lab, "2026-spring").withheld
    (year,) = enps_years(lab)
    assert year.result.withheld and year.result.score is None
    assert "not yet published" in year.why_withheld
    clock.day("2026-12-02")
    (year,) = enps_years(lab)
    assert not year.result.withheld and year.result.score == 0


def test_the_rules_are_said_where_people_answer(lab: Workspace) -> None:
    open_round(lab, "2026", "2026-11-30")
    rules = answer_rules(lab)
    for part in (
        "anonymous",
        "not stored",
        "random later moment",
        "Nobody sees any score while the round is open",
        "on 2026-12-02, after round 2026 closes on 2026-11-30",
        "at least 5 people",
    ):
        assert part in rules


def run(home: Path, *args: str, now: str = "2026-11-20T10:00:00") -> Result:
    return CliRunner().invoke(
        cli, ["--home", str(home), "--as", "Anna", *args], env={"PULSETUI_NOW": now}
    )


def test_the_command_line_opens_a_round_and_reports_nothing_live(home: Path) -> None:
    result = run(home, "enps", "add", "--score", "9", "--round", "2026")
    assert result.exit_code == 2 and result.stdout == ""
    assert "invalid round: '2026' is not open" in result.stderr
    assert "pulsetui enps open --round R --closes DATE" in result.stderr
    result = run(home, "enps", "open", "--round", "2026", "--closes", "2026-11-30")
    assert result.exit_code == 0
    assert "answers are taken until 2026-11-30" in result.stdout
    assert "the results appear on 2026-12-02 if at least 5 people answered" in result.stdout
    for score in ("10", "9", "9", "8", "2", "10"):
        result = run(home, "enps", "add", "--score", score, "--reason", "secret-" + score)
        assert result.exit_code == 0, result.output
    assert "saved an anonymous eNPS answer for round 2026" in result.stdout
    assert "random later moment" in result.stdout
    report = run(home, "enps", "report")
    assert report.exit_code == 0
    assert "2026: open until 2026-11-30: results on 2026-12-02" in report.stdout
    assert "promoters" not in report.stdout and "secret" not in report.stdout
    data = json.loads(run(home, "enps", "report", "--json").stdout)
    assert data["rounds"][0]["score"] is None and data["rounds"][0]["promoters"] is None
    assert data["rounds"][0]["reasons"] == []
    rounds = run(home, "enps", "rounds").stdout
    assert rounds.startswith("2026: open until 2026-11-30")
    late = run(home, "enps", "add", "--score", "1", "--round", "2026", now="2026-12-01T09:00")
    assert late.exit_code == 2 and "closed on 2026-11-30" in late.stderr
    report = run(home, "enps", "report", now="2026-12-01T09:00:00")
    assert "closed on 2026-11-30" in report.stdout and "promoters" not in report.stdout
    report = run(home, "enps", "report", now="2026-12-02T09:00:00")
    assert "2026: +50 good (n=6)" in report.stdout
    assert "promoters 4, passives 1, detractors 1" in report.stdout
    assert "secret-2" in report.stdout


def test_round_state_counts_only_answers_of_that_round(lab: Workspace) -> None:
    open_round(lab, "2026", "2026-11-30")
    lab.add_enps(5)
    assert round_state(lab, "2026").n == 1 and round_state(lab, "other").n == 0

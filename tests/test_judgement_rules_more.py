"""The judgements added to the red flags and around them, on their own (facts in,
judgement out): the squeezed consultant and the cross-hat flag, the spiral ledger and
its mistakes, the spiral stuck, onboarding over three months, the client's own main
communicator, the stage the rules use, the onboarding countdown, health per stage, the
segment self-check, each contact's NPS path and counting in words."""

from __future__ import annotations

import datetime as dt

import pytest

from pulsetui.domain.communicators import Tenure, current_tenure, legacy_tenures, tenures
from pulsetui.domain.enums import Answer, Cadence, LifecycleStage, SpiralQuarter
from pulsetui.domain.facts import (
    AgreementFacts,
    ClientFacts,
    ConsultantFacts,
    EngagementFacts,
    HandoverFacts,
    NpsAnswer,
    PulseFacts,
    RequestFacts,
)
from pulsetui.domain.flag_rules import FlagRaised, FlagSettings, client_flags, consultant_flags
from pulsetui.domain.health import facts_on, health_on, weigh
from pulsetui.domain.nps_path import nps_paths
from pulsetui.domain.segment_check import self_check
from pulsetui.domain.segments import countdown_text, onboarding_days_left, stage_on
from pulsetui.domain.spiral import fed_items, mix_mistakes, spiral_mix, suggested_spiral
from pulsetui.domain.words import counted, days_ago

D = dt.date
TODAY = D(2026, 11, 20)
SETTINGS = FlagSettings()


def _ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def _kinds(flags: list[FlagRaised]) -> list[str]:
    return [f.kind for f in flags]


def _client(**fields: object) -> ClientFacts:
    fields.setdefault("started", D(2025, 1, 1))
    fields.setdefault("meetings", (("held", _ago(3)),))
    fields.setdefault("name", "Acme")
    return ClientFacts(uid="acme", **fields)  # type: ignore[arg-type]


# ---- the squeezed consultant ---------------------------------------------------------------


def _pulse(days: int, wellbeing: int, workload: str = "ok") -> PulseFacts:
    return PulseFacts("held", _ago(days), wellbeing, workload, uid=f"p{days}")


def _mia(*pulses: PulseFacts) -> ConsultantFacts:
    placed = EngagementFacts("e1", client="acme", consultant="mia", start=D(2026, 1, 1))
    return ConsultantFacts("mia", pulses=pulses, engagements=(placed,), name="Mia")


def test_two_strained_pulses_in_a_row_flag_a_squeezed_consultant() -> None:
    mia = _mia(_pulse(70, 4), _pulse(40, 2), _pulse(10, 3, "too_high"))
    (flag,) = consultant_flags(mia, TODAY, SETTINGS, {"acme": _client()})
    assert (flag.kind, flag.key, flag.client, flag.consultant) == (
        "consultant_squeezed",
        "consultant_squeezed:mia",
        "acme",
        "mia",
    )
    assert flag.reason == (
        "Mia: wellbeing 2, 3 and workload too high at the last 2 pulses "
        f"({_ago(40).isoformat()} to {_ago(10).isoformat()})"
    )
    assert flag.since == _ago(40)
    assert [e.key for e in flag.evidence] == ["pulse:p40", "pulse:p10"]


def test_one_bad_pulse_or_a_good_last_one_is_no_squeeze() -> None:
    assert consultant_flags(_mia(_pulse(40, 4), _pulse(10, 2)), TODAY, SETTINGS) == []
    recovered = _mia(_pulse(70, 2), _pulse(40, 1, "too_high"), _pulse(10, 4))
    assert consultant_flags(recovered, TODAY, SETTINGS) == []
    planned = PulseFacts("planned", _ago(5), 1, "too_high", uid="p5")
    assert consultant_flags(_mia(_pulse(40, 4), _pulse(10, 2), planned), TODAY, SETTINGS) == []


def test_the_squeeze_thresholds_come_from_the_settings() -> None:
    mia = _mia(_pulse(40, 3), _pulse(10, 3))
    assert consultant_flags(mia, TODAY, SETTINGS) == []
    lenient = FlagSettings(squeezed_wellbeing=3)
    assert _kinds(consultant_flags(mia, TODAY, lenient)) == ["consultant_squeezed"]
    strict = FlagSettings(squeezed_pulses=3)
    assert consultant_flags(_mia(_pulse(40, 1), _pulse(10, 1)), TODAY, strict) == []


def test_squeezed_while_the_client_presses_scope_is_caught_between_naming_both() -> None:
    mia = _mia(_pulse(40, 2), _pulse(10, 2))
    wish = RequestFacts("w1", "wish", "accepted", _ago(20), "Yet another report")
    late = AgreementFacts("a1", "Approve the mock-ups", side="client", status="open", due=_ago(5))
    pressing = _client(requests=(wish,), agreements=(late,))
    (flag,) = consultant_flags(mia, TODAY, SETTINGS, {"acme": pressing})
    assert (flag.kind, flag.key, flag.client, flag.consultant) == (
        "caught_between",
        "caught_between:e1",
        "acme",
        "mia",
    )
    assert "Mia: wellbeing 2, 2" in flag.reason
    assert flag.reason.endswith(
        "meanwhile Acme presses scope: a wish accepted without a plan, a client approval overdue"
    )
    assert {e.key for e in flag.evidence} >= {"wish:w1", "late:a1"}


def test_scope_pressure_long_before_the_strain_is_not_at_the_same_time() -> None:
    mia = _mia(_pulse(40, 2), _pulse(10, 2))
    old = RequestFacts("w1", "wish", "accepted", _ago(100), "Old wish")
    planned = RequestFacts("w2", "wish", "accepted", _ago(20), "Planned wish", planned=True)
    calm = _client(requests=(old, planned))
    assert _kinds(consultant_flags(mia, TODAY, SETTINGS, {"acme": calm})) == ["consultant_squeezed"]


# ---- the spiral ledger --------------------------------------------------------------------


def _ours(
    uid: str, quarter: SpiralQuarter | None, day: dt.date, status: str = "done"
) -> AgreementFacts:
    return AgreementFacts(
        uid, f"Work {uid}", side="us", status=status, created=day, spiral=quarter and quarter.value
    )


F, U, S, P = (
    SpiralQuarter.Q1_FUNCTIONALITY,
    SpiralQuarter.Q2_USABILITY,
    SpiralQuarter.Q3_STABILITY,
    SpiralQuarter.Q4_SUPPORT,
)


def test_the_mix_counts_our_work_and_accepted_requests_per_calendar_quarter() -> None:
    agreements = (
        _ours("a1", F, D(2026, 8, 1)),
        _ours("a2", U, D(2026, 10, 1)),
        _ours("a3", F, D(2026, 10, 2), status="cancelled"),  # cancelled: fed nothing
        _ours("a4", S, D(2026, 5, 1)),  # before the window
        AgreementFacts(
            "a5", "Theirs", side="client", created=D(2026, 10, 3), spiral="q1_functionality"
        ),
    )
    requests = (
        RequestFacts("r1", "support", "done", D(2026, 9, 1), spiral="q4_support"),
        RequestFacts("r2", "wish", "new", D(2026, 9, 2), spiral="q1_functionality"),  # not taken on
        RequestFacts("r3", "wish", "accepted", D(2026, 11, 1), spiral="q3_stability"),
    )
    mix = spiral_mix(fed_items(_client(agreements=agreements, requests=requests)), TODAY)
    assert mix.start == D(2026, 7, 1)
    assert [
        (label, counts[F], counts[U], counts[S], counts[P]) for label, counts in mix.periods
    ] == [
        ("2026-Q3", 1, 0, 0, 1),
        ("2026-Q4", 0, 1, 1, 0),
    ]
    assert mix.line() == "functionality 1 · usability 1 · stability 1 · support 1"


def test_new_work_is_suggested_the_clients_quarter_and_support_feeds_support() -> None:
    assert suggested_spiral("q2_usability") == U
    assert suggested_spiral("q2_usability", "support") == P
    assert suggested_spiral(None) == F


@pytest.mark.parametrize(
    ("fed", "kind"),
    [
        ((F, F, F), "spiral_features_without_ux"),
        ((U, U, U, S), "spiral_ux_without_features"),
        ((F, F, U, U), "spiral_no_stabilisation"),
    ],
)
def test_the_mix_shows_the_mistakes(fed: tuple[SpiralQuarter, ...], kind: str) -> None:
    agreements = tuple(_ours(f"a{i}", q, D(2026, 9, 1 + i)) for i, q in enumerate(fed))
    flags = [f for f in client_flags(_client(agreements=agreements), TODAY, SETTINGS)]
    (flag,) = [f for f in flags if f.kind.startswith("spiral_")]
    assert flag.kind == kind and flag.key == f"{kind}:acme"
    assert "since 2026-07-01" in flag.reason and "“Work a0”" in flag.reason
    assert flag.evidence[0].key == "agreement:a0"


@pytest.mark.parametrize(
    "fed",
    [(F, F), (F, F, F, U, S), (U, U, F), (F, F, U, U, S), (F, U, U), (S, S, S, P)],
)
def test_a_balanced_or_small_mix_is_no_mistake(fed: tuple[SpiralQuarter, ...]) -> None:
    agreements = tuple(_ours(f"a{i}", q, D(2026, 9, 1 + i)) for i, q in enumerate(fed))
    mix = spiral_mix(fed_items(_client(agreements=agreements)), TODAY)
    assert mix_mistakes(mix, D(2025, 1, 1)) == []


def test_a_client_new_within_the_window_is_not_judged_on_its_mix() -> None:
    agreements = tuple(_ours(f"a{i}", F, D(2026, 10, 1 + i)) for i in range(5))
    mix = spiral_mix(fed_items(_client(agreements=agreements)), TODAY)
    assert mix_mistakes(mix, D(2026, 8, 1)) == []
    assert [m.kind for m in mix_mistakes(mix, D(2026, 7, 1))] == ["spiral_features_without_ux"]


def test_the_spiral_is_stuck_when_only_its_quarter_was_fed_for_over_two_quarters() -> None:
    fed_here = tuple(_ours(f"a{i}", S, D(2026, 9, 1 + i)) for i in range(2))
    stuck = _client(spiral="q3_stability", spiral_since=D(2026, 3, 1), agreements=fed_here)
    (flag,) = [f for f in client_flags(stuck, TODAY, SETTINGS) if f.kind == "spiral_stuck"]
    assert flag.reason.startswith("Q3 stability fed for 264 days")
    assert flag.since == D(2026, 3, 1) + dt.timedelta(days=183)
    moving = _client(
        spiral="q3_stability",
        spiral_since=D(2026, 3, 1),
        agreements=(*fed_here, _ours("a9", P, D(2026, 10, 1))),
    )
    assert "spiral_stuck" not in _kinds(client_flags(moving, TODAY, SETTINGS))
    nothing_recorded = _client(spiral="q3_stability", spiral_since=D(2026, 3, 1))
    assert "spiral_stuck" not in _kinds(client_flags(nothing_recorded, TODAY, SETTINGS))
    recent = _client(spiral="q3_stability", spiral_since=_ago(182), agreements=fed_here)
    assert "spiral_stuck" not in _kinds(client_flags(recent, TODAY, SETTINGS))


# ---- lifecycle --------------------------------------------------------------------------------


def test_onboarding_over_three_months_by_the_stage_field() -> None:
    late = _client(stage="onboarding", stage_since=_ago(92), started=_ago(92))
    (flag,) = [f for f in client_flags(late, TODAY, SETTINGS) if f.kind == "onboarding_overdue"]
    assert flag.reason.startswith("onboarding for 92 days")
    in_time = _client(stage="onboarding", stage_since=_ago(91), started=_ago(91))
    assert "onboarding_overdue" not in _kinds(client_flags(in_time, TODAY, SETTINGS))
    moved_on = _client(stage="adoption", stage_since=_ago(10), started=_ago(200))
    assert "onboarding_overdue" not in _kinds(client_flags(moved_on, TODAY, SETTINGS))


def test_the_stage_the_rules_use_is_the_stage_field_and_none_before_the_start() -> None:
    assert stage_on("success", _ago(100), _ago(400), TODAY) == LifecycleStage.SUCCESS
    assert stage_on("success", _ago(100), _ago(400), _ago(150)) == LifecycleStage.ADOPTION
    assert stage_on("adoption", _ago(100), _ago(400), _ago(150)) == LifecycleStage.ONBOARDING
    assert stage_on("success", None, _ago(30), TODAY) == LifecycleStage.SUCCESS
    assert stage_on("success", None, _ago(30), _ago(31)) is None
    assert stage_on(None, None, _ago(30), TODAY) == LifecycleStage.ONBOARDING
    assert stage_on(None, None, _ago(91), TODAY) is None


def test_the_onboarding_countdown() -> None:
    assert onboarding_days_left("onboarding", None, _ago(75), TODAY) == 16
    assert onboarding_days_left("onboarding", _ago(10), _ago(400), TODAY) == 81
    assert onboarding_days_left("onboarding", None, _ago(100), TODAY) == -9
    assert onboarding_days_left("adoption", None, _ago(75), TODAY) is None
    assert countdown_text(16).startswith("onboarding: 16 days left of the first three months")
    assert countdown_text(1).startswith("onboarding: 1 day left")
    assert countdown_text(-9) == "" and countdown_text(None) == ""


def test_adoption_wants_frequent_contact() -> None:
    quiet = _client(
        stage="adoption",
        stage_since=_ago(200),
        started=_ago(400),
        meetings=(("held", _ago(8)),),
        nps=(NpsAnswer("n", _ago(10), 10),),
    )
    lost = dict((reason, points) for points, reason in weigh(facts_on(quiet, {}, TODAY, 7))[1])
    assert lost == {
        "adoption: no contact for 8 days; calls twice a week are recommended": 10,
        "adoption: meetings agreed quarterly; frequent contact is recommended": 5,
    }
    close = _client(
        stage="adoption",
        stage_since=_ago(200),
        started=_ago(400),
        cadence=Cadence.TWICE_WEEKLY,
        meetings=(("held", _ago(2)),),
        nps=(NpsAnswer("n", _ago(10), 10),),
    )
    assert weigh(facts_on(close, {}, TODAY, 7)) == (100, [])


def test_success_needs_its_measurement() -> None:
    calm = _client(stage="success", stage_since=_ago(200), started=_ago(400))
    assert weigh(facts_on(calm, {}, TODAY, 7))[1] == [(10, "no NPS answer in the last 6 months")]


def test_no_health_score_for_quarters_before_the_client_started() -> None:
    new = _client(started=D(2026, 8, 15), stage="onboarding", stage_since=D(2026, 8, 15))
    assert len(health_on(new, {}, TODAY, 7).trend) == 2  # 2026-Q3 and Q4
    unstarted = _client(started=None, created=D(2026, 5, 1), stage="success")
    assert len(health_on(unstarted, {}, TODAY, 7).trend) == 3


# ---- the client's own main communicator ------------------------------------------------------


def _handover(days: int, name: str, role: str = "analyst", note: str = "") -> HandoverFacts:
    return HandoverFacts(name, role, _ago(days), note)


def test_tenures_end_the_day_before_the_next_one_starts() -> None:
    history = tenures([_handover(500, "Aino"), _handover(30, "Liis", "project_manager", "calls")])
    assert history == [
        Tenure("Aino", "analyst", _ago(500), _ago(31)),
        Tenure("Liis", "project_manager", _ago(30), None, "calls"),
    ]
    assert current_tenure(history, TODAY) == history[1]
    assert current_tenure(history, _ago(100)) == history[0]
    planned = tenures([_handover(100, "Aino"), _handover(-5, "Liis")])
    assert current_tenure(planned, TODAY) == planned[0]
    same_day = tenures([_handover(10, "Typo"), _handover(10, "Liis")])
    assert [t.name for t in same_day] == ["Liis"]


def test_the_current_holder_too_long_and_a_handover_starts_the_count_again() -> None:
    long = _client(handovers=(_handover(400, "Aino"),))
    (flag,) = [f for f in client_flags(long, TODAY, SETTINGS) if f.kind == "communicator_too_long"]
    assert flag.key == "communicator_too_long:acme"
    assert flag.reason.startswith(f"Aino has been the main communicator since {_ago(400)}")
    rotated = _client(handovers=(_handover(400, "Aino"), _handover(0, "Liis")))
    assert "communicator_too_long" not in _kinds(client_flags(rotated, TODAY, SETTINGS))


def test_a_purely_technical_main_communicator_of_the_client() -> None:
    tech = _client(handovers=(_handover(10, "Tom", "technical"),))
    (flag,) = [f for f in client_flags(tech, TODAY, SETTINGS) if f.kind == "communicator_technical"]
    assert flag.reason == "Tom is a purely technical person in the main communicator role"
    for role in ("analyst", "project_manager", "delivery_manager", "product_manager"):
        fine = _client(handovers=(_handover(10, "Tom", role),))
        assert "communicator_technical" not in _kinds(client_flags(fine, TODAY, SETTINGS))


def test_a_client_with_its_own_history_no_longer_reads_its_engagements() -> None:
    old = EngagementFacts(
        "e1", "acme", "mia", start=_ago(600), main_communicator="Mia", communicator_role="technical"
    )
    legacy = _client(engagements=(old,))
    assert {"communicator_too_long", "communicator_technical"} <= set(
        _kinds(client_flags(legacy, TODAY, SETTINGS))
    )
    assert [t.name for t in legacy_tenures([old], TODAY)] == ["Mia"]
    moved = _client(engagements=(old,), handovers=(_handover(5, "Liis"),))
    kinds = _kinds(client_flags(moved, TODAY, SETTINGS))
    assert "communicator_too_long" not in kinds and "communicator_technical" not in kinds


# ---- the segment self-check -------------------------------------------------------------------


def test_the_evidence_suggests_we_unsure_and_client_no() -> None:
    doubtful = _client(
        unpaid_invoices=True,
        decision_makers=3,
        agreements=(
            AgreementFacts("a1", "Approve", side="client", status="open", due=_ago(3)),
            AgreementFacts(
                "a2", "Ship", side="us", status="broken", history=((_ago(20), "broken"),)
            ),
        ),
        nps=(NpsAnswer("n1", _ago(30), 4),),
    )
    check = self_check(doubtful, "yes", "yes", TODAY)
    assert (check.client_wants_us, check.we_want_client) == (Answer.NO, Answer.UNSURE)
    assert check.our_reasons == ("unpaid invoices", "1 client approval late", "3 decision makers")
    assert check.client_reasons == (
        "1 detractor answer in 6 months",
        "1 promise of ours broken in 6 months",
    )


def test_without_evidence_the_answers_stay_as_recorded() -> None:
    calm = _client(
        decision_makers=2, nps=(NpsAnswer("n1", _ago(200), 3), NpsAnswer("n2", _ago(5), 9))
    )
    check = self_check(calm, "yes", "yes", TODAY)
    assert (check.client_wants_us, check.we_want_client, check.changes) == (
        Answer.YES,
        Answer.YES,
        False,
    )
    no_already = self_check(_client(unpaid_invoices=True), "unsure", "no", TODAY)
    assert no_already.we_want_client == Answer.NO and not no_already.changes


# ---- each contact's NPS path, and counting in words ---------------------------------------


def test_each_contacts_path_from_passive_to_promoter() -> None:
    answers = (
        NpsAnswer("1", D(2025, 11, 1), 7, "Hanna"),
        NpsAnswer("2", D(2026, 3, 1), 8, "hanna "),
        NpsAnswer("3", D(2026, 10, 1), 9, "Hanna"),
        NpsAnswer("4", D(2026, 4, 1), 9, "Pekka"),
        NpsAnswer("5", D(2026, 9, 1), 5, "Pekka"),
        NpsAnswer("6", D(2026, 9, 1), 10, ""),
        NpsAnswer("7", None, 0, "Hanna"),
    )
    hanna, pekka, nobody = nps_paths(answers)
    assert (hanna.contact, hanna.label(), hanna.direction, hanna.reached_goal) == (
        "Hanna",
        "passive → promoter (7, 8, 9)",
        "up",
        True,
    )
    assert (pekka.label(), pekka.direction, pekka.reached_goal) == (
        "promoter → detractor (9, 5)",
        "down",
        False,
    )
    assert (nobody.contact, nobody.label()) == ("", "promoter (10)")


def test_counting_in_words() -> None:
    assert counted(1, "day") == "1 day" and counted(2, "day") == "2 days"
    assert counted(1, "agenda item") == "1 agenda item"
    assert counted(3, "agenda item") == "3 agenda items"
    assert counted(2, "wish") == "2 wishes" and counted(0, "reply") == "0 replies"
    assert days_ago(1) == "1 day ago" and days_ago(0) == "today" and days_ago(-2) == "2 days ahead"

"""The judgements other than red flags, on their own: health facts as of a day,
onboarding and lifecycle, the segment move, the three hats' pulse side, what goes in
the since-last-meeting brief, eNPS results and an agreement's status on a day. Facts
in, judgement out; no workspace."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.agreements import status_on
from pulsetui.domain.brief import (
    agreements_due,
    carried_over,
    days_since_last,
    new_requests,
    next_planned,
    nps_change,
    nps_windows,
)
from pulsetui.domain.cadence import DueState
from pulsetui.domain.enps import enps_of, enps_years_of, newest_round, round_year
from pulsetui.domain.enums import Cadence, LifecycleStage, Segment, SpiralQuarter
from pulsetui.domain.facts import (
    AgreementFacts,
    ClientFacts,
    EngagementFacts,
    NpsAnswer,
    PulseFacts,
    RequestFacts,
)
from pulsetui.domain.hats import pulse_state, wellbeing_trend
from pulsetui.domain.health import facts_on, health_on
from pulsetui.domain.models import AgendaItem, Agreement, Request
from pulsetui.domain.segments import in_onboarding, lifecycle_on, moves_since, segment_move

D = dt.date
TODAY = D(2026, 11, 20)


def _ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


# ---- agreement status on a day -------------------------------------------------------------


def test_status_on_a_day_follows_the_history() -> None:
    history = ((D(2026, 1, 1), "open"), (None, "done"), (D(2026, 3, 1), "broken"))
    assert status_on(history, "broken", D(2026, 1, 1), D(2025, 12, 31)) == (None, None)
    assert status_on(history, "broken", D(2026, 1, 1), D(2026, 2, 1)) == ("open", D(2026, 1, 1))
    assert status_on(history, "broken", D(2026, 1, 1), D(2026, 3, 1)) == ("broken", D(2026, 3, 1))


def test_status_on_a_day_without_history_is_the_status_since_creation() -> None:
    assert status_on((), "open", D(2026, 1, 1), D(2026, 2, 1)) == ("open", D(2026, 1, 1))
    assert status_on((), "open", D(2026, 1, 1), D(2025, 2, 1)) == (None, None)
    assert status_on((), "open", None, D(2026, 2, 1)) == (None, None)


# ---- health facts --------------------------------------------------------------------------


def _acme(**fields: object) -> ClientFacts:
    fields.setdefault("started", D(2025, 1, 1))
    return ClientFacts(uid="acme", **fields)  # type: ignore[arg-type]


def test_health_facts_count_agreements_as_they_stood_that_day() -> None:
    ours = AgreementFacts(
        "a1",
        side="us",
        status="done",
        due=D(2026, 10, 1),
        history=((D(2026, 9, 1), "open"), (D(2026, 11, 1), "done")),
    )
    theirs = AgreementFacts("a2", side="client", status="open", due=_ago(5), created=_ago(30))
    broken = AgreementFacts("a3", status="broken", history=((_ago(10), "broken"),))
    old = AgreementFacts("a4", status="broken", history=((_ago(182), "broken"),))
    client = _acme(agreements=(ours, theirs, broken, old))
    today = facts_on(client, {}, TODAY, 7)
    assert (today.overdue_ours, today.overdue_theirs, today.broken_recent) == (0, 1, 1)
    october = facts_on(client, {}, D(2026, 10, 20), 7)
    assert (october.overdue_ours, october.overdue_theirs, october.broken_recent) == (1, 0, 1)


def test_health_facts_recent_nps_and_contact() -> None:
    client = _acme(
        cadence=Cadence.MONTHLY,
        meetings=(("held", _ago(40)), ("planned", _ago(1))),
        touchpoints=(_ago(12), TODAY + dt.timedelta(days=3)),
        nps=(NpsAnswer("n1", _ago(181), 10), NpsAnswer("n2", _ago(182), 0)),
    )
    facts = facts_on(client, {}, TODAY, 7)
    assert (facts.nps, facts.nps_n) == (100.0, 1)
    assert (facts.meeting, facts.meeting_days_since) == (DueState.OVERDUE, 40)
    assert facts.days_since_contact == 12


def test_onboarding_expects_a_first_meeting_after_two_weeks() -> None:
    new = _acme(started=_ago(13))
    facts = facts_on(new, {}, TODAY, 7)
    assert facts.onboarding and not facts.meeting_expected
    assert facts_on(_acme(started=_ago(14)), {}, TODAY, 7).meeting_expected
    settled = facts_on(_acme(started=_ago(91)), {}, TODAY, 7)
    assert not settled.onboarding and settled.meeting_expected


def test_health_facts_last_wellbeing_of_consultants_placed_that_day() -> None:
    placed = EngagementFacts("e1", "acme", "mia", start=D(2026, 1, 1))
    gone = EngagementFacts("e2", "acme", "tom", start=D(2026, 1, 1), end=_ago(1))
    pulses = {
        "mia": (
            PulseFacts("held", _ago(60), 4),
            PulseFacts("held", _ago(20), 2),
            PulseFacts("planned", _ago(1), 5),
        ),
        "tom": (PulseFacts("held", _ago(35), 1),),
    }
    client = _acme(engagements=(placed, gone), names={"mia": "Mia", "tom": "Tom"})
    assert facts_on(client, pulses, TODAY, 7).wellbeing == {"Mia": 2}
    assert facts_on(client, pulses, _ago(30), 7).wellbeing == {"Mia": 4, "Tom": 1}


def test_health_facts_stale_requests_and_flags_of_today() -> None:
    requests = (
        RequestFacts("r1", "support", "new", _ago(14)),
        RequestFacts("r2", "support", "new", _ago(13)),
        RequestFacts("r3", "support", "done", _ago(40)),
    )
    client = _acme(requests=requests, unpaid_invoices=True, approval_delays=True)
    facts = facts_on(client, {}, TODAY, 7)
    assert (facts.stale_requests, facts.unpaid_invoices, facts.approval_delays) == (1, True, True)


def test_health_trend_is_scored_at_each_quarter_end() -> None:
    overdue = AgreementFacts(
        "a1", side="us", status="open", due=D(2026, 8, 1), created=D(2026, 1, 1)
    )
    health = health_on(_acme(agreements=(overdue,), meetings=(("held", _ago(5)),)), {}, TODAY, 7)
    # no NPS answer throughout (-5); no meeting yet at the end of Q1 and Q2 (-15); the
    # agreement overdue from Q3 on (-8); today a meeting was held five days ago
    assert health.trend == [80, 80, 72, 87] and health.score == 87


# ---- onboarding, lifecycle and the segment move -------------------------------------------


def test_onboarding_is_the_first_three_months() -> None:
    assert in_onboarding(_ago(90), None, "success", TODAY)
    assert not in_onboarding(_ago(91), None, "onboarding", TODAY)
    assert in_onboarding(None, _ago(10), None, TODAY)  # from when the stage was set
    assert not in_onboarding(TODAY + dt.timedelta(days=1), None, "onboarding", TODAY)
    assert in_onboarding(None, None, "onboarding", TODAY)
    assert not in_onboarding(None, None, None, TODAY)


def test_lifecycle_counts_from_the_start_without_a_stage_date() -> None:
    life = lifecycle_on("onboarding", None, "q1_functionality", _ago(200), _ago(92), TODAY)
    assert (life.stage, life.since, life.days_in_stage) == (
        LifecycleStage.ONBOARDING,
        _ago(92),
        92,
    )
    assert life.warning.startswith("onboarding for 92 days")
    assert life.spiral == SpiralQuarter.Q1_FUNCTIONALITY and life.days_in_spiral == 200
    assert life.spiral_warning.startswith("Q1 functionality fed for 200 days")
    calm = lifecycle_on("adoption", _ago(300), "q2_usability", _ago(30), None, TODAY)
    assert calm.warning == "" and calm.spiral_warning == ""
    unknown = lifecycle_on("onboarding", None, "q2_usability", None, None, TODAY)
    assert unknown.days_in_stage is None and unknown.warning == ""


def test_segment_moves_count_since_the_end_of_last_quarter() -> None:
    assert moves_since(TODAY) == D(2026, 9, 30)
    assert moves_since(D(2026, 1, 1)) == D(2025, 12, 31)
    assert moves_since(D(2026, 6, 30)) == D(2026, 3, 31)


def test_segment_move_since_last_quarter() -> None:
    assert segment_move(("yes", "yes"), ("yes", "no")) == (
        Segment.TOP,
        Segment.STEADY,
        "steady → top",
    )
    assert segment_move(("no", "no"), ("no", "no"))[2] == "stayed"
    assert segment_move(("unsure", "yes"), None) == (Segment.UNKNOWN, None, "new")


# ---- the three hats: the consultant's side ------------------------------------------------


def test_wellbeing_trend_is_the_last_four_held() -> None:
    pulses = [PulseFacts("held", _ago(10 * i), i) for i in range(1, 7)]
    pulses += [
        PulseFacts("planned", _ago(1), 5),
        PulseFacts("held", None, 5),
        PulseFacts("held", _ago(2), None),
        PulseFacts("held", TODAY + dt.timedelta(days=1), 5),
    ]
    assert wellbeing_trend(pulses, TODAY) == [
        (_ago(40), 4),
        (_ago(30), 3),
        (_ago(20), 2),
        (_ago(10), 1),
    ]
    assert wellbeing_trend([], TODAY) == []


def test_pulse_state_from_the_last_one_held() -> None:
    assert pulse_state([], TODAY) == DueState.NEVER
    assert pulse_state([PulseFacts("held", _ago(27))], TODAY) == DueState.OK
    assert pulse_state([PulseFacts("held", _ago(28))], TODAY) == DueState.DUE
    assert pulse_state([PulseFacts("held", _ago(42))], TODAY) == DueState.OVERDUE
    assert pulse_state([PulseFacts("held", _ago(42))], TODAY, 50, 60) == DueState.OK
    assert pulse_state([PulseFacts("planned", _ago(1))], TODAY) == DueState.NEVER


# ---- the since-last-meeting brief ----------------------------------------------------------


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9))


def test_brief_picks_items_agreements_and_requests_around_the_last_meeting() -> None:
    last = _ago(10)
    before = AgendaItem(uid="i1", client="c", text="Before", added_at=_at(_ago(12)))
    on_day = AgendaItem(uid="i2", client="c", text="Same day", added_at=_at(last))
    after = AgendaItem(uid="i3", client="c", text="After", added_at=_at(_ago(3)))
    done = AgendaItem(uid="i4", client="c", text="Done", added_at=_at(_ago(12)), status="discussed")
    items = [after, on_day, done, before]
    assert [i.text for i in carried_over(items, last)] == ["Before", "Same day"]
    assert carried_over(items, None) == []

    kw = {"client": "c", "side": "us", "created": _ago(60)}
    due = [
        Agreement(uid="a1", text="Later", **kw, due=TODAY + dt.timedelta(days=8)),
        Agreement(uid="a2", text="Soon", **kw, due=TODAY + dt.timedelta(days=7)),
        Agreement(uid="a3", text="Late", **kw, due=_ago(1)),
        Agreement(uid="a4", text="Done", **kw, due=_ago(1), status="done"),
    ]
    assert [a.text for a in agreements_due(due, TODAY)] == ["Late", "Soon"]

    requests = [
        Request(uid="r1", client="c", text="Old new", date=_ago(30)),
        Request(uid="r2", client="c", text="Old done", date=_ago(30), status="done"),
        Request(uid="r3", client="c", text="Fresh", date=_ago(2), status="accepted"),
    ]
    assert [r.text for r in new_requests(requests, last)] == ["Fresh"]
    assert [r.text for r in new_requests(requests, None)] == ["Old new"]


def test_brief_dates_nps_windows_and_change() -> None:
    meetings = [("planned", _ago(1)), ("planned", TODAY + dt.timedelta(days=9)), ("held", TODAY)]
    meetings += [
        ("cancelled", TODAY + dt.timedelta(days=2)),
        ("planned", TODAY + dt.timedelta(days=4)),
    ]
    assert next_planned(meetings, TODAY) == TODAY + dt.timedelta(days=4)
    assert next_planned([], TODAY) is None
    now, before, after = nps_windows(TODAY, _ago(10))
    assert now == (_ago(365), TODAY)
    assert before == (_ago(365), _ago(10)) and after == (_ago(9), TODAY)
    assert nps_windows(TODAY, None)[1:] == (None, None)
    assert nps_change(0.0, 100.0) == 100.0 and nps_change(None, 50.0) is None
    assert days_since_last([_ago(5), _ago(3), TODAY + dt.timedelta(days=1)], TODAY) == 3
    assert days_since_last([], TODAY) is None


# ---- eNPS ----------------------------------------------------------------------------------


def test_enps_round_below_the_minimum_group_shows_only_n() -> None:
    small = enps_of("2026", [(10, "great")] * 4, threshold=5)
    assert (small.withheld, small.n, small.score, small.reasons) == (True, 4, None, [])


def test_enps_round_with_enough_answers_and_its_reasons() -> None:
    answers = [(10, "great"), (9, ""), (9, "ok"), (7, "  "), (0, "bad")]
    seen: list[list[str]] = []
    result = enps_of("2026", answers, threshold=5, shuffle=seen.append)
    assert (result.score, result.band) == (40.0, "good")
    assert (result.promoters, result.passives, result.detractors) == (3, 1, 1)
    assert result.reasons == ["great", "ok", "bad"] and seen == [result.reasons]
    assert enps_of("2026", answers, threshold=5, with_reasons=False).reasons == []


def test_enps_year_total_is_withheld_when_it_would_reveal_a_small_round() -> None:
    rounds = {"2026-spring": [(9, "a")] * 6, "2026-trainees": [(0, "b")] * 3, "2025": [(9, "")] * 5}
    (year,) = enps_years_of(rounds, threshold=5)
    assert year.year == "2026" and year.rounds == ("2026-spring", "2026-trainees")
    assert year.result.withheld and year.why_withheld.startswith("a round below the threshold")
    shown = enps_years_of({"2026-a": [(9, "")] * 5, "2026-b": [(9, "x")] * 5}, threshold=5)
    assert not shown[0].result.withheld and shown[0].result.reasons == []
    few = enps_years_of({"2026-a": [(9, "")] * 2, "2026-b": [(9, "")] * 2}, threshold=5)
    assert few[0].why_withheld == "fewer than 5 answers"


def test_enps_rounds_by_name() -> None:
    sizes = {"2025": 9, "2026-spring": 3, "Pilot": 7}
    assert newest_round(sizes) == "Pilot"
    assert newest_round({"2025": 9, "2026-spring": 3}, 5) == "2025"
    assert newest_round({"2026": 2}, 5) is None
    assert (round_year("2026-autumn"), round_year("20260"), round_year("Pilot")) == (
        "2026",
        None,
        None,
    )


def test_a_planned_meeting_whose_day_passed_unheld_is_not_held() -> None:
    from pulsetui.domain.meeting_plan import next_meeting_words, not_held

    assert not_held([("planned", _ago(10))], TODAY) == _ago(10)
    assert not_held([("planned", TODAY)], TODAY) is None  # today's may still be held
    # the latest slip is the one shown; one held since leaves the earlier ones history
    assert not_held([("planned", _ago(20)), ("planned", _ago(10))], TODAY) == _ago(10)
    assert not_held([("planned", _ago(20)), ("held", _ago(15))], TODAY) is None
    assert not_held([("planned", _ago(10)), ("held", _ago(10))], TODAY) is None
    assert not_held([("planned", _ago(10)), ("held", _ago(15))], TODAY) == _ago(10)
    assert not_held([("cancelled", _ago(10)), ("held", _ago(40))], TODAY) is None
    assert not_held([("planned", "2026-11-1x"), ("planned", None), ("planned", 7)], TODAY) is None
    assert not_held([("planned", "2026-11-10")], TODAY) == D(2026, 11, 10)  # as stored
    slip = "planned 2026-11-10, not held (10 days ago)"
    assert next_meeting_words(None, D(2026, 11, 10), TODAY) == f"{slip}; none planned since"
    assert next_meeting_words("2026-12-01 10:30", D(2026, 11, 10), TODAY) == (
        f"2026-12-01 10:30 · {slip}"
    )
    assert next_meeting_words("2026-12-01", None, TODAY) == "2026-12-01"
    assert next_meeting_words(None, None, TODAY) == "—"
    assert next_meeting_words(None, None, TODAY, none="none planned") == "none planned"

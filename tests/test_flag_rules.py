"""The red-flag rules on their own: facts in, flags out, no workspace. Each rule is
seen raising its flag and, just across its limit, not raising it."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.enums import Cadence
from pulsetui.domain.facts import (
    AgreementFacts,
    ClientFacts,
    ConsultantFacts,
    EngagementFacts,
    NpsAnswer,
    PulseFacts,
    RequestFacts,
)
from pulsetui.domain.flag_rules import (
    APPROVAL_GROUP_MAX,
    DETRACTOR_FLAG_DAYS,
    FALLING_DROP,
    FlagRaised,
    FlagSettings,
    agreement_flags,
    client_flags,
    client_state_flags,
    consultant_flags,
    engagement_flags,
    is_falling,
    meeting_overdue,
    nps_flags,
    pulse_overdue,
    request_flags,
)
from pulsetui.domain.flags import covering_note, flag_order, is_flag_key
from pulsetui.domain.nps import NpsCounts, NpsSummary

D = dt.date
TODAY = D(2026, 11, 20)
SETTINGS = FlagSettings()


def _days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def _client(**fields: object) -> ClientFacts:
    fields.setdefault("started", D(2025, 1, 1))
    fields.setdefault("meetings", (("held", D(2026, 11, 10)),))
    return ClientFacts(uid="acme", **fields)  # type: ignore[arg-type]


def _kinds(flags: list[FlagRaised]) -> list[str]:
    return [f.kind for f in flags]


# ---- pulse overdue -------------------------------------------------------------------------


JANUARY = D(2026, 1, 1)


def _mia(*pulses: PulseFacts, start: dt.date | None = JANUARY) -> ConsultantFacts:
    placed = EngagementFacts("e1", client="acme", consultant="mia", start=start)
    return ConsultantFacts("mia", pulses=pulses, engagements=(placed,))


def test_pulse_overdue_after_the_limit_since_the_last_one_held() -> None:
    (flag,) = pulse_overdue(_mia(PulseFacts("held", D(2026, 9, 1), 4)), TODAY, SETTINGS)
    assert flag.key == "pulse_overdue:mia"
    assert flag.reason == "last pulse 2026-09-01, 80 days ago"
    assert flag.since == D(2026, 10, 13)  # 42 days after the last one
    assert (flag.client, flag.consultant) == ("acme", "mia")


def test_pulse_not_overdue_within_the_limit_or_with_a_longer_one() -> None:
    assert pulse_overdue(_mia(PulseFacts("held", _days_ago(41))), TODAY, SETTINGS) == []
    late = _mia(PulseFacts("held", _days_ago(42)))
    assert _kinds(pulse_overdue(late, TODAY, SETTINGS)) == ["pulse_overdue"]
    assert pulse_overdue(late, TODAY, FlagSettings(pulse_overdue_days=60)) == []


def test_a_planned_pulse_is_not_one_held() -> None:
    planned = _mia(PulseFacts("held", D(2026, 9, 1)), PulseFacts("planned", D(2026, 11, 15)))
    assert _kinds(pulse_overdue(planned, TODAY, SETTINGS)) == ["pulse_overdue"]


def test_pulse_never_held_counts_from_the_first_engagement() -> None:
    (flag,) = pulse_overdue(_mia(start=D(2026, 6, 1)), TODAY, SETTINGS)
    assert flag.reason == "no pulse conversation since the engagement started 2026-06-01"
    assert flag.since == D(2026, 7, 13)
    assert pulse_overdue(_mia(start=_days_ago(41)), TODAY, SETTINGS) == []
    assert pulse_overdue(_mia(start=None), TODAY, SETTINGS) == []


def test_consultant_flags_are_the_pulse_rule() -> None:
    mia = _mia(PulseFacts("held", D(2026, 9, 1)))
    assert consultant_flags(mia, TODAY, SETTINGS) == pulse_overdue(mia, TODAY, SETTINGS)


# ---- client meeting overdue ----------------------------------------------------------------


def test_meeting_overdue_after_cadence_and_grace() -> None:
    acme = _client(cadence=Cadence.MONTHLY, meetings=(("held", D(2026, 9, 1)),))
    (flag,) = meeting_overdue(acme, TODAY, SETTINGS)
    assert flag.reason == "last meeting 2026-09-01, 80 days ago; agreed cadence monthly"
    assert flag.since == D(2026, 10, 8)  # 30 days and 7 of grace
    assert flag.client == "acme" and flag.consultant is None


def test_meeting_within_cadence_and_grace_is_no_flag() -> None:
    on_time = _client(cadence=Cadence.MONTHLY, meetings=(("held", _days_ago(36)),))
    assert meeting_overdue(on_time, TODAY, SETTINGS) == []
    late = _client(cadence=Cadence.MONTHLY, meetings=(("held", _days_ago(37)),))
    assert _kinds(meeting_overdue(late, TODAY, SETTINGS)) == ["meeting_overdue"]
    assert meeting_overdue(late, TODAY, FlagSettings(meeting_grace_days=10)) == []


def test_only_meetings_held_count() -> None:
    planned = _client(cadence=Cadence.MONTHLY, meetings=(("planned", _days_ago(2)),))
    (flag,) = meeting_overdue(planned, TODAY, SETTINGS)
    assert flag.reason == "no client meeting held since the start on 2025-01-01"


def test_a_new_client_without_a_meeting_is_no_flag_yet() -> None:
    new = _client(meetings=(), started=_days_ago(97))  # quarterly: 91 days and 7 of grace
    assert meeting_overdue(new, TODAY, SETTINGS) == []
    older = _client(meetings=(), started=_days_ago(98))
    assert meeting_overdue(older, TODAY, SETTINGS)[0].since == TODAY
    assert meeting_overdue(_client(meetings=(), started=None), TODAY, SETTINGS) == []


# ---- agreements ----------------------------------------------------------------------------


def test_agreement_overdue_names_the_owner() -> None:
    ours = AgreementFacts("a1", "Ship it", side="us", status="open", due=D(2026, 11, 1))
    theirs = AgreementFacts("a2", "Send data", side="client", status="open", due=_days_ago(2))
    named = AgreementFacts("a3", "Sign", side="client", owner="Eva", status="open", due=TODAY)
    flags = agreement_flags(_client(agreements=(ours, theirs, named)), TODAY)
    assert [f.reason for f in flags] == [
        "“Ship it” was due 2026-11-01, 19 days ago; owner us",
        "“Send data” was due 2026-11-18, 2 days ago; owner the client",
    ]
    assert flags[0].since == D(2026, 11, 1) and flags[0].key == "agreement_overdue:a1"


def test_a_closed_agreement_past_its_due_day_is_no_flag() -> None:
    done = AgreementFacts("a1", "Ship it", status="done", due=D(2026, 11, 1))
    cancelled = AgreementFacts("a2", "Other", status="cancelled", due=D(2026, 11, 1))
    assert agreement_flags(_client(agreements=(done, cancelled)), TODAY) == []


def test_agreement_broken_in_the_last_six_months() -> None:
    history = ((D(2026, 10, 1), "open"), (D(2026, 11, 2), "broken"))
    broken = AgreementFacts(
        "a1", "Send the data", status="broken", reason="no access", history=history
    )
    (flag,) = agreement_flags(_client(agreements=(broken,)), TODAY)
    assert flag.reason == "“Send the data” broken on 2026-11-02: no access"
    assert flag.since == D(2026, 11, 2)


def test_agreement_broken_long_ago_is_no_flag() -> None:
    history = ((_days_ago(183), "broken"),)
    old = AgreementFacts("a1", "Old", status="broken", history=history)
    assert agreement_flags(_client(agreements=(old,)), TODAY) == []
    recent = AgreementFacts("a2", "Recent", status="broken", history=((_days_ago(182), "broken"),))
    assert _kinds(agreement_flags(_client(agreements=(recent,)), TODAY)) == ["agreement_broken"]


def test_a_broken_agreement_without_history_counts_from_its_creation() -> None:
    broken = AgreementFacts("a1", "Text", status="broken", created=D(2026, 10, 5))
    (flag,) = agreement_flags(_client(agreements=(broken,)), TODAY)
    assert flag.since == D(2026, 10, 5) and flag.reason == "“Text” broken on 2026-10-05"


def test_long_agreement_text_is_shortened_in_the_reason() -> None:
    text = "word " * 40
    overdue = AgreementFacts("a1", text, side="us", status="open", due=_days_ago(3))
    (flag,) = agreement_flags(_client(agreements=(overdue,)), TODAY)
    quoted = flag.reason.split("”")[0] + "”"
    assert len(quoted) == 62 and quoted.endswith("…”")


# ---- NPS -----------------------------------------------------------------------------------


def test_detractor_answer_in_the_last_quarter() -> None:
    answer = NpsAnswer("n1", D(2026, 11, 1), 3, contact="Eva", reason="missed deadline")
    (flag,) = nps_flags(_client(nps=(answer,)), TODAY, SETTINGS)
    assert flag.reason == "Eva answered 3 on 2026-11-01: missed deadline"
    assert flag.since == D(2026, 11, 1) and flag.key == "nps_detractor:n1"


def test_old_detractor_passive_or_future_answer_is_no_flag() -> None:
    answers = (
        NpsAnswer("old", _days_ago(DETRACTOR_FLAG_DAYS + 1), 2),
        NpsAnswer("passive", _days_ago(1), 7),
        NpsAnswer("later", TODAY + dt.timedelta(days=1), 0),
        NpsAnswer("undated", None, 0),
    )
    assert nps_flags(_client(nps=answers), TODAY, SETTINGS) == []
    edge = NpsAnswer("edge", _days_ago(DETRACTOR_FLAG_DAYS), 6)
    (flag,) = nps_flags(_client(nps=(edge,)), TODAY, SETTINGS)
    assert flag.reason.startswith("a contact answered 6")


def _halves(recent: list[int], before: list[int]) -> tuple[NpsAnswer, ...]:
    return tuple(
        [NpsAnswer(f"r{i}", D(2026, 6, 1) + dt.timedelta(days=i), s) for i, s in enumerate(recent)]
        + [
            NpsAnswer(f"b{i}", D(2025, 12, 1) + dt.timedelta(days=i), s)
            for i, s in enumerate(before)
        ]
    )


def test_nps_falling_beyond_both_intervals() -> None:
    # +100 from 12 answers (95% interval +54 … +100), then 0 from 12 (6 promoters, 6
    # detractors; -48 … +48): the intervals do not meet
    answers = _halves([10] * 6 + [3] * 6, [10] * 12)
    flags = nps_flags(_client(nps=answers), TODAY, SETTINGS)
    (flag,) = [f for f in flags if f.kind == "nps_falling"]
    assert flag.reason == "NPS 0 (n=12) over the last 6 months, was +100 (n=12) the 6 months before"
    assert flag.since == D(2026, 6, 1) and flag.key == "nps_falling:acme"
    then = NpsSummary.of(NpsCounts.of([10] * 12))
    now = NpsSummary.of(NpsCounts.of([10] * 6 + [3] * 6))
    assert is_falling(then, now) and not is_falling(now, then)


def test_nps_not_falling_inside_the_intervals_or_with_too_few_answers() -> None:
    # a drop from +100 (n=3, interval -7 … +100) to 0 (n=2, -48 … +48): the intervals meet
    assert nps_flags(_client(nps=_halves([8, 8], [10, 10, 10])), TODAY, SETTINGS) == []
    # the same small drop with many answers is still too small: never under 20 points
    steady = _halves([10] * 9 + [8], [10] * 10)
    assert nps_flags(_client(nps=steady), TODAY, SETTINGS) == []
    assert FALLING_DROP == 20
    assert nps_flags(_client(nps=_halves([3], [10] * 12)), TODAY, SETTINGS) == []
    assert nps_flags(_client(nps=_halves([3] * 12, [10])), TODAY, SETTINGS) == []


def test_nps_falling_labels_follow_the_directional_setting() -> None:
    answers = _halves([10] * 6 + [3] * 6, [10] * 12)
    (flag,) = nps_flags(_client(nps=answers), TODAY, FlagSettings(nps_directional_below=20))
    assert flag.reason.startswith("NPS 0 (n=12, directional) over the last 6 months")


# ---- the client's state --------------------------------------------------------------------


def test_unpaid_invoices_and_approvals() -> None:
    assert client_state_flags(_client()) == []
    (unpaid,) = client_state_flags(_client(unpaid_invoices=True))
    assert unpaid.kind == "unpaid_invoices" and unpaid.since is None
    (late,) = client_state_flags(_client(approval_delays=True))
    assert late.reason == "approvals are marked late"
    assert client_state_flags(_client(decision_makers=APPROVAL_GROUP_MAX)) == []
    (crowd,) = client_state_flags(_client(decision_makers=APPROVAL_GROUP_MAX + 1))
    assert crowd.reason == "4 decision makers must agree"
    (both,) = client_state_flags(_client(approval_delays=True, decision_makers=5))
    assert both.reason == "approvals are marked late; 5 decision makers must agree"


# ---- requests ------------------------------------------------------------------------------


def _request(uid: str, kind: str, status: str, day: dt.date | None, **kw: object) -> RequestFacts:
    return RequestFacts(uid, kind, status, day, text=kw.pop("text", uid), **kw)  # type: ignore[arg-type]


def test_feedback_unanswered_too_long() -> None:
    waiting = _request("f1", "feedback", "new", D(2026, 11, 1), text="Too slow")
    (flag,) = request_flags(_client(requests=(waiting,)), TODAY, SETTINGS)
    assert flag.reason == "“Too slow” from 2026-11-01, 19 days unanswered"
    assert flag.key == "feedback_unprocessed:f1"
    assert (
        request_flags(
            _client(requests=(waiting,)), TODAY, FlagSettings(feedback_unprocessed_days=20)
        )
        == []
    )


def test_fresh_or_answered_feedback_is_no_flag() -> None:
    fresh = _request("f1", "feedback", "new", _days_ago(13))
    answered = _request("f2", "feedback", "done", _days_ago(60))
    assert request_flags(_client(requests=(fresh, answered)), TODAY, SETTINGS) == []


def test_wishes_accepted_without_a_plan() -> None:
    wishes = tuple(
        _request(f"w{i}", "wish", "accepted", D(2026, 10, 1 + i), text=f"Wish {i}")
        for i in range(5)
    )
    (flag,) = request_flags(_client(requests=wishes), TODAY, SETTINGS)
    assert flag.reason == "5 accepted without a plan: “Wish 0”, “Wish 1”, “Wish 2” and 2 more"
    assert flag.since == D(2026, 10, 1) and flag.key == "wishes_unplanned:acme"


def test_planned_new_or_rejected_wishes_are_no_flag() -> None:
    requests = (
        _request("w1", "wish", "accepted", _days_ago(9), planned=True),
        _request("w2", "wish", "new", _days_ago(9)),
        _request("w3", "wish", "rejected", _days_ago(9)),
        _request("s1", "support", "accepted", _days_ago(9)),
    )
    assert request_flags(_client(requests=requests), TODAY, SETTINGS) == []


def test_early_free_work_twice_is_a_flag_once_is_not() -> None:
    once = _request("r1", "wish", "done", D(2026, 9, 1), delivered_early_free=True, text="A")
    assert request_flags(_client(requests=(once,)), TODAY, SETTINGS) == []
    twice = _request("r2", "wish", "done", D(2026, 10, 1), delivered_early_free=True, text="B")
    (flag,) = request_flags(_client(requests=(twice, once)), TODAY, SETTINGS)
    assert flag.reason == "2 times: “A” (2026-09-01), “B” (2026-10-01)"
    assert flag.since == D(2026, 10, 1)


def test_an_undated_request_counts_as_made_today() -> None:
    undated = _request("f1", "feedback", "new", None)
    assert request_flags(_client(requests=(undated,)), TODAY, SETTINGS) == []
    wish = _request("w1", "wish", "accepted", None)
    (flag,) = request_flags(_client(requests=(wish,)), TODAY, SETTINGS)
    assert flag.since == TODAY


# ---- engagements ---------------------------------------------------------------------------


def _placed(**fields: object) -> EngagementFacts:
    fields.setdefault("start", D(2026, 10, 1))
    return EngagementFacts("e1", client="acme", consultant="mia", **fields)  # type: ignore[arg-type]


def test_team_grown_for_unplanned_work() -> None:
    acme = _client(engagements=(_placed(unplanned=True),), names={"mia": "Mia"})
    (flag,) = engagement_flags(acme, TODAY, SETTINGS)
    assert flag.reason == "Mia joined on 2026-10-01 for unplanned work"
    assert (flag.key, flag.since, flag.consultant) == (
        "team_grown_unplanned:e1",
        D(2026, 10, 1),
        "mia",
    )


def test_planned_or_ended_engagements_are_no_flag() -> None:
    ended = _placed(unplanned=True, end=_days_ago(1))
    upcoming = _placed(unplanned=True, start=TODAY + dt.timedelta(days=1))
    acme = _client(engagements=(_placed(), ended, upcoming))
    assert engagement_flags(acme, TODAY, SETTINGS) == []


def test_same_main_communicator_too_long() -> None:
    since = D(2025, 10, 1)
    acme = _client(engagements=(_placed(main_communicator="Mia", communicator_since=since),))
    (flag,) = engagement_flags(acme, TODAY, SETTINGS)
    assert flag.reason == (
        "Mia has been the main communicator since 2025-10-01 (13 months; rotate after 12)"
    )
    assert flag.since == D(2026, 10, 1) and flag.key == "communicator_too_long:e1"
    assert engagement_flags(acme, TODAY, FlagSettings(communicator_max_months=14)) == []


def test_main_communicator_within_the_limit_counts_from_the_start_without_a_date() -> None:
    recent = _placed(main_communicator="Mia", start=D(2025, 12, 1))
    assert engagement_flags(_client(engagements=(recent,)), TODAY, SETTINGS) == []
    since_start = _placed(main_communicator="Mia", start=D(2025, 11, 20))
    (flag,) = engagement_flags(_client(engagements=(since_start,)), TODAY, SETTINGS)
    assert flag.since == TODAY


def test_a_technical_main_communicator() -> None:
    tech = _placed(main_communicator="Tom", communicator_role="technical")
    (flag,) = engagement_flags(_client(engagements=(tech,)), TODAY, SETTINGS)
    assert flag.reason == "Tom is a purely technical person in the main communicator role"
    lead = _placed(main_communicator="Tom", communicator_role="delivery_lead")
    assert engagement_flags(_client(engagements=(lead,)), TODAY, SETTINGS) == []
    nobody = _placed(communicator_role="technical")
    assert engagement_flags(_client(engagements=(nobody,)), TODAY, SETTINGS) == []


# ---- together ------------------------------------------------------------------------------


def test_a_quiet_client_raises_nothing_and_a_troubled_one_every_rule_in_order() -> None:
    assert client_flags(_client(), TODAY, SETTINGS) == []
    troubled = _client(
        cadence=Cadence.MONTHLY,
        meetings=(("held", D(2026, 9, 1)),),
        agreements=(AgreementFacts("a1", "X", side="us", status="open", due=_days_ago(2)),),
        nps=(NpsAnswer("n1", _days_ago(2), 1),),
        unpaid_invoices=True,
        requests=(_request("f1", "feedback", "new", _days_ago(30)),),
        engagements=(_placed(unplanned=True),),
    )
    assert _kinds(client_flags(troubled, TODAY, SETTINGS)) == [
        "meeting_overdue",
        "agreement_overdue",
        "nps_detractor",
        "unpaid_invoices",
        "feedback_unprocessed",
        "team_grown_unplanned",
    ]


def test_addressed_notes_cover_flags_raised_before_them() -> None:
    acks = [(D(2026, 10, 1), "first"), (None, "unreadable"), (D(2026, 11, 1), "second")]
    assert covering_note(acks, D(2026, 9, 1)) == "second"
    assert covering_note(acks, D(2026, 10, 15)) == "second"
    assert covering_note(acks, D(2026, 11, 2)) is None  # raised again after the last note
    assert covering_note(acks, None) == "second"  # a flag with no date: any note covers it
    assert covering_note([], None) is None


def test_flag_keys_and_order() -> None:
    assert is_flag_key("pulse_overdue:mia")
    assert not is_flag_key("pulse_overdue") and not is_flag_key("nonsense:mia")
    keys = [
        ("meeting_overdue", None, "meeting_overdue:b"),
        ("meeting_overdue", D(2026, 1, 1), "meeting_overdue:a"),
        ("pulse_overdue", D(2026, 5, 1), "pulse_overdue:c"),
    ]
    assert sorted(keys, key=lambda k: flag_order(*k)) == [keys[2], keys[1], keys[0]]

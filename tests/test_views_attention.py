"""Today at a glance: one row per consultant, client or agreement needing attention, no
trouble listed twice, the most urgent first, every red flag still reachable to mark
addressed; the same rows in a call, with only what a call may see."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import DAY, TODAY, Firm, firm_in

from pulsetui.service.enps_rounds import open_round
from pulsetui.service.insights.flags import red_flags
from pulsetui.service.views.attention import AttentionRow, attention_rows
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today import TodayView, today_view


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def glance(firm: Firm, audience: Audience | None = None) -> tuple[AttentionRow, ...]:
    return attention_rows(today_view(firm.ws, audience or Audience.manager(firm.ws.me)))


def test_one_row_per_person_client_or_agreement_most_urgent_first(firm: Firm) -> None:
    rows = glance(firm)
    shown = [(r.kind, r.who, r.what, r.why) for r in rows]
    assert shown == [
        # the meetings have been overdue since weeks after each client started; the
        # spiral fed only its first quarter for over a year, Acme still in onboarding
        ("client", "Acme Oy", "Meeting never held (+6)", "never held"),
        ("client", "Bolt Labs", "Meeting never held (+2)", "never held"),
        ("consultant", "Aino Laine", "Pulse overdue", "overdue, 22 d late (last 2026-10-01)"),
        ("agreement", "Acme Oy (us)", "Send the roadmap", "overdue 3 d (2026-11-17)"),
        ("consultant", "Pia Puu", "Pulse never held", "never held"),
        ("agreement", "Bolt Labs (us)", "Bolt promise", "due Sat 2026-11-21"),
        ("agreement", "Acme Oy (client)", "Approve the hours", "due Sun 2026-11-22"),
    ]
    # a row says what it opens: a client's row the client, an agreement's the agreement
    acme = rows[0]
    assert acme.opens == ("client", firm.acme) and acme.client == firm.acme
    assert rows[2].opens == ("consultant", firm.aino) and rows[2].consultant == firm.aino
    assert rows[3].opens == ("agreement", rows[3].uid)
    # the client's row lists all it stands for, gravest first
    assert [line.split(":")[0] for line in acme.reasons()] == [
        "Meeting never held",
        "Detractor NPS",
        "Unpaid invoices",
        "Onboarding over three months",
        "Spiral quarter stuck",
        "Weekly report",
        "Health 7 at risk",
    ]


def test_no_trouble_is_listed_twice_and_every_flag_can_be_addressed(firm: Firm) -> None:
    rows = glance(firm)
    whats = [item.what for row in rows for item in row.items]
    # the flags saying what a pulse, meeting or agreement row already says are folded in
    assert "Pulse overdue" in whats and whats.count("Pulse overdue") == 1
    assert "Client meeting overdue" not in whats and "Agreement overdue" not in whats
    keys = [key for row in rows for key, _label in row.flags]
    assert sorted(keys) == sorted(f.key for f in red_flags(firm.ws))
    assert len(keys) == len(set(keys))
    by_flag = {key.split(":")[0]: row.kind for row in rows for key, _label in row.flags}
    assert by_flag["pulse_overdue"] == "consultant"
    assert by_flag["agreement_overdue"] == "agreement"
    assert by_flag["unpaid_invoices"] == by_flag["meeting_overdue"] == "client"


def test_in_a_call_only_the_client_in_view_without_internal_items(firm: Firm) -> None:
    rows = glance(firm, Audience.call(firm.acme, firm.ws.me))
    assert [(r.kind, r.what) for r in rows] == [
        ("client", "Meeting never held"),
        ("agreement", "Send the roadmap"),
        ("agreement", "Approve the hours"),
    ]
    text = json.dumps([r.reasons() for r in rows], ensure_ascii=False)
    assert "SECRET" not in text and "Aino" not in text and "Bolt" not in text
    assert "Unpaid" not in text and "Health" not in text and "Detractor" not in text


def test_rows_from_a_view_read_back_from_json_are_the_same(firm: Firm) -> None:
    view = today_view(firm.ws, Audience.manager(firm.ws.me))
    again = TodayView.from_dict(json.loads(json.dumps(view.as_dict())))
    assert attention_rows(again) == attention_rows(view)


def test_an_open_round_is_named_with_its_closing_date(firm: Firm) -> None:
    open_round(firm.ws, "2027", TODAY + 5 * DAY)
    firm.ws.add_enps(score=9, round="2027")
    view = today_view(firm.ws, Audience.manager(firm.ws.me))
    assert view.enps is not None
    newest = view.enps[-1]
    assert (newest.round, newest.label, newest.status) == ("2027", None, "open until 2026-11-25")

"""The Today view: what needs the manager, in which section, what each row says and
opens; the heading lines; and the view written as JSON and read back unchanged."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import DAY, TODAY, Firm, firm_in

from pulsetui.domain.cadence import DueState
from pulsetui.service.enps_rounds import open_round
from pulsetui.service.views.attention import attention_rows
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today import TodayItem, TodayView, due_text, today_view
from pulsetui.service.weekly import record_sent


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def rows(view: TodayView) -> dict[str, list[tuple[str, str, str]]]:
    return {s.key: [(i.what, i.who, i.why) for i in s.items] for s in view.sections}


def test_today_lists_what_needs_the_manager_by_section(firm: Firm) -> None:
    view = today_view(firm.ws, Audience.manager(firm.ws.me))
    shown = rows(view)
    assert list(shown) == ["flags", "pulses", "meetings", "agreements", "reports", "health"]
    assert shown["pulses"] == [
        ("Pulse", "Aino Laine", "overdue, 22 d late (last 2026-10-01)"),
        ("Pulse", "Pia Puu", "never held"),
    ]
    assert shown["agreements"] == [
        ("Send the roadmap", "Acme Oy (us)", "overdue 3 d (2026-11-17)"),
        ("Bolt promise", "Bolt Labs (us)", "due Sat 2026-11-21"),
        ("Approve the hours", "Acme Oy (client)", "due Sun 2026-11-22"),
    ]  # a colleague's client's promise is not mine to see here
    flags = {what: who for what, who, _why in shown["flags"]}
    assert flags["Pulse overdue"] == "Aino Laine"  # a flag about a consultant names them
    assert flags["Unpaid invoices"] == "Acme Oy"
    assert [who for _w, who, _y in shown["health"]] == ["Acme Oy"]
    assert shown["meetings"] == [
        ("Meeting", "Acme Oy", "never held"),
        ("Meeting", "Bolt Labs", "never held"),
    ]


def test_each_row_opens_its_record_and_names_its_client(firm: Firm) -> None:
    view = today_view(firm.ws, Audience.manager(firm.ws.me))
    items = [i for s in view.sections for i in s.items]
    pulse_flag = next(i for i in items if i.what == "Pulse overdue")
    assert pulse_flag.opens == ("consultant", firm.aino)
    assert pulse_flag.consultant == firm.aino and pulse_flag.client == firm.acme
    roadmap = next(i for i in items if i.what == "Send the roadmap")
    assert roadmap.opens == ("agreement", roadmap.uid) and roadmap.client == firm.acme
    assert roadmap.day == TODAY.replace(day=17)
    assert view.find("agreement", roadmap.uid) == roadmap
    assert view.find("agreement", "no such uid") is None


def test_heading_lines_show_nps_trend_and_enps(firm: Firm) -> None:
    lines = today_view(firm.ws, Audience.manager(firm.ws.me)).summary_lines()
    assert lines[0] == "Anna Virtanen · Fri 20 Nov 2026"
    assert lines[1].startswith("Portfolio NPS: 0 (n=2, directional), 95% CI")
    assert lines[2] == "Trend: Q1 – → Q2 – → Q3 – → Q4 0 (n=2)"
    assert lines[3] == "eNPS 2026: +40 good (n=5)"


def test_a_round_still_collecting_answers_is_named_without_figures(firm: Firm) -> None:
    open_round(firm.ws, "2027", TODAY + 5 * DAY)
    for score in (0, 10, 10, 9, 9, 9):
        firm.ws.add_enps(score=score, round="2027")
    lines = today_view(firm.ws, Audience.manager(firm.ws.me)).summary_lines()
    # an open round is named as open, with its closing date (not as short of answers)
    assert lines[-2:] == ["eNPS 2026: +40 good (n=5)", "eNPS 2027: open until 2026-11-25"]


def test_in_a_call_only_the_client_in_view_and_what_it_may_see(firm: Firm) -> None:
    view = today_view(firm.ws, Audience.call(firm.acme, firm.ws.me))
    shown = rows(view)
    assert list(shown) == ["flags", "meetings", "agreements"]
    assert [what for what, _w, _y in shown["flags"]] == [
        "Client meeting overdue",
        "Agreement overdue",
    ]
    assert [what for what, _w, _y in shown["agreements"]] == [
        "Send the roadmap",
        "Approve the hours",
    ]
    lines = view.summary_lines()
    assert lines[1].startswith("NPS Acme Oy: -100 (n=1, directional)")
    assert not any("eNPS" in line for line in lines)


def test_the_view_is_written_as_json_and_read_back_unchanged(firm: Firm) -> None:
    for audience in (Audience.manager(firm.ws.me), Audience.call(firm.acme, firm.ws.me)):
        view = today_view(firm.ws, audience)
        text = json.dumps(view.as_dict(), ensure_ascii=False)
        assert TodayView.from_dict(json.loads(text)) == view
    data = json.loads(text)
    assert data["day"] == "2026-11-20" and data["in_call"] is True
    first = data["sections"][0]["items"][0]
    assert set(first) == {f for f in TodayItem.__dataclass_fields__}


def test_weekly_reports_due_until_recorded_as_sent(firm: Firm) -> None:
    shown = rows(today_view(firm.ws, Audience.manager(firm.ws.me)))
    assert shown["reports"] == [
        ("Weekly report", "Acme Oy", "report of 2026-W47 not sent (none sent yet)"),
        ("Weekly report", "Bolt Labs", "report of 2026-W47 not sent (none sent yet)"),
    ]
    record_sent(firm.ws, firm.acme)
    view = today_view(firm.ws, Audience.manager(firm.ws.me))
    assert [who for _w, who, _y in rows(view)["reports"]] == ["Bolt Labs"]
    assert view.find("report", firm.bolt).opens == ("client", firm.bolt)  # type: ignore[union-attr]
    record_sent(firm.ws, firm.bolt)
    assert "reports" not in rows(today_view(firm.ws, Audience.manager(firm.ws.me)))


def test_the_yearly_enps_round_is_due_a_month_before_a_year_has_passed(firm: Firm) -> None:
    # the small firm's round 2026 closed two days ago: the next is a year away
    assert "enps" not in rows(today_view(firm.ws, Audience.manager(firm.ws.me)))
    firm.ws.clock = lambda: dt.datetime.combine(TODAY + 340 * DAY, dt.time(9))
    shown = rows(today_view(firm.ws, Audience.manager(firm.ws.me)))
    assert shown["enps"] == [
        ("eNPS round", "all consultants", "due in 23 d (last closed 2026-11-18)")
    ]
    firm.ws.clock = lambda: dt.datetime.combine(TODAY + 370 * DAY, dt.time(9))
    view = today_view(firm.ws, Audience.manager(firm.ws.me))
    assert rows(view)["enps"][0][2] == "overdue, 7 d late (last closed 2026-11-18)"
    assert "enps" not in rows(today_view(firm.ws, Audience.call(firm.acme, firm.ws.me)))
    open_round(firm.ws, "2027", TODAY + 380 * DAY)  # a round open: nothing to remind of
    assert "enps" not in rows(today_view(firm.ws, Audience.manager(firm.ws.me)))


def test_due_text_in_words() -> None:
    from pulsetui.domain.cadence import DueInfo

    day = TODAY
    assert due_text(DueInfo(DueState.NEVER, None, day, None), day) == "never held"
    late = DueInfo(DueState.OVERDUE, day.replace(day=1), day.replace(day=12), 19)
    assert due_text(late, day) == "overdue, 8 d late (last 2026-11-01)"
    soon = DueInfo(DueState.OK, day.replace(day=1), day.replace(day=23), 19)
    assert due_text(soon, day) == "due in 3 d (last 2026-11-01)"
    now = DueInfo(DueState.DUE, day.replace(day=1), day, 19)
    assert due_text(now, day) == "due today (last 2026-11-01)"


def test_a_client_in_onboarding_counts_down_on_today_but_not_in_a_call(firm: Firm) -> None:
    cedar = firm.ws.add(
        "client", name="Cedar Ab", manager=firm.ws.me, stage="onboarding", started=TODAY - 75 * DAY
    )
    view = today_view(firm.ws, Audience.manager(firm.ws.me))
    # Acme, recorded in onboarding for 400 days, has its red flag instead of a countdown
    assert rows(view)["onboarding"] == [
        (
            "Onboarding",
            "Cedar Ab",
            "onboarding: 16 days left of the first three months; "
            "a client not engaged by then rarely commits later",
        )
    ]
    row = next(r for r in attention_rows(view) if r.uid == cedar.uid)
    assert row.kind == "client" and row.opens == ("client", cedar.uid)
    assert "Onboarding: onboarding: 16 days left" in " ".join(row.reasons())
    in_call = today_view(firm.ws, Audience.call(cedar.uid, firm.ws.me))
    assert "onboarding" not in rows(in_call)
    assert "days left" not in json.dumps(in_call.as_dict())
    assert TodayView.from_dict(json.loads(json.dumps(view.as_dict()))) == view

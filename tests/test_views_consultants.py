"""The Consultants view and the pulse form's data: placement, last pulse held, whether
the next is due, wellbeing; the conversation being held, earlier ones and the promises
not yet kept. A call sees the consultants placed at the client in view, nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import DAY, TODAY, Firm, firm_in

from pulsetui.domain.cadence import DueState
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.consultants import consultants_view, placement
from pulsetui.service.views.pulses import open_follow_ups, pulse_form_view


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def test_my_consultants_with_placement_pulse_and_wellbeing(firm: Firm) -> None:
    firm.ws.add_pulse(firm.aino, date=TODAY - 80 * DAY, wellbeing=4)
    firm.ws.add_pulse(firm.aino, date=TODAY + 3 * DAY, status="planned")
    view = consultants_view(firm.ws, Audience.manager(firm.ws.me))
    by_name = {r.name: r for r in view.rows}
    assert list(by_name) == ["Aino Laine", "Jüri Tamm", "Pia Puu"]
    aino = by_name["Aino Laine"]
    assert (aino.client, aino.client_name) == (firm.acme, "Acme Oy")
    assert aino.last_pulse == TODAY - 50 * DAY  # the planned one was not held
    assert aino.pulse is not None and aino.pulse.state == DueState.OVERDUE
    assert aino.wellbeing == (4, 2)  # oldest first
    pia = by_name["Pia Puu"]
    assert (pia.client, pia.client_name, pia.last_pulse, pia.wellbeing) == (None, "", None, ())
    assert pia.pulse is not None and pia.pulse.state == DueState.NEVER
    assert view.need_pulse == 2


def test_placement_is_the_latest_engagement_running(firm: Firm) -> None:
    ws = firm.ws
    ws.add("engagement", client=firm.bolt, consultant=firm.aino, start=TODAY - 5 * DAY)
    ws.add("engagement", client=firm.other, consultant=firm.aino, start=TODAY + 5 * DAY)
    placed = placement(ws, firm.aino, TODAY)
    assert placed is not None and placed.client == firm.bolt
    assert placement(ws, firm.pia, TODAY) is None


def test_a_call_lists_who_works_at_the_client_in_view_and_nothing_of_their_pulses(
    firm: Firm,
) -> None:
    view = consultants_view(firm.ws, Audience.call(firm.bolt, firm.ws.me))
    assert [(r.name, r.client_name) for r in view.rows] == [("Jüri Tamm", "Bolt Labs")]
    row = view.rows[0]
    assert (row.last_pulse, row.pulse, row.wellbeing, view.need_pulse) == (None, None, (), 0)


def test_pulse_form_holds_todays_conversation_earlier_ones_and_open_promises(
    firm: Firm,
) -> None:
    ws = firm.ws
    today = ws.add_pulse(firm.aino, wellbeing=3, notes="today's notes")
    form = pulse_form_view(ws, Audience.manager(ws.me), firm.aino)
    assert form.name == "Aino Laine" and not form.hidden
    assert form.current is not None and form.current.uid == today.uid
    assert (form.current.wellbeing, form.current.notes) == (3, "today's notes")
    assert [p.date for p in form.earlier] == [TODAY - 50 * DAY]
    assert form.earlier[0].worries == "SECRET worry"
    assert [(f.text, f.done) for f in form.earlier[0].follow_ups] == [
        ("SECRET promise", False),
        ("Kept promise", True),
    ]
    assert [(f.text, f.index, f.promised) for f in form.open_follow_ups] == [
        ("SECRET promise", 0, TODAY - 50 * DAY)
    ]
    # asked for the earlier one, today's is among the others
    earlier = pulse_form_view(ws, Audience.manager(ws.me), firm.aino, form.earlier[0].uid)
    assert earlier.current is not None and earlier.current.notes == "SECRET pulse note"
    assert [p.uid for p in earlier.earlier] == [today.uid]
    assert earlier.open_follow_ups == ()


def test_a_kept_promise_leaves_the_open_follow_ups(firm: Firm) -> None:
    ws = firm.ws
    [line] = open_follow_ups(ws, Audience.manager(ws.me), firm.aino)
    ws.close_follow_up(line.pulse, line.index)
    assert open_follow_ups(ws, Audience.manager(ws.me), firm.aino) == ()


def test_a_new_conversation_has_nothing_current(firm: Firm) -> None:
    form = pulse_form_view(firm.ws, Audience.manager(firm.ws.me), firm.pia)
    assert (form.current, form.earlier, form.open_follow_ups) == (None, (), ())


def test_in_a_call_the_form_is_hidden_and_names_only_who_works_there(firm: Firm) -> None:
    call = Audience.call(firm.acme, firm.ws.me)
    aino = pulse_form_view(firm.ws, call, firm.aino)
    assert (aino.name, aino.hidden, aino.current, aino.earlier) == ("Aino Laine", True, None, ())
    assert pulse_form_view(firm.ws, call, firm.jyri).name == ""


def test_a_squeezed_consultant_is_marked_and_caught_between_when_the_client_presses(
    firm: Firm,
) -> None:
    ws = firm.ws
    ws.add_pulse(firm.jyri, date=TODAY - 8 * DAY, wellbeing=2)
    ws.add_pulse(firm.jyri, date=TODAY - 5 * DAY, wellbeing=3, workload="too_high")
    ws.add_pulse(firm.pia, date=TODAY - 40 * DAY, wellbeing=1)
    ws.add_pulse(firm.pia, date=TODAY - 5 * DAY, wellbeing=2)
    strain = {r.name: r.strain for r in consultants_view(ws, Audience.manager(ws.me)).rows}
    # Aino: one strained pulse is not yet a run; Jüri and Pia: two in a row (after a
    # good one for Jüri)
    assert strain == {"Aino Laine": "", "Jüri Tamm": "squeezed", "Pia Puu": "squeezed"}
    ws.add(
        "request",
        client=firm.bolt,
        text="A dashboard",
        kind="wish",
        status="accepted",
        date=TODAY - 20 * DAY,
    )
    strain = {r.name: r.strain for r in consultants_view(ws, Audience.manager(ws.me)).rows}
    assert strain == {"Aino Laine": "", "Jüri Tamm": "caught", "Pia Puu": "squeezed"}
    in_call = consultants_view(ws, Audience.call(firm.bolt, ws.me))
    assert [(r.name, r.strain) for r in in_call.rows] == [("Jüri Tamm", "")]

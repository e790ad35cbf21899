"""The call-mode rule, through every view: with one client in view a call shows that
client, its contacts and the consultants placed there — and no other client, nothing
private, no eNPS, no internal judgement, no NPS respondent or reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.small_firm import Firm, firm_in

from pulsetui.service.views.agreements import AgreementFilter, agreement_log
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.client_page import client_page_view
from pulsetui.service.views.clients import clients_view
from pulsetui.service.views.consultants import consultants_view
from pulsetui.service.views.meeting import meeting_view
from pulsetui.service.views.pulses import open_follow_ups, pulse_form_view
from pulsetui.service.views.today import today_view


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


# what must never reach a call with Acme in view
OTHER_CLIENTS = ("Bolt Labs", "Other Oy", "Bolt promise", "Other promise", "Bolt topic")
PRIVATE = ("SECRET", "Respondent Rita", "Kept promise")
OTHER_PEOPLE = ("Jüri Tamm", "Pia Puu")
INTERNAL = ("HealthMark", "HealthLine", "eNPS", "EnpsLine", "Unpaid invoices", "segment='")


def every_view(firm: Firm, audience: Audience) -> dict[str, Any]:
    ws = firm.ws
    views: dict[str, Callable[[], Any]] = {
        "today": lambda: today_view(ws, audience),
        "today lines": lambda: today_view(ws, audience).summary_lines(),
        "clients": lambda: clients_view(ws, audience),
        "consultants": lambda: consultants_view(ws, audience),
        "client page": lambda: client_page_view(ws, audience, firm.acme),
        "agreements": lambda: agreement_log(ws, audience),
        "agreements, every client": lambda: agreement_log(ws, audience, every_client=True),
        "agreements, another client named": lambda: agreement_log(
            ws, audience, AgreementFilter(client="Bolt")
        ),
        "meeting": lambda: meeting_view(ws, audience, firm.acme, firm.next_meeting),
        "pulse form": lambda: pulse_form_view(ws, audience, firm.aino),
        "follow-ups": lambda: open_follow_ups(ws, audience, firm.aino),
    }
    return {name: read() for name, read in views.items()}


def test_a_call_shows_the_client_in_view_and_nothing_else(firm: Firm) -> None:
    shown = every_view(firm, Audience.call(firm.acme, firm.ws.me))
    for name, view in shown.items():
        text = repr(view)
        for secret in (*OTHER_CLIENTS, *PRIVATE, *OTHER_PEOPLE, *INTERNAL):
            assert secret not in text, f"{secret!r} reached a call through the {name} view"
    # what the call is for is there
    assert "Acme Oy" in repr(shown["today"]) and "Send the roadmap" in repr(shown["today"])
    assert [row.name for row in shown["clients"].rows] == ["Acme Oy"]
    assert [row.name for row in shown["consultants"].rows] == ["Aino Laine"]
    assert shown["consultants"].rows[0].pulse is None
    assert [c.name for c in shown["client page"].contacts] == ["Mikko Mäki"]
    assert [r.text for r in shown["agreements, another client named"].rows] == [
        "Send the roadmap",
        "Approve the hours",
    ]
    assert shown["pulse form"].hidden and shown["pulse form"].current is None
    nps = [e for e in shown["client page"].timeline if e.kind == "nps"]
    assert [(e.what, e.detail) for e in nps] == [("NPS 3", "")]


def test_the_manager_sees_what_a_call_does_not(firm: Firm) -> None:
    """The same views for the manager hold every marker the call test looks for, so
    that test cannot pass by showing nothing."""
    text = repr(every_view(firm, Audience.manager(firm.ws.me)))
    for marker in (*PRIVATE, *OTHER_PEOPLE, *INTERNAL, "Bolt Labs", "Bolt promise"):
        assert marker in text, marker


def test_a_call_with_no_client_in_view_shows_no_client(firm: Firm) -> None:
    audience = Audience.call(None, firm.ws.me)
    ws = firm.ws
    today = today_view(ws, audience)
    assert today.sections == () and today.nps is None and today.enps is None
    assert "CALL MODE" in "\n".join(today.summary_lines())
    assert clients_view(ws, audience).rows == ()
    assert consultants_view(ws, audience).rows == ()
    assert client_page_view(ws, audience, firm.acme) is None
    assert meeting_view(ws, audience, firm.acme, None) is None
    log = agreement_log(ws, audience)
    assert log.rows == () and "client filter" in log.note
    # naming one client in the filter is choosing the client in view
    named = agreement_log(ws, audience, AgreementFilter(client="acme"))
    assert {named.client_name(r) for r in named.rows} == {"Acme Oy"}


def test_a_call_about_a_colleagues_client_shows_none_of_mine(firm: Firm) -> None:
    audience = Audience.call(firm.other, firm.ws.me)
    text = repr(today_view(firm.ws, audience)) + repr(clients_view(firm.ws, audience))
    assert "Acme Oy" not in text and "Bolt Labs" not in text
    # its own page and its own agreements are still the call's to see
    page = client_page_view(firm.ws, audience, firm.other)
    assert page is not None and page.name == "Other Oy"
    assert [r.text for r in agreement_log(firm.ws, audience).rows] == ["Other promise"]


def test_audience_rules() -> None:
    manager, call = Audience.manager("me"), Audience.call("acme", "me")
    assert manager.sees_internal and manager.sees_private and manager.sees_client("any")
    assert not call.sees_internal and not call.sees_private
    assert call.sees_client("acme") and not call.sees_client("bolt")
    assert not call.sees_client(None)
    assert call.nps_answer("Rita", "slow") is None
    assert manager.nps_answer("Rita", "slow") == ("Rita", "slow")
    assert not call.sees_record("private") and call.sees_record("team")
    assert not manager.sees_record("anonymous")
    # the client a new record's form opens on
    assert manager.form_client("bolt") == "bolt" and manager.form_client(None) is None
    assert call.form_client(None) == "acme" and call.form_client("bolt") == "acme"
    assert Audience.call(None, "me").form_client("bolt") is None


def test_a_record_may_be_shown_in_a_call_only_when_it_is_about_the_client_in_view(
    firm: Firm,
) -> None:
    from pulsetui.service.views.choices import may_show

    ws = firm.ws
    call = Audience.call(firm.acme, ws.me)
    manager = Audience.manager(ws.me)
    acme_meeting = firm.next_meeting
    shown = {
        ("client", firm.acme): True,
        ("client", firm.bolt): False,
        ("client", firm.other): False,
        ("consultant", firm.aino): True,  # placed at Acme
        ("consultant", firm.jyri): False,  # placed at Bolt
        ("consultant", firm.pia): False,  # placed nowhere
        ("meeting", acme_meeting): True,
        ("meeting", "no-such-uid"): False,
    }
    for (kind, uid), expected in shown.items():
        assert may_show(ws, call, kind, uid) is expected, (kind, uid)
        assert may_show(ws, manager, kind, uid)

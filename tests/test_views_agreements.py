"""The agreement log view: my clients' agreements or every client's, each filter alone
and combined, open ones first by due date, overdue counted; a call sees only the client
in view's agreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import DAY, TODAY, Firm, firm_in

from pulsetui.service.config import Config
from pulsetui.service.views.agreements import (
    AgreementFilter,
    AgreementLog,
    agreement_log,
    agreement_rows,
)
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


@pytest.fixture
def log(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(
        tmp_path / "ws",
        me="Anna Virtanen",
        config=Config(),
        clock=lambda: dt.datetime.combine(TODAY, dt.time(10)),
    )
    acme = ws.add("client", name="Acme Oy", manager=ws.me)
    bolt = ws.add("client", name="Bolt [bold]Labs[/bold]", manager=ws.me)
    ws.add_agreement(acme.uid, "Send the roadmap", "us", owner="Anna", due=TODAY - 3 * DAY)
    ws.add_agreement(acme.uid, "Approve hours", "client", owner="Mikko", due=TODAY + 2 * DAY)
    ws.add_agreement(bolt.uid, "Fix \x1b[31m login 🚀", "us", due=TODAY + 30 * DAY)
    done = ws.add_agreement(bolt.uid, "Old promise", "client")
    ws.set_agreement_status(done.uid, "done")
    yield ws
    ws.close(checkpoint="never")


def texts(found: AgreementLog) -> list[str]:
    return [row.text for row in found.rows]


def test_filters_combine_criteria(log: Workspace) -> None:
    me = Audience.manager(log.me)

    def filtered(**criteria: str) -> AgreementLog:
        return agreement_log(log, me, AgreementFilter(**criteria))

    assert texts(filtered(due="overdue")) == ["Send the roadmap"]
    assert texts(filtered(side="client", status="open")) == ["Approve hours"]
    assert texts(filtered(client="bold")) == ["Fix \x1b[31m login 🚀", "Old promise"]
    assert texts(filtered(text="MIKKO")) == ["Approve hours"]
    assert len(filtered(due="week").rows) == 2
    assert texts(filtered(due="none")) == ["Old promise"]


def test_open_first_soonest_due_first_overdue_counted(log: Workspace) -> None:
    found = agreement_log(log, Audience.manager(log.me))
    assert texts(found) == [
        "Send the roadmap",
        "Approve hours",
        "Fix \x1b[31m login 🚀",
        "Old promise",
    ]
    assert found.overdue == 1
    assert [found.is_overdue(r) for r in found.rows] == [True, False, False, False]
    assert [found.client_name(r) for r in found.rows][:2] == ["Acme Oy", "Acme Oy"]


def test_mine_or_every_client(firm: Firm) -> None:
    ws, me = firm.ws, Audience.manager(firm.ws.me)
    assert "Other promise" not in texts(agreement_log(ws, me))
    every = agreement_log(ws, me, every_client=True)
    assert "Other promise" in texts(every) and every.client_name(every.rows[0]) != "?"
    # every client's rows read once can be handed back for the same store version
    kept = agreement_rows(ws, None)
    again = agreement_log(
        ws, me, AgreementFilter(text="promise"), every_client=True, every_row=kept
    )
    assert texts(again) == ["Other promise", "Bolt promise"]


def test_a_call_sees_the_client_in_view_whatever_is_typed(firm: Firm) -> None:
    ws = firm.ws
    call = Audience.call(firm.bolt, ws.me)
    for criteria in (AgreementFilter(), AgreementFilter(client="acme")):
        for every_client in (False, True):
            found = agreement_log(ws, call, criteria, every_client=every_client)
            assert texts(found) == ["Bolt promise"]
            assert found.clients == {firm.bolt: "Bolt Labs"}  # no other client's name

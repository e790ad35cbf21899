"""The consultants list marks a consultant squeezed, or caught between client and firm,
in words; a call sees no marker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import ScreenHarness, settle
from textual.widgets import DataTable

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.consultants import ConsultantsScreen

TODAY = FROZEN_NOW.date()


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    acme = ws.add("client", name="Acme Oy", manager=ws.me)
    for name in ("Aino Laine", "Jüri Tamm"):
        person = ws.add("consultant", name=name, manager=ws.me)
        ws.add("engagement", client=acme.uid, consultant=person.uid, start="2026-01-01")
    yield ws
    ws.close(checkpoint="never")


def uid_of(ws: Workspace, name: str) -> str:
    return next(c.uid for c in ws.my_consultants() if c.name.startswith(name))


def strain_cell(table: DataTable[object], uid: str) -> str:
    column = [str(c.key.value) for c in table.ordered_columns].index("strain")
    return str(getattr(table.get_row(uid)[column], "plain", ""))


async def test_the_squeezed_consultant_is_marked_and_the_call_sees_no_marker(
    team: Workspace,
) -> None:
    aino, jyri = uid_of(team, "Aino"), uid_of(team, "Jüri")
    for days, wellbeing in ((40, 2), (8, 1)):
        team.add_pulse(aino, date=TODAY - dt.timedelta(days=days), wellbeing=wellbeing)
    team.add_pulse(jyri, date=TODAY - dt.timedelta(days=8), wellbeing=4)
    app = ScreenHarness(team, ConsultantsScreen)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert strain_cell(table, aino) == "! squeezed"
        assert strain_cell(table, jyri) == ""
        acme = next(iter(team.docs("client")))["uid"]
        app.call_client = acme
        app.call_mode = True
        await settle(app, pilot)
        assert table.row_count == 2
        assert strain_cell(table, aino) == ""
        assert "squeezed" not in " ".join(
            str(getattr(c, "plain", c)) for key in table.rows for c in table.get_row(key)
        )

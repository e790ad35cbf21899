"""The guided setup of an empty workspace, keys only: who I am, a first client with two
contacts, a consultant placed there; and skipping it. Checked on disk afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.tui.screen_harness import settle, wait_for
from tests.tui.test_forms import type_text
from textual.widgets import Input

from pulsetui.domain.models import Client, Consultant, Engagement, Manager
from pulsetui.service import portfolio
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import make_app
from pulsetui.tui.screens.forms.client_form import ClientForm
from pulsetui.tui.screens.forms.consultant_form import ConsultantForm
from pulsetui.tui.screens.forms.first_run import FirstRunScreen

NOW = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def empty_ws(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "new", me="liisa", config=Config(), clock=lambda: NOW)
    yield ws
    ws.close(checkpoint="never")


async def test_setup_from_an_empty_workspace(empty_ws: Workspace) -> None:
    ws = empty_ws
    assert portfolio.needs_setup(ws)
    app = make_app(ws, sync=False)  # opens on the setup
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, FirstRunScreen)
        name = app.screen.query_one("#setup-name", Input)
        assert app.focused is name and name.value == "liisa"
        await pilot.press("ctrl+u")  # clears the field
        await type_text(pilot, "Liisa Mäkinen")
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ClientForm), pilot)
        await type_text(pilot, "Kuusi Logistiikka Oy")
        for _ in range(8):  # cadence, stage, spiral, the two answers, the two flags
            await pilot.press("tab")
        await type_text(pilot, "Pekka Kuusinen")
        await pilot.press("tab", "tab", "space", "tab")  # role, decides: ticked
        await type_text(pilot, "Hanna Lehtonen")
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ConsultantForm), pilot)
        await type_text(pilot, "Aino Laine")
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, FirstRunScreen), pilot)
        await settle(app, pilot)
        steps = str(app.screen.query_one("#setup-steps").render())
        assert "Aino Laine at Kuusi Logistiikka Oy" in steps
        assert "2 contacts" in steps
        await pilot.press("f10")
        await wait_for(lambda: not isinstance(app.screen, FirstRunScreen), pilot)
    assert ws.require(Manager, ws.me or "").name == "Liisa Mäkinen"
    [client] = ws.list(Client)
    assert [(c.name, c.decision_maker) for c in client.contacts] == [
        ("Pekka Kuusinen", True),
        ("Hanna Lehtonen", False),
    ]
    [person] = ws.list(Consultant)
    [engagement] = ws.list(Engagement)
    assert (engagement.client, engagement.consultant) == (client.uid, person.uid)
    assert not portfolio.needs_setup(ws)


async def test_steps_can_be_skipped_and_the_setup_too(empty_ws: Workspace) -> None:
    ws = empty_ws
    app = make_app(ws, sync=False)  # opens on the setup
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")  # the name stays
        await wait_for(lambda: isinstance(app.screen, ClientForm), pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_for(lambda: isinstance(app.screen, FirstRunScreen), pilot)
        assert app.focused is None  # nothing to type into on this step
        await type_text(pilot, "q c l")  # no command, no form: letters do nothing here
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, FirstRunScreen), pilot)
    assert ws.count(Client) == 0 and ws.me_name == "liisa"
    assert not portfolio.needs_setup(ws)


async def test_a_blank_name_is_refused_beside_the_field(empty_ws: Workspace) -> None:
    app = make_app(empty_ws, sync=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+u", "space", "enter")
        await pilot.pause()
        screen: Any = app.screen
        assert isinstance(screen, FirstRunScreen) and screen.step == 0
        assert "must not be empty" in str(screen.query_one("#setup-error").render())
        assert screen.query_one("#setup-name", Input).value == " "


async def test_the_app_opens_an_empty_workspace_on_the_setup(empty_ws: Workspace) -> None:
    from pulsetui.tui.screens.today import TodayScreen

    app = make_app(empty_ws, sync=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, TodayScreen), pilot)
    again = make_app(empty_ws, sync=False)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(again, pilot)
        assert isinstance(again.screen, TodayScreen)  # skipped once: not again

"""Snapshots of the record forms and the guided setup on the demo workspace with a
frozen clock, at 80×24 and 120×40: every field and the save hint on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, wait_for
from textual.screen import Screen

from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.forms.client_form import ClientForm
from pulsetui.tui.screens.forms.consultant_form import ConsultantForm
from pulsetui.tui.screens.forms.engagement_form import EngagementForm
from pulsetui.tui.screens.forms.enps_round_form import EnpsRoundForm
from pulsetui.tui.screens.forms.first_run import FirstRunScreen
from pulsetui.tui.screens.forms.request_form import RequestForm
from pulsetui.tui.screens.forms.touchpoint_form import TouchpointForm

SIZES = [(80, 24), (120, 40)]


def first_client(ws: Workspace) -> str:
    return ws.my_clients()[0].uid


FORMS: dict[str, Callable[[Workspace], Screen[Any]]] = {
    "client_new": lambda ws: ClientForm(),
    "client_edit": lambda ws: ClientForm(first_client(ws)),
    "consultant_new": lambda ws: ConsultantForm(client=first_client(ws)),
    "consultant_edit": lambda ws: ConsultantForm(ws.my_consultants()[0].uid),
    "engagement_new": lambda ws: EngagementForm(client=first_client(ws)),
    "request_new": lambda ws: RequestForm(None),
    "touchpoint_new": lambda ws: TouchpointForm(first_client(ws)),
    "first_run": lambda ws: FirstRunScreen(),
    "enps_round_new": lambda ws: EnpsRoundForm(),
}


async def form_mounted(pilot: Any) -> None:
    """The form under test is on screen, mounted, its first field focused."""
    app = pilot.app
    await wait_for(lambda: type(app.screen) is not Screen and app.screen.is_mounted, pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(FORMS))
def test_form_snapshot(
    name: str, size: tuple[int, int], tui_ws: Workspace, snap_compare: Any
) -> None:
    app = ScreenHarness(tui_ws, lambda: FORMS[name](tui_ws))

    async def settle(pilot: Any) -> None:
        await form_mounted(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_client_form_errors_snapshot(tui_ws: Workspace, snap_compare: Any) -> None:
    """The errors beside the fields, with what was typed still there."""
    app = ScreenHarness(tui_ws, lambda: ClientForm())

    async def fail(pilot: Any) -> None:
        await form_mounted(pilot)
        await pilot.press("space")
        screen: Any = app.screen
        screen.query_one("#f-contacts-0-role").value = "CTO [bold]"
        await pilot.press("ctrl+s")
        # the save refused: the errors are beside their fields
        await wait_for(lambda: app.screen.query(".field-error").exclude(".-empty"), pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=fail)

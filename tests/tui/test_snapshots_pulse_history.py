"""Snapshots of the pulse history on the demo workspace with a frozen clock, at 80×24
and 120×40: the pulse form with the history pane stepped to an older conversation, the
consultant page, and one conversation read in full."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness
from textual.screen import Screen

from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.consultant_page import ConsultantPage, PulseReadScreen
from pulsetui.tui.screens.pulse_form import PulseForm

SIZES = [(80, 24), (120, 40)]


def first_consultant(ws: Workspace) -> str:
    return ws.my_consultants()[0].uid


def a_kept_promise(ws: Workspace) -> PulseReadScreen:
    """The newest conversation of the first consultant with a promise in it."""
    consultant = first_consultant(ws)
    pulse = next(p for p in reversed(ws.pulses_of(consultant)) if p.follow_ups)
    return PulseReadScreen(consultant, pulse.uid)


# (the screen, keys pressed once it is shown)
SCREENS: dict[str, tuple[Callable[[Workspace], Screen[Any]], tuple[str, ...]]] = {
    "pulse_form_history_stepped": (
        lambda ws: PulseForm(consultant=first_consultant(ws)),
        # typed notes saved at once (ctrl+s), so the save state is the same every run
        ("tab", "tab", "tab", "tab", "tab", *"Talked about the move", "ctrl+n", "ctrl+s"),
    ),
    "consultant_page": (lambda ws: ConsultantPage(first_consultant(ws)), ("j", "j", "j")),
    "pulse_read": (a_kept_promise, ()),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_pulse_history_snapshot(
    name: str, size: tuple[int, int], tui_ws: Workspace, snap_compare: Any
) -> None:
    make, keys = SCREENS[name]
    app = ScreenHarness(tui_ws, lambda: make(tui_ws))

    async def settle(pilot: Any) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # the save, when one was asked for
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=size, run_before=settle)

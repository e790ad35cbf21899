"""The pulse form's answers: their labels in a column beside the fields, the focused
answer's label marked, and an error under a field keeping every label beside its own
field (the error may take several lines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import ScreenHarness, wait_for
from textual.widgets import Input

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.pulse_fields import ANSWERS
from pulsetui.tui.screens.pulse_form import PulseForm

LABELS = {label for _name, label in ANSWERS}


@pytest.fixture
def ws(tmp_path: Path) -> Any:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    ws.add("consultant", name="Aino Laine", manager=ws.me)
    yield ws
    ws.close(checkpoint="never")


def marked(app: Any) -> list[str]:
    """The answers' labels drawn reversed on screen."""
    return [
        segment.text.strip()
        for strip in app.screen._compositor.render_strips()
        for segment in strip
        if segment.style is not None and segment.style.reverse and segment.text.strip() in LABELS
    ]


def beside_their_fields(app: Any) -> bool:
    rows = [strip.text for strip in app.screen._compositor.render_strips()]
    return all(
        rows[app.screen.query_one(f"#f-{name}").region.y].lstrip().startswith(label)
        for name, label in ANSWERS
    )


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=str)
async def test_labels_follow_the_focus_and_make_room_for_errors(
    ws: Workspace, size: tuple[int, int]
) -> None:
    aino = ws.find("consultant", "Aino Laine").uid
    app = ScreenHarness(ws, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert marked(app) == ["Wellbeing"]
        assert beside_their_fields(app)
        await pilot.press("tab")
        await wait_for(lambda: marked(app) == ["Workload"], pilot)
        await pilot.press("tab", "tab")
        await wait_for(lambda: marked(app) == ["Growth"], pilot)
        app.screen.query_one("#f-notes").focus()
        await wait_for(lambda: marked(app) == [], pilot)
        # a wrong score: its error, under it, takes one line or more; the labels below
        # move down with their fields
        app.screen.query_one("#f-wellbeing", Input).value = "77777"
        error = app.screen.query_one("#err-wellbeing")
        await wait_for(lambda: error.display and error.region.height > 0, pilot)
        await pilot.pause()
        assert beside_their_fields(app)
        assert app.screen.query_one("#f-workload").region.y > error.region.y
        # put right, the error goes and the labels close up again
        app.screen.query_one("#f-wellbeing", Input).value = "4"
        await wait_for(lambda: not error.display, pilot)
        await pilot.pause()
        assert beside_their_fields(app)

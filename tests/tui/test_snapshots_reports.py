"""Snapshots of the report preview (this week's report of a demo client, ready to save)
and of the work note form, at 80×24 and 120×40, on the demo with a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, settle
from textual.screen import Screen

from pulsetui.reports.sendable import weekly_forms
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.report_preview import ReportPreview
from pulsetui.tui.screens.work_note_modal import WorkNoteModal

SIZES = [(80, 24), (120, 40)]
CLIENT = "Kuusi Logistiikka Oy"
# the folder "Save as" suggests: the same path on every machine, nothing written to it
FOLDER = Path("/tmp/pulsetui-snapshots")


def client_uid(ws: Workspace) -> str:
    return next(str(d["uid"]) for d in ws.docs("client") if d.get("name") == CLIENT)


def weekly_preview(ws: Workspace) -> ReportPreview:
    FOLDER.mkdir(exist_ok=True)
    uid = client_uid(ws)
    return ReportPreview(f"Weekly report: {CLIENT}", lambda: weekly_forms(ws, uid), FOLDER)


SCREENS: dict[str, Callable[[Workspace], Screen[Any]]] = {
    "report_preview": weekly_preview,
    "work_note": lambda ws: WorkNoteModal(client_uid(ws), CLIENT),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_report_screen_snapshot(
    name: str, size: tuple[int, int], tui_ws: Workspace, snap_compare: Any
) -> None:
    app = ScreenHarness(tui_ws, lambda: SCREENS[name](tui_ws))

    async def ready(pilot: Any) -> None:
        await settle(app, pilot)  # the report is made in a worker
        await pilot.wait_for_scheduled_animations()
        await settle(app, pilot)  # and its Markdown mounted

    assert snap_compare(app, terminal_size=size, run_before=ready)

"""A work note entered in the app lands in the client's weekly report as typed: done and
next lines, and a risk only with the way out proposed to the client (the error beside
the field, the text kept); Esc saves nothing."""

from __future__ import annotations

from typing import Any

from tests.tui.screen_harness import settle, wait_for
from textual.widgets import Input, Select, Static

from pulsetui.service.weekly import weekly_report
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.work_note_modal import WorkNoteModal

CLIENT = "Kuusi Logistiikka Oy"
TYPED = "Login [bold]page[/bold] ~~live~~ ä ж 🚀"


def client_uid(ws: Workspace) -> str:
    return next(str(d["uid"]) for d in ws.docs("client") if d.get("name") == CLIENT)


def notes(ws: Workspace) -> list[tuple[str, str, str]]:
    found = ws.docs("work", client=client_uid(ws))
    return sorted((str(d["kind"]), str(d["text"]), str(d.get("way_out", ""))) for d in found)


async def open_modal(app: Any, pilot: Any) -> WorkNoteModal:
    await settle(app, pilot)
    app.push_screen(WorkNoteModal(client_uid(app.workspace), CLIENT))
    await wait_for(lambda: isinstance(app.screen, WorkNoteModal), pilot)
    await settle(app, pilot)
    return app.screen  # type: ignore[no-any-return]


async def test_a_done_line_is_typed_and_saved_with_enter(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    before = notes(tui_ws)
    app = make_tui_app()
    async with app.run_test(size=(90, 30)) as pilot:
        modal = await open_modal(app, pilot)
        assert modal.focused is modal.query_one("#f-text", Input)
        await pilot.press(*TYPED, "enter")
        await wait_for(lambda: not isinstance(app.screen, WorkNoteModal), pilot)
    assert notes(tui_ws) == sorted([*before, ("done", TYPED, "")])
    report = weekly_report(tui_ws, client_uid(tui_ws))
    assert TYPED in [line.text for line in report.done]


async def test_a_risk_needs_its_way_out(make_tui_app: Any, tui_ws: Workspace) -> None:
    before = notes(tui_ws)
    app = make_tui_app()
    async with app.run_test(size=(90, 30)) as pilot:
        modal = await open_modal(app, pilot)
        modal.query_one("#f-kind", Select).value = "risk"
        await pilot.press(*"Test data is late", "enter")
        await settle(app, pilot)
        error = str(modal.query_one("#err-way_out", Static).render())
        assert "a risk needs the way out we propose" in error
        assert modal.query_one("#f-text", Input).value == "Test data is late"
        assert notes(tui_ws) == before
        await pilot.press("tab")
        assert modal.focused is modal.query_one("#f-way_out", Input)
        await pilot.press(*"We test with generated data", "ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, WorkNoteModal), pilot)
    added = ("risk", "Test data is late", "We test with generated data")
    assert notes(tui_ws) == sorted([*before, added])
    risks = weekly_report(tui_ws, client_uid(tui_ws)).risks
    assert ("Test data is late", "We test with generated data") in [
        (r.risk, r.way_out) for r in risks
    ]


async def test_escape_saves_nothing_and_keeps_a_draft(make_tui_app: Any, tui_ws: Workspace) -> None:
    before = notes(tui_ws)
    app = make_tui_app()
    async with app.run_test(size=(90, 30)) as pilot:
        modal = await open_modal(app, pilot)
        await pilot.press(*"half a thought")
        assert modal.has_unsaved()
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, WorkNoteModal), pilot)
        assert notes(tui_ws) == before
        modal = await open_modal(app, pilot)
        await pilot.pause()
        assert modal.query_one("#f-text", Input).value == "half a thought"
    assert notes(tui_ws) == before

"""The segments and three-hats sections on the demo workspace: snapshots at 60×20, 80×24
and 120×40, reached from the palette, Enter opening the client's page, and nothing of them
shown in call mode."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console
from tests.tui.screen_harness import ScreenHarness, palette_answered, settle, wait_for
from textual.widgets import DataTable, Static

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.client_judgement import client_judgement
from pulsetui.service.views.hats import hats_view
from pulsetui.service.views.segments import segments_view
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.client_page import ClientPage
from pulsetui.tui.screens.hats import HatsScreen, hats_cells
from pulsetui.tui.screens.segments import SegmentsScreen

SIZES = [(60, 20), (80, 24), (120, 40)]
SCREENS = {"segments": SegmentsScreen, "hats": HatsScreen}


def _plain(renderable: Any) -> str:
    console = Console(width=400, color_system=None, file=None, record=True)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def screen_text(app: Any) -> str:
    """What the current screen shows in its visible statics and tables."""
    parts = []
    for widget in app.screen.query("*"):
        if not widget.display or (widget.parent is not None and not widget.parent.display):
            continue
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.append(" | ".join(_plain(c).strip() for c in widget.get_row_at(row)))
        elif isinstance(widget, Static):
            if widget.border_title:
                parts.append(str(widget.border_title))
            parts.append(_plain(widget.render()))
    return "\n".join(parts)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_judgement_screen_snapshot(
    name: str, size: tuple[int, int], tui_ws: Workspace, snap_compare: Any
) -> None:
    app = ScreenHarness(tui_ws, SCREENS[name])

    async def ready(pilot: Any) -> None:
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def test_segments_show_every_client_in_its_quadrant_and_the_moves(
    tui_ws: Workspace,
) -> None:
    view = segments_view(tui_ws, Audience.manager(tui_ws.me))
    moved = [row for row in view.rows if row.moved]
    assert moved, "the demo has a client whose quadrant moved since last quarter"
    app = ScreenHarness(tui_ws, SegmentsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        shown = screen_text(app)
        assert view.summary in shown
        for quadrant in view.quadrants[:4]:
            assert f"{quadrant.label.upper()} ({len(quadrant.clients)}) · client " in shown
            assert quadrant.policy in shown
        for row in moved:
            assert f"» {row.name} · {row.move}" in shown


async def test_hats_list_every_running_engagement(tui_ws: Workspace) -> None:
    view = hats_view(tui_ws, Audience.manager(tui_ws.me))
    assert view.lines
    app = ScreenHarness(tui_ws, HatsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(view.lines)
        assert app.focused is table
        shown = screen_text(app)
        for line in view.lines:
            row = " | ".join(c.plain for c in hats_cells(line))
            assert row in shown  # the consultant's pulse beside the client's health
            assert line.consultant_name in row and f"{line.health} {line.grade}" in row


@pytest.mark.parametrize("section", ["segments", "hats"])
async def test_reached_from_the_palette_and_enter_opens_the_client(
    make_tui_app: Any, section: str
) -> None:
    words = {"segments": "go to segments", "hats": "go to three hats"}[section]
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*words)
        await wait_for(lambda: palette_answered(app, words), pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == section
        client = app.screen.context_client()
        assert client is not None  # the cursor is on a row
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientPage) and app.screen.context_client() == client


@pytest.mark.parametrize("section", ["segments", "hats"])
async def test_call_mode_shows_nothing_of_them(
    make_tui_app: Any, tui_ws: Workspace, section: str
) -> None:
    clients = [c.name for c in tui_ws.my_clients()]
    consultants = [c.name for c in tui_ws.my_consultants()]
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_section(section)
        await settle(app, pilot)
        before = screen_text(app)
        assert any(name in before for name in clients)
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.call_mode is True
        shown = screen_text(app)
        assert "internal: not shown in a call" in shown
        in_view = tui_ws.doc("client", app.call_client or "") or {}
        body = shown.replace(f"only {in_view.get('name')} is shown", "")  # the banner
        for name in (*clients, *consultants):
            assert name not in body
        assert app.screen.context_client() is None
        assert app.focused is None  # no key reaches the hidden list
        await pilot.press("f2", "f2")  # sharing ends (twice: on purpose): rows and keys back
        await settle(app, pilot)
        assert app.focused is app.screen.query_one(DataTable)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientPage)


async def test_the_client_page_shows_the_judgements_and_hides_them_in_a_call(
    tui_ws: Workspace,
) -> None:
    client = next(c.uid for c in tui_ws.my_clients() if c.name == "Kuusi Logistiikka Oy")
    view = client_judgement(tui_ws, Audience.manager(tui_ws.me), client)
    assert view is not None and len(view.communicators) >= 2  # the demo's rotation
    app = ScreenHarness(tui_ws, lambda: ClientPage(client))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one("#client-judgement", Static)
        shown = _plain(panel.content)
        assert panel.display and "Judgements" in shown
        assert f"Stage: {view.stage_line}" in shown
        for period, mix in view.spiral_mix:
            assert f"Spiral fed {period}: {mix}" in shown
        current = view.communicators[-1]
        assert f"{current.name} ({current.role}) {current.start.isoformat()} – now" in shown
        for contact, path in view.nps_paths:
            assert f"{contact}: {path}" in shown
        app.call_mode = True
        await settle(app, pilot)
        assert not panel.display and _plain(panel.content).strip() == ""

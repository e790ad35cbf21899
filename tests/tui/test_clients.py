"""Clients list and the client page on the demo workspace."""

from __future__ import annotations

import time

from rich.console import Console
from tests.tui.screen_harness import ScreenHarness
from textual.widgets import DataTable, Static

from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.client_page import PAGE_SIZE, ClientPage, timeline_entries
from pulsetui.tui.screens.clients import ClientsScreen


def text_of(widget: Static) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


async def test_clients_list_and_client_page(tui_ws: Workspace) -> None:
    mine = tui_ws.my_clients()
    assert mine, "the demo manager has clients"
    app = ScreenHarness(tui_ws, ClientsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(mine)
        first = [c.plain for c in table.get_row_at(0)][1:]  # after the ▶ column
        assert mine[0].name.startswith(first[0].removesuffix("…"))  # cut to fit 80 columns
        assert first[2] == mine[0].stage.value
        assert first[5].split()[-1].isdigit()  # health score
        started = time.monotonic()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientPage)
        assert time.monotonic() - started < 2.0
        page = app.screen
        assert "Contacts" in text_of(page.query_one("#client-people", Static))
        health = text_of(page.query_one("#client-health", Static))
        assert "Health" in health and "NPS" in health
        assert "n=" in health or "no answers" in health
        assert "Since the last meeting" in text_of(page.query_one("#client-brief", Static))
        entries = timeline_entries(tui_ws, mine[0].uid)
        timeline = page.query_one("#timeline", DataTable)
        assert timeline.row_count == min(PAGE_SIZE, len(entries))
        dates = [timeline.get_row_at(i)[1].plain for i in range(timeline.row_count)]
        assert dates == sorted(dates, reverse=True)
        if len(entries) > PAGE_SIZE:
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert timeline.get_row_at(0)[1].plain == entries[PAGE_SIZE][0]
        # call mode hides health and internal flags
        app.call_mode = True
        await pilot.pause()
        assert "Health" not in text_of(page.query_one("#client-health", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)

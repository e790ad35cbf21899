"""Clients list and the client page on the demo workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rich.console import Console
from tests.tui.screen_harness import ScreenHarness, settle
from textual import events
from textual.widgets import DataTable, Static

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.client_page import timeline as timeline_of
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.client_page import PAGE_SIZE, ClientPage
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
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(mine)
        first = [c.plain for c in table.get_row_at(0)][1:]  # after the ▶ column
        assert mine[0].name.startswith(first[0].removesuffix("…"))  # cut to fit 80 columns
        assert first[2] == mine[0].stage.value
        assert first[5].split()[-1].isdigit()  # health score
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientPage)
        page = app.screen
        assert "Contacts" in text_of(page.query_one("#client-people", Static))
        health = text_of(page.query_one("#client-health", Static))
        assert "Health" in health and "NPS" in health
        assert "n=" in health or "no answers" in health
        assert "Since the last meeting" in text_of(page.query_one("#client-brief", Static))
        entries = timeline_of(tui_ws, Audience.manager(tui_ws.me), mine[0].uid)
        timeline = page.query_one("#timeline", DataTable)
        assert timeline.row_count == min(PAGE_SIZE, len(entries))
        dates = [timeline.get_row_at(i)[1].plain for i in range(timeline.row_count)]
        assert dates == sorted(dates, reverse=True)
        if len(entries) > PAGE_SIZE:
            await pilot.press("right_square_bracket")
            await pilot.pause()
            day = entries[PAGE_SIZE].day
            assert timeline.get_row_at(0)[1].plain == (day.isoformat() if day else "")
        # call mode hides health, internal flags and our segment of the client
        assert "segment" in text_of(page.query_one("#client-head", Static))
        app.call_client = page.context_client()  # as F2 turns call mode on from the page
        app.call_mode = True
        await pilot.pause()
        assert "Health" not in text_of(page.query_one("#client-health", Static))
        head = text_of(page.query_one("#client-head", Static))
        assert "segment" not in head and mine[0].stage.value in head
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)


async def test_lists_are_kept_across_sections_and_read_again_only_after_a_change(
    make_tui_app: Any, tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Coming back to Clients or Consultants shows the rows kept; a save, the day or call
    mode reads them again. The client page is read once when opened, again after a save."""
    import pulsetui.tui.screens.client_page as page_module
    import pulsetui.tui.screens.clients as clients_module
    import pulsetui.tui.screens.consultants as consultants_module

    calls: dict[str, int] = {"clients": 0, "consultants": 0, "page": 0}

    def counting(module: Any, name: str, key: str) -> None:
        real = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            calls[key] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    counting(clients_module, "clients_view", "clients")
    counting(consultants_module, "consultants_view", "consultants")
    counting(page_module, "client_page_view", "page")
    client = tui_ws.my_clients()[0]
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("c", "l"):
            await pilot.press(key)
            await settle(app, pilot)
        assert calls == {"clients": 1, "consultants": 1, "page": 0}
        shown = {}
        for key in ("c", "l"):
            await pilot.press(key)
            await settle(app, pilot)
            shown[key] = app.screen.query_one(DataTable).row_count
        for key in ("t", "c", "g", "l", "c"):
            await pilot.press(key)
            await settle(app, pilot)
        assert calls == {"clients": 1, "consultants": 1, "page": 0}  # kept
        assert app.screen.query_one(DataTable).row_count == shown["c"] > 0
        await pilot.press("l")
        await settle(app, pilot)
        assert app.screen.query_one(DataTable).row_count == shown["l"] > 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientPage)
        assert calls["page"] == 1  # opened: read once, not again on its first resume
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert calls["page"] == 2  # a new page
        await pilot.press("escape")
        await settle(app, pilot)
        tui_ws.add_agreement(client.uid, "Send the ж plan", side="us", due=tui_ws.today())
        for key in ("c", "l"):
            await pilot.press(key)
            await settle(app, pilot)
        assert calls == {"clients": 2, "consultants": 2, "page": 2}  # a save: read again
        table = app.screen.query_one(DataTable)
        in_view = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        await pilot.press("f2")  # call mode, sharing the screen with the client in view
        await settle(app, pilot)
        assert calls["clients"] == 3
        # only that client, without our segment and health of it; no other client's name
        assert [str(key.value) for key in table.rows] == [in_view]
        cells = [c.plain for c in table.get_row_at(0)]
        assert cells[2] == cells[6] == "(hidden)"
        summary = str(app.screen.query_one("#clients-summary", Static).render())
        assert summary == "Call mode: only the client in view"


async def test_j_and_k_scroll_the_client_page_overview(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    app = ScreenHarness(tui_ws, lambda: ClientPage(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        overview = app.screen.query_one("#client-overview")
        assert app.screen.focused is overview and overview.max_scroll_y > 3
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert overview.scroll_y == 3  # one line a press, at once
        await pilot.press("k")
        await pilot.pause()
        assert overview.scroll_y == 2
        for _ in range(4):  # a burst, as keys arrive over SSH: one line a press still
            app.post_message(events.Key("j", "j"))
        await pilot.pause()
        await pilot.pause()
        assert overview.scroll_y == 6


async def test_trends_are_drawn_with_their_numbers(tui_ws: Workspace) -> None:
    from textual.widgets import Sparkline

    from pulsetui.service.insights.health import client_health
    from pulsetui.service.views.consultants import consultants_view
    from pulsetui.tui.screens.consultants import ConsultantsScreen
    from pulsetui.tui.widgets.literal import LiteralStatic
    from pulsetui.tui.widgets.trend_line import TrendLine

    client = tui_ws.my_clients()[0]
    health = client_health(tui_ws, client.uid)
    app = ScreenHarness(tui_ws, lambda: ClientPage(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        page = app.screen
        nps = page.query_one("#nps-trend", TrendLine)
        assert nps.display and "Q4" in text_of(nps.query_one(LiteralStatic))
        assert nps.query_one(Sparkline).data
        trend = page.query_one("#health-trend", TrendLine)
        assert text_of(trend.query_one(LiteralStatic)).strip() == " → ".join(map(str, health.trend))
        assert trend.query_one(Sparkline).data == list(health.trend)
        app.call_client = client.uid  # sharing the page: NPS stays, health is ours
        app.call_mode = True
        await settle(app, pilot)
        assert nps.display and not trend.display
    mine = consultants_view(tui_ws, Audience.manager(tui_ws.me)).rows[0]
    app = ScreenHarness(tui_ws, ConsultantsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        line = app.screen.query_one("#wellbeing-trend", TrendLine)
        numbers = " ".join("·" if w is None else str(w) for w in mine.wellbeing)
        assert (
            text_of(line.query_one(LiteralStatic)).strip()
            == f"{numbers} ({len(mine.wellbeing)} held)"
        )
        assert line.query_one(Sparkline).data == [w for w in mine.wellbeing if w is not None]
        app.call_mode = True  # no client in view: no one, and no wellbeing
        await settle(app, pilot)
        assert not line.display


async def test_a_page_opened_from_today_comes_first_and_the_list_under_it_reads_once_in_view(
    make_tui_app: Any, tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter on a Today row opens a client's page over the clients list: the page is
    read at once; the list, not in view, reads its rows when it is (here after Esc, on
    the way back through the list)."""
    from tests.tui.screen_harness import wait_for

    reads: list[str] = []
    real_page, real_list = ClientPage.reload, ClientsScreen.reload

    def page_read(self: ClientPage) -> None:
        reads.append("page")
        real_page(self)

    def list_read(self: ClientsScreen) -> None:
        reads.append("list")
        real_list(self)

    client = sorted(tui_ws.my_clients(), key=lambda c: c.name)[0]
    app = make_tui_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(ClientPage, "reload", page_read)
        monkeypatch.setattr(ClientsScreen, "reload", list_read)
        await app.open_record("client", client.uid)
        await settle(app, pilot)
        assert isinstance(app.screen, ClientPage)
        assert reads == ["page"]
        app.pop_screen()  # the page closed: the list is in view
        await wait_for(lambda: app.screen.query_one(DataTable).row_count > 0, pilot)
        assert reads == ["page", "list"]
        assert client.name[:12] in "\n".join(
            strip.text for strip in app.screen._compositor.render_strips()
        )


async def test_the_page_shows_a_planned_meeting_whose_day_passed_unheld(
    tui_ws: Workspace,
) -> None:
    client = tui_ws.find("client", "Revontuli Pankki Oyj")  # none planned in the demo
    assert tui_ws.next_meeting(client.uid) is None
    tui_ws.plan_meeting(client.uid, dt.date(2026, 11, 10), time="14:00")
    app = ScreenHarness(tui_ws, lambda: ClientPage(client.uid))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        head = text_of(app.screen.query_one("#client-head", Static))
        assert (
            "next meeting planned 2026-11-10, not held (10 days ago); none planned since"
        ) in head
        assert "next meeting —" not in head


async def test_the_list_marks_a_planned_meeting_whose_day_passed_unheld(
    tui_ws: Workspace,
) -> None:
    """With nothing planned ahead, the next-meeting column shows the slipped meeting
    ("! " and its day, month and day where the column is narrow) instead of a dash; a
    meeting planned ahead again takes its place."""
    client = tui_ws.find("client", "Revontuli Pankki Oyj")  # none planned in the demo
    tui_ws.plan_meeting(client.uid, dt.date(2026, 11, 10), time="14:00")

    def next_cell(app: ScreenHarness) -> str:
        table = app.screen.query_one(DataTable)
        for index in range(table.row_count):
            cells = [c.plain for c in table.get_row_at(index)][1:]
            if client.name.startswith(cells[0].removesuffix("…")):
                return str(cells[4])
        raise AssertionError("the client is not listed")

    for size, shown in (((80, 24), "! 11-10"), ((120, 30), "! 2026-11-10")):
        app = ScreenHarness(tui_ws, ClientsScreen)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            assert next_cell(app) == shown
    tui_ws.plan_meeting(client.uid, dt.date(2026, 12, 3))
    app = ScreenHarness(tui_ws, ClientsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert next_cell(app) == "2026-12-03"

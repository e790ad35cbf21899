"""The search screen and the palette's search on the demo workspace: a query typed in
one burst and Enter open the best match; hostile text shows literally; call mode hides
pulse notes; snapshots at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, settle, wait_for
from textual import events
from textual.widgets import DataTable, Input, Static

from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp
from pulsetui.tui.screens.search import SearchScreen

HOSTILE = "[bold]Client[/bold] asked about \x1b[31mthe red invoice"


def row_texts(screen: SearchScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [" | ".join(str(c) for c in table.get_row_at(i)[1:]) for i in range(table.row_count)]


def shown_for(screen: SearchScreen, query: str) -> Callable[[], bool]:
    return lambda: screen.results is not None and screen.results.query == query


async def test_a_burst_then_enter_opens_the_best_match(
    make_tui_app: Callable[..., PulseApp],
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = SearchScreen()
        app.push_screen(screen)
        await pilot.pause()
        # one burst, as a terminal delivers one read: the query and Enter are queued
        # before any search has answered
        for char in "recovery plan":
            app.post_message(events.Key("space" if char == " " else char, char))
        app.post_message(events.Key("enter", None))
        await wait_for(lambda: app.screen.__class__.__name__ == "MeetingScreen", pilot)
        meeting = app.screen
        notes = str(meeting.query_one("#meeting-notes").text)  # type: ignore[attr-defined]
        assert "recovery plan" in notes
        assert screen.results is not None and screen.results.query == "recovery plan"
        # the newest meeting with those words is the one opened
        assert meeting.meeting_uid == screen.results.hits[0].uid  # type: ignore[attr-defined]


async def test_typing_finds_across_scripts_and_moves_with_arrows(
    make_tui_app: Callable[..., PulseApp],
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = SearchScreen()
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press(*"dmit")
        await wait_for(shown_for(screen, "dmit"), pilot)
        rows = row_texts(screen)
        assert rows and all("Дмитрий" in row for row in rows[:3]), rows
        await pilot.press("down")
        assert screen.query_one(DataTable).cursor_row == 1
        assert screen.query_one(Input).has_focus  # arrows move the list, typing goes on
        detail = str(screen.query_one("#search-detail", Static).render())
        assert "Enter opens the pulse conversation" in detail


async def test_hostile_text_shows_literally(
    tui_ws: Workspace, make_tui_app: Callable[..., PulseApp]
) -> None:
    client = tui_ws.my_clients()[0].uid
    tui_ws.add_agenda_item(client, HOSTILE)
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = SearchScreen("red invoice")
        app.push_screen(screen)
        await wait_for(shown_for(screen, "red invoice"), pilot)
        await settle(app, pilot)
        first = row_texts(screen)[0]
        assert "[bold]Client[/bold] asked about ␛[31mthe red invoice" in first
        assert "\x1b" not in first


async def test_call_mode_hides_pulse_notes(make_tui_app: Callable[..., PulseApp]) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = SearchScreen("dmit")
        app.push_screen(screen)
        await wait_for(shown_for(screen, "dmit"), pilot)
        assert any(h.kind == "pulse" for h in screen.results.hits)  # type: ignore[union-attr]
        app.call_client = None
        app.call_mode = True
        await wait_for(lambda: screen.results is not None and not screen.results.hits, pilot)
        assert "pulse" not in " ".join(row_texts(screen))


async def test_the_palette_lists_written_matches(make_tui_app: Callable[..., PulseApp]) -> None:
    from textual.command import CommandPalette

    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_command_palette()
        await wait_for(lambda: isinstance(app.screen, CommandPalette), pilot)
        await pilot.press(*"recovery plan")

        def listed() -> str:
            from textual.widgets import OptionList

            options = app.screen.query_one(OptionList)
            return "\n".join(
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            )

        await wait_for(lambda: "Meeting: 2× " in listed(), pilot)
        assert "Search everything for “recovery plan”" in listed()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_search_screen_snapshot(
    size: tuple[int, int], tui_ws: Workspace, snap_compare: Any
) -> None:
    tui_ws.add_agenda_item(tui_ws.my_clients()[0].uid, HOSTILE)
    app = ScreenHarness(tui_ws, lambda: SearchScreen("client"))

    async def run_before(pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await app.search_readiness.ready(app)  # the screen as it reads once indexed
        progress = screen.query_one("#search-progress")
        await wait_for(lambda: not progress.has_class("indexing"), pilot)
        await wait_for(shown_for(screen, "client"), pilot)
        await settle(app, pilot)
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)

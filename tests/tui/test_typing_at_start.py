"""Keys typed before a screen is ready wait for it: typed while the app starts (Today
still reading its rows), or right behind the key of a section visited for the first
time, they are acted on once the rows are on screen — in the order typed, as if typed
then. The reads are held back here with a gate, as a busy machine holds them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tests.tui.screen_harness import settle, wait_for
from textual.widgets import DataTable

from pulsetui.service.meetings import on_agenda
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens import clients, today
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.today import TodayScreen


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Any, str], threading.Event]]:
    """``gate(module, name)``: that module's view waits until the event is set."""
    gates: list[threading.Event] = []

    def hold(module: Any, name: str) -> threading.Event:
        opened = threading.Event()
        gates.append(opened)
        real = getattr(module, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            opened.wait(60)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, held)
        return opened

    yield hold
    for opened in gates:
        opened.set()  # no read left waiting after the test


async def test_a_form_key_and_text_typed_while_starting_land_in_the_form(
    make_tui_app: Any, tui_ws: Workspace, gate: Callable[[Any, str], threading.Event]
) -> None:
    """`a` opens the agenda item for the client Today selects — once Today shows its
    rows; before, it would have asked for the client and the text typed into the
    client choice would have been lost."""
    opened = gate(today, "today_view")
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Roadmap", "space", *"review", "space", "ä", "space", "ö")
        await pilot.press("space", "ж")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen) and not app.screen.is_ready
        opened.set()
        await wait_for(lambda: isinstance(app.screen, AgendaModal), pilot)
        form = app.screen
        selected = app.get_screen_stack("today")[0].context_client()  # type: ignore[attr-defined]
        assert selected is not None and form.client_uid == selected

        def typed() -> str:  # the form is on the stack before its fields are mounted
            fields = form.query("#f-text")
            return str(fields.first().value) if fields else ""

        await wait_for(lambda: typed() == "Roadmap review ä ö ж", pilot)
        await pilot.press("enter")
        await wait_for(lambda: not isinstance(app.screen, AgendaModal), pilot)
    assert on_agenda(tui_ws, selected, "Roadmap review ä ö ж")


async def test_cursor_keys_typed_while_starting_move_on_todays_rows(
    make_tui_app: Any, gate: Callable[[Any, str], threading.Event]
) -> None:
    opened = gate(today, "today_view")
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "down")
        await pilot.pause()
        opened.set()
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: table.cursor_row == 3, pilot)


async def test_keys_behind_a_section_key_wait_for_its_rows(
    make_tui_app: Any, gate: Callable[[Any, str], threading.Event]
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        opened = gate(clients, "clients_view")
        await pilot.press("l", "j", "j")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen) and not app.screen.is_ready
        opened.set()
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: table.row_count > 2 and table.cursor_row == 2, pilot)


async def test_enter_typed_while_starting_arrives_as_a_newline_and_is_enter(
    make_tui_app: Any, tui_ws: Workspace, gate: Callable[[Any, str], threading.Event]
) -> None:
    """Until the app has set the terminal up, the terminal turns Enter into a newline
    (ctrl+j): typed during the start, it still saves the form."""
    opened = gate(today, "today_view")
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Roadmap", "space", "ж", "ctrl+j")
        opened.set()
        today_screen = app.get_screen_stack("today")[0]
        await wait_for(lambda: today_screen.is_ready, pilot)  # type: ignore[attr-defined]
        selected = today_screen.context_client()  # type: ignore[attr-defined]
        await wait_for(lambda: on_agenda(tui_ws, selected, "Roadmap ж"), pilot)
        assert not isinstance(app.screen, AgendaModal), "saved and closed"

"""Handing the main communicator role over from the client page, keys only: what is
saved (read back from the store), a refused name shown beside its field with everything
typed kept and nothing written, Esc keeping typed text as a draft that reopens, and no
form in a call."""

from __future__ import annotations

from typing import Any

from tests.tui.screen_harness import settle, wait_for
from tests.tui.test_forms import choose, error_of, type_text
from textual.widgets import Input

from pulsetui.service.communicators import communicator_history, main_communicator
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.client_page import ClientPage
from pulsetui.tui.screens.forms.communicator_form import ROLES, CommunicatorForm

NAME = "Liis Ojä Hq [bold]ж 🙂"
NOTE = "Knows the [red]budget[/red] story; qa test"


def role_after(ws: Workspace, client: str) -> str:
    """The role one step below the one the form starts on (the holder's, else delivery)."""
    holder = main_communicator(ws, client)
    values = [value for _label, value in ROLES]
    start = str(holder.role) if holder and str(holder.role) in values else "delivery_manager"
    return values[values.index(start) + 1]


async def open_form(app: Any, pilot: Any, client: str) -> None:
    await settle(app, pilot)
    app.push_screen(ClientPage(client))
    await settle(app, pilot)
    await pilot.press("H")
    await wait_for(lambda: isinstance(app.screen, CommunicatorForm), pilot)


async def test_a_handover_typed_in_the_form_is_the_clients_main_communicator(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    client = tui_ws.my_clients()[0].uid
    before = len(communicator_history(tui_ws, client))
    role = role_after(tui_ws, client)
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, client)
        await type_text(pilot, NAME)  # H and q are text here, not commands
        await pilot.press("tab")
        await choose(pilot, 1)
        await pilot.press("tab", "tab")  # over From (today) to the note
        await type_text(pilot, NOTE)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ClientPage), pilot)
    history = communicator_history(tui_ws, client)
    assert len(history) > before
    now = history[-1]
    assert (now.name, str(now.role), now.note) == (NAME, role, NOTE)
    assert now.start == tui_ws.today() and now.end is None
    holder = main_communicator(tui_ws, client)
    assert holder is not None and holder.name == NAME


async def test_an_empty_name_is_refused_beside_it_and_the_note_is_kept(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    client = tui_ws.my_clients()[0].uid
    before = communicator_history(tui_ws, client)
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, client)
        await pilot.press("tab", "tab", "tab")  # role, from, note
        await type_text(pilot, NOTE)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CommunicatorForm)
        assert error_of(app, "name").startswith("✗")
        assert app.screen.query_one("#f-note", Input).value == NOTE
        assert app.focused is app.screen.query_one("#f-name", Input)
        await pilot.press("escape")  # something typed: kept as a draft
        await wait_for(lambda: isinstance(app.screen, ClientPage), pilot)
        assert communicator_history(tui_ws, client) == before
        await pilot.press("H")
        await wait_for(lambda: isinstance(app.screen, CommunicatorForm), pilot)
        await pilot.pause()
        assert app.screen.query_one("#f-note", Input).value == NOTE
    assert communicator_history(tui_ws, client) == before


async def test_no_handover_form_in_a_call(make_tui_app: Any, tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0].uid
    before = communicator_history(tui_ws, client)
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.call_client = client
        app.call_mode = True
        app.push_screen(ClientPage(client))
        await settle(app, pilot)
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, ClientPage)
    assert communicator_history(tui_ws, client) == before

"""Enter in the command palette acts on the whole list for the text typed: typed right
behind the text, while a provider is still answering (the palette's records being
read, held back here with a gate as a busy machine holds them), it waits for every
answer and picks the top row of the complete list — not "Search everything for …",
which answers first. Keys typed behind that Enter go to what it opens."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from tests.tui.screen_harness import settle, wait_for
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input

from pulsetui.domain.models import Agreement, Client
from pulsetui.service.workspace import Workspace
from pulsetui.tui import commands
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.search import SearchScreen


@pytest.fixture
def records_gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The palette's records are read only once the gate opens."""
    opened = threading.Event()
    real = commands.build_index

    def held(ws: Workspace) -> Any:
        opened.wait(60)
        return real(ws)

    monkeypatch.setattr(commands, "build_index", held)
    yield opened
    opened.set()


def typing(text: str) -> list[tuple[str, str]]:
    return [("space" if c == " " else c, c) for c in text]


def shown(app: Any) -> str:
    return type(app.screen).__name__


async def test_enter_right_behind_a_name_opens_that_client(
    make_tui_app: Any, tui_ws: Workspace, records_gate: threading.Event
) -> None:
    [client] = tui_ws.list(Client, where=lambda c: c.name == "Kuusi Logistiikka Oy")
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"Kuusi Logistiikka", "enter")
        await wait_for(lambda: isinstance(app.screen, CommandPalette), pilot)
        await pilot.pause(0.3)  # a batch of the answers so far is on the list
        assert isinstance(app.screen, CommandPalette), "Enter waits for the records"
        records_gate.set()
        await wait_for(lambda: not isinstance(app.screen, CommandPalette), pilot)
        await settle(app, pilot)
        assert not isinstance(app.screen, SearchScreen)
        await wait_for(lambda: app.screen.context_client() == client.uid, pilot)


async def test_keys_behind_a_waiting_enter_land_in_the_form_it_opens(
    make_tui_app: Any, tui_ws: Workspace, records_gate: threading.Event
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"New agreement", "enter", *"Send ä ж", "space", "õ")
        await wait_for(lambda: isinstance(app.screen, CommandPalette), pilot)
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).value == "New agreement"
        records_gate.set()
        await wait_for(lambda: isinstance(app.screen, AgreementModal), pilot)
        form = app.screen
        await wait_for(lambda: form.query_one("#f-text", Input).value == "Send ä ж õ", pilot)
        client = form.client_uid
        assert client is not None
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, AgreementModal), pilot)
    saved = [a.text for a in tui_ws.list(Agreement, client=client)]
    assert [text for text in saved if text.startswith("Send ä")] == ["Send ä ж õ"]


async def test_enter_on_a_complete_list_acts_at_once(make_tui_app: Any) -> None:
    """Once every provider has answered, Enter picks at once, as Textual's does."""
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"Go to Clients")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await wait_for(lambda: not palette._gathering(), pilot)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(lambda: app.current_mode == "clients", pilot)


async def test_a_burst_through_the_palette_into_a_form(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    """ctrl+p, the command, Enter and the text in one read (as a terminal delivers a
    fast typist's keys): the text lands in the form the command opens, never in the
    palette's query."""
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        typed = [("ctrl+p", None), *typing("New agreement"), ("enter", "\r")]
        for key, char in [*typed, *typing("Send the offer ä ж [bold]")]:
            app.post_message(events.Key(key, char))
        await wait_for(lambda: isinstance(app.screen, AgreementModal), pilot)
        form = app.screen
        text = form.query_one("#f-text", Input)
        await wait_for(lambda: text.value == "Send the offer ä ж [bold]", pilot)

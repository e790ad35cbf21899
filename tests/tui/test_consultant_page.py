"""The consultant page from the consultants list (Enter or h; p still holds today's pulse),
every conversation listed with its scores, a line of notes and its follow-ups, Enter
reading one in full, Esc going back the way the user came; nothing of it in a call.
And Today's eNPS round row, where Enter opens the form that opens a round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import settle, wait_for
from tests.tui.test_shell import screen_text
from textual.widgets import DataTable, Static

from pulsetui.service.config import Config
from pulsetui.service.enps_rounds import round_state
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.pulse_history import pulse_history
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import make_app
from pulsetui.tui.screens.consultant_page import ConsultantPage, PulseReadScreen
from pulsetui.tui.screens.consultants import ConsultantsScreen
from pulsetui.tui.screens.forms.enps_round_form import EnpsRoundForm
from pulsetui.tui.screens.pulse_form import PulseForm
from pulsetui.tui.screens.today import TodayScreen
from pulsetui.tui.widgets.record_table import RecordTable


def row_keys(table: RecordTable) -> list[str]:
    return [str(table.coordinate_to_cell_key((r, 0)).row_key.value) for r in range(table.row_count)]


def footer_keys(app: Any) -> dict[str, str]:
    """Key → description of what the footer offers on the screen in view."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


async def test_consultants_list_opens_the_page_and_the_pulse_by_their_own_keys(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    first = tui_ws.my_consultants()[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await wait_for(lambda: isinstance(app.screen, ConsultantsScreen), pilot)
        await settle(app, pilot)
        offered = footer_keys(app)
        assert (offered["p"], offered["h"]) == ("Pulse", "History")
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ConsultantPage), pilot)
        assert app.screen.consultant_uid == first.uid
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, ConsultantsScreen), pilot)
        await pilot.press("h")
        await wait_for(lambda: isinstance(app.screen, ConsultantPage), pilot)
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, ConsultantsScreen), pilot)
        await pilot.press("p")
        await wait_for(lambda: isinstance(app.screen, PulseForm), pilot)
        assert app.screen.consultant_uid == first.uid


async def test_the_page_lists_every_conversation_and_reads_one_in_full(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    first = tui_ws.my_consultants()[0]
    history = pulse_history(tui_ws, Audience.manager(tui_ws.me), first.uid)
    assert history is not None and len(history.entries) > 3
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await wait_for(lambda: isinstance(app.screen, ConsultantsScreen), pilot)
        await settle(app, pilot)
        await pilot.press("h")
        await wait_for(lambda: isinstance(app.screen, ConsultantPage), pilot)
        await pilot.pause()
        shown = screen_text(app)
        assert first.name in shown and f"{len(history.entries)} conversations" in shown
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(history.entries)
        dates = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert dates == [e.date.isoformat() for e in history.entries]  # newest first
        # a row with a promise: its outcome below the list
        row = next(i for i, e in enumerate(history.entries) if e.follow_ups)
        entry = history.entries[row]
        for _ in range(row):
            await pilot.press("j")
        await pilot.pause()
        preview = str(app.screen.query_one("#pulse-preview", Static).render())
        assert entry.follow_ups[0].outcome in preview
        assert f"{entry.kept()} kept" in str(table.get_row_at(row)[6])
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, PulseReadScreen), pilot)
        await pilot.pause()
        read = screen_text(app)
        assert entry.answers.notes in read and entry.follow_ups[0].text in read
        assert f"conversation {len(history.entries) - row} of {len(history.entries)}" in read
        assert app.focused is app.screen.query_one("#pulse-read")
        await pilot.press("ctrl+n")  # the next older one, read-only all the same
        await pilot.pause()
        older = history.entries[row + 1]
        assert older.date.isoformat() in screen_text(app)
        await pilot.press(*"xyz")  # nothing to type into: no record changes
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, ConsultantPage), pilot)
        assert app.screen.query_one(DataTable).cursor_row == row  # where the user was
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, ConsultantsScreen), pilot)
        after = pulse_history(tui_ws, Audience.manager(tui_ws.me), first.uid)
        assert after == history


async def test_in_a_call_the_page_shows_none_of_the_conversations(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    first = tui_ws.my_consultants()[0]
    notes = pulse_history(tui_ws, Audience.manager(tui_ws.me), first.uid)
    assert notes is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await wait_for(lambda: isinstance(app.screen, ConsultantsScreen), pilot)
        await settle(app, pilot)
        await pilot.press("h")
        await wait_for(lambda: isinstance(app.screen, ConsultantPage), pilot)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, PulseReadScreen), pilot)
        app.call_client = None
        app.call_mode = True
        await pilot.pause()
        read = screen_text(app)
        assert "Hidden in call mode" in read
        assert not any(e.answers.notes in read for e in notes.entries if e.answers.notes)
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, ConsultantPage), pilot)
        await pilot.pause()
        shown = screen_text(app)
        assert "Call mode: pulse conversations are private" in shown
        assert not any(e.answers.notes in shown for e in notes.entries if e.answers.notes)
        assert not app.screen.query_one(DataTable).display
        assert app.focused is None or app.focused.display
        await pilot.press("enter", "p")  # neither reads nor holds a conversation
        await pilot.pause()
        assert isinstance(app.screen, ConsultantPage)
        app.call_mode = False  # after the call: the list again, with the focus
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.display and table.row_count == len(notes.entries)
        assert app.focused is table


async def test_today_s_enps_round_row_opens_the_round_form(tmp_path: Path) -> None:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    try:
        ws.add("consultant", name="Aino Laine", manager=ws.me)
        app = make_app(ws, sync=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, TodayScreen)
            table = app.screen.query_one(RecordTable)
            # in a call the row is not there, and asking for it opens nothing
            app.call_mode = True
            await settle(app, pilot)
            assert "enps_round:next" not in row_keys(table)
            app.screen._open("enps_round", "next")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            app.call_mode = False
            await settle(app, pilot)
            keys = row_keys(table)
            assert "enps_round:next" in keys
            table.move_cursor(row=keys.index("enps_round:next"))
            await pilot.press("enter")
            await wait_for(lambda: isinstance(app.screen, EnpsRoundForm), pilot)
            await pilot.press(*"Talvi 2026", "tab", *"+2w", "enter")
            await wait_for(lambda: isinstance(app.screen, TodayScreen), pilot)
            assert round_state(ws, "Talvi 2026").phase == "open"
            await settle(app, pilot)
            assert "enps_round:next" not in row_keys(table)  # a round is open: none due
    finally:
        ws.close(checkpoint="never")

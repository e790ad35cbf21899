"""A screen or form closed while it is still being mounted — dismissed, replaced, or the
app quitting — shows no traceback, and no key is acted on once the app is exiting (keys
typed right behind `q` open nothing)."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, settle, stopped, wait_for
from textual import events
from textual.screen import Screen

from pulsetui.service.meetings import MeetingEnd
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.agreement_detail import AgreementDetail
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.agreements import AgreementsScreen
from pulsetui.tui.screens.client_page import ClientPage
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.confirm import ConfirmModal, TextPrompt
from pulsetui.tui.screens.consultants import ConsultantsScreen
from pulsetui.tui.screens.hats import HatsScreen
from pulsetui.tui.screens.help import HelpScreen
from pulsetui.tui.screens.meeting import MeetingScreen, MeetingSummary
from pulsetui.tui.screens.nps_modal import NpsModal
from pulsetui.tui.screens.pulse_form import PulseForm
from pulsetui.tui.screens.record_picker import RecordPicker
from pulsetui.tui.screens.segments import SegmentsScreen
from pulsetui.tui.screens.today import TodayScreen


def _agreement(ws: Workspace) -> str:
    return str(next(iter(ws.docs("agreement")))["uid"])


SCREENS: dict[str, Callable[[Workspace], Screen[Any]]] = {
    "today": lambda ws: TodayScreen(),
    "consultants": lambda ws: ConsultantsScreen(),
    "clients": lambda ws: ClientsScreen(),
    "agreements": lambda ws: AgreementsScreen(),
    "segments": lambda ws: SegmentsScreen(),
    "hats": lambda ws: HatsScreen(),
    "client_page": lambda ws: ClientPage(ws.my_clients()[0].uid),
    "meeting": lambda ws: MeetingScreen(ws.my_clients()[0].uid),
    "pulse_form": lambda ws: PulseForm(consultant=ws.my_consultants()[0].uid),
    "pulse_form_asking": lambda ws: PulseForm(consultant=None),
    "agenda_modal": lambda ws: AgendaModal(client=None),
    "agreement_modal": lambda ws: AgreementModal(client=None),
    "agreement_detail": lambda ws: AgreementDetail(_agreement(ws)),
    "nps_modal": lambda ws: NpsModal(client=None),
    "confirm": lambda ws: ConfirmModal("Drop it?"),
    "text_prompt": lambda ws: TextPrompt("What was done?", "note"),
    "record_picker": lambda ws: RecordPicker("Whom?", [("Aino", "a1"), ("Jüri", "j1")]),
    "help": lambda ws: HelpScreen("Today", "Help text.", [("t", "Today")]),
    "meeting_summary": lambda ws: MeetingSummary(
        MeetingEnd(
            ws.plan_meeting(ws.my_clients()[0].uid, ws.today()).uid,
            ws.my_clients()[0].uid,
            ws.today(),
            ws.today(),
            None,
        )
    ),
}


async def opened(app: PulseApp, screen: Screen[Any], turns: int) -> bool:
    """Open ``screen`` and give its mount ``turns`` turns of the event loop; whether
    it is still mounting then."""
    app.push_screen(screen)
    for _ in range(turns):
        await asyncio.sleep(0)
    return not screen.is_mounted


async def close_at(app: PulseApp, pilot: Any, screen: Screen[Any], turns: int) -> bool:
    """Open ``screen``, close it after ``turns`` turns — dismissed, then replaced by
    another screen — and check the app is back where it was; whether it was still
    mounting when closed."""
    start = app.screen
    mounting = await opened(app, screen, turns)
    if not mounting:  # mounted already (and perhaps asking something): just leave
        while app.screen is not start:
            await app.pop_screen()
        return False
    # bounded: an app stopped by an exception would never finish the pop
    await asyncio.wait_for(app.pop_screen(), timeout=10)
    assert app.is_running, "the app stopped (the exception is raised on leaving it)"
    await pilot.pause()
    assert app.screen is start
    return True


@pytest.mark.parametrize("name", sorted(SCREENS))
async def test_a_screen_closed_while_it_mounts_shows_no_traceback(
    name: str, make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        today = app.screen
        for turns in (0, 1):
            assert await close_at(app, pilot, SCREENS[name](tui_ws), turns)
            # replaced by another screen while it mounts
            await opened(app, SCREENS[name](tui_ws), turns)
            await asyncio.wait_for(app.switch_screen(ConfirmModal("Replaced?")), timeout=10)
            await settle(app, pilot)
            await asyncio.wait_for(app.pop_screen(), timeout=10)
            await settle(app, pilot)
            assert app.screen is today
    assert app.return_code in (0, None)  # 1 after an exception


async def test_a_form_closed_at_any_stage_of_its_mount_shows_no_traceback(
    tui_ws: Workspace,
) -> None:
    """The agreement form (two choice lists, whose parts mount in several steps),
    closed after 0, 1, 2, ... turns of the event loop until it had finished mounting."""
    app = ScreenHarness(tui_ws, Screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for turns in itertools.count():
            if not await close_at(app, pilot, AgreementModal(client=None), turns):
                break
        assert turns > 2
    assert app.return_code in (0, None)  # 1 after an exception


async def quit_while_mounting(ws: Workspace, screen: Screen[Any], turns: int) -> bool:
    """Quit the app ``turns`` turns of the event loop after opening ``screen``; whether
    it was still mounting then. Fails on any exception."""
    app = ScreenHarness(ws, Screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        mounting = await opened(app, screen, turns)
        app.exit()
        await stopped(app)
    assert app.return_code == 0
    return mounting


@pytest.mark.parametrize("name", sorted(SCREENS))
async def test_quitting_while_a_screen_mounts_shows_no_traceback(
    name: str, tui_ws: Workspace
) -> None:
    assert await quit_while_mounting(tui_ws, SCREENS[name](tui_ws), 1)


async def test_quitting_at_any_stage_of_a_form_mount_shows_no_traceback(
    tui_ws: Workspace,
) -> None:
    """Quit after 0, 1, 2, ... turns of opening the agreement form, until it had
    finished mounting."""
    for turns in itertools.count():
        if not await quit_while_mounting(tui_ws, AgreementModal(client=None), turns):
            break
    assert turns > 2


@pytest.mark.parametrize(
    ("keys", "action", "before_quit"),
    [
        ("q a", "new_agenda_item", 0),
        ("q n", "new_nps", 0),
        ("c q a", "new_agenda_item", 0),
        ("q tab a", "new_agenda_item", 0),
        ("c q g", "section", 1),  # c switched section before the q; g does not
        ("q question_mark", "help", 0),
        ("q f2", "toggle_call_mode", 0),
    ],
)
async def test_keys_typed_behind_quit_are_not_acted_on(
    keys: str,
    action: str,
    before_quit: int,
    make_tui_app: Callable[..., PulseApp],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    acted: list[str] = []
    real = getattr(PulseApp, f"action_{action}")

    def spy(self: PulseApp, *args: Any) -> Any:
        acted.append(action)
        return real(self, *args)

    monkeypatch.setattr(PulseApp, f"action_{action}", spy)
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key in keys.split():  # all at once, as a terminal delivers one read
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await stopped(app)
    assert app.return_code == 0
    assert acted == [action] * before_quit


async def test_rows_arriving_once_the_app_quits_are_not_acted_on(
    make_tui_app: Callable[..., PulseApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`m` pressed while the Clients rows are on their way waits for them; when they
    arrive after quitting began, no meeting is started and nothing is shown."""
    import pulsetui.tui.screens.clients as clients_module

    release = threading.Event()
    real = clients_module.clients_view
    app = make_tui_app()

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(60)  # a limit for a test that never releases it
        rows = real(*args, **kwargs)
        app.call_from_thread(app.exit)  # quitting has begun when the rows are posted
        return rows

    monkeypatch.setattr(clients_module, "clients_view", held)
    started: list[str] = []
    monkeypatch.setattr(MeetingScreen, "on_mount", lambda self: started.append(self.client_uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await wait_for(lambda: isinstance(app.screen, ClientsScreen), pilot)
        await pilot.press("m")
        release.set()
        await stopped(app)
    assert app.return_code in (0, None)  # 1 after an exception
    assert started == []

"""A screen or form closed while it is still being mounted — dismissed, replaced, or the
app quitting — shows no traceback, and no key is acted on once the app is exiting (keys
typed right behind `q` open nothing)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from tests.tui.screen_harness import settle, wait_for
from tests.tui.test_typing_ahead import burst
from textual.screen import Screen

from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.agreement_modal import AgreementDetail, AgreementModal
from pulsetui.tui.screens.agreements import AgreementsScreen
from pulsetui.tui.screens.client_page import ClientPage
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.confirm import ConfirmModal, TextPrompt
from pulsetui.tui.screens.consultants import ConsultantsScreen
from pulsetui.tui.screens.help import HelpScreen
from pulsetui.tui.screens.meeting import MeetingScreen, MeetingSummary
from pulsetui.tui.screens.nps_modal import NpsModal
from pulsetui.tui.screens.pulse_form import PulseForm
from pulsetui.tui.screens.record_picker import RecordPicker
from pulsetui.tui.screens.today import TodayScreen


def _agreement(ws: Workspace) -> str:
    return str(next(iter(ws.docs("agreement")))["uid"])


SCREENS: dict[str, Callable[[Workspace], Screen[Any]]] = {
    "today": lambda ws: TodayScreen(),
    "consultants": lambda ws: ConsultantsScreen(),
    "clients": lambda ws: ClientsScreen(),
    "agreements": lambda ws: AgreementsScreen(),
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
        ws.my_clients()[0].uid, ws.plan_meeting(ws.my_clients()[0].uid, ws.today()).uid
    ),
}


async def stopped(app: PulseApp, timeout: float = 10.0) -> None:
    """Wait until the app has stopped (quit by a key, or by exit())."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while app.is_running:
        assert loop.time() < deadline, f"the app did not stop within {timeout} s"
        await asyncio.sleep(0.02)


async def opening(app: PulseApp, screen: Screen[Any], when: str) -> None:
    """Open ``screen`` and return before it starts mounting ("before") or once some of
    its widgets are there but its mount has not finished ("during")."""
    app.push_screen(screen)
    if when == "during":
        while not screen.children:
            await asyncio.sleep(0)
        assert not screen.is_mounted, "still mounting"


@pytest.mark.parametrize("name", sorted(SCREENS))
async def test_a_screen_closed_while_it_mounts_shows_no_traceback(
    name: str, make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        today = app.screen
        for when in ("before", "during"):
            await opening(app, SCREENS[name](tui_ws), when)
            await app.pop_screen()
            await settle(app, pilot)
            assert app.screen is today
            # replaced by another screen
            await opening(app, SCREENS[name](tui_ws), when)
            await app.switch_screen(ConfirmModal("Replaced?"))
            await settle(app, pilot)
            await app.pop_screen()
            await settle(app, pilot)
            assert app.screen is today
    assert app.return_code in (0, None)  # 1 after an exception


@pytest.mark.parametrize("name", sorted(SCREENS))
async def test_the_app_quitting_while_a_screen_mounts_shows_no_traceback(
    name: str, make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await opening(app, SCREENS[name](tui_ws), "during")
        app.exit()
        await stopped(app)
    assert app.return_code == 0


@pytest.mark.parametrize(
    ("keys", "action"),
    [
        ("qa", "new_agenda_item"),
        ("qn", "new_nps"),
        ("cqa", "new_agenda_item"),
        ("q\ta", "new_agenda_item"),
        ("qc", "section"),
        ("q?", "help"),
    ],
)
async def test_keys_typed_behind_quit_are_not_acted_on(
    keys: str, action: str, make_tui_app: Callable[..., PulseApp], monkeypatch: pytest.MonkeyPatch
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
        burst(app, keys)
        await stopped(app)
    assert app.return_code in (0, None)  # 1 after an exception
    # `c` before the `q` switches section; nothing typed after it is acted on
    assert acted == (["section"] if keys.startswith("c") and action == "section" else [])


async def test_rows_arriving_once_the_app_quits_are_not_acted_on(
    make_tui_app: Callable[..., PulseApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`m` pressed while the Clients rows are on their way waits for them; when they
    arrive after quitting began, no meeting is started and nothing is shown."""
    import pulsetui.tui.screens.clients as clients_module

    release = threading.Event()
    real = clients_module.gather_clients
    app = make_tui_app()

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(5)
        rows = real(*args, **kwargs)
        app.call_from_thread(app.exit)  # quitting has begun when the rows are posted
        return rows

    monkeypatch.setattr(clients_module, "gather_clients", held)
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

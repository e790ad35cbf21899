"""Help on every screen of the clients and consultants sections and in every form: ? or F1
explains the screen and lists its own keys first; Esc closes help and nothing typed is
lost. The keys these screens bind never give a key of the shared key table another
meaning."""

from __future__ import annotations

from typing import Any

import pytest
from textual.binding import Binding
from textual.widgets import Input

from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.agreement_detail import AgreementDetail
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.client_page import ClientPage
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.consultant_page import ConsultantPage, PulseReadScreen
from pulsetui.tui.screens.consultants import ConsultantsScreen
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.help import HelpScreen, reflow
from pulsetui.tui.screens.meeting import MeetingScreen, MeetingSummary
from pulsetui.tui.screens.merge_modal import MergeModal
from pulsetui.tui.screens.nps_modal import NpsModal
from pulsetui.tui.screens.pulse_form import PulseForm


def help_keys(app: Any) -> list[tuple[str, str]]:
    assert isinstance(app.screen, HelpScreen)
    return list(app.screen.rows)


# (keys pressed from Today, the screen reached, a key of its own that help must list)
SCREENS = [
    (("c",), ConsultantsScreen, "Pulse"),
    (("c", "p"), PulseForm, "Save"),
    (("c", "h"), ConsultantPage, "Read"),
    (("l",), ClientsScreen, "Merge same name"),
    (("l", "enter"), ClientPage, "Next page"),
    (("l", "m"), MeetingScreen, "End meeting"),
]


@pytest.mark.parametrize(
    ("path", "screen", "own"), SCREENS, ids=lambda v: getattr(v, "__name__", "")
)
async def test_help_on_every_screen(
    make_tui_app: Any, path: tuple[str, ...], screen: type, own: str
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*path)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        if screen is MeetingScreen or screen is ClientPage:
            app.screen.focus_next()  # help works wherever the focus is
        await pilot.press("f1")
        await pilot.pause()
        rows = help_keys(app)
        assert rows[0] == ("", "This screen")
        mine = rows[: rows.index(("", "Everywhere"))]
        assert own in [description for _, description in mine]
        assert ("?, f1", "Help") in rows or any(d == "Help" for _, d in rows)
        assert len(app.screen.help_text) > 80
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, screen)


def _client(ws: Workspace) -> str:
    return ws.my_clients()[0].uid


def _agreement(ws: Workspace) -> str:
    return next(iter(ws.docs("agreement", client=_client(ws))))["uid"]


MODALS = [
    (lambda ws: AgendaModal(client=None), "#f-text"),
    (lambda ws: AgreementModal(client=_client(ws)), "#f-text"),
    (lambda ws: AgreementDetail(_agreement(ws)), "#f-reason"),
    (lambda ws: NpsModal(client=None), "#reason"),
]


@pytest.mark.parametrize(("make", "field"), MODALS, ids=["agenda", "agreement", "detail", "nps"])
async def test_f1_in_a_form_shows_its_help_and_keeps_what_was_typed(
    make_tui_app: Any, tui_ws: Workspace, make: Any, field: str
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        modal = make(tui_ws)
        app.push_screen(modal)
        await pilot.pause()
        app.screen.query_one(field, Input).focus()
        await pilot.press(*"ä ж 🚀 ?")  # ? is typed, not help
        assert app.screen.query_one(field, Input).value == "ä ж 🚀 ?"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.help_text == type(modal).HELP
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is modal
        assert modal.query_one(field, Input).value == "ä ж 🚀 ?"


def test_reflow_joins_lines_inside_sentences_only() -> None:
    text = "One sentence that\nwraps here.\nA new one.\n\n- item\n- item two"
    assert reflow(text) == "One sentence that wraps here.\nA new one.\n\n- item\n- item two"


MY_SCREENS = [
    ConsultantsScreen,
    PulseForm,
    ConsultantPage,
    PulseReadScreen,
    ClientsScreen,
    ClientPage,
    MeetingScreen,
    MeetingSummary,
    AgendaModal,
    AgreementModal,
    AgreementDetail,
    MergeModal,
    NpsModal,
]


@pytest.mark.parametrize("screen", MY_SCREENS, ids=lambda s: s.__name__)
def test_keys_keep_the_meaning_of_the_key_table(screen: type) -> None:
    """A key in the shared table is never bound to another action on these screens."""
    meaning: dict[str, str] = {}
    for entry in keys.TABLE:
        for key in entry.keys.split(","):
            meaning.setdefault(key, entry.action)
    clashes = []
    for item in screen.BINDINGS:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding in FieldKeys.FIELD_BINDINGS:  # Tab / Enter inside a text field
            continue
        for key in binding.key.split(","):
            expected = meaning.get(key)
            if expected is not None and expected != binding.action:
                clashes.append(f"{key}: {binding.action} (table: {expected})")
    assert clashes == []
    assert screen.HELP.strip()


async def test_j_pressed_fast_in_help_scrolls_once_per_press(make_tui_app: Any) -> None:
    """Ten j's arriving in one burst scroll ten lines, at once (not animated)."""
    from textual import events
    from textual.containers import VerticalScroll

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("l", "question_mark")
        await pilot.pause()
        scroll = app.screen.query_one("#help-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 12
        for _ in range(10):
            app.post_message(events.Key("j", "j"))
        await pilot.pause()
        await pilot.pause()
        assert scroll.scroll_y == 10
        await pilot.press("k", "k")
        assert scroll.scroll_y == 8

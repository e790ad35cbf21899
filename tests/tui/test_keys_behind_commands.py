"""Keys typed right behind a command key, in one burst: they go where the command takes
them (the form it opens), never into the field the command was typed in; the quit key
typed behind text on its way to a form keeps that text as the form's draft."""

from __future__ import annotations

from typing import Any

from tests.tui.screen_harness import ScreenHarness, handled, settle, stopped, wait_for
from tests.tui.test_live_call import notes, open_meeting
from tests.tui.test_typing_ahead import burst
from textual import events
from textual.widgets import Input, Select

from pulsetui.service.drafts import DRAFTS_NAME
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.forms.request_form import RequestForm


def chord(app: Any, key: str) -> None:
    app.post_message(events.Key(key, None))


async def test_text_behind_ctrl_g_goes_into_the_agreement_not_the_notes(
    make_tui_app: Any,
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        area = notes(app)
        burst(app, "\nMail the deck")
        chord(app, "ctrl+g")
        burst(app, " ZZZ q")
        await wait_for(lambda: isinstance(app.screen, AgreementModal), pilot)
        await handled(app)
        form = app.screen
        assert form.query_one("#f-text", Input).value == "Mail the deck ZZZ q"
        assert area.text.endswith("\nMail the deck")


async def test_text_behind_f11_goes_into_the_wish(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        area = notes(app)
        before = area.text
        chord(app, "f11")
        burst(app, "Wants dark mode q a")
        await wait_for(lambda: isinstance(app.screen, RequestForm), pilot)
        await handled(app)
        assert app.screen.focused is not None
        assert getattr(app.screen.focused, "value", None) == "Wants dark mode q a"
        assert area.text == before


async def test_text_behind_f12_lands_in_the_touchpoint_s_first_field_to_fill(
    make_tui_app: Any,
) -> None:
    """The touchpoint form opens on its first empty field (its kind and day have their
    values): the text typed behind F12 is there, not lost on the kind's dropdown."""
    from pulsetui.tui.screens.forms.touchpoint_form import TouchpointForm

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        chord(app, "f12")
        burst(app, "Sari ж")
        await wait_for(lambda: isinstance(app.screen, TouchpointForm), pilot)
        await handled(app)
        assert app.screen.query_one("#f-contact", Input).value == "Sari ж"


async def test_quit_behind_text_on_its_way_to_a_form_keeps_it_as_a_draft(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        burst(app, "aBurst then quit")
        chord(app, "ctrl+q")
        await stopped(app)
    assert "Burst then quit" in (tui_ws.home / DRAFTS_NAME).read_text(encoding="utf-8")


async def test_a_letter_behind_enter_on_an_open_dropdown_leaves_the_choice(
    tui_ws: Workspace,
) -> None:
    """Enter chooses the option highlighted when it was typed: a letter right behind it
    (which an open dropdown takes as a search) does not move the choice."""
    app = ScreenHarness(tui_ws, AgreementModal)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        form = app.screen
        choice = form.query_one("#f-client", Select)
        assert form.focused is choice
        await pilot.press("enter")
        await settle(app, pilot)
        overlay: Any = form.focused
        highlighted = choice._options[overlay.highlighted + 1][1]
        chord(app, "down")
        chord(app, "enter")
        burst(app, "kx")
        await handled(app)
        await settle(app, pilot)
        assert not choice.expanded
        assert choice.value == highlighted


async def test_letters_behind_the_key_that_asks_a_question_do_not_answer_it(
    make_tui_app: Any,
) -> None:
    """F9 asks whether to discard the meeting; " yesterday" typed right behind it (the
    typist did not see the question yet) must not answer "y"."""
    from pulsetui.tui.screens.confirm import ConfirmModal
    from pulsetui.tui.screens.meeting import MeetingScreen

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        burst(app, "\nNotes round two ж")
        await handled(app)
        chord(app, "f9")
        burst(app, " yesterday they said\n")
        await wait_for(lambda: isinstance(app.screen, ConfirmModal), pilot)
        await handled(app)
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmModal)  # still asking
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert notes(app).text.endswith("Notes round two ж")


async def test_keys_behind_the_enter_that_saves_a_dialog_go_to_the_screen_beneath(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    """Enter in the agenda item's text saves it; "l" typed right behind goes to Clients,
    not onto the end of the item."""
    from pulsetui.tui.screens.agenda_modal import AgendaModal
    from pulsetui.tui.screens.clients import ClientsScreen

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        burst(app, "aBurst agenda item ж")
        await wait_for(lambda: isinstance(app.screen, AgendaModal), pilot)
        await handled(app)
        client = app.screen.client_uid
        chord(app, "enter")
        burst(app, "l")
        await wait_for(lambda: isinstance(app.screen, ClientsScreen), pilot)
        await settle(app, pilot)
    texts = [item.text for item in tui_ws.agenda_of(client)]
    assert "Burst agenda item ж" in texts
    assert not any(text.endswith("жl") for text in texts)


async def test_keys_behind_enter_in_a_one_line_question_are_not_part_of_the_answer(
    tui_ws: Workspace,
) -> None:
    """The note on a red flag (a one-line question): "jj" typed right behind Enter is
    not added to the note."""
    from textual.screen import Screen

    from pulsetui.tui.screens.confirm import TextPrompt

    answers: list[Any] = []
    app = ScreenHarness(tui_ws, Screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(TextPrompt("What was done?", "note"), answers.append)
        await wait_for(lambda: isinstance(app.screen, TextPrompt), pilot)
        await settle(app, pilot)
        burst(app, "Talked with Aino ж")
        chord(app, "enter")
        burst(app, "jj")
        await wait_for(lambda: answers, pilot)
        await settle(app, pilot)
    assert answers == ["Talked with Aino ж"]

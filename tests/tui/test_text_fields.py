"""Reaching a text field never puts its text at risk: a field filled in, left with Tab
and come back to (with shift+Tab, or Tab all the way round) keeps what it held, and the
next keys go on after it — on every form, dialog, filter bar, the search and the setup.
What the forms save holds both texts."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, settle, wait_for
from tests.tui.test_forms import type_text
from textual.screen import Screen
from textual.widgets import Input, Select

from pulsetui.domain.models import Agreement, Client, Consultant, NpsResponse
from pulsetui.service.enps_rounds import round_state
from pulsetui.service.meetings import on_agenda
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.agreement_detail import AgreementDetail
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.confirm import TextPrompt
from pulsetui.tui.screens.forms.client_form import ClientForm
from pulsetui.tui.screens.forms.communicator_form import CommunicatorForm
from pulsetui.tui.screens.forms.consultant_form import ConsultantForm
from pulsetui.tui.screens.forms.engagement_form import EngagementForm
from pulsetui.tui.screens.forms.enps_round_form import EnpsRoundForm
from pulsetui.tui.screens.forms.first_run import FirstRunScreen
from pulsetui.tui.screens.forms.request_form import RequestForm
from pulsetui.tui.screens.forms.touchpoint_form import TouchpointForm
from pulsetui.tui.screens.nps_modal import NpsModal
from pulsetui.tui.screens.pulse_form import PulseForm
from pulsetui.tui.screens.record_picker import RecordPicker
from pulsetui.tui.screens.search import SearchScreen
from pulsetui.tui.screens.work_note_modal import WorkNoteModal
from pulsetui.tui.widgets.text_fields import TextInput

SRC = Path(__file__).resolve().parents[2] / "src" / "pulsetui"
KEPT = "kept ä ж õ [bold]"


def value(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Input).value)


def calls_in_src(found: Callable[[str, ast.Call], bool], but: str) -> list[str]:
    """Where in ``src`` (file:line) a call ``found`` picks out by its name is made,
    the module ``but`` left out."""
    places = []
    for path in SRC.rglob("*.py"):
        if path.name == but:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if found(name, node):
                    places.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return places


def test_every_one_line_field_is_a_text_field() -> None:
    """Screens build their one-line fields as TextInput, never as Textual's Input,
    whose focus selects the text so that the next key replaces it."""

    def as_input(name: str, call: ast.Call) -> bool:
        return name == "Input" or any(k.arg == "select_on_focus" for k in call.keywords)

    assert calls_in_src(as_input, but="text_fields.py") == []


def test_every_choice_is_a_choice_field() -> None:
    """Screens build their choices as Choice, never as Textual's Select, which opens on
    space and then picks whatever the next words typed match."""
    assert calls_in_src(lambda name, _call: name == "Select", but="choice.py") == []


async def test_a_sentence_typed_into_a_choice_leaves_it_as_it_was(tui_ws: Workspace) -> None:
    """Tab once too many and talk on: the words, spaces included, change no choice and
    open no list; Enter opens it."""
    from textual.widgets import Select

    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: AgreementModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "Send the plan")
        await pilot.press("tab")  # to Whose
        choice = app.screen.focused
        assert isinstance(choice, Select)
        before = choice.value
        await pilot.press(*"they send us the client list ")
        await settle(app, pilot)
        assert app.screen.focused is choice and not choice.expanded
        assert choice.value == before
        await pilot.press("enter")
        await wait_for(lambda: choice.expanded, pilot)


async def test_a_choice_builds_its_list_when_first_opened_on_the_chosen_value(
    tui_ws: Workspace,
) -> None:
    """A closed choice is one line (its value and an arrow) with no list behind it;
    Enter builds the list with the chosen value highlighted; Esc closes it; a second
    Enter opens the same list, and the choice picked there is the one shown."""
    from textual.widgets import OptionList, Select

    from pulsetui.tui.widgets.choice import Choice

    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: AgreementModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")  # to Whose
        choice = app.screen.focused
        assert isinstance(choice, Choice)
        assert not choice.query(OptionList)  # nothing built behind the closed field
        closed = choice.children[0]
        values = [value for _label, value in choice._options]
        chosen = values.index(choice.value)
        assert str(choice._options[chosen][0]) in closed.render_line(0).text
        await pilot.press("enter")
        await wait_for(lambda: choice.expanded, pilot)
        (listed,) = choice.query(OptionList)
        await wait_for(lambda: listed.has_focus, pilot)
        assert listed.highlighted == chosen
        assert listed.option_count == len(choice._options)
        await pilot.press("escape")
        await wait_for(lambda: not choice.expanded and app.screen.focused is choice, pilot)
        await pilot.press("enter")
        await wait_for(lambda: listed.has_focus, pilot)
        assert len(choice.query(OptionList)) == 1  # the same list, built once
        other = 1 if chosen == 0 else 0
        listed.highlighted = other
        await pilot.press("enter")
        await wait_for(lambda: choice.value == choice._options[other][1], pilot)
        await settle(app, pilot)
        assert not choice.expanded and choice.value != Select.NULL
        assert str(choice._options[other][0]) in closed.render_line(0).text


# ---- what the forms save --------------------------------------------------------------


async def test_an_agreement_text_left_and_come_back_to_keeps_both_parts(
    tui_ws: Workspace,
) -> None:
    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: AgreementModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "Send the plan ä ж")
        await pilot.press("tab", "shift+tab")  # to Whose and back
        await type_text(pilot, " and õ [bold] 🙂")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Mikko")
        await pilot.press("tab")
        await type_text(pilot, "+2w")
        for _ in range(4):  # Tab round from Due: Agreed, Whose, Person, back to Due
            await pilot.press("tab")
        await pilot.press("tab", "shift+tab")  # Due again, left and come back to
        assert value(app, "#f-due") == "+2w"
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "+1w")
        await pilot.press("enter")
        await wait_for(lambda: not isinstance(app.screen, AgreementModal), pilot)
    texts = {a.text: a.due for a in tui_ws.list(Agreement, client=client)}
    assert texts.get("Send the plan ä ж and õ [bold] 🙂") == dt.date(2026, 11, 27)


async def test_a_saved_consultant_name_is_added_to_not_replaced(tui_ws: Workspace) -> None:
    """An edit form shows the saved text: Tab into it types after it."""
    consultant = tui_ws.my_consultants()[0]
    app = ScreenHarness(tui_ws, lambda: ConsultantForm(uid=consultant.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.screen.query_one("#f-name")
        await pilot.press("tab", "shift+tab")
        await type_text(pilot, " Jr ä")
        await pilot.press("tab", "shift+tab", "tab")  # E-mail, left and come back to
        await type_text(pilot, "m")
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, ConsultantForm), pilot)
    saved = tui_ws.get(Consultant, consultant.uid)
    assert saved is not None
    assert (saved.name, saved.email) == (f"{consultant.name} Jr ä", f"{consultant.email}m")


async def test_a_new_client_name_typed_in_two_goes(tui_ws: Workspace) -> None:
    app = ScreenHarness(tui_ws, ClientForm)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "Ääkkönen")
        await pilot.press("tab", "tab", "shift+tab", "shift+tab")
        await type_text(pilot, " ж Oy 🙂")
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)
    assert tui_ws.list(Client, where=lambda c: c.name == "Ääkkönen ж Oy 🙂")


async def test_pulse_answers_typed_in_two_goes_are_saved_whole(tui_ws: Workspace) -> None:
    consultant = tui_ws.my_consultants()[0].uid
    app = ScreenHarness(tui_ws, lambda: PulseForm(consultant=consultant))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        form = app.screen
        form.query_one("#f-growth").focus()
        await pilot.pause()
        await type_text(pilot, "wants ä")
        await pilot.press("tab")
        await type_text(pilot, "long ж")
        await pilot.press("shift+tab")
        await type_text(pilot, " [bold] lead")
        start = app.focused
        for _ in range(20):  # Tab all the way round, back to Growth
            await pilot.press("tab")
            if app.focused is start:
                break
        assert app.focused is start
        await type_text(pilot, " 🙂")
        await pilot.press("tab")
        await type_text(pilot, " commute")
        assert value(app, "#f-growth") == "wants ä [bold] lead 🙂"
        await pilot.press("ctrl+s")
        await wait_for(lambda: form.pulse_uid is not None, pilot)
    pulse = next(p for p in tui_ws.pulses_of(consultant) if p.uid == form.pulse_uid)
    assert (pulse.growth, pulse.worries) == ("wants ä [bold] lead 🙂", "long ж commute")


async def test_an_nps_reason_typed_in_two_goes(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: NpsModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#contact").focus()
        await pilot.pause()
        await type_text(pilot, "Pekka")
        await pilot.press("tab", "shift+tab")
        await type_text(pilot, " Kuusinen")
        await pilot.press("tab", "8", "tab")
        await type_text(pilot, "fast ä")
        await pilot.press("shift+tab", "tab")
        await type_text(pilot, " ж [bold]")
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, NpsModal), pilot)
    [answer] = [a for a in tui_ws.list(NpsResponse, client=client) if a.reason == "fast ä ж [bold]"]
    assert (answer.score, answer.contact) == (8, "Pekka Kuusinen")


async def test_an_agenda_item_typed_in_two_goes(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    app = ScreenHarness(tui_ws, AgendaModal)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#f-client", Select).value = client.uid
        await pilot.pause()
        assert app.focused is app.screen.query_one("#f-text")
        await type_text(pilot, "Roadmap ä")
        await pilot.press("shift+tab", "tab")  # to the client and back
        await type_text(pilot, " ж õ")
        await pilot.press("enter")
        await wait_for(lambda: not isinstance(app.screen, AgendaModal), pilot)
    assert on_agenda(tui_ws, client.uid, "Roadmap ä ж õ")


async def test_an_enps_round_name_typed_in_two_goes(tui_ws: Workspace) -> None:
    app = ScreenHarness(tui_ws, EnpsRoundForm)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "Talv")
        await pilot.press("tab", "shift+tab")
        await type_text(pilot, " ä")
        await pilot.press("tab")
        await type_text(pilot, "18.12.")
        await pilot.press("enter")
        await wait_for(lambda: not isinstance(app.screen, EnpsRoundForm), pilot)
    assert round_state(tui_ws, "Talv ä").closes == dt.date(2026, 12, 18)


async def test_a_click_into_a_field_keeps_its_text(tui_ws: Workspace) -> None:
    """A click places the cursor where clicked (past the text: after it); nothing is
    selected, so the next key types rather than replaces."""
    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: AgreementModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "Send ä")
        await pilot.click("#f-due")
        await type_text(pilot, "fri")
        await pilot.click("#f-text", offset=(40, 0))
        assert app.focused is app.screen.query_one("#f-text")
        await type_text(pilot, " ж")
        await pilot.click("#f-due", offset=(0, 0))
        await type_text(pilot, "next ")
        assert (value(app, "#f-text"), value(app, "#f-due")) == ("Send ä ж", "next fri")


# ---- every text field of every screen --------------------------------------------------


def _agreement_uid(ws: Workspace) -> str:
    return ws.list(Agreement)[0].uid


SCREENS: dict[str, Callable[[Workspace], Screen[Any]]] = {
    "agreement": lambda ws: AgreementModal(client=ws.my_clients()[0].uid),
    "agreement, client asked": lambda ws: AgreementModal(),
    "agreement detail": lambda ws: AgreementDetail(_agreement_uid(ws)),
    "agenda item": lambda ws: AgendaModal(),
    "nps": lambda ws: NpsModal(client=ws.my_clients()[0].uid),
    "pulse": lambda ws: PulseForm(consultant=ws.my_consultants()[0].uid),
    "client": lambda ws: ClientForm(),
    "client, saved": lambda ws: ClientForm(uid=ws.my_clients()[0].uid),
    "consultant": lambda ws: ConsultantForm(),
    "engagement": lambda ws: EngagementForm(client=ws.my_clients()[0].uid),
    "request": lambda ws: RequestForm(client=ws.my_clients()[0].uid),
    "touchpoint": lambda ws: TouchpointForm(client=ws.my_clients()[0].uid),
    "handover": lambda ws: CommunicatorForm(ws.my_clients()[0].uid),
    "enps round": lambda ws: EnpsRoundForm(),
    "work note": lambda ws: WorkNoteModal(ws.my_clients()[0].uid, "Client"),
    "text prompt": lambda ws: TextPrompt("Why?", "reason"),
    "picker": lambda ws: RecordPicker("Pick", [("Salo Mäkinen", "u1"), ("Õie Kask", "u2")]),
    "search": lambda ws: SearchScreen("roadmap"),
    "setup": lambda ws: FirstRunScreen(),
}


@pytest.mark.parametrize("name", SCREENS)
async def test_every_field_reached_by_tab_keeps_its_text(tui_ws: Workspace, name: str) -> None:
    """Every text field holding text, reached by Tab and by shift+Tab: the keys typed
    there go on after its text."""
    app = ScreenHarness(tui_ws, lambda: SCREENS[name](tui_ws))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        fields = [f for f in screen.query(Input) if f.focusable]
        assert fields and all(isinstance(f, TextInput) for f in fields)
        held = {}
        for field in fields:
            held[field] = field.value = field.value or KEPT
        await pilot.pause()
        for key, typed in (("tab", "+"), ("shift+tab", "-")):
            # a picker field puts the name chosen in place as it is left
            held = {field: field.value for field in held}
            reached = []
            for _ in range(2 * len(screen.focus_chain) + 2):
                await pilot.press(key)
                field = app.focused
                if isinstance(field, TextInput) and field in held and field not in reached:
                    reached.append(field)
                    await pilot.press(typed)
                    held[field] += typed
                    assert field.value == held[field], f"{field.id} after {key}"
            assert reached, f"{key} reached no text field"

"""Names typed in the TUI are matched as on the command line: the NPS form, the record
picker and the command palette find "Mäkinen" typed as "makinen", "Õie" as "oie" and
"Дмитрий" as "dmit"."""

from __future__ import annotations

from typing import Any

import pytest
from tests.tui.screen_harness import palette_answered, settle, wait_for
from textual.widgets import Input, Label, OptionList

from pulsetui.domain.models import Client, Consultant, NpsResponse
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.nps_modal import NpsModal
from pulsetui.tui.screens.record_picker import RecordPicker


def listed(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_nps_form_takes_a_client_typed_without_accents(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    client = tui_ws.add(Client, name="Mäkinen Teollisuus Oy", manager=tui_ws.me)
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")  # a screen about no client: the form asks which
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NpsModal)
        await pilot.press(*"Makinen")
        await pilot.pause()
        assert listed(app.screen.query_one("#client-matches", OptionList))[0] == client.name
        await pilot.press(*" Teollisuus Oy", "enter")
        await pilot.pause()
        assert app.screen.client_uid == client.uid
        assert app.screen.query_one("#client", Input).value == "Mäkinen Teollisuus Oy"
        assert "matches" not in str(app.screen.query_one("#client-error", Label).render())
        app.screen.query_one("#score").focus()
        await pilot.press("9", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, NpsModal)
    answers = tui_ws.list(NpsResponse, client=client.uid)
    assert [a.score for a in answers] == [9]


async def test_record_picker_lists_names_typed_without_accents_best_first(
    make_tui_app: Any,
) -> None:
    options = [("Salo Mäkinen", "u1"), ("Mäkinen Teollisuus Oy", "u2"), ("Дмитрий Иванов", "u3")]
    picked: list[str | None] = []
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(RecordPicker("Pick one", options), picked.append)
        await pilot.pause()
        await pilot.press(*"makinen")
        await pilot.pause()
        assert listed(app.screen.query_one(OptionList)) == ["Mäkinen Teollisuus Oy", "Salo Mäkinen"]
        app.screen.query_one(Input).value = ""
        await pilot.press(*"dmit")
        await pilot.pause()
        assert listed(app.screen.query_one(OptionList)) == ["Дмитрий Иванов"]
        await pilot.press("enter")
        await pilot.pause()
    assert picked == ["u3"]


@pytest.mark.parametrize(("typed", "name"), [("oie", "Õie Kask"), ("dmit", "Дмитрий Иванов")])
async def test_palette_finds_a_consultant_typed_without_accents_or_in_latin(
    make_tui_app: Any, tui_ws: Workspace, typed: str, name: str
) -> None:
    person = next(c for c in tui_ws.list(Consultant) if c.name == name)
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*typed)
        await wait_for(lambda: palette_answered(app, typed), pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "consultants"
        assert app.screen.context_consultant() == person.uid


async def test_nps_form_opened_on_a_client_offers_its_contacts(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    """Opened on a client (F4 on its page), the form completes the client's contacts as
    they are typed, and a part of a name ("марг") is saved as the contact's full name;
    what is typed stays in the field as typed."""
    client = tui_ws.add(
        Client,
        name="Kuusi Logistiikka Oy",
        manager=tui_ws.me,
        contacts=[{"name": "Mikko Mäki"}, {"name": "Маргарита Петрова"}],
    )
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(NpsModal(client=client.uid))
        await settle(app, pilot)
        contact = app.screen.query_one("#contact", Input)
        assert app.screen.focused is contact
        # the client given stays chosen once its field's first change event is in, and
        # its contacts are offered: "Mik" is completed as it is typed
        assert app.screen.client_uid == client.uid
        await pilot.press(*"Mik")
        await wait_for(lambda: contact._suggestion == "Mikko Mäki", pilot)
        contact.value = ""
        await pilot.press(*"марг", "enter")  # Enter moves on to the score
        await settle(app, pilot)
        assert contact.value == "марг"
        await pilot.press("8", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, NpsModal)
    [answer] = tui_ws.list(NpsResponse, client=client.uid)
    assert (answer.score, answer.contact) == (8, "Маргарита Петрова")

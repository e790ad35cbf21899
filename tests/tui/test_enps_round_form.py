"""Opening an eNPS round from the app: reached from the command palette, name and
closing day typed in one burst and saved with Enter (the round is open in the store);
a refused day shown beside its field with what was typed kept; Esc keeping a draft; and
call mode, where the palette does not offer it and the action opens nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.tui.conftest import DEMO_TODAY
from tests.tui.screen_harness import palette_answered, raised, settle, stopped, wait_for
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Static

from pulsetui.service.drafts import load_draft
from pulsetui.service.enps_rounds import round_state
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.forms.enps_round_form import EnpsRoundForm


async def open_from_palette(app: Any, pilot: Any) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"Open an eNPS round")
    await wait_for(lambda: palette_answered(app, "Open an eNPS round"), pilot)
    await pilot.press("enter")
    await wait_for(lambda: isinstance(app.screen, EnpsRoundForm), pilot)
    await settle(app, pilot)


def palette_offers(app: Any) -> list[str]:
    found = app.screen.query_one(CommandList)
    prompts = (found.get_option_at_index(i).prompt for i in range(found.option_count))
    return [str(prompt).split("\n")[0] for prompt in prompts]


def field(app: Any, name: str) -> str:
    return str(app.screen.query_one(f"#f-{name}", Input).value)


def error_of(app: Any, name: str) -> str:
    return str(app.screen.query_one(f"#err-{name}", Static).render())


async def test_a_round_opened_from_the_palette_is_open_in_the_store(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_from_palette(app, pilot)
        # one burst: the name, Tab, the day in the short form, Enter saves in Closes
        await pilot.press(*"Talv [b]ä", "tab", *"18.12.", "enter")
        await wait_for(lambda: not isinstance(app.screen, EnpsRoundForm), pilot)
        state = round_state(tui_ws, "Talv [b]ä")
        assert state.phase == "open"
        assert state.closes == dt.date(2026, 12, 18)
        said = [n for n in raised(app) if "eNPS round" in n.message]
        assert said and not said[-1].markup  # the name shown as typed, not as markup
        shown = said[-1].message
        assert "eNPS round Talv [b]ä is open until 2026-12-18" in shown
        assert f"results on {state.results_on}" in shown


async def test_next_friday_is_read_as_every_date_is(make_tui_app: Any, tui_ws: Workspace) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_from_palette(app, pilot)
        await pilot.press(*"December", "enter", *"next fri", "enter")
        await wait_for(lambda: not isinstance(app.screen, EnpsRoundForm), pilot)
        closes = round_state(tui_ws, "December").closes
        assert closes is not None and closes > DEMO_TODAY and closes.weekday() == 4


async def test_a_past_day_is_refused_beside_the_field_and_the_text_kept(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_from_palette(app, pilot)
        await pilot.press(*"Syys [bold]", "tab", *"2026-01-05", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EnpsRoundForm)
        assert "must be today or later" in error_of(app, "closes")
        assert field(app, "round") == "Syys [bold]"
        assert field(app, "closes") == "2026-01-05"
        assert app.screen.focused is app.screen.query_one("#f-closes")
        await pilot.press(*"x", "enter")  # unreadable now: said beside the field too
        await settle(app, pilot)
        assert error_of(app, "closes").startswith("✗")
        assert field(app, "closes") == "2026-01-05x"
        assert round_state(tui_ws, "Syys [bold]").closes is None  # nothing saved


async def test_an_empty_name_is_refused_beside_it(make_tui_app: Any, tui_ws: Workspace) -> None:
    before = list(tui_ws.docs("enps_round"))
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_from_palette(app, pilot)
        await pilot.press("tab", *"next fri", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EnpsRoundForm)
        assert error_of(app, "round").startswith("✗")
        assert field(app, "closes") == "next fri"
        assert list(tui_ws.docs("enps_round")) == before
        # a round that has closed (the demo's 2025) is never opened again
        assert app.screen.focused is app.screen.query_one("#f-round")
        await pilot.press(*"2025", "enter", "enter")
        await settle(app, pilot)
        assert "closed on 2025-10-31" in error_of(app, "round")
        assert field(app, "round") == "2025"
        assert list(tui_ws.docs("enps_round")) == before


async def test_esc_keeps_a_draft_that_comes_back(make_tui_app: Any, tui_ws: Workspace) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_from_palette(app, pilot)
        await pilot.press(*"Kevät", "tab", *"next fri", "escape")
        await wait_for(lambda: not isinstance(app.screen, EnpsRoundForm), pilot)
        await open_from_palette(app, pilot)
        assert field(app, "round") == "Kevät"
        assert field(app, "closes") == "next fri"


async def test_call_mode_does_not_offer_it(make_tui_app: Any, tui_ws: Workspace) -> None:
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"eNPS")
        await wait_for(lambda: palette_answered(app, "eNPS"), pilot)
        assert "Open an eNPS round" in palette_offers(app)
        await pilot.press("escape")
        await settle(app, pilot)
        app.start_call(tui_ws.my_clients()[0].uid)
        await settle(app, pilot)
        assert app.call_mode
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"eNPS")
        await wait_for(lambda: palette_answered(app, "eNPS"), pilot)
        assert isinstance(app.screen, CommandPalette)
        offered = palette_offers(app)
        assert offered  # the palette answered (the search of the client in view)
        assert not any("round" in line for line in offered)
        await pilot.press("escape")
        await settle(app, pilot)
        await app.run_action("new_record('enps_round')")
        await settle(app, pilot)
        assert not isinstance(app.screen, EnpsRoundForm)


async def test_quitting_keeps_what_is_typed_as_a_draft(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_from_palette(app, pilot)
        await pilot.press(*"Kesä ж", "tab", *"18.12.", "ctrl+q")
        await stopped(app)
    assert load_draft(tui_ws, "EnpsRoundForm", Audience.manager(tui_ws.me)) == {
        "f-round": "Kesä ж",
        "f-closes": "18.12.",
    }
    assert round_state(tui_ws, "Kesä ж").closes is None  # kept, not saved

"""The pulse form's history pane: the earlier conversations beside the notes, stepped
through with chords while the notes keep the focus and every typed key; Tab never lands
in it; in a call it shows nothing; another manager's conversation never
appears; a promise closed in the form shows as kept there at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import ScreenHarness, settle, wait_for
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static, TextArea

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.pulse_form import PulseForm
from pulsetui.tui.widgets.pulse_history_pane import PulseHistoryPane

LONG_NOTES = "\n".join(f"line {n} of a long talk" for n in range(1, 61))


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    colleague = ws.add("manager", name="Bo Berg")
    aino = ws.add("consultant", name="Aino Laine", manager=ws.me)
    ws.add_pulse(aino.uid, date="2026-07-01", wellbeing=2, notes="first talk [bold]x[/bold]")
    ws.add_pulse(
        aino.uid,
        date="2026-08-01",
        wellbeing=3,
        notes="second talk",
        follow_ups=[{"text": "Ask about the training budget"}],
    )
    ws.add_pulse(
        aino.uid,
        date="2026-09-01",
        wellbeing=4,
        worries="deadlines \x1b[31mred",
        notes="third talk",
        follow_ups=[{"text": "Book a code review", "done": True, "done_on": "2026-09-10"}],
    )
    ws.add_pulse(
        aino.uid,
        date="2026-08-15",
        manager=colleague.uid,
        notes="COLLEAGUE private note",
        follow_ups=[{"text": "COLLEAGUE promise"}],
    )
    pia = ws.add("consultant", name="Pia Puu", manager=ws.me)
    ws.add_pulse(pia.uid, date="2026-10-01", notes=LONG_NOTES)
    ws.add_pulse(pia.uid, date="2026-09-01", notes="short one")
    yield ws
    ws.close(checkpoint="never")


def uid_of(ws: Workspace, name: str) -> str:
    return next(c.uid for c in ws.my_consultants() if c.name.startswith(name))


def pane_text(app: Any) -> str:
    return str(app.screen.query_one("#history-body", Static).render())


def pane_head(app: Any) -> str:
    return str(app.screen.query_one("#history-head", Static).render())


def notes(app: Any) -> TextArea:
    return app.screen.query_one("#f-notes", TextArea)


async def open_form(app: Any, pilot: Any) -> None:
    await wait_for(lambda: isinstance(app.screen, PulseForm) and app.screen._ready, pilot)
    await settle(app, pilot)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_stepping_through_history_keeps_the_notes_and_every_key(
    team: Workspace, size: tuple[int, int]
) -> None:
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=size) as pilot:
        await open_form(app, pilot)
        assert pane_head(app) == "History 1/3"
        assert "2026-09-01" in pane_text(app) and "third talk" in pane_text(app)
        assert "[x] Book a code review — done 2026-09-10 (9 days later)" in pane_text(app)
        assert "deadlines ␛[31mred" in pane_text(app)  # an escape sequence shown, not obeyed
        # from the wellbeing field to the notes by Tab, as a user does
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        assert app.focused is notes(app)
        await pilot.press(*"Talked about the move. ", "ctrl+n")
        assert pane_head(app) == "History 2/3"
        assert "second talk" in pane_text(app)
        assert "[ ] Ask about the training budget — open (111 days" in pane_text(app)
        await pilot.press(*"She wants ж õ. ", "ctrl+down", "ctrl+n")
        assert pane_head(app) == "History 1/3"  # round from the oldest to the newest
        await pilot.press("ctrl+up")  # and back round to the oldest
        assert "first talk [bold]x[/bold]" in pane_text(app)  # markup shown as typed
        await pilot.press(*"[bold]done[/bold]")
        assert app.focused is notes(app)
        typed = "Talked about the move. She wants ж õ. [bold]done[/bold]"
        assert notes(app).text == typed
        await pilot.press("escape")  # leaves the form, saving what is typed
        await pilot.pause()
        [today] = [p for p in team.pulses_of(aino) if p.date == FROZEN_NOW.date()]
        assert today.notes == typed
        assert "COLLEAGUE" not in typed


async def test_a_long_conversation_is_read_on_before_the_next_one(team: Workspace) -> None:
    pia = uid_of(team, "Pia")
    app = ScreenHarness(team, lambda: PulseForm(consultant=pia))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot)
        scroll = app.screen.query_one("#history-scroll", VerticalScroll)
        assert pane_head(app) == "History 1/2 · more ↓"
        presses = 0
        while pane_head(app).startswith("History 1/2"):
            await pilot.press("ctrl+n")
            await pilot.pause()
            presses += 1
            assert presses < 20
        assert presses > 2  # a page at a time through the sixty lines first
        assert "short one" in pane_text(app) and scroll.scroll_y == 0
        await pilot.press("ctrl+up")  # back: the long one from its start
        await pilot.pause()
        assert pane_head(app).startswith("History 1/2") and scroll.scroll_y == 0


async def test_tab_never_lands_in_the_pane(team: Workspace) -> None:
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(app, pilot)
        pane = app.screen.query_one(PulseHistoryPane)
        seen = []
        for _ in range(12):
            await pilot.press("tab")
            seen.append(app.focused)
        assert all(w is not None and w.display and w.region.area for w in seen)
        assert not any(pane in w.ancestors_with_self for w in seen if w is not None)
        assert notes(app) in seen
        notes(app).focus()
        await pilot.press(*"abc", "ctrl+n", *"def")
        assert app.focused is notes(app) and notes(app).text == "abcdef"
        assert pane_head(app) == "History 2/3"


async def test_a_call_shows_nothing_of_the_history(team: Workspace) -> None:
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot)
        app.call_mode = True
        await pilot.pause()
        assert not app.screen.query_one("#pulse-body").display
        assert "talk" not in pane_text(app) and pane_head(app) == "History"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "talk" not in pane_text(app)
        keys = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert not keys & {"next_item", "previous_item"}
        app.call_mode = False
        await pilot.pause()
        assert "third talk" in pane_text(app)


async def test_another_manager_s_conversation_never_shows(team: Workspace) -> None:
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot)
        shown = []
        for _ in range(4):
            shown.append(pane_text(app))
            await pilot.press("ctrl+n")
        assert not any("COLLEAGUE" in text for text in shown)
        carried = app.screen.query_one("#carried", OptionList)
        assert "COLLEAGUE" not in " ".join(
            str(carried.get_option_at_index(n).prompt) for n in range(carried.option_count)
        )


async def test_a_promise_closed_in_the_form_shows_as_kept_in_the_history(
    team: Workspace,
) -> None:
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot)
        await pilot.press("ctrl+n")
        assert "[ ] Ask about the training budget — open" in pane_text(app)
        carried = app.screen.query_one("#carried", OptionList)
        carried.focus()
        carried.highlighted = 0
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "[x] Ask about the training budget — done 2026-11-20" in pane_text(app)
        assert pane_head(app) == "History 2/3"  # still on the same conversation

"""Property: whatever ordinary text is typed into meeting notes or pulse notes — letters
that are commands elsewhere (q a c l n e t g), space, punctuation, Enter — in bursts,
with dialogs opened and closed in between and text typed right behind them, the app
never exits, nothing raises, no record changes but the notes, and every character
typed is in the saved notes. Hypothesis draws the bursts; derandomized, so every run
types the same ones."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from tests.tui.conftest import FROZEN_NOW
from tests.tui.test_bursts import handled
from textual import events
from textual.widgets import TextArea

from pulsetui.domain.models import AgendaItem
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp, make_app
from pulsetui.tui.screens.meeting import MeetingScreen
from pulsetui.tui.screens.pulse_form import PulseForm

TEXT = st.text(alphabet="qaclnetgxyzäж .,!?;:-'()\n", min_size=1, max_size=25)
# a key that opens a dialog and Esc that closes it, typed in the same burst as the text
MEETING_DIALOGS = ["f1", "ctrl+g", "f3", "ctrl+p"]
PULSE_DIALOGS = ["f1", "f3", "ctrl+p"]
NAMED = {" ": "space", "\n": "enter"}


def steps(dialogs: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    step = st.one_of(
        TEXT.map(lambda text: ("type", text)),
        st.sampled_from(dialogs).map(lambda key: ("dialog", key)),
    )
    return st.lists(step, min_size=1, max_size=6)


def key_events(plan: list[tuple[str, str]]) -> list[events.Key]:
    keys: list[events.Key] = []
    for kind, value in plan:
        if kind == "dialog":
            keys += [events.Key(value, None), events.Key("escape", None)]
            continue
        for char in value:
            name = NAMED.get(char, char)
            keys.append(events.Key(name, "\r" if char == "\n" else char))
    return keys


def typed(plan: list[tuple[str, str]]) -> str:
    return "".join(value for kind, value in plan if kind == "type")


@pytest.fixture(scope="module")
def small_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, str, str]]:
    home = tmp_path_factory.mktemp("typing") / "ws"
    ws = Workspace.open(home, me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW)
    client = ws.add("client", name="Acme Oy", manager=ws.me, cadence="monthly").uid
    for text in ("Invoice delays", "Roadmap 2027"):
        ws.add(AgendaItem, client=client, text=text, added_at=FROZEN_NOW - dt.timedelta(days=3))
    ws.plan_meeting(client, ws.today())
    consultant = ws.add("consultant", name="Mikko Aalto", manager=ws.me).uid
    ws.add_pulse(consultant, date=ws.today().isoformat(), notes="")
    yield ws, client, consultant
    ws.close(checkpoint="never")


def state_without_notes(ws: Workspace) -> dict[str, Any]:
    state = ws.export_state()
    for kind in ("meeting", "pulse"):
        for record in state["records"][kind]:
            record.pop("notes", None)
            record.pop("updated", None)
    return state["records"]


async def type_into(ws: Workspace, screen: Any, plan: list[tuple[str, str]]) -> str:
    app: PulseApp = make_app(ws, sync=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(screen)
        await handled(app)
        if isinstance(screen, PulseForm):
            notes = screen.query_one("#f-notes", TextArea)
            notes.focus()
            notes.move_cursor(notes.document.end)  # go on after the notes kept so far
            await handled(app)
        area = screen.query_one(TextArea if isinstance(screen, MeetingScreen) else "#f-notes")
        start = area.text
        for key in key_events(plan):
            app.post_message(key)
        await handled(app)
        assert app.is_running, "typing never quits"
        assert app.screen is screen, "typing leaves the focus in the notes"
        assert area.text == start + typed(plan)
        assert screen.focused is area
        screen.flush()
        return start


SETTINGS = settings(
    max_examples=4,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure shows as drawn
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(plan=steps(MEETING_DIALOGS))
# the sentence that once ticked an item, opened a form and could have quit
@example(
    plan=[
        ("type", "They also want a quote for the quarterly report."),
        ("dialog", "ctrl+g"),
        ("type", " q a c l n e t g\n"),
    ]
)
def test_typing_into_meeting_notes_keeps_every_character(
    plan: list[tuple[str, str]], small_ws: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, client, _consultant = small_ws
    before = state_without_notes(ws)
    screen = MeetingScreen(client)
    start = asyncio.run(type_into(ws, screen, plan))
    meeting = ws.meetings_of(client)[-1]
    assert meeting.notes == start + typed(plan)
    assert state_without_notes(ws) == before


@SETTINGS
@given(plan=steps(PULSE_DIALOGS))
@example(plan=[("type", "Ask Pekka about it."), ("dialog", "f3"), ("type", "Check goals\nq")])
# the palette opened again while the one just closed was still leaving (it stopped the app)
@example(plan=[("dialog", "ctrl+p"), ("dialog", "ctrl+p"), ("dialog", "ctrl+p"), ("type", "ok")])
def test_typing_into_pulse_notes_keeps_every_character(
    plan: list[tuple[str, str]], small_ws: tuple[Workspace, str, str]
) -> None:
    ws, _client, consultant = small_ws
    before = state_without_notes(ws)
    screen = PulseForm(consultant=consultant)
    start = asyncio.run(type_into(ws, screen, plan))
    pulse = ws.pulses_of(consultant)[-1]
    assert pulse.notes == start + typed(plan)
    assert state_without_notes(ws) == before

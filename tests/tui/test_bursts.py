"""Bursts of keys typed at once — section keys, `q`, the record and form keys, Tab,
Enter, Esc, letters — on every screen of the app: whatever they open, close or type, no
exception is raised and no traceback reaches the terminal, also when `q` quits in the
middle of a burst. Hypothesis draws the bursts; derandomized, so every run types the
same ones."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import handled, settle
from textual import events

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp, make_app

# Textual key names; a printable key also carries its character
SECTION_KEYS = ["t", "c", "l", "g", "1", "2", "3", "4"]
RECORD_KEYS = ["q", "a", "n", "p", "m", "e", "M", "d", "x", "h", "w", "slash", "space"]
MOVING_KEYS = ["tab", "shift+tab", "enter", "escape", "j", "k", "down", "up"]
LETTERS = ["s", "i", "ä", "ж", "o", "5", "0", "plus", "question_mark", "ctrl+s", "f2"]
KEYS = SECTION_KEYS + RECORD_KEYS + MOVING_KEYS + LETTERS
CHARACTERS = {"slash": "/", "space": " ", "plus": "+", "question_mark": "?"}

# how each screen is reached from Today, and the screen then on top
START: dict[str, tuple[list[str], str]] = {
    "today": ([], "TodayScreen"),
    "consultants": (["c"], "ConsultantsScreen"),
    "clients": (["l"], "ClientsScreen"),
    "agreements": (["g"], "AgreementsScreen"),
    "client_page": (["l", "enter"], "ClientPage"),
    "meeting": (["l", "m"], "MeetingScreen"),
    "pulse_form": (["c", "p"], "PulseForm"),
    "agenda_form": (["a"], "AgendaModal"),
    "agreement_form": (["g", "e"], "AgreementModal"),
    "agreement_detail": (["g", "enter"], "AgreementDetail"),
    "nps_form": (["n"], "NpsModal"),
    "client_form": (["l", "plus"], "ClientForm"),
    "request_form": (["l", "enter", "W"], "RequestForm"),
    "help": (["f1"], "HelpScreen"),
    "palette": (["ctrl+p"], "PulsePalette"),
}


BURSTS = st.lists(st.lists(st.sampled_from(KEYS), min_size=1, max_size=12), min_size=1, max_size=3)


def rotated(bursts: list[list[str]], start: str) -> list[list[str]]:
    """The drawn keys shifted along KEYS by the screen's place in START, so the same
    derandomized draws type different keys on each screen."""
    turn = sorted(START).index(start) * 5
    return [[KEYS[(KEYS.index(key) + turn) % len(KEYS)] for key in burst] for burst in bursts]


def key_event(key: str) -> events.Key:
    character = CHARACTERS.get(key, key if len(key) == 1 else None)
    return events.Key(key, character)


@pytest.fixture(scope="module")
def burst_ws(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Workspace]:
    """One copy of the demo workspace for every burst of the module (bursts may add
    records)."""
    home = tmp_path_factory.mktemp("bursts") / "workspace"
    shutil.copytree(demo_template, home, symlinks=True)
    ws = Workspace.open(home, config=Config(), clock=lambda: FROZEN_NOW)
    yield ws
    ws.close(checkpoint="never")


async def type_bursts(ws: Workspace, start: str, bursts: list[list[str]]) -> PulseApp:
    app = make_app(ws, sync=False)
    keys, on_top = START[start]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await handled(app)
        assert type(app.screen).__name__ == on_top
        for burst in bursts:
            for key in burst:
                app.post_message(key_event(key))
            await handled(app)
            if not app.is_running:
                break
    return app


@pytest.mark.parametrize("start", sorted(START))
@settings(
    max_examples=1,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bursts=BURSTS, rotate=st.just(True))
# keys right behind q; a form opened and closed again at once, then quitting
@example(bursts=[["q", "a", "n", "c", "enter"]], rotate=False)
@example(bursts=[["a", "escape", "n", "escape", "e", "escape", "enter", "q", "a"]], rotate=False)
def test_bursts_on_every_screen_raise_nothing(
    start: str,
    bursts: list[list[str]],
    rotate: bool,
    burst_ws: Workspace,
    capsys: pytest.CaptureFixture[str],
) -> None:
    typed = rotated(bursts, start) if rotate else bursts
    app = asyncio.run(type_bursts(burst_ws, start, typed))
    assert app.return_code in (0, None)  # 1 after an exception
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err + printed.out
    assert "Error" not in printed.err

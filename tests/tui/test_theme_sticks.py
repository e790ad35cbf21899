"""The theme picked in the command palette sticks: it is saved to the config file with
the user's comments and other settings kept, and the next start opens in it. A light
theme is drawn with the theme's own colours (snapshot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import (
    ScreenHarness,
    palette_answered,
    raised,
    settle,
    stopped,
    wait_for,
)
from tests.tui.test_forms import type_text
from textual.command import CommandInput, CommandPalette

from pulsetui.service.config import load_config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import make_app
from pulsetui.tui.screens.forms.client_form import ClientForm

USERS_FILE = """\
# my pulsetui settings
me = "Liisa Mäkinen"   # that's me

[ui]
theme = "dracula"   # easy on the eyes
# I tried nord once

[keys]
save = "ctrl+s"
"""


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(USERS_FILE, encoding="utf-8")
    monkeypatch.setenv("PULSETUI_CONFIG", str(path))
    return path


async def test_a_theme_picked_in_the_palette_is_there_after_a_restart(
    tui_home: Path, config_file: Path
) -> None:
    ws = Workspace.open(tui_home, config=load_config(), clock=lambda: FROZEN_NOW)
    try:
        app = make_app(ws, sync=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert app.theme == "dracula"  # the config's theme at start
            await pilot.press("ctrl+p")
            await pilot.pause()
            await type_text(pilot, "theme")
            await wait_for(lambda: palette_answered(app, "theme"), pilot)
            commands = app.screen
            await pilot.press("enter")  # "Theme: change the current theme"
            # the list of themes: a palette of its own, its search field focused
            await wait_for(
                lambda: (
                    app.screen is not commands
                    and isinstance(app.screen, CommandPalette)
                    and app.focused is app.screen.query_one(CommandInput)
                ),
                pilot,
            )
            await type_text(pilot, "solarized-light")
            await wait_for(lambda: palette_answered(app, "solarized-light"), pilot)
            await pilot.press("enter")
            await wait_for(lambda: app.theme == "solarized-light", pilot)
            await pilot.pause()
            await pilot.press("q")
            await stopped(app)
    finally:
        ws.close(checkpoint="never")
    text = config_file.read_text(encoding="utf-8")
    assert text == USERS_FILE.replace('theme = "dracula"', 'theme = "solarized-light"')

    again = Workspace.open(tui_home, config=load_config(), clock=lambda: FROZEN_NOW)
    try:
        app = make_app(again, sync=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert app.theme == "solarized-light"
    finally:
        again.close(checkpoint="never")
    assert config_file.read_text(encoding="utf-8") == text  # a start writes nothing


async def test_a_config_that_cannot_be_read_keeps_the_theme_for_this_run(
    tui_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("this is = = not toml\n", encoding="utf-8")
    monkeypatch.setenv("PULSETUI_CONFIG", str(broken))
    app = make_app(tui_ws, sync=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.theme = "nord"

        def warned() -> bool:
            return any("Theme not saved" in str(n.message) for n in raised(app))

        await wait_for(warned, pilot)
        assert app.theme == "nord"
    assert broken.read_text(encoding="utf-8") == "this is = = not toml\n"


@pytest.mark.parametrize("theme", ["textual-light", "solarized-light"])
def test_a_light_theme_snapshot(theme: str, tui_ws: Workspace, snap_compare: Any) -> None:
    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: ClientForm(client))

    async def light(pilot: Any) -> None:
        await wait_for(lambda: isinstance(app.screen, ClientForm) and app.screen.is_mounted, pilot)
        changed: list[str] = []
        app.theme_changed_signal.subscribe(app, lambda picked: changed.append(picked.name))
        app.theme = theme
        # the signal goes out once the theme's styles are applied
        await wait_for(lambda: theme in changed, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=light)

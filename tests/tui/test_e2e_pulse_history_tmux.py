"""In a real terminal (tmux, TERM=xterm, NO_COLOR=1) at 80×24 and 60×20: whole sentences
typed into the pulse form's notes with the history pane open, stepped through with
ctrl+n, ctrl+down and ctrl+up between the sentences —
every key lands in the notes in order (checked in ``export --format json``), and the
consultant page then lists the conversation and reads it in full."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.tui.test_e2e_tmux import PULSETUI, TMUX, Terminal, export

pytestmark = pytest.mark.slow

SENTENCES = (
    "Aino says the new project starts well. ",
    "She wants more pairing, ж õ ä 🙂. ",
    "[bold]Nothing[/bold] lost? ",
    "Next: a raise talk in March.",
)
PANE_HEAD = re.compile(r"History \d+/\d+")


class SizedTerminal(Terminal):
    """A tmux session of a given size."""

    def __init__(self, home: Path, env: dict[str, str], size: tuple[int, int]) -> None:
        super().__init__(home, env)
        self.size = size

    def start(self) -> None:
        self.open(self.app_command(), *self.size)
        self.wait_for("Today")

    def wait_for_pane(self, shown: bool, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if bool(PANE_HEAD.search(self.screen())) == shown:
                return
            time.sleep(0.1)
        raise AssertionError(f"history pane shown={not shown}:\n{self.screen()}")


@pytest.fixture(params=[(80, 24), (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
def small_terminal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SizedTerminal]:
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    env = {
        "PULSETUI_NOW": "2026-11-20T10:00:00",
        "PULSETUI_CONFIG": str(tmp_path / "no-config.toml"),
        "TERM": "xterm",
        "NO_COLOR": "1",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        # the size the app reads: a COLUMNS / LINES the tmux server was started with
        # (another test run's 80×24) would otherwise win over the pane's own size
        "COLUMNS": str(request.param[0]),
        "LINES": str(request.param[1]),
    }
    home = tmp_path / "ws"
    subprocess.run(
        [PULSETUI, "--home", str(home), "demo"],
        check=True,
        env={**os.environ, **env},
        capture_output=True,
    )
    term = SizedTerminal(home, env, request.param)
    yield term
    term.kill()


def test_sentences_typed_while_stepping_through_history_all_land_in_the_notes(
    small_terminal: SizedTerminal,
) -> None:
    terminal = small_terminal
    before = export(terminal.home, terminal.env)
    terminal.start()
    terminal.keys("c")
    terminal.wait_for("Aino Laine")
    terminal.keys("p")
    terminal.wait_for("saved when you type")
    terminal.wait_for_pane(True)
    terminal.keys("Tab", "Tab", "Tab", "Tab", "Tab", pause=0.05)  # to the notes

    first, second, third, fourth = SENTENCES
    terminal.type(first)
    terminal.keys("C-n", pause=0)
    terminal.type(second)
    terminal.keys("C-Down", "C-Up", pause=0)
    terminal.type(third)
    terminal.keys("C-n", pause=0)
    terminal.type(fourth)
    terminal.wait_for_pane(True)
    terminal.wait_for("Next: a raise")
    terminal.keys("Escape")
    terminal.wait_for("need a pulse conversation")  # the consultants list

    after = export(terminal.home, terminal.env)
    [aino] = [c for c in after["consultant"] if c["name"] == "Aino Laine"]
    new = [p for p in after["pulse"] if p not in before["pulse"]]
    assert [(p["consultant"], p["date"]) for p in new] == [(aino["uid"], "2026-11-20")]
    assert new[0]["notes"] == "".join(SENTENCES)

    # the consultant page lists it first; Enter reads it in full
    terminal.keys("h")
    terminal.wait_for("2026-11-20")
    terminal.keys("Enter")
    terminal.wait_for("conversation 13 of 13")
    terminal.wait_for("Aino says the new")
    terminal.keys("Escape")
    terminal.wait_for("Follow-ups of 2026-11-20")
    terminal.keys("Escape")
    terminal.wait_for("need a pulse conversation")  # the consultants list
    terminal.keys("q")
    terminal.wait_closed()

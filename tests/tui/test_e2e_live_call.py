"""A live call in a real terminal (tmux, 80×24): a meeting held typing continuously, two
agreements captured from lines of notes, items ticked and dropped by chords, ended with
the key the footer shows; after a restart the records are exactly those. And bursts of
ordinary text plus ``q`` on every kind of screen: the app quits cleanly, no traceback
ever reaches the terminal."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.tui.test_e2e_tmux import Terminal, demo_env, export, terminal

__all__ = ["demo_env", "terminal"]  # the fixtures, shared with the other tmux test

pytestmark = pytest.mark.slow


class ShellTerminal(Terminal):
    """The app started from a shell that stays after it exits, so the pane can be read."""

    def start(self) -> None:
        self.open(f"{self.app_command()}; echo EXITED $?; sleep 30")
        self.wait_for("Today")

    def exited(self, timeout: float = 60.0) -> str:
        return self.wait_for("EXITED", timeout)


def footer_key(screen: str, label: str) -> str:
    """The key the footer (the last line) shows for ``label`` ("^f" for "End meeting")."""
    footer = screen.rstrip("\n").splitlines()[-1]
    found = re.search(r"(\S+) " + re.escape(label[:8]), footer)
    assert found, f"{label!r} not in the footer: {footer!r}"
    return found.group(1)


@pytest.fixture
def shell_terminal(terminal: Terminal) -> Iterator[ShellTerminal]:
    shell = ShellTerminal(terminal.home, terminal.env)
    yield shell
    shell.kill()


def test_a_meeting_typed_continuously_survives_a_restart(
    shell_terminal: ShellTerminal, demo_env: dict[str, str]
) -> None:
    term = shell_terminal
    before = export(term.home, demo_env)
    term.start()
    term.keys("l")
    term.wait_for("Client")
    term.keys("m")
    shown = term.wait_for("End meet")  # the footer of meeting mode is drawn
    assert footer_key(shown, "End meeting") == "^f"
    term.type("They also want a quote for the quarterly report. Budget is tight (q4).")
    term.keys("C-t", "Enter")
    term.type("+ Send the offer @Liisa fri")
    term.keys("C-g")
    term.wait_for("New agreement")
    term.keys("C-s")
    term.wait_for("Agreements captured: 1")
    term.keys("C-n", "C-o", "Enter")
    term.type("+ Client signs the contract @Pekka Kuusinen 2026-12-04")
    term.keys("C-g")
    term.wait_for("New agreement")
    term.keys("C-s")
    term.wait_for("Agreements captured: 2")
    term.type(" - agreed, a c l g n e t q")
    term.keys("C-f")
    term.wait_for("Meeting held: summary")
    term.keys("Escape")
    term.wait_for("q Quit")
    term.keys("q")
    assert "EXITED 0" in term.exited()
    after = export(term.home, demo_env)
    held = [m for m in after["meeting"] if m not in before["meeting"] and m["status"] == "held"]
    assert len(held) == 1
    assert held[0]["notes"] == (
        "They also want a quote for the quarterly report. Budget is tight (q4).\n"
        "+ Send the offer @Liisa fri\n"
        "+ Client signs the contract @Pekka Kuusinen 2026-12-04 - agreed, a c l g n e t q"
    )
    made = sorted(
        (a["text"], a["owner"], a["due"])
        for a in after["agreement"]
        if a.get("meeting") == held[0]["uid"]
    )
    assert made == [
        ("Client signs the contract", "Pekka Kuusinen", "2026-12-04"),
        ("Send the offer", "Liisa Mäkinen", "2026-11-27"),  # "@Liisa": the one Liisa
    ]
    settled = {
        (a["text"], a["status"]) for a in after["agenda"] if a.get("meeting") == held[0]["uid"]
    }
    assert {status for _text, status in settled} == {"discussed", "dropped"}
    new_records = {
        kind: [r for r in records if r not in before.get(kind, [])]
        for kind, records in after.items()
    }
    assert {kind for kind, records in new_records.items() if records} <= {
        "meeting",
        "agenda",
        "agreement",
    }
    # restart: the records are exactly those
    term.kill()  # the first run's shell, read
    term.name = f"{term.name}-2"
    term.start()
    term.keys("q")
    assert "EXITED 0" in term.exited()
    assert export(term.home, demo_env) == after


SCREENS = {
    "today": [],
    "clients": ["l"],
    "client page": ["l", "Enter"],
    "agreements": ["g"],
    "meeting": ["l", "m"],
    "pulse form": ["c", "p"],
    "agreement form": ["l", "Enter", "e"],
    "agenda form": ["a"],
    "NPS form": ["n"],
    "help": ["F1"],
}


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_a_burst_and_q_leave_no_traceback(
    screen: str, shell_terminal: ShellTerminal, demo_env: dict[str, str]
) -> None:
    term = shell_terminal
    term.start()
    term.keys(*SCREENS[screen], pause=0.6)
    term.type("Ask Pekka: a quote, q4 & tech debt; e-mail t c l g n!")
    term.keys("Escape", "Escape", "Escape", pause=0.4)
    term.keys("q", "C-q", pause=0.4)
    shown = term.exited()
    assert "Traceback" not in shown and "Error" not in shown
    assert "EXITED 0" in shown


def test_a_paste_with_escape_characters_lands_whole_in_the_notes(
    terminal: Terminal, demo_env: dict[str, str]
) -> None:
    """Coloured terminal output pasted into the notes (tmux pastes it bracketed, as a
    terminal does): every character in place, the escapes as ␛, nothing acted on."""
    term = terminal
    term.start()
    term.keys("l")
    term.wait_for("Client")
    term.keys("m")
    term.wait_for("End meet")
    term.type("Log: ")
    term.tmux("set-buffer", "red \x1b[31mX\x1b[0m end ж")
    term.tmux("paste-buffer", "-p", "-t", term.name)
    term.type(" ok")
    term.wait_for("Log: red ␛[31mX␛[0m end ж ok")
    term.keys("Escape")  # leaves meeting mode, the notes kept
    term.wait_for("q Quit")
    term.keys("q")
    term.wait_closed()
    notes = [m["notes"] for m in export(term.home, demo_env)["meeting"]]
    assert any("Log: red ␛[31mX␛[0m end ж ok" in n for n in notes)

"""End to end in a real terminal at 80×24: the segments and three-hats sections reached
by typing in the command palette, the moved client and the squeezed consultant on
screen, nothing of them while the screen is shared, and a pulse conversation opened
from the three hats with whole sentences typed into it — found after the app quit."""

from __future__ import annotations

import pytest
from tests.tui.test_e2e_tmux import Terminal, demo_env, export, terminal

pytestmark = pytest.mark.slow
__all__ = ["demo_env", "terminal"]  # the fixtures, shared with the other tmux test


def test_segments_and_three_hats_typed_in_a_real_terminal(
    terminal: Terminal, demo_env: dict[str, str]
) -> None:
    before = export(terminal.home, demo_env)
    terminal.start()

    terminal.keys("C-p")
    terminal.type("go to segments")
    # Enter picks the highlighted row of the palette's list as it stands, so wait, as
    # a reader does, until the command is listed (under load the rows arrive late)
    terminal.wait_for("Go to Segments")
    terminal.keys("Enter")
    shown = terminal.wait_for("Self-check")
    assert "STEADY (1)" in shown and "» Revontuli Pankki Oyj" in shown
    terminal.keys("F2")  # share the screen: the segments are internal
    shown = terminal.wait_for("internal: not shown in a call", whole=True)
    # the banner names the client in view (the one on the selected row); nothing else does
    body = "\n".join(line for line in shown.splitlines() if "CALL MODE" not in line)
    assert "Revontuli" not in body and "Kuusi" not in body
    terminal.keys("F2")  # ending the call asks for F2 once more: a deliberate act
    terminal.wait_for("End call mode?")
    terminal.keys("F2")
    terminal.wait_for("Revontuli Pankki Oyj  client yes → no")  # the self-check is back
    terminal.keys("Enter")  # the client the evidence asks to re-check
    terminal.wait_for("Timeline")
    terminal.keys("Escape")
    terminal.wait_for("3 clients")

    terminal.keys("C-p")
    terminal.type("go to three hats")
    # Enter picks the highlighted row of the palette's list as it stands, so wait, as
    # a reader does, until the command is listed (under load the rows arrive late)
    terminal.wait_for("Go to Three hats")
    terminal.keys("Enter")
    shown = terminal.wait_for("running engagements")
    assert "Aino Laine" in shown and "! 3 2 2 2" in shown  # the squeezed consultant
    terminal.keys("j")
    terminal.keys("p")  # a pulse conversation with the consultant on that row
    terminal.wait_for("saved when you type")
    terminal.type("2")
    terminal.keys("Enter", "Tab")
    terminal.type("3")
    terminal.keys("Enter")
    terminal.type("Would like to pair with the client's new analyst, not take more tickets.")
    terminal.keys("Enter")
    terminal.type("The client adds work every day; q, p and j typed here are only text.")
    terminal.keys("C-s")
    terminal.wait_for("saved 10:00:00")  # the save's commit (at the frozen time)
    terminal.keys("Escape")
    terminal.wait_for("running engagements")
    terminal.keys("q")
    terminal.wait_closed()

    after = export(terminal.home, demo_env)
    pulses = [p for p in after["pulse"] if p not in before["pulse"]]
    assert len(pulses) == 1
    people = {c["uid"]: c["name"] for c in after["consultant"]}
    assert people[pulses[0]["consultant"]] == "Aino Laine"
    assert (pulses[0]["wellbeing"], pulses[0]["fit"]) == (2, 3)
    assert pulses[0]["growth"] == (
        "Would like to pair with the client's new analyst, not take more tickets."
    )
    assert pulses[0]["worries"] == (
        "The client adds work every day; q, p and j typed here are only text."
    )

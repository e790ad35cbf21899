"""Keys that arrive together (a fast typist, a paste, an SSH link bunching keys) land
where they were typed: text typed right behind a Tab or an Enter goes to the next field,
never into the one just left."""

from __future__ import annotations

from typing import Any

from tests.tui.screen_harness import ScreenHarness, wait_for
from textual import events
from textual.widgets import Input

from pulsetui.domain.models import Agreement
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.pulse_form import PulseForm

NAMED = {"\t": "tab", "\n": "enter", " ": "space", "+": "plus"}


def burst(app: Any, text: str) -> None:
    """Queue every key of ``text`` at once, as a terminal delivers one read."""
    for char in text:
        key = NAMED.get(char, char)
        app.post_message(events.Key(key, None if key in ("tab", "enter") else char))


async def test_a_burst_of_keys_fills_the_pulse_form_field_by_field(tui_ws: Workspace) -> None:
    consultant = tui_ws.my_consultants()[0].uid
    app = ScreenHarness(tui_ws, lambda: PulseForm(consultant=consultant))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert form.focused is form.query_one("#f-wellbeing", Input)
        burst(app, "3\t\t4\nwants ä\tlong ж commute\n")
        await pilot.pause(0.2)
        values = {
            name: form.query_one(f"#f-{name}", Input).value
            for name in ("wellbeing", "fit", "growth", "worries")
        }
        assert values == {
            "wellbeing": "3",
            "fit": "4",
            "growth": "wants ä",
            "worries": "long ж commute",
        }
        await pilot.press("ctrl+s")
        await wait_for(lambda: form.pulse_uid is not None, pilot)
    pulse = next(p for p in tui_ws.pulses_of(consultant) if p.uid == form.pulse_uid)
    assert (pulse.wellbeing, pulse.fit, pulse.growth, pulse.worries) == (
        3,
        4,
        "wants ä",
        "long ж commute",
    )


async def test_a_burst_of_keys_captures_an_agreement(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: AgreementModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "Send the plan\t\tMikko\n+2w\n")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, AgreementModal), "saved and closed"
    found = [a for a in tui_ws.list(Agreement, client=client) if a.text == "Send the plan"]
    assert [(a.owner, a.due.isoformat() if a.due else None) for a in found] == [
        ("Mikko", "2026-12-04")
    ]

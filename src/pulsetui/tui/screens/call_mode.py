"""Turning call mode on and off.

On: the client in view is the one the screen is about; from a screen about no client the
app asks which client is in view (typing part of the name narrows the list). Off: a
deliberate act — the call-mode key opens a question that only the same key answers
with "off"; Esc, or anything else, leaves the call on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.choices import client_choices
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal

if TYPE_CHECKING:
    from pulsetui.tui.app import PulseApp


def ask_call_client(app: PulseApp, then: Callable[[str | None], Any]) -> None:
    """Ask which client is in view and call ``then`` with its uid (None: cancelled)."""
    from pulsetui.tui.screens.record_picker import RecordPicker

    ws = app.workspace
    options = [(c.name, c.uid) for c in client_choices(ws, Audience.manager(ws.me))]
    app.push_screen(RecordPicker("Call mode: which client is in view?", options), then)


class CallModeOff(BaseModal):
    """Press the call-mode key again to end call mode; Esc keeps it on."""

    HELP = "Call mode stays on unless the call-mode key is pressed again here."
    WRITING = False  # a question: only its own keys answer it
    DEFAULT_CSS = """
    CallModeOff { align: center middle; }
    CallModeOff > Vertical {
        width: 60; max-width: 95%; height: auto;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [
        Binding("escape", "answer(False)", "Keep call mode on"),
        Binding(keys.keys_for("call_mode"), "answer(True)", "End call mode", priority=True),
    ]

    def compose(self) -> ComposeResult:
        key = keys.keys_for("call_mode").split(",")[0].upper()
        with Vertical():
            yield Static(Text("End call mode?", style="bold"))
            yield Static(
                Text(
                    f"Press {key} again to end it: private notes, eNPS, internal flags and "
                    "other clients show again. Esc keeps call mode on."
                )
            )

    def action_answer(self, off: bool) -> None:
        self.dismiss(off)

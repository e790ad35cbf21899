"""Yes/no question before anything destructive (delete, discard, quit with unsaved work).
Returns True only on an explicit "yes"; Esc and "no" return False."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button

from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.widgets.literal import LiteralStatic


class ConfirmModal(BaseModal):
    """Ask before a destructive action; ``y`` confirms, ``n``/Esc cancels."""

    HELP = "Confirm or cancel. y = yes, n or Esc = no."
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical {
        width: 60; max-width: 95%; height: auto;
        border: thick $error; background: $surface; padding: 1 2;
    }
    ConfirmModal Horizontal { height: auto; margin-top: 1; }
    ConfirmModal Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "answer(False)", "No"),
        ("y", "answer(True)", "Yes"),
        ("n", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield LiteralStatic(self.question, id="question")
            with Horizontal():
                yield Button(f"{self.yes_label} (y)", id="yes", variant="error")
                yield Button(f"{self.no_label} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

"""Yes/no question before anything destructive (delete, discard, quit with unsaved work).
Returns True only on an explicit "yes"; Esc and "no" return False."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from pulsetui.service.keymap import is_text_key
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.form_drafts import DraftForm
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.literal import LiteralStatic
from pulsetui.tui.widgets.text_fields import TextInput


class ConfirmModal(ModalHelp, BaseModal):
    """Ask before a destructive action; ``y`` confirms, ``n``/Esc cancels."""

    WRITING = False  # a question answered with its letter keys, nothing to type

    HELP_TITLE = "Confirm"

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
        ModalHelp.HELP_BINDING,
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
        if not self.is_live:
            return
        self.query_one("#no", Button).focus()

    def answered_only_when_seen(
        self, typed: list[events.Key | events.Paste]
    ) -> list[events.Key | events.Paste]:
        """The keys typed right behind the key that asked the question, before it was on
        screen (a typist going on, an SSH burst): none of them answers it — a ``y`` in
        "yesterday" must not discard a meeting. Text and Enter are dropped, and the
        question says so; other keys (Esc, a chord) go on."""
        kept: list[events.Key | events.Paste] = [
            event
            for event in typed
            if isinstance(event, events.Key) and not is_text_key(event.key) and event.key != "enter"
        ]
        if len(kept) < len(typed):
            self.notify(
                "Keys typed before this question showed were not taken as an answer: "
                "y or n answers it.",
                timeout=5,
            )
        return kept

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TextPrompt(FieldKeys, DraftForm, ModalHelp, BaseModal):
    """Ask for one line of text (e.g. the note when a red flag is addressed).
    Enter returns the text; Esc returns None."""

    HELP_TITLE = "Text"

    HELP = (
        "Type the text and press Enter. Esc closes and keeps what you typed as a draft "
        "(F8 clears it)."
    )
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    TextPrompt .error { color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseModal.BINDINGS,
        ModalHelp.HELP_BINDING,
        *DraftForm.DRAFT_BINDINGS,
        *(b for b in FieldKeys.FIELD_BINDINGS if b.key == "enter"),
    ]

    DRAFT_FIELDS = ("prompt-input",)

    def __init__(self, question: str, field: str, value: str = "", required: bool = False) -> None:
        super().__init__()
        self.question = question
        self.field_name = field
        self.value = value
        self.required = required
        self.prefilled = bool(value)

    def draft_key(self) -> str:
        return f"text:{self.question}"

    def action_back(self) -> None:
        self.close_keeping_draft()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield LiteralStatic(self.question)
            yield TextInput(self.value, id="prompt-input")
            yield Label("", id="prompt-error", classes="error")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.restore_draft()
        self.query_one(Input).focus()

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        """Enter answers once the keys typed before it are in; those typed behind it
        wait, and go to the screen beneath."""
        self.when_typed_in(
            field, lambda: self.on_input_submitted(Input.Submitted(field, field.value))
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.is_live:
            return
        if self.required and not event.value.strip():
            self.query_one("#prompt-error", Label).update(f"{self.field_name}: must not be empty")
            return
        self.forget_draft()
        self.dismiss(event.value)

    def has_unsaved(self) -> bool:
        return self.has_typed()

"""A small modal that picks one record (a client or a consultant) by typing part of its
name (matched as everywhere, :mod:`pulsetui.domain.names`, best first); used when a form
is opened from a screen with nothing in context."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from pulsetui.domain.names import ranked
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.literal import one_line
from pulsetui.tui.widgets.text_fields import TextInput


class RecordPicker(FieldKeys, ModalHelp, BaseModal):
    """Type to narrow, arrows or j/k to move, Enter to pick; returns the uid or None."""

    HELP_TITLE = "Pick"

    HELP = "Type part of a name to narrow the list; up/down move; Enter picks; Esc cancels."
    DEFAULT_CSS = """
    RecordPicker { align: center middle; }
    RecordPicker > Vertical {
        width: 60; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    RecordPicker OptionList { height: auto; max-height: 60vh; }  /* its keys stay in view */
    RecordPicker #picker-keys { color: $text-muted; }
    """

    BINDINGS = [
        *BaseModal.BINDINGS,
        ModalHelp.HELP_BINDING,
        *(b for b in FieldKeys.FIELD_BINDINGS if b.key == "enter"),
    ]

    def __init__(self, prompt: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.prompt = prompt
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.prompt), id="picker-prompt")  # wraps on a narrow screen
            yield TextInput(id="picker-filter", placeholder="type to narrow", compact=True)
            yield OptionList(id="picker-options")
            yield Static(Text("↑↓ move · Enter picks · Esc cancels"), id="picker-keys")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, needle: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        shown = (
            ranked(needle, self.options, name=lambda o: o[0], uid=lambda o: o[1])
            if needle.strip()
            else self.options
        )
        for label, uid in shown:
            options.add_option(Option(Text(one_line(label, 60)), id=uid))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed)
    def _narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def key_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def key_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        """Enter picks once the keys typed before it have narrowed the list; those typed
        behind it wait, and go to what the pick opens."""
        self.when_typed_in(field, self._pick_highlighted)

    @on(Input.Submitted)
    def _pick_highlighted(self) -> None:
        if not self.is_live:
            return
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _pick(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

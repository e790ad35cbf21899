"""The app's text fields, for one line (:class:`TextInput`) and for notes
(:class:`NoteArea`): they draw what they hold with every control character (an escape
sequence, a bidi override synced in from elsewhere or pasted) as one visible symbol in
its place (:func:`.literal.in_place`), never sent to the terminal as it is. The text
itself, what is edited and saved, is unchanged; one symbol per character keeps the
cursor, the selection and the highlighting where they are in it.

Reaching a one-line field never puts its text at risk. Textual's Input selects all of
its text when it takes the focus, so the next key typed replaces it — a field filled in,
left with Tab and come back to with shift+Tab lost what it held at the first letter. A
:class:`TextInput` keeps its text and puts the cursor after it (Tab, shift+Tab, a form
focusing it, Enter moving on); a click then places the cursor where clicked.

Its editing keys (Backspace, Delete, ctrl+w, the arrows …) are acted on as the field
takes them, in the order typed. Textual looks a key's binding up only once the key has
bubbled from the field up to the app, and then on the field that has the focus *then*:
in a burst (a fast typist, a paste, an SSH link bunching keys) a Backspace typed before
a Tab deleted a character of the next field, and one typed before the Enter that saves
was not yet in the text saved.

Every screen builds its one-line fields with :class:`TextInput`, never ``Input`` itself
(a test walks ``src`` for it); queries and ``isinstance`` checks keep asking for
``Input``, which a TextInput is."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.expand_tabs import expand_tabs_inline
from textual.widgets import Input, TextArea
from textual.widgets.input import Selection

from pulsetui.tui.widgets.literal import in_place

# keys whose bindings stay where Textual looks them up (the forms handle them first)
PASSED_ON = frozenset({"enter", "tab", "shift+tab"})


class TextInput(Input):
    """A one-line field drawing control characters visibly, keeping its text on focus
    (the cursor after the last character)."""

    def __init__(self, value: str | None = None, placeholder: str = "", **options: Any) -> None:
        # Reaching a field never selects its text: a key typed then would replace it.
        options["select_on_focus"] = False
        super().__init__(value, placeholder, **options)

    async def _on_key(self, event: events.Key) -> None:
        # Runs before Input's own handler (which types the printable keys). Enter and
        # Tab keep their way (the forms act on them as they arrive).
        if event.is_printable or event.key in PASSED_ON:
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if await self.app.run_action(binding.action, self):
                event.prevent_default()
                event.stop()
                return

    def _on_focus(self, event: events.Focus) -> None:
        # Runs before Input's own handler (Textual calls both, the subclass first), which
        # with select_on_focus off leaves the cursor where this puts it. The app itself
        # regaining the focus (the terminal window) leaves the cursor where it was.
        if not event.from_app_focus:
            self.selection = Selection.cursor(len(self.value))

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        # drawn from the value itself: a Text made of it would drop BEL, BS and CR
        # unseen, and the cursor would no longer stand on its character
        text = Text(in_place(self.value), no_wrap=True, overflow="ignore", end="")
        return text if self.highlighter is None else self.highlighter(text)

    def _position_to_cell(self, position: int) -> int:
        return cell_len(expand_tabs_inline(in_place(self.value)[:position], 4))


class NoteArea(TextArea):
    """A multi-line note drawing control characters visibly."""

    def get_line(self, line_index: int) -> Text:
        return Text(in_place(self.document.get_line(line_index)), end="", no_wrap=True)

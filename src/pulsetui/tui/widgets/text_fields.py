"""The app's text fields, for one line (:class:`TextInput`) and for notes
(:class:`NoteArea`): they draw what they hold with every control character (an escape
sequence, a bidi override synced in from elsewhere or pasted) as one visible symbol in
its place (:func:`.literal.in_place`), never sent to the terminal as it is. The text
itself, what is edited and saved, is unchanged; one symbol per character keeps the
cursor, the selection and the highlighting where they are in it."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.expand_tabs import expand_tabs_inline
from textual.widgets import Input, TextArea

from pulsetui.tui.widgets.literal import in_place


class TextInput(Input):
    """A one-line field drawing control characters visibly."""

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

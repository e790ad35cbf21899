"""A one-line state shown beside a form ("editing…", "saved 14:02:11", "sync: …").

Writing screens tell their state on every key typed. ``Static.update`` lays the whole
screen out again each time, and finding the widget with ``query("#id")`` walks every
widget of the screen: on a form with a long history beside it that was most of the
time a key took to show. ``StateText.say`` changes nothing when the text is the one
already shown, so typing a sentence lays the screen out once, not once per key, and
lays nothing out for a text as wide as the one shown (each sync pass tells its time).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.dom import DOMNode
from textual.widgets import Static


class StateText(Static):
    """A Static that shows one plain line of state; see the module docstring."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(Text(text), id=id, markup=False)
        self._said = text

    @property
    def said(self) -> str:
        """The text shown now."""
        return self._said

    def say(self, text: str) -> None:
        """Show ``text`` (plain, never markup); nothing happens if it is shown already.
        A text as wide as the one shown ("synced 10:02:11" after "synced 10:02:09",
        once per sync pass) is drawn in its place without laying the screen out."""
        if text == self._said:
            return
        same_width = cell_len(text) == cell_len(self._said)
        self._said = text
        self.update(Text(text), layout=not same_width)


def say(parent: DOMNode, selector: str, text: str) -> None:
    """Show ``text`` in the StateText ``selector`` (an id) under ``parent``, if it is
    there: nothing to do on a screen removed before its parts were mounted."""
    state = parent.query_one_optional(selector, StateText)
    if state is not None:
        state.say(text)

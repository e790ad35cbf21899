"""The app's choice field (:class:`Choice`): a Select that opens only on Enter or an
arrow key.

Textual's Select also opens on space, and its open list then jumps to the option
matching letters typed: a sentence typed into a form whose focus was on a choice (a Tab
too many, talking while typing) opened it at the first space and chose whatever the
next words matched at the next Enter. On the writing screens a key that types a
character is text, never a command; a choice has no text, so such a key leaves it as it
is. Every screen builds its choices with :class:`Choice` (a test walks ``src`` for a
bare ``Select(``); queries, ``Select.Changed`` and ``Select.NULL`` keep working, as a
Choice is a Select."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Select


class Choice(Select[Any], inherit_bindings=False):
    """A Select opened with Enter, ↓ or ↑ (not with space)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,down,up", "show_overlay", "Show menu", show=False),
    ]

"""A list of lines (Textual's OptionList) that does not lay its screen out again as it
is first drawn.

An OptionList counts its lines the first time it draws them and sets its virtual size
then, which Textual takes as a reason to lay the whole screen out once more (and draw it
again) right after its first frame. The list's height comes from its options, counted
as the screen was laid out, and its scroll bars ask for a layout themselves when they
come or go, so nothing else needs one: :class:`LineList` leaves that layout out."""

from __future__ import annotations

from typing import Any

from textual.widgets import OptionList


class LineList(OptionList):
    """An OptionList whose first drawing lays nothing out (see the module docstring)."""

    _counting_lines = False

    def _update_lines(self) -> None:
        bars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self._counting_lines = True
        try:
            super()._update_lines()
        finally:
            self._counting_lines = False
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != bars:
            self.refresh(layout=True)  # a scroll bar came or went: it takes room

    def refresh(self, *regions: Any, **options: Any) -> Any:
        if self._counting_lines:
            options["layout"] = False
        return super().refresh(*regions, **options)

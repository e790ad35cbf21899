"""A list of lines (Textual's OptionList) that does not lay its screen out again as it
is first drawn.

An OptionList counts its lines the first time it draws them, and only then sets its
virtual size and finds out whether it needs a scroll bar; a scroll bar that appears
then lays the whole screen out once more and draws it again, right after its first
frame. :class:`LineList` counts them as it is laid out, where Textual works out the room
its scroll bars take, so the first frame has them; the virtual size its drawing finds
is the same, which Textual would also have taken as a reason for a layout: it needs
none (the list's height comes from its options, counted at layout)."""

from __future__ import annotations

from typing import Any

from textual.geometry import Region, Size
from textual.widget import Widget
from textual.widgets import OptionList


class LineList(OptionList):
    """An OptionList whose first drawing lays nothing out (see the module docstring)."""

    _counting_lines = False
    scroll_bars_placed: tuple[bool, bool] | None = None  # see LaidOutOnce

    def __init__(self, *content: Any, one_line: bool = False, **options: Any) -> None:
        """``one_line``: every option is one line, cut to the list's width (its prompt
        holds no line break and the stylesheet does not wrap it), so the list's height
        is the number of options, without measuring each."""
        super().__init__(*content, **options)
        self._one_line = one_line

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._one_line:
            return self.option_count
        return super().get_content_height(container, viewport, width)

    def _get_scrollable_region(self, region: Region) -> Region:
        # ``region``: the list's room inside its border and padding, as laid out now
        if self.styles.overflow_y == "auto" and region:
            self._fit_scroll_bar(region.size)
        return super()._get_scrollable_region(region)

    def _fit_scroll_bar(self, room: Size) -> None:
        bar = self.styles.scrollbar_size_vertical
        gutter = self._get_left_gutter_width()
        width = room.width - gutter
        lines = self.get_content_height(room, room, width)
        shown = bar > 0 and lines > room.height
        if shown:
            width -= bar
            lines = self.get_content_height(room, room, width)
        # set quietly: this is the layout those changes would ask for
        self.set_reactive(Widget.show_vertical_scrollbar, shown)
        self.set_reactive(Widget.virtual_size, Size(width, lines))
        self.scroll_bars_placed = (shown, self.show_horizontal_scrollbar)

    def _update_lines(self) -> None:
        bars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self._counting_lines = True
        try:
            super()._update_lines()
        finally:
            self._counting_lines = False
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != bars:
            self.refresh(layout=True)  # counted otherwise than at layout: it takes room

    def refresh(self, *regions: Any, **options: Any) -> Any:
        if self._counting_lines:
            options["layout"] = False
        return super().refresh(*regions, **options)

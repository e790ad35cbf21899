"""MarkedTable: a DataTable whose highlighted row also carries a "▶" in a narrow first
column, so the selection shows with NO_COLOR and on 16-colour terminals, not by colour
alone. Cells of a row start with that marker column (``get_row_at(i)[0]``). Home and End
go to the first and the last row. ``fill="key"`` gives that column the width the others
leave, at any terminal width: text that fits is never cut, and no row runs off to the
side."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

MARKER = "▶"
MARK_COLUMN = "_mark"


class MarkedTable(DataTable[Any]):
    """A row-cursor DataTable with a cursor marker column added before the first column."""

    def __init__(
        self, mark_unfocused: bool = False, fill: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("cursor_type", "row")
        super().__init__(**kwargs)
        self.fill = fill  # the column taking the width the others leave
        # a list walked by chords from elsewhere (meeting mode's agenda) shows its
        # current row without having the focus
        self.mark_unfocused = mark_unfocused
        self._marked: RowKey | None = None

    def add_column(self, label: Any, *, width: int | None = None, **kwargs: Any) -> ColumnKey:
        if ColumnKey(MARK_COLUMN) not in self.columns:
            super().add_column(" ", key=MARK_COLUMN, width=1)
        key = super().add_column(label, width=width, **kwargs)
        if self.fill is not None:
            self.call_after_refresh(self.fit_fill_column)
        return key

    def on_resize(self) -> None:
        self.fit_fill_column()

    def fit_fill_column(self, minimum: int = 12) -> None:
        """Give the ``fill`` column the width the other columns leave beside a vertical
        scrollbar (kept whether the rows need one yet or not); ``minimum`` at least."""
        column = self.columns.get(ColumnKey(self.fill)) if self.fill else None
        if column is None or not self.size.width:
            return
        room = self.size.width - self.styles.scrollbar_size_vertical
        others = sum(c.get_render_width(self) for c in self.columns.values() if c is not column)
        width = max(minimum, room - others - 2 * self.cell_padding)
        if width == column.width and not column.auto_width:
            return
        column.width = width
        column.auto_width = False
        # DataTable keeps rendered cells and its virtual width until told to measure again
        self._require_update_dimensions = True
        self._clear_caches()

    def add_row(self, *cells: Any, **kwargs: Any) -> RowKey:
        key = super().add_row(Text(" "), *cells, **kwargs)
        if self.row_count == 1:
            self.call_after_refresh(self._mark_cursor)
        return key

    def clear(self, columns: bool = False) -> Any:
        self._marked = None
        return super().clear(columns)

    def action_scroll_home(self) -> None:
        """Home: the first row (a list of rows scrolls no further left)."""
        if self.cursor_type == "row":
            self.action_scroll_top()
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """End: the last row."""
        if self.cursor_type == "row":
            self.action_scroll_bottom()
        else:
            super().action_scroll_end()

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        self._mark_cursor()

    # these run before the widget's own handlers set ``has_focus``: they say it instead
    def on_focus(self) -> None:
        self._mark_cursor(focused=True)

    def on_blur(self) -> None:
        self._mark_cursor(focused=False)

    def _mark_cursor(self, focused: bool | None = None) -> None:
        if not self.row_count or not self.is_mounted:
            return
        if self._marked is not None and self._marked in self.rows:
            self.update_cell(self._marked, MARK_COLUMN, Text(" "))
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        self._marked = key
        if key.value is not None and key in self.rows:
            shown = (self.has_focus if focused is None else focused) or self.mark_unfocused
            mark = Text(MARKER if shown else " ", style="bold")
            self.update_cell(key, MARK_COLUMN, mark)

"""RecordTable: a DataTable of records, one row per uid, cells shown literally, the
selected row marked with "▶" as well as the cursor colour (so it shows without colour);
Home and End go to the first and the last row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from pulsetui.tui.widgets.literal import cell

MARKER = "▶"


class RecordTable(DataTable[Any]):
    """Rows keyed by ``"kind:uid"``; Enter posts :class:`RecordTable.Opened`."""

    class Opened(Message):
        def __init__(self, table: RecordTable, kind: str, uid: str) -> None:
            super().__init__()
            self.table = table
            self.kind = kind
            self.uid = uid

    def __init__(self, columns: Sequence[str], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._columns = list(columns)
        self._widths: list[int | None] = [None] * len(self._columns)
        self._marked: str | None = None
        self._rows: list[tuple[str, str, Sequence[Any]]] = []
        self._filling = False

    def on_mount(self) -> None:
        self.add_column(" ", key="_mark", width=1)
        for name, width in zip(self._columns, self._widths, strict=True):
            self.add_column(name, key=name, width=width)

    def set_widths(self, widths: Sequence[int | None]) -> None:
        """Fixed column widths (None = fit the content), so nothing runs off screen."""
        if list(widths) == self._widths:
            return
        self._widths = list(widths)
        if not self.columns:
            return
        for name, width in zip(self._columns, self._widths, strict=True):
            column = self.columns.get(ColumnKey(name))
            if column is None:
                continue
            column.auto_width = width is None
            if width is not None:
                column.width = width
        if self.row_count:
            self.fill(self._rows, keep_cursor=True)

    def fill(
        self, rows: Iterable[tuple[str, str, Sequence[Any]]], keep_cursor: bool = False
    ) -> None:
        """Replace the rows: (kind, uid, cells); cells are shown literally."""
        rows = list(rows)
        self._rows = rows
        previous = self.selected() if keep_cursor else None
        row_before = self.cursor_row
        self._filling = True  # mark the cursor row once at the end, not at every row
        try:
            self.clear()
            self._marked = None
            seen: set[str] = set()
            for kind, uid, cells in rows:
                values = [v if isinstance(v, Text) else cell(v) for v in cells]
                key = f"{kind}:{uid}"
                while key in seen:  # the same record may be listed under two headings
                    key += "#"
                seen.add(key)
                self.add_row(Text(" "), *values, key=key)
            restored = previous is not None and self.select_uid(*previous)
            if keep_cursor and self.row_count and not restored:
                self.move_cursor(row=min(row_before, self.row_count - 1))
        finally:
            self._filling = False
        self._mark_cursor()

    def filled_rows(self) -> list[tuple[str, str, Sequence[Any]]]:
        """The rows last given to :meth:`fill`."""
        return self._rows

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

    def on_focus(self) -> None:
        self._mark_cursor()

    def on_blur(self) -> None:
        self._mark_cursor()

    def _mark_cursor(self) -> None:
        if self._filling or not self.row_count or not self.is_mounted:
            return
        if self._marked is not None and self._marked in self.rows:
            self.update_cell(self._marked, "_mark", Text(" "))
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        self._marked = key
        if key is not None:
            self.update_cell(key, "_mark", Text(MARKER if self.has_focus else " ", style="bold"))

    def selected(self) -> tuple[str, str] | None:
        """(kind, uid) of the row under the cursor."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        if not key:
            return None
        kind, _, uid = key.partition(":")
        return kind, uid.rstrip("#")

    def select_uid(self, kind: str, uid: str) -> bool:
        try:
            index = self.get_row_index(f"{kind}:{uid}")
        except Exception:
            return False
        self.move_cursor(row=index)
        return True

    def action_select_cursor(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.post_message(self.Opened(self, *chosen))

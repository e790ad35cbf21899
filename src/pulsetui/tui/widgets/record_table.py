"""RecordTable: a DataTable of records, one row per uid, cells shown literally, the
selected row marked with "▶" as well as the cursor colour (so it shows without colour)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

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
        self._marked: str | None = None

    def on_mount(self) -> None:
        self.add_column(" ", key="_mark", width=1)
        for name in self._columns:
            self.add_column(name, key=name)

    def fill(self, rows: Iterable[tuple[str, str, Sequence[Any]]]) -> None:
        """Replace the rows: (kind, uid, cells); cells are shown literally."""
        self.clear()
        self._marked = None
        for kind, uid, cells in rows:
            values = [v if isinstance(v, Text) else cell(v) for v in cells]
            self.add_row(Text(" "), *values, key=f"{kind}:{uid}")
        self._mark_cursor()

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        self._mark_cursor()

    def on_focus(self) -> None:
        self._mark_cursor()

    def on_blur(self) -> None:
        self._mark_cursor()

    def _mark_cursor(self) -> None:
        if not self.row_count or not self.is_mounted:
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
        return kind, uid

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

"""What a kept list was read for, so a screen reads again only when that changed.

A section screen keeps its rows while the user visits other sections; coming back it
compares :func:`data_state` (the store's version, the day and the audience) with the
state its rows were read for and the state a running read is for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable, Static

from pulsetui.tui.lifecycle import Readiness

if TYPE_CHECKING:
    from pulsetui.tui.app import PulseApp


def data_state(app: PulseApp, *extra: Any) -> tuple[Any, ...]:
    """The store's version, the day, the audience (the manager, or a call with its
    client in view), then ``extra``."""
    return (app.data_version, app.workspace.today(), app.audience, *extra)


class KeptState:
    """The state a screen's rows were read for and the state its running read is for."""

    def __init__(self) -> None:
        self.shown: tuple[Any, ...] | None = None
        self.asked: tuple[Any, ...] | None = None
        self.serial = 0  # reads started; an older read's result is dropped

    def stale(self, state: tuple[Any, ...]) -> bool:
        """Whether rows for ``state`` are neither shown nor on their way."""
        return state not in (self.shown, self.asked)

    def start(self, state: tuple[Any, ...]) -> int:
        self.serial += 1
        self.asked = state
        return self.serial

    def arrived(self, state: tuple[Any, ...], serial: int) -> bool:
        """Whether a read's result is the latest one started (then it is shown)."""
        if serial != self.serial:
            return False
        self.asked = None
        self.shown = state
        return True


class KeptRows(Readiness):
    """For a list screen that keeps its rows: fill them from a finished read (keeping the
    cursor on the same record), and run keys pressed before the first rows arrived.

    The screen sets ``self._kept = KeptState()`` and ``self._waiting = []``."""

    _kept: KeptState
    _waiting: list[str]

    def fill_rows(
        self: Any, rows: list[tuple[str, Any]], summary_id: str, summary: str, height: int = 1
    ) -> None:
        table = self.query_one(DataTable)
        keep = self._selected()
        row = table.cursor_row
        table.clear()
        for uid, cells in rows:
            table.add_row(*cells, key=uid, height=height)
        self.query_one(summary_id, Static).update(Text(summary))
        if rows:
            uids = [uid for uid, _cells in rows]
            table.move_cursor(row=uids.index(keep) if keep in uids else min(row, len(uids) - 1))
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            getattr(self, f"action_{action}")()
        self.rows_shown()

    def _before_rows(self, action: str) -> bool:
        """Whether the rows are still on their way (first visit): the action then runs
        as soon as they arrive, so a key pressed right after opening the list counts."""
        if self._kept.shown is not None:
            return False
        if action not in self._waiting:
            self._waiting.append(action)
        return True

    def _selected(self: Any) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

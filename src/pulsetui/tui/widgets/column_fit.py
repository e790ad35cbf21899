"""Columns that fit the screen: a list whose widest layout would run off the side takes
a narrower one, with two lines a row (a second value dim under the first), rather than
cutting the columns at its right edge."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def below(first: Text, second: str) -> Text:
    """``first`` with ``second`` on a dim line under it."""
    return Text.assemble(first, "\n", (second, "dim"))


def widest_line(value: str) -> int:
    return max(cell_len(part) for part in value.split("\n"))


def columns_width(labels: Sequence[str], rows: Iterable[Sequence[Text]], padding: int = 1) -> int:
    """Cells the columns named by ``labels`` take with ``rows`` in them (each as wide as
    its widest line, header included), with their padding."""
    widths = [widest_line(label) for label in labels]
    for cells in rows:
        for index, value in enumerate(cells[: len(labels)]):
            widths[index] = max(widths[index], widest_line(value.plain))
    return sum(widths) + 2 * padding * len(widths)


def table_room(table: DataTable[object], width: int, lines: int | None = None) -> int:
    """Cells a row of ``table``'s columns may take on a screen ``width`` wide: less the
    cursor marker column with its padding, and the vertical scrollbar's room (with
    ``lines``, the lines its rows take, only when they overflow the table)."""
    room = width - (1 + 2 * table.cell_padding)
    if lines is None or lines > table.scrollable_content_region.height:
        room -= table.styles.scrollbar_size_vertical
    return room

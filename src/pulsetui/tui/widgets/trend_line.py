"""TrendLine: a figure over time as a picture and in numbers on one line — a label,
Textual's :class:`~textual.widgets.Sparkline` (two cells a point) and the numbers in
text after it, so a screen reader, ``NO_COLOR`` and a copy-paste all get the values.

    yield TrendLine("NPS by quarter", id="nps-trend")
    ...
    self.query_one("#nps-trend", TrendLine).show([0, -50, 33], "Q2 0 (n=2) → …")

With no values it hides itself (no empty picture takes a line)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Sparkline

from pulsetui.tui.widgets.literal import LiteralStatic

CELLS_PER_POINT = 2
MAX_CELLS = 24  # a long series is drawn in buckets of this many cells (fewer when narrow)


class TrendLine(Horizontal):
    """A label, a sparkline of the values and the values in words."""

    DEFAULT_CSS = """
    TrendLine { height: auto; width: 1fr; }
    TrendLine > Label { width: 18; text-style: bold; }
    TrendLine > Sparkline { width: 8; max-width: 30%; margin-right: 1; }
    TrendLine > LiteralStatic { width: 1fr; height: auto; }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield Sparkline([])
        yield LiteralStatic("")

    def show(self, values: Sequence[float], text: str) -> None:
        """Draw ``values`` (oldest first) and write ``text`` beside them."""
        self.display = bool(values)
        spark = self.query_one(Sparkline)
        spark.styles.width = min(max(len(values), 1) * CELLS_PER_POINT, MAX_CELLS)
        spark.data = list(values)
        self.query_one(LiteralStatic).set_text(text)

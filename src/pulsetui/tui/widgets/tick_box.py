"""A yes/no box that shows its state by a mark, not only by colour: ``✓`` when ticked,
blank when not, so it reads the same in every theme and with ``NO_COLOR``."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A Checkbox drawn as ``▐✓▌`` (ticked) or ``▐ ▌``; space ticks and unticks. The box
    is shaded from the theme's foreground, so it shows on light and dark themes alike."""

    DEFAULT_CSS = """
    TickBox > .toggle--button, TickBox.-on > .toggle--button {
        background: $foreground 15%;
    }
    """

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "✓" if self.value else " "

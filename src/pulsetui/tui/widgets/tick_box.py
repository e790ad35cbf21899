"""A yes/no box that shows its state by a mark, not only by colour: ``✓`` when ticked,
blank when not, so it reads the same in every theme and with ``NO_COLOR``. A character
other than space typed on it (and a space typed behind it) is handed to its screen's
``carry_typing(box, char)``: a form types it into its next text field, in the order
typed, so it is never lost."""

from __future__ import annotations

from textual import events
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

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if not event.is_printable or not char:
            return
        if char == " " and self.screen.focused is self:
            return  # ticks; once typing went on elsewhere, a space is text there too
        carry = getattr(self.screen, "carry_typing", None)
        if callable(carry):
            event.stop()
            event.prevent_default()
            carry(self, char)

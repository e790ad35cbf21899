"""KeyHints: the footer of every screen — the keys of the screen in view, the most
important first (how to save or end, then help, then back), whole hints only; on a
writing screen, where a key that types a character is text, each action by its other key.

Textual's footer lays the hints out in the order the bindings are found and lets them
run off the right edge, where the command-palette key, docked at the right, is drawn
over them ("^f End meet▏^p palette"). Here the palette key keeps its room at the right
and a hint is shown only when all of it fits beside the ones before it; the rest are in
the help (F1).

The line is one widget drawn as text, looking as Textual's footer keys do (the same
theme variables and component classes): Textual's footer mounts and styles a widget
per hint on every screen, and again whenever its bindings change, which was a third of
what the app's start spent beyond a bare Textual app's. A click on a hint presses its
key, as there.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from pulsetui.service.keymap import is_text_key

# actions by how much a user needs to see them: saving or ending what is in view, help,
# going back; every other action keeps its place after these
_FIRST = ("save", "end_meeting", "quit")
_THEN = ("help",)
_AFTER = ("back",)
SEPARATOR = "▏"  # before the palette key, as Textual's footer draws its left border


def rank(binding: Binding) -> int:
    """Where a binding's hint goes: 0 save or end, 1 help, 2 back, 3 the rest."""
    action = binding.action.removeprefix("app.").split("(")[0]
    for place, actions in enumerate((_FIRST, _THEN, _AFTER)):
        if action in actions:
            return place
    return 3


class Hint(NamedTuple):
    """One hint as the footer shows it."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool  # the command-palette key, kept at the right

    @property
    def text(self) -> str:
        """The hint as a user reads it: "^p palette", "esc Back"."""
        return f"{self.key_display} {self.description}".strip()


class KeyHints(Widget, can_focus=False):
    """The footer: hints in order of importance, each whole or not at all, never drawn
    over the command-palette key. The hints are found again when the screen's bindings
    may have changed (each focus change), and the line is drawn again only when they
    differ from those shown."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--key",
        "footer-key--description",
        "key-hints--separator",
        "key-hints--hover",
    }
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-hints--separator {
            color: $foreground 20%;
        }
        .key-hints--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._hints: tuple[Hint, ...] = ()
        self._spans: list[tuple[int, int, Hint]] = []  # where each shown hint is drawn
        self._hover: Hint | None = None
        self._finding = False  # hints to be found after the next refresh

    # ---- which hints ----------------------------------------------------------------

    def hints(self) -> tuple[Hint, ...]:
        """The hints the screen in view calls for, in the order they are shown."""
        from pulsetui.tui.screens.base import is_writing  # the screens import this module

        screen = self.screen
        writing = is_writing(screen)
        active = screen.active_bindings
        shown: dict[str, tuple[Binding, bool, str]] = {}
        for node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in shown:
                continue
            if writing and is_text_key(binding.key) and isinstance(node, Screen | App):
                continue  # typed as text there: the action's other key is named ("f1 Help")
            shown[binding.action] = (binding, enabled, tooltip)
        app = self.app
        hints = [
            Hint(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                False,
            )
            for binding, enabled, tooltip in sorted(shown.values(), key=lambda s: rank(s[0]))
        ]
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if app.ENABLE_COMMAND_PALETTE and palette is not None:
            binding = palette.binding
            hints.append(
                Hint(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    palette.enabled,
                    binding.tooltip or binding.description,
                    True,
                )
            )
        return tuple(hints)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # found once after a burst of changes (a screen opening makes several)
        if self._finding or not (screen.app.app_focus and self.is_attached):
            return
        if screen is self.screen:
            self._finding = True
            self.call_after_refresh(self._find_hints)

    def _find_hints(self) -> None:
        self._finding = False
        if not self.is_attached:
            return
        hints = self.hints()
        if hints != self._hints:
            self._hints = hints
            self.refresh()

    @property
    def shown(self) -> list[Hint]:
        """The hints on the line as last drawn, the palette key last."""
        return [hint for _start, _end, hint in self._spans]

    # ---- drawing --------------------------------------------------------------------

    def _hint_text(self, hint: Hint) -> Text:
        """A hint as Textual's footer key draws it: " esc Back " (the palette key
        compact: "^p palette"), dimmed when its action is off."""
        key = self.get_component_rich_style("footer-key--key")
        description = self.get_component_rich_style("footer-key--description")
        if hint.palette:
            parts = [(hint.key_display, key), (f" {hint.description}", description)]
        else:
            parts = [(f" {hint.key_display} ", key), (f"{hint.description} ", description)]
        text = Text.assemble(*parts)
        under = self.rich_style
        if hint is self._hover:
            under += self.get_component_rich_style("key-hints--hover")
        text.stylize_before(under + Style(dim=True) if not hint.enabled else under)
        return text

    def render_line(self, y: int) -> Strip:
        """The hints that fit whole, left to right, and the palette key at the right
        edge after a thin rule; the room between is the footer's background."""
        width = self.size.width
        blank = Style(bgcolor=self.rich_style.bgcolor)
        if y != 0 or width <= 0:
            return Strip.blank(width, blank)
        self._spans = []
        palette = next((hint for hint in self._hints if hint.palette), None)
        right = Text()
        if palette is not None:
            right.append(SEPARATOR, self.get_component_rich_style("key-hints--separator"))
            right.append_text(self._hint_text(palette))
            right.append(" ", blank)
        room = width - right.cell_len
        line = Text(no_wrap=True, overflow="crop", end="")
        for hint in self._hints:
            if hint.palette:
                continue
            text = self._hint_text(hint)
            if text.cell_len > room:
                break  # this one and every one after it are in the help
            self._spans.append((line.cell_len, line.cell_len + text.cell_len, hint))
            line.append_text(text)
            room -= text.cell_len
        if palette is not None and room >= 0:
            line.append(" " * room, blank)
            start = line.cell_len + cell_len(SEPARATOR)
            self._spans.append((start, start + right.cell_len - 2, palette))
            line.append_text(right)
        segments = [  # every segment styled: a filter (NO_COLOR's monochrome) reads each
            Segment(text, style or blank)
            for text, style, _control in line.render(self.app.console)
            if text
        ]
        return Strip(segments).adjust_cell_length(width, blank)

    # ---- the mouse ------------------------------------------------------------------

    def _hint_at(self, x: int) -> Hint | None:
        return next((hint for start, end, hint in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hint = self._hint_at(event.x)
        if hint is not self._hover:
            self._hover = hint
            self.tooltip = hint.tooltip or None if hint is not None else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        hint = self._hint_at(event.x)
        if hint is None:
            return
        if hint.enabled:
            self.app.simulate_key(hint.key)
        else:
            self.app.bell()

"""KeyHints: the footer of every screen — the keys of the screen in view, the most
important first (how to save or end, then help, then back), whole hints only; on a
writing screen, where a key that types a character is text, each action by its other key.

Textual's footer lays the hints out in the order the bindings are found and lets them
run off the right edge, where the command-palette key, docked at the right, is drawn
over them ("^f End meet▏^p palette"). Here the palette key keeps its room at the right
and a hint is shown only when all of it fits beside the ones before it; the rest are in
the help (F1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not re-exported by textual.widgets (8.2)

from pulsetui.service.keymap import is_text_key

if TYPE_CHECKING:
    from textual.app import ComposeResult

# actions by how much a user needs to see them: saving or ending what is in view, help,
# going back; every other action keeps its place after these
_FIRST = ("save", "end_meeting", "quit")
_THEN = ("help",)
_AFTER = ("back",)


def rank(binding: Binding) -> int:
    """Where a binding's hint goes: 0 save or end, 1 help, 2 back, 3 the rest."""
    action = binding.action.removeprefix("app.").split("(")[0]
    for place, actions in enumerate((_FIRST, _THEN, _AFTER)):
        if action in actions:
            return place
    return 3


def hint_width(key: FooterKey) -> int:
    """The cells a hint takes on the line, its margin included."""
    styles = key.styles
    content = key.get_content_width(Size(0, 0), Size(0, 0))
    return content + styles.gutter.width + styles.margin.width


class HintKey(FooterKey):
    """One hint; when its width changes (its style arrives after it is mounted: the
    palette key's padding, the compact footer's), the footer fits its hints again."""

    def on_resize(self) -> None:
        footer = self.parent
        if isinstance(footer, KeyHints):
            footer.fit()


# one hint as the footer shows it: key, key display, description, action, enabled,
# tooltip, whether it is the command-palette key
Hint = tuple[str, str, str, str, bool, str, bool]


class KeyHints(Footer):
    """The footer: hints in order of importance, each whole or not at all, never drawn
    over the command-palette key.

    Textual's footer builds its hints again every time the screen's bindings may have
    changed (each focus change: several times while a screen opens), and every build
    mounts a widget per hint and styles it. Here it is built again only when the hints
    it would show differ from those shown."""

    _shown: tuple[Hint, ...] | None = None

    def hints(self) -> tuple[Hint, ...]:
        """The hints the screen in view calls for, in the order they are shown."""
        from pulsetui.tui.screens.base import is_writing  # the screens import this module

        writing = is_writing(self.screen)
        shown: dict[str, tuple[Binding, bool, str]] = {}
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in shown:
                continue
            if writing and is_text_key(binding.key) and isinstance(node, Screen | App):
                continue  # typed as text there: the action's other key is named ("f1 Help")
            shown[binding.action] = (binding, enabled, tooltip)
        hints: list[Hint] = [
            (
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                False,
            )
            for binding, enabled, tooltip in sorted(shown.values(), key=lambda s: rank(s[0]))
        ]
        palette = self.app.COMMAND_PALETTE_BINDING
        active = self.screen.active_bindings.get(palette)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and active:
            binding = active.binding
            hints.append(
                (
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    active.enabled,
                    binding.tooltip or binding.description,
                    True,
                )
            )
        return tuple(hints)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            self._shown = None
            return
        self._shown = self.hints()
        for key, display, description, action, enabled, tooltip, palette in self._shown:
            hint = HintKey(
                key,
                display,
                description,
                action,
                disabled=not enabled,
                tooltip=tooltip,
                classes="-command-palette" if palette else "",
            )
            yield hint if palette else hint.data_bind(compact=Footer.compact)

    async def recompose(self) -> None:
        if (
            self._bindings_ready
            and self._shown is not None
            and self.is_attached
            and self.hints() == self._shown
        ):
            # the same hints are on the line; the room for them may have changed
            self.call_after_refresh(self.fit)
            return
        await super().recompose()
        self.fit()
        # the hints just mounted take their style (the compact footer's padding) with the
        # next refresh: measured before it, a hint that fits could be hidden or one that
        # does not shown, depending on when the refresh came — so measure them again then
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the hints, in order, while each fits whole in the room the palette key
        leaves; hide the rest."""
        hints = list(self.query_children(FooterKey))
        room = self.scrollable_content_region.width
        room -= sum(hint_width(key) for key in hints if key.has_class("-command-palette"))
        fits = True
        for key in hints:
            if key.has_class("-command-palette"):
                continue
            width = hint_width(key)
            fits = fits and width <= room
            key.display = fits
            room -= width if fits else 0

"""The help screen (? / F1): what the current screen is for and every key it answers,
read from the live bindings so the list is never out of date."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from pulsetui.tui.screens.base import BaseModal


def key_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, description) for each action bound on ``screen`` and the app, deduplicated."""
    seen: dict[tuple[str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.system:
            continue
        name = screen.app.get_key_display(binding)
        ident = (binding.action, binding.description)
        seen.setdefault(ident, [])
        if name not in seen[ident]:
            seen[ident].append(name)
        del key
    return [(", ".join(names), description) for (_, description), names in seen.items()]


class HelpScreen(BaseModal):
    """Help for one screen: its HELP text and its keys."""

    HELP = "This help. Esc, ? or F1 closes it."
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 96; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseModal.BINDINGS,
        ("question_mark,f1", "back", "Close"),
    ]

    def __init__(self, title: str, text: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.help_title = title
        self.help_text = text
        self.rows = rows

    def compose(self) -> ComposeResult:
        width = max((len(keys_text) for keys_text, _ in self.rows), default=0)
        listing = Text()
        for keys_text, description in self.rows:
            listing.append(f"{keys_text:<{width}}", style="bold")
            listing.append(f"  {description}\n")
        with VerticalScroll() as scroll:
            scroll.border_title = f"Help: {self.help_title}"
            yield Static(Text(self.help_text or "No help for this screen."), id="help-text")
            yield Static(Text("\nKeys", style="bold"))
            yield Static(listing, id="help-keys")

"""The help screen (? / F1): what the current screen is for and every key it answers,
read from the live bindings so the list is never out of date — this screen's keys first,
then the keys that work everywhere, then those of the focused list or field.

Modal forms (where ? is typed into a field and the app's help key is off) take
:class:`ModalHelp` for F1."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from pulsetui.tui.screens.base import BaseModal, scroll_line

GROUPS = ("This screen", "Everywhere", "In the focused list or field")

KEYBOARD_MODEL = """\
On lists, letters are commands (t c l g switch section, q quits). On a screen made for
typing — meeting mode, the pulse form, every form — letters are always text: commands
there are chords (ctrl+…), function keys, Esc, Enter and Tab. F1 helps everywhere,
F2 turns call mode on (and, pressed twice, off), ctrl+q quits from anywhere after
saving what is typed. Esc on any form keeps what you typed as a draft; the form opened
again brings it back and says so, and F8 clears it. More in docs/keyboard.md."""


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, description) for each action bound on ``screen``, the app and the focused
    widget, deduplicated and grouped; a row with empty keys is a group heading."""
    grouped: dict[str, dict[tuple[str, str], list[str]]] = {group: {} for group in GROUPS}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.system:
            continue
        node = active.node
        if isinstance(node, Screen):
            group = GROUPS[0]
        elif isinstance(node, App):
            group = GROUPS[1]
        else:
            group = GROUPS[2]
        name = screen.app.get_key_display(binding)
        names = grouped[group].setdefault((binding.action, binding.description), [])
        if name not in names:
            names.append(name)
    rows: list[tuple[str, str]] = []
    for group in GROUPS:
        if grouped[group]:
            rows.append(("", group))
            rows.extend(
                (", ".join(names), description)
                for (_, description), names in grouped[group].items()
            )
    return rows


def reflow(text: str) -> str:
    """Help text with the line breaks inside its sentences joined, so it wraps to any
    width. Blank lines, a line that starts a new sentence after a finished one and list
    items ("- ", "• ") stay on their own lines."""
    paragraphs: list[str] = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            new_sentence = (
                bool(lines) and lines[-1].endswith((".", "!", "?")) and line[:1].isupper()
            )
            if lines and not new_sentence and not line.startswith(("- ", "• ")):
                lines[-1] += " " + line
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


class HelpScreen(BaseModal):
    """Help for one screen: its HELP text and its keys."""

    WRITING = False  # read, not written: j/k scroll

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
        Binding("j", "scroll('down')", "Scroll down", show=False),
        Binding("k", "scroll('up')", "Scroll up", show=False),
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
            if not keys_text:
                listing.append(f"\n{description}\n", style="bold underline")
                continue
            listing.append(f"{keys_text:<{width}}", style="bold")
            listing.append(f"  {description}\n")
        with VerticalScroll(id="help-scroll") as scroll:
            scroll.border_title = f"Help: {self.help_title}"
            scroll.border_subtitle = "Esc closes · j/k scroll"
            body = reflow(self.help_text) if self.help_text else "No help for this screen."
            yield Static(Text(body), id="help-text")
            yield Static(Text("\nThe keyboard", style="bold"))
            yield Static(Text(reflow(KEYBOARD_MODEL)), id="help-keyboard")
            yield Static(Text("\nKeys", style="bold"))
            yield Static(listing, id="help-keys")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.query_one("#help-scroll").focus()

    def action_scroll(self, direction: str) -> None:
        scroll_line(self.query_one("#help-scroll", VerticalScroll), down=direction == "down")


class ModalHelp:
    """F1 in a modal form shows its help (the app's help key is off over modals, and
    ``?`` is a character to type there)."""

    HELP_BINDING: ClassVar[Binding] = Binding("f1", "help", "Help")
    HELP_TITLE: ClassVar[str] = ""

    def action_help(self) -> None:
        screen: Any = self
        title = self.HELP_TITLE or type(self).__name__.removesuffix("Modal")
        screen.app.push_screen(HelpScreen(title, getattr(self, "HELP", ""), key_rows(screen)))

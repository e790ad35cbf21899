"""The app's choice field (:class:`Choice`): a Select that opens only on Enter or an
arrow key, drawn as one widget until it is first opened.

Textual's Select also opens on space, and its open list then jumps to the option
matching letters typed: a sentence typed into a form whose focus was on a choice (a Tab
too many, talking while typing) opened it at the first space and chose whatever the
next words matched at the next Enter. On the writing screens a key that types a
character is text, never a command; a choice has no text, so such a key leaves it as it
is. Every screen builds its choices with :class:`Choice` (a test walks ``src`` for a
bare ``Select(``); queries, ``Select.Changed`` and ``Select.NULL`` keep working, as a
Choice is a Select.

A Select is six widgets: the closed field (a row of three Statics: the value and two
arrows) and the hidden list that drops down. A Choice draws its closed field as one
widget and builds the list the first time it opens, so a form or a filter bar with
three choices is built, styled and laid out with fifteen widgets fewer (about 12 ms
each at firm scale, as measured by ``bench/tui_bench.py``)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widgets import Select
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay


class ChoiceCurrent(SelectCurrent):
    """The closed field: the chosen label (or the prompt, dimmed) and an arrow, drawn
    as one line; a long label ends in "…"."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice-current--dim"}
    DEFAULT_CSS = """
    ChoiceCurrent > .choice-current--dim {
        color: $foreground 50%;
    }
    """

    @property
    def is_container(self) -> bool:
        return False

    @property
    def is_scrollable(self) -> bool:
        return False

    def compose(self) -> ComposeResult:
        return iter(())

    def update(self, label: RenderableType | NoSelection) -> None:
        self.label = label
        self.has_value = label is not Select.NULL
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        dim = self.get_component_rich_style("choice-current--dim")
        label = self.label
        if isinstance(label, NoSelection):
            shown = Text(self.placeholder, style=dim)
        elif isinstance(label, Text):
            shown = label.copy()
        else:
            shown = Text(str(label))
        shown.no_wrap = True
        shown.overflow = "ellipsis"
        expanded = self.parent is not None and self.parent.has_class("-expanded")
        line = Table.grid(expand=True)
        line.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        line.add_column(width=2, no_wrap=True)
        line.add_row(shown, Text(" ▲" if expanded else " ▼", style=dim))
        return line


class Choice(Select[Any], inherit_bindings=False):
    """A Select opened with Enter, ↓ or ↑ (not with space)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,down,up", "open_list", "Show menu", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield ChoiceCurrent(self.prompt)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """A key that types a character is taken here and changes nothing, so it never
        reaches a command of the screen behind: in the agreements' filter bar a
        sentence typed with the focus on a choice opened a new NPS answer at its
        first "n" (a list's letters are its commands)."""
        return character is not None and character.isprintable()

    def _overlay(self) -> SelectOverlay | None:
        """The drop-down list, once built."""
        try:
            return self.query_one(SelectOverlay)
        except NoMatches:
            return None

    async def _build_overlay(self) -> SelectOverlay:
        overlay = self._overlay()
        if overlay is None:
            overlay = SelectOverlay(type_to_search=self._type_to_search)
            overlay.compact = self.compact
            await self.mount(overlay)
            super()._setup_options_renderables()
        return overlay

    def _setup_options_renderables(self) -> None:
        if self._overlay() is not None:
            super()._setup_options_renderables()

    def _watch_value(self, value: Any) -> None:
        # Select's, with the list left alone until it is built
        self._value = value
        try:
            current = self.query_one(SelectCurrent)
        except NoMatches:
            return
        if value == self.NULL:
            current.update(self.NULL)
        else:
            for index, (prompt, option) in enumerate(self._options):
                if option == value:
                    overlay = self._overlay()
                    if overlay is not None:
                        overlay.highlighted = index
                    current.update(prompt)
                    break
        self.post_message(self.Changed(self, value))

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        current = self.query(ChoiceCurrent)
        if current:
            current.first().refresh()

    def _watch_prompt(self, prompt: str) -> None:
        if not self.is_mounted:
            return
        current = self.query_one(SelectCurrent)
        current.placeholder = prompt
        if self._allow_blank and self.value == self.NULL:
            current.update(self.NULL)
        overlay = self._overlay()
        if self._allow_blank and overlay is not None:
            overlay.replace_option_prompt_at_index(0, Text(prompt, style="dim"))

    async def action_open_list(self) -> None:
        """Select's ``show_overlay``, with the list built first."""
        await self._build_overlay()
        self.action_show_overlay()

    @on(SelectCurrent.Toggle)
    async def _toggle_built(self, event: SelectCurrent.Toggle) -> None:
        """A click on the closed field: the list is built before it opens."""
        event.stop()
        event.prevent_default()
        if not self.expanded:
            await self._build_overlay()
        self.expanded = not self.expanded

"""ScreenHeader: the top line of every screen — the icon that opens the command palette,
and the screen's title with the manager signed in — drawn as one widget.

It looks as Textual's Header does (icon at the left, title centred between the icon's
8 cells and the clock's 10, the manager's name dimmed), but Textual's is four widgets
(the header, its icon, its title and the space of its clock), which every screen built,
styled and laid out as it opened: about a quarter of what opening an empty screen
costs. This one is one widget drawing one line, redrawn when a title changes.

The sub-title is a name from the workspace (the manager signed in): it is shown on one
line with any control character visible, as every name is, so an escape sequence in it
never reaches the terminal."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.widget import Widget

from pulsetui.tui.widgets.literal import one_line

ICON = "⭘"
ICON_WIDTH = 8  # Textual's header icon: 8 cells, the icon after one of padding
CLOCK_WIDTH = 10  # the space Textual's header keeps for its clock, on the right


class ScreenHeader(Widget):
    """The header of every pulsetui screen (icon, title, sub-title)."""

    DEFAULT_CSS: ClassVar[str] = """
    ScreenHeader {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for obj, name in (
            (self.app, "title"),
            (self.app, "sub_title"),
            (self.screen, "title"),
            (self.screen, "sub_title"),
        ):
            self.watch(obj, name, self._title_changed, init=False)

    def _title_changed(self) -> None:
        if self.is_attached:  # not removed, the app not exiting
            self.refresh()

    @property
    def screen_title(self) -> str:
        title = self.screen.title
        return title if title is not None else self.app.title

    @property
    def screen_sub_title(self) -> str:
        sub_title = self.screen.sub_title
        return sub_title if sub_title is not None else self.app.sub_title

    def title_text(self) -> Text:
        """The title and sub-title (dimmed), each one line of visible text."""
        title = Text(one_line(self.screen_title))
        sub_title = one_line(self.screen_sub_title)
        if sub_title:
            title.append(" — ", "dim")
            title.append(sub_title, "dim")
        return title

    def render(self) -> RenderableType:
        line = Table.grid(expand=True)
        line.add_column(width=ICON_WIDTH, no_wrap=True)
        line.add_column(ratio=1, justify="center", no_wrap=True, overflow="ellipsis")
        line.add_column(width=CLOCK_WIDTH, no_wrap=True)
        line.add_row(Text(f" {ICON}"), self.title_text(), "")
        return line

    async def on_click(self, event: events.Click) -> None:
        """A click on the icon opens the command palette, as on Textual's header."""
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")

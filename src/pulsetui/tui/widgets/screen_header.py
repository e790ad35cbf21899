"""ScreenHeader: Textual's Header, safe on a screen that goes away while it opens.

Textual's Header shows its title from a coroutine it queues on the app and on the screen
when it mounts; the coroutine looks up the header's title widget when it runs, which may
be after the screen was closed and the header's children removed — a key that opens a
page and one that closes it arriving together are enough — and the look-up then fails
with a traceback over the terminal. ScreenHeader watches the same titles and updates the
title at once, when it has one to update.

The sub-title is a name from the workspace (the manager signed in): it is shown on one
line with any control character visible, as every name is, so an escape sequence in it
never reaches the terminal."""

from __future__ import annotations

from textual.content import Content
from textual.events import Mount
from textual.widgets import Header, Static

from pulsetui.tui.widgets.literal import one_line


class ScreenHeader(Header):
    """The header of every pulsetui screen (title, sub-title, icon)."""

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # instead of Header's own title watch
        for obj, name in (
            (self.app, "title"),
            (self.app, "sub_title"),
            (self.screen, "title"),
            (self.screen, "sub_title"),
        ):
            self.watch(obj, name, self._show_title)

    def format_title(self) -> Content:
        """The title and sub-title, each one line of visible text."""
        return self.app.format_title(one_line(self.screen_title), one_line(self.screen_sub_title))

    def _show_title(self) -> None:
        if not self.is_attached:  # removed, or the app is exiting
            return
        for title in self.query("HeaderTitle").results(Static):
            title.update(self.format_title())

"""The status line at the bottom of every screen: the CALL MODE indicator and the
background sync state (last sync, pending, problems, or "sync off")."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from pulsetui.tui.widgets.state_text import StateText, say


class StatusLine(Horizontal):
    """Shows ``app.call_mode`` and ``app.sync_summary``; both are app reactives."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        dock: bottom;
        margin-bottom: 1;  /* sits just above the footer */
        background: $panel;
        color: $foreground;
    }
    StatusLine #call-mode {
        width: auto;
        display: none;
        padding: 0 1;
        background: $warning;
        color: $text;
        text-style: bold reverse;
    }
    StatusLine.-call-mode #call-mode {
        display: block;
    }
    StatusLine #sync-state {
        width: 1fr;
        padding: 0 1;
        content-align: right middle;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        # built showing what it shows (the watchers then change nothing): a line that
        # changes once the screen is laid out lays the whole screen out again
        app = self.app
        self.set_class(bool(getattr(app, "call_mode", False)), "-call-mode", update=False)
        yield Static("CALL MODE", id="call-mode", markup=False)
        yield StateText(str(getattr(app, "sync_summary", "")), id="sync-state")

    def on_mount(self) -> None:
        self.watch(self.app, "call_mode", self._show_call_mode)
        self.watch(self.app, "sync_summary", self._show_sync)

    def _show_call_mode(self, on: bool) -> None:
        self.set_class(on, "-call-mode")

    def _show_sync(self, summary: str) -> None:
        # nothing to update on a screen removed before this line's parts were mounted
        say(self, "#sync-state", summary)

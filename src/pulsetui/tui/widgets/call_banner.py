"""The call-mode banner: one line across the top of every screen, in the warning colour,
while the screen is shared with a client — naming the only client shown and the key
that ends the call. Hidden outside call mode."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from pulsetui.domain.text import safe_line


class CallBanner(Static):
    """Shown while ``app.call_mode`` is on."""

    DEFAULT_CSS = """
    CallBanner {
        width: 100%;
        height: 1;
        display: none;
        background: $warning;
        color: $text;
        text-style: bold reverse;
        content-align: center middle;
    }
    CallBanner.-on { display: block; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "call_mode", self._show)

    def _show(self, on: bool) -> None:
        self.set_class(on, "-on")
        if not on:
            return
        app = self.app
        client = getattr(app, "call_client", None)
        workspace = getattr(app, "workspace", None)
        doc = workspace.doc("client", client) if workspace is not None and client else None
        name = safe_line(doc.get("name", "")) if doc else "no client"
        self.update(Text(f"SCREEN SHARED · CALL MODE · only {name} is shown · F2 ends it"))

"""The call-mode banner: one line across the top of every screen, in the warning colour,
while the screen is shared with a client — naming the only client shown and the key
that ends the call. Hidden outside call mode."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from pulsetui.domain.text import safe_line
from pulsetui.tui.widgets.literal import short_name


class CallBanner(Static):
    """Shown while ``app.call_mode`` is on."""

    _name = ""

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
        self._name = safe_line(doc.get("name", "")) if doc else "no client"
        self._fit()

    def on_resize(self) -> None:
        if self.has_class("-on"):
            self._fit()

    def _fit(self) -> None:
        """The longest wording that fits the line; the key that ends the call always."""
        name = self._name
        width = self.size.width or self.app.size.width
        for text in (
            f"SCREEN SHARED · CALL MODE · only {name} is shown · F2 ends it",
            f"CALL MODE · only {name} · F2 ends it",
        ):
            if cell_len(text) <= width:
                self.update(Text(text))
                return
        tail = " · F2 ends it"
        room = max(width - cell_len("CALL · ") - cell_len(tail), 1)
        self.update(Text(f"CALL · {short_name(name, room)}{tail}"))

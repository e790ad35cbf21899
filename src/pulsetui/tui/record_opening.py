"""Opening one record from anywhere (a Today row, the palette, search): the app
switches to the record's section and lets that screen open it (a client's page, a pulse
conversation); Esc on a section reached that way goes back to where it was opened.

While a record is being opened the section's first read of its rows waits until the
section is in view: a page opened over it at once reads first, and the list reads when
it is back in view (see :meth:`pulsetui.tui.screens.base.BaseScreen.reload_after_frame`)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import App

from pulsetui.tui.keyboard_model import OPEN_RECORD
from pulsetui.tui.screens.base import BaseScreen

# which section shows a record of each kind
KIND_SECTIONS: dict[str, str] = {
    "consultant": "consultants",
    "pulse": "consultants",
    "engagement": "consultants",
    "client": "clients",
    "meeting": "clients",
    "agenda": "clients",
    "nps": "clients",
    "touchpoint": "clients",
    "request": "clients",
    "agreement": "agreements",
}


class RecordOpening(App[Any]):
    """Mixed into the app: ``open_record``, ``show_record`` and ``go_back``."""

    opening_record = False  # a record is being opened (see above)
    _came_from: list[tuple[str, str]]  # (section, section it opened a record in)

    @work(exclusive=True, group=OPEN_RECORD)
    async def show_record(self, kind: str, uid: str) -> None:
        """Open one record from a list, the palette or search, in a worker (switching
        section awaits); a later open replaces one not yet done."""
        await self.open_record(kind, uid)

    async def open_record(self, kind: str, uid: str) -> None:
        """Show one record: switch to its section and let that screen open it."""
        section = KIND_SECTIONS.get(kind)
        if section is None:
            return
        origin = self.current_mode
        self.opening_record = True
        try:
            if origin != section:
                await self.switch_mode(section)
                self._came_from.append((origin, section))
            while len(self.screen_stack) > 1:
                self.pop_screen()
            screen = self.screen
            if isinstance(screen, BaseScreen):
                screen.open_record(kind, uid)
        finally:
            self.opening_record = False
        if isinstance(screen, BaseScreen):
            screen.read_if_in_view()

    def go_back(self) -> bool:
        """Esc on a section reached by opening a record elsewhere (Enter on a Today
        row): back to where it was opened, as it was left (its cursor too)."""
        if not self._came_from or self._came_from[-1][1] != self.current_mode:
            return False
        origin, _section = self._came_from.pop()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode(origin)
        return True

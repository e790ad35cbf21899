"""Saves made beside the app: a command (`pulsetui enps add`, a script) or the eNPS
screen writing to the same workspace while the app is open.

Once a second the app looks whether the workspace changed on disk (two ``stat``
calls, no reading); when it did, a worker takes the new changes in
(``Workspace.take_in_saves_made_elsewhere``) and the screen on top reads its view
again, as it does after a sync pass. Changes a
save of the app itself took in on the way (a save first takes in what others saved)
are shown the same way, at the next look.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

if TYPE_CHECKING:
    from pulsetui.service.workspace import Workspace


LOOK_EVERY_SECONDS = 1.0


class SavesElsewhere(App[None]):
    """Mixed into the app, which sets ``workspace`` and has ``_refresh_screen``."""

    @property
    def workspace(self) -> Workspace:  # the app's open workspace (PulseApp.workspace)
        raise NotImplementedError

    _elsewhere_shown: int = 0

    def _refresh_screen(self) -> None:
        raise NotImplementedError

    def _watch_saves_elsewhere(self) -> None:
        self._elsewhere_shown = self.workspace.saves_made_elsewhere
        self.set_interval(LOOK_EVERY_SECONDS, self._look_elsewhere)

    def _look_elsewhere(self) -> None:
        if self.workspace.saves_made_elsewhere != self._elsewhere_shown:
            self._show_saves_elsewhere()
        elif self.workspace.changed_elsewhere():
            self._take_in_saves_elsewhere()

    @work(thread=True, exclusive=True, group="saves-elsewhere", exit_on_error=False)
    def _take_in_saves_elsewhere(self) -> None:
        if self.workspace.take_in_saves_made_elsewhere():
            with contextlib.suppress(RuntimeError):  # the app is ending
                self.call_from_thread(self._show_saves_elsewhere)

    def _show_saves_elsewhere(self) -> None:
        seen = self.workspace.saves_made_elsewhere
        if seen != self._elsewhere_shown and self.is_running:
            self._elsewhere_shown = seen
            self._refresh_screen()

"""The app's side of starting before the workspace is open (:mod:`pulsetui.tui.opening`):
the workspace as a property that is there once it is open, the opening started after
the first frame, and nothing but quitting acted on until it has ended."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.actions import ActionParseResult
from textual.dom import DOMNode
from textual.message import Message

from pulsetui.tui.lifecycle import ClosingAwareApp
from pulsetui.tui.opening import Opening, WorkspaceNotOpen

if TYPE_CHECKING:
    from pulsetui.service.workspace import Workspace

# what may act while the workspace is still opening
BEFORE_OPEN = {"quit", "quit_anywhere"}


def action_name(action: str | ActionParseResult) -> str:
    """``quit`` of ``app.quit`` or ``quit()``."""
    name = action if isinstance(action, str) else action[1]
    return name.split("(", 1)[0].rsplit(".", 1)[-1]


class OpeningApp(ClosingAwareApp):
    """Mixed into the app first (its ``workspace`` is the one screens reach), which
    implements :meth:`use_workspace` and :meth:`workspace_ready`."""

    _workspace: Workspace | None = None
    opening: Opening | None = None

    class WorkspaceOpened(Message):
        """The opening ended, the workspace open or not (posted from its thread)."""

    @property
    def workspace(self) -> Workspace:
        """The open workspace; :class:`WorkspaceNotOpen` while it is still opening."""
        if self._workspace is None:
            raise WorkspaceNotOpen("the workspace is still being opened")
        return self._workspace

    @property
    def is_open(self) -> bool:
        """Whether the workspace is open (at once when the app was given one)."""
        return self._workspace is not None

    @property
    def me(self) -> str | None:
        """The signed-in manager's uid; before the workspace is open, the one the
        opening expects to sign in."""
        if self._workspace is not None:
            return self._workspace.me
        return self.opening.me if self.opening is not None else None

    def use_workspace(self, workspace: Workspace) -> None:
        """Take ``workspace``, open now (from the start, or once the opening ended)."""
        self._workspace = workspace

    def workspace_ready(self) -> None:
        """The opening ended with the workspace open: go on (called on the UI thread)."""

    def start_opening_after_frame(self) -> None:
        """The first frame, in the configured theme; then the workspace is opened."""
        theme = self.opening.theme if self.opening is not None else None
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        self.call_after_refresh(self._start_opening)

    def _start_opening(self) -> None:
        if self.opening is None or self._exiting_now():
            return

        def opened() -> None:  # in the opening's thread; never waits for the app
            with contextlib.suppress(RuntimeError):  # the app has ended meanwhile
                self.post_message(self.WorkspaceOpened())

        self.opening.start(opened)

    def _exiting_now(self) -> bool:
        return self.exiting or not self.is_running

    def on_opening_app_workspace_opened(self, message: WorkspaceOpened) -> None:
        """Go on with the workspace, or end the app: the command line reports the error
        once the terminal is back."""
        opening = self.opening
        if opening is None or self._workspace is not None or self._exiting_now():
            return
        if opening.workspace is None:
            self.exit(return_code=1)
            return
        self.use_workspace(opening.workspace)
        self.workspace_ready()

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Until the workspace is open only quitting acts: keys typed meanwhile wait for
        it; this stops a click, or keys held longer than that wait allows."""
        if self._workspace is None and action_name(action) not in BEFORE_OPEN:
            return False
        return await super().run_action(action, default_namespace, namespaces)

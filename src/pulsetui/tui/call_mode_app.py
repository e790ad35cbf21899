"""Call mode in the terminal app: turning it on for the client in view (asked for when
no client is), off only deliberately, and the audience every screen reads its data for.
What a call may see is decided by the audience (:mod:`pulsetui.service.views.audience`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.app import App

from pulsetui.service.views.audience import Audience

if TYPE_CHECKING:
    from pulsetui.service.workspace import Workspace
    from pulsetui.tui.app import PulseApp


class CallMode(App[None]):
    """Mixed into the app, which declares the ``call_mode`` reactive and sets the
    attributes below."""

    @property
    def workspace(self) -> Workspace:  # the app's open workspace (PulseApp.workspace)
        raise NotImplementedError

    call_mode: Any
    call_client: str | None

    @property
    def me(self) -> str | None:
        """The signed-in manager's uid."""
        return self.workspace.me

    @property
    def audience(self) -> Audience:
        """Who the screens show data for now: the signed-in manager, or a call with the
        client in view (the one call-mode rule lives in the audience)."""
        me = self.me
        return Audience.call(self.call_client, me) if self.call_mode else Audience.manager(me)

    def action_toggle_call_mode(self) -> None:
        """On: for the client in view, asked for when no client is; off: only when the
        key is pressed a second time in the question (a deliberate act)."""
        from pulsetui.tui.screens.call_mode import CallModeOff, ask_call_client

        if self.call_mode:
            self.push_screen(CallModeOff(), self._call_mode_off)
            return
        app = cast("PulseApp", self)
        client = app._context_client()
        if client is not None:
            self.start_call(client)
        else:
            ask_call_client(app, self.start_call)

    def start_call(self, client: str | None) -> None:
        """Call mode on, with ``client`` in view (None: nothing chosen, stays off)."""
        if client is None or self.call_mode:
            return
        self.call_client = client
        self.call_mode = True

    def _call_mode_off(self, off: Any) -> None:
        if off:
            self.call_mode = False
            self.call_client = None

    def watch_call_mode(self, on: bool) -> None:
        if on:  # a notice from before the call may name another client or a count
            self.clear_notifications()
        self.notify(
            "CALL MODE on: private notes, eNPS and internal flags are hidden."
            if on
            else "Call mode off.",
            timeout=3,
        )

"""The keyboard model where Textual looks keys up (see ``docs/keyboard.md``):

- on a writing screen a key that types a character is never a command, whatever has
  the focus — it goes to the focused widget and no further;
- keys typed behind the key that opens a dialog or a writing screen, while the app
  starts, or behind the key of a section not yet shown wait until it can take them
  (:meth:`~pulsetui.tui.lifecycle.ClosingAwareApp.hold_keys_until_ready`);
- keys typed right behind Enter on a list, a choice or a button wait until the screen
  has acted on what it chose
  (:meth:`~pulsetui.tui.lifecycle.ClosingAwareApp.hold_keys_behind`);
- Esc closing a dialog is acted on as it arrives, so the keys typed behind it go to the
  screen it closes to;
- before quitting, the keys already handed to a text field are typed in.

Textual is pinned (``~=8.2.8``): ``_check_bindings`` is where it matches keys to
bindings, priority ones first."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widget import AwaitMount
from textual.widgets import Button, DataTable, ListView, OptionList
from textual.widgets._select import SelectOverlay

from pulsetui.service.keymap import is_text_key
from pulsetui.tui.lifecycle import ClosingAwareApp, Readiness
from pulsetui.tui.screens.base import is_writing

# Quitting waits for a text field to take the keys already sent to it however long a
# busy machine takes (a burst can take seconds), while the field is still there; this
# is only the limit for a field that never gets to them.
QUIT_WAIT_LIMIT_SECONDS = 30.0
FIELD_CHECK_SECONDS = 0.05  # how often a field being waited for is checked for closing


# widgets whose Enter posts what it chose as a message for the screen to act on
POSTS_ON_ENTER = (DataTable, OptionList, ListView, Button)
OPEN_RECORD = "open-record"  # the workers that open a record chosen in a list
QUIT_ANYWHERE = "quit_anywhere"  # the action of the quit key that works on every screen
# keys acted on as they arrive (Esc closing a dialog, the keys moving between fields)
ACTED_ON_ARRIVAL = frozenset({"escape", "tab", "shift+tab", "enter"})


class KeyboardModelApp(ClosingAwareApp):
    """An app that keeps the keyboard model."""

    _quit_held_at: float | None = None  # the quit key held behind the keys before it

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and not self.exiting:
            self._hold_behind_command(event)
        await super().on_event(event)

    def _hold_behind_command(self, event: events.Key) -> None:
        """Keys typed behind a command key wait until it is acted on (a form it opens
        then has them): on a writing screen the focused text field would otherwise
        type them in before the command, which is acted on once it has gone up to the
        app. The quit key waits itself until the keys typed before it are acted on
        (a form they open is then kept as a draft with its text)."""
        if self._held is not None:
            return
        focused = self.focused or self.screen
        if self._is_quit_key(event.key):
            if event.time != self._quit_held_at:
                self._quit_held_at = event.time
                self.hold_keys_behind(focused, key=event, key_too=True)
            return
        if is_writing(self.screen) and self._is_command(event.key):
            self.hold_keys_behind(focused, key=event)
        elif event.key == "enter" and isinstance(focused, SelectOverlay):
            # an open dropdown takes letters as a search that moves its highlight,
            # as they arrive; Enter chooses once it has gone up to the app
            self.hold_keys_behind(focused, key=event)

    def _is_quit_key(self, key: str) -> bool:
        bindings = self._bindings.key_to_bindings.get(key, ())
        return any(binding.action == QUIT_ANYWHERE for binding in bindings)

    def _is_command(self, key: str) -> bool:
        """Whether ``key`` is a command of the screen or the app, not a key of the focused
        widget (a text field's editing keys) nor one acted on as it arrives."""
        if is_text_key(key) or key in ACTED_ON_ARRIVAL:
            return False
        focused = self.focused
        for node in focused.ancestors_with_self if focused is not None else ():
            if isinstance(node, Screen | App):
                break
            if key in node._bindings.key_to_bindings:
                return False
        return any(
            not binding.priority
            for node in (self.screen, self)
            for binding in node._bindings.key_to_bindings.get(key, ())
        )

    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        # The keyboard model, enforced where Textual looks keys up: on a writing screen
        # a key that types a character is never a command, whatever has the focus (a
        # list, a choice): it goes to the focused widget and no further.
        if is_text_key(key) and is_writing(self.screen):
            # only the focused widget's own keys (space on a tick box): no command
            return not priority and await self._widget_binding(key)
        if priority and key == "escape" and await self._close_dialog():
            return True
        chooser = self.focused if key == "enter" and not priority else None
        acted = await super()._check_bindings(key, priority)
        if acted and isinstance(chooser, POSTS_ON_ENTER) and not self.exiting:
            # what Enter chose is acted on as a message: the keys typed behind wait
            self.hold_keys_behind(chooser, OPEN_RECORD)
        return acted

    async def _widget_binding(self, key: str) -> bool:
        for node, bindings in self.screen._modal_binding_chain:
            if isinstance(node, Screen | App):
                continue
            for binding in bindings.key_to_bindings.get(key, ()):
                if not binding.priority and await self.run_action(binding.action, node):
                    return True
        return False

    async def _close_dialog(self) -> bool:
        """Esc closing a dialog, acted on as it arrives (as a priority key) so the keys
        typed behind it reach the screen it closes to, in order; an open dropdown
        keeps its own Esc."""
        screen = self.screen
        if not isinstance(screen, ModalScreen) or isinstance(self.focused, SelectOverlay):
            return False
        for binding in screen._bindings.key_to_bindings.get("escape", ()):
            if await self.run_action(binding.action, screen):
                return True
        return False

    def hold_keys_until_shown(self, screen: Screen[Any]) -> None:
        """Keys typed from now on wait until ``screen`` shows its first rows (the
        first screen while the app starts, a section on its first visit)."""
        if isinstance(screen, Readiness) and not screen.is_ready and not self.exiting:
            self.hold_keys_until_ready(screen)

    def switch_mode(self, mode: str) -> AwaitMount:
        """Switch section; keys typed behind the key of a section whose rows are not
        on screen yet wait for them (a cursor move or Enter acts on the rows)."""
        mounted = super().switch_mode(mode)
        self.hold_keys_until_shown(self.screen)
        return mounted

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Push ``screen``; keys typed behind the key that opened a dialog or a writing
        screen wait for it to take them (see ``lifecycle.py``)."""
        if isinstance(screen, ModalScreen) or is_writing(screen):
            self.hold_keys_until_ready(screen)
        return super().push_screen(screen, *args, **kwargs)

    async def typed_in(self) -> None:
        """Wait until the keys already handed to the text fields on screen are typed in
        (a quit key right behind typed text is acted on before the field has them), for
        as long as a busy machine takes; a field closed meanwhile is not waited for."""
        loop = asyncio.get_running_loop()
        for field in self.screen.query("Input, TextArea"):
            done = asyncio.Event()
            if not field.call_later(done.set):
                continue  # the field is closing: it takes no more keys
            waiting = asyncio.ensure_future(done.wait())
            limit = loop.time() + QUIT_WAIT_LIMIT_SECONDS
            while not waiting.done():
                if not field.is_attached or loop.time() > limit:  # removed: no more keys
                    break
                await asyncio.wait([waiting], timeout=FIELD_CHECK_SECONDS)
            waiting.cancel()

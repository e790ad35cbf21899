"""Opening and closing screens safely while keys keep arriving.

Keys come in bursts (a fast typist, a paste, an SSH link bunching them), so a key that
opens a screen and one that closes it — or quits — can arrive together, and a screen can
be closed while it is still being mounted. Textual skips mounting widgets into a screen
being removed, and its composite widgets (Select, Header, ...) then fail on mount with a
traceback over the terminal. So here:

- a screen closed before its mount finished is removed once it has finished
  (:func:`remove_once_mounted`; ``BaseScreen.remove`` and ``BaseModal.remove`` use it);
- quitting waits for the screens still being mounted, and once quitting has begun no
  key and no action is acted on (:class:`ClosingAwareApp`, the base of both apps);
- keys typed right behind a key that opens a writing screen (a form, meeting mode)
  wait until that screen has mounted and focused its first field, then go there in
  the order typed (:meth:`ClosingAwareApp.hold_keys_until_ready`): ``eSend the plan``
  in one read leaves "Send the plan" in the agreement's text;
- keys typed while the app starts, or right behind the key of a section not yet
  visited, wait until that screen is ready: mounted, and its rows on screen when they
  are read in a worker (a screen says so with ``is_ready`` / ``until_ready()``, see
  :class:`Readiness`). ``aRoadmap`` typed before Today shows its rows opens the agenda
  item for the client Today selects, with "Roadmap" typed in it;
- keys typed right behind Enter on a list, a choice or a button wait until the screen
  has acted on what Enter chose (:meth:`ClosingAwareApp.hold_keys_behind`): Enter posts
  it as a message, and the keys behind would otherwise be acted on first. ``⏎42`` on
  a Today row whose pulse is due types "42" into the pulse form it opens, and ``⏎4``
  on Clients opens the client's page and then goes to section 4;
- Enter typed while the app starts (it then arrives as a newline, ctrl+j) is Enter;
- pasted text reaches the field in the order pasted, its line breaks as line breaks
  (a terminal pastes them as CR) and other control characters shown as their pictures
  (ESC as ``␛``), never acted on;
- :func:`still_live` tells code that runs after a wait (mount, a worker's result, a
  timer) whether its screen is still there to show anything on.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import math
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.actions import ActionParseResult
from textual.app import App
from textual.await_remove import AwaitRemove
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.worker import Worker, WorkerState

from pulsetui.domain.text import safe_text

# the longest keys wait for a screen that never finishes mounting (a failed mount):
# then they go where focus is, rather than nowhere
HOLD_LIMIT_SECONDS = 30.0
HOLD_CHECK_SECONDS = 0.05  # how often a screen still mounting is checked for closing

# Enter typed while the app is starting reaches it as a newline (ctrl+j): the terminal
# still turns a carriage return into one until the app sets it up. No key of the app is
# ctrl+j (many terminals send it for Enter), so it is Enter everywhere.
NEWLINE = "ctrl+j"

# screens closed before their mount finished, waiting for it to finish to be removed
_closed_while_mounting: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()


class ClosingAwareApp(App[None]):
    """An app that quits only once no screen is half mounted, and acts on no key and
    no action once quitting has begun (keys typed behind the quit key open nothing)."""

    def __init__(self) -> None:
        super().__init__()
        self._exiting = False
        self._held: list[events.Key | events.Paste] | None = None
        # what the held keys wait for: a screen, or the token of a key being acted on
        self._holding_for: object | None = None
        # a key typed at or before this time still goes on (the command key the keys
        # are held behind, on its way up from the focused widget); None: none does
        self._held_after: float | None = None
        self._hold_task: asyncio.Task[None] | None = None
        self._behind_tasks: set[asyncio.Task[None]] = set()

    @property
    def exiting(self) -> bool:
        """Whether quitting has begun."""
        return self._exiting

    def exit(
        self, result: None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        self._exiting = True
        if self._mounting():
            self.call_later(self._exit_once_mounted, result, return_code, message)
        else:
            super().exit(result, return_code, message)

    def _mounting(self) -> list[Screen[Any]]:
        return [screen for screen in self.screen_stack if not screen.is_mounted]

    async def _exit_once_mounted(
        self, result: None, return_code: int, message: RenderableType | None
    ) -> None:
        while mounting := self._mounting():
            await AwaitMount(self.screen, mounting)
        super().exit(result, return_code, message)

    async def on_event(self, event: events.Event) -> None:
        if self._exiting and isinstance(event, events.InputEvent | events.Paste):
            return  # typed behind the quit key
        if isinstance(event, events.Key) and event.key == NEWLINE and not event.is_forwarded:
            event = events.Key("enter", "\r")
        if (
            isinstance(event, events.Key | events.Paste)
            and self._held is not None
            and (self._held_after is None or event.time > self._held_after)
        ):
            # typed behind the key that opens a form; a key typed earlier may come back
            # up from the focused widget after a later one came in: typed order it is
            bisect.insort(self._held, event, key=lambda held: held.time)
            return
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # terminals paste a line break as CR (Enter's key): it is a line break here
            lines = event.text.replace("\r\n", "\n").replace("\r", "\n")
            text = safe_text(lines, keep_lines=True, pictures=True)
            if text != event.text:
                event = events.Paste(text)
        await super().on_event(event)

    def hold_keys_until_ready(self, screen: Screen[Any]) -> None:
        """Keep the keys that arrive from now on until ``screen`` has mounted and
        focused its field, then hand them on in the order typed."""
        if self._held is None:
            self._held = []
        self._holding_for = screen
        self._held_after = None  # from now on every key waits for the screen

        async def mounted() -> None:
            await AwaitMount(screen, [screen])
            if isinstance(screen, Readiness):
                await screen.until_ready()

        async def when_mounted() -> None:
            # However long mounting takes on a busy machine, the keys wait for it; they
            # go on at once if the screen is closed (or the app quits) before it mounts.
            waiting = asyncio.create_task(mounted())
            limit = asyncio.get_running_loop().time() + HOLD_LIMIT_SECONDS
            while not waiting.done() and self._holding_for is screen and not self._exiting:
                if screen not in self.screen_stack or asyncio.get_running_loop().time() > limit:
                    break
                await asyncio.wait([waiting], timeout=HOLD_CHECK_SECONDS)
            waiting.cancel()
            # the field's focus was queued while mounting: hand the keys on after it
            self.call_later(self.release_keys, screen)

        self._hold_task = asyncio.create_task(when_mounted())

    def hold_keys_behind(
        self,
        node: DOMNode,
        group: str | None = None,
        key: events.Key | None = None,
        key_too: bool = False,
        done: asyncio.Future[Any] | None = None,
    ) -> None:
        """Keep the keys that arrive from now on until the message ``node`` has just
        posted (Enter's choice) has been handled all the way up to its screen, and the
        workers of ``group`` it started (opening a record) are done; then hand them on.
        A screen opened meanwhile takes them over (:meth:`hold_keys_until_ready`); keys
        already held for a screen stay held for it.

        With ``key`` (a command key just arrived, not yet handed to ``node``), the keys
        typed after it are held until it has gone up from ``node`` to the app and been
        acted on; the keys typed before it go on meanwhile, and ``key`` too unless
        ``key_too`` (then it waits for those keys to be acted on, and goes on after).
        With ``done``, they also wait for it (what the key does, queued behind the keys
        typed before it)."""
        if self._held is not None:
            return
        self._held = []
        if key is None:
            self._held_after = None
        else:  # held: the keys typed after it, or from it on
            self._held_after = math.nextafter(key.time, -math.inf) if key_too else key.time
        token = object()
        self._holding_for = token
        loop = asyncio.get_running_loop()
        limit = loop.time() + HOLD_LIMIT_SECONDS

        async def until(done: asyncio.Future[Any], target: DOMNode | None = None) -> None:
            # however long a busy machine takes, unless another screen took the keys
            # over, the app quits or ``target`` is removed (it handles nothing more)
            while not done.done() and self._holding_for is token and not self._exiting:
                if (target and not target.is_attached) or loop.time() > limit:
                    break
                await asyncio.wait([done], timeout=HOLD_CHECK_SECONDS)

        async def finished(worker: Worker[Any]) -> None:
            with contextlib.suppress(Exception):  # failed or cancelled: done all the same
                await worker.wait()

        async def acted() -> None:
            target: DOMNode | None = node
            while target is not None and (key is not None or not isinstance(target, App)):
                # a callback queued behind the message on each node it bubbles through
                hopped = asyncio.Event()
                if not target.call_later(hopped.set):
                    break  # closing: it handles nothing more
                waiting = asyncio.ensure_future(hopped.wait())
                await until(waiting, target)
                waiting.cancel()
                target = target.parent
            for worker in list(self.workers):
                if group and worker.group == group and worker.state != WorkerState.PENDING:
                    await until(asyncio.ensure_future(finished(worker)))
            if done is not None:
                await until(done)
            self.call_later(self.release_keys, token)

        task = asyncio.create_task(acted())
        self._behind_tasks.add(task)
        task.add_done_callback(self._behind_tasks.discard)

    async def release_keys(self, screen: object | None = None) -> None:
        """Hand on the keys held for ``screen`` (any screen when None), in order, now:
        ahead of keys that arrived while they were held (posted again, they would go
        behind those, and "They" typed would land as "heyT"). A key among them that
        opens another form holds the rest for that one."""
        if screen is not None and screen is not self._holding_for:
            return
        held, self._held, self._holding_for = self._held or [], None, None
        self._held_after = None
        answers = getattr(screen, "answered_only_when_seen", None)
        if answers is not None:  # a question: what was typed before it showed is no answer
            held = answers(held)
        for event in held:
            again = (
                events.Key(event.key, event.character)
                if isinstance(event, events.Key)
                else events.Paste(event.text)
            )
            again.time = event.time  # when it was typed, should it be held once more
            await self.on_event(again)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        if self._exiting:
            return False
        return await super().run_action(action, default_namespace, namespaces)


class Readiness:
    """For a screen whose rows are read in a worker: keys typed before they are on
    screen wait for them (:meth:`ClosingAwareApp.hold_keys_until_ready`). The screen
    calls :meth:`rows_shown` once its first rows are shown (or its read failed)."""

    _ready: asyncio.Event | None = None

    def _ready_event(self) -> asyncio.Event:
        if self._ready is None:
            self._ready = asyncio.Event()
        return self._ready

    @property
    def is_ready(self) -> bool:
        """Whether the first rows are on screen."""
        return self._ready_event().is_set()

    def rows_shown(self) -> None:
        """The first rows are on screen: keys held for them go on."""
        self._ready_event().set()

    async def until_ready(self) -> None:
        await self._ready_event().wait()

    def _on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.rows_shown()  # no rows are coming: the keys go to the screen as it is


def still_live(screen: Screen[Any]) -> bool:
    """Whether ``screen`` is still open: not closed (dismissed, replaced, or being
    removed) and the app not quitting. A handler that runs after a wait returns early
    when it is not: there is nothing to show, and nothing must be started from it."""
    app = screen.app
    if not app.is_running or (isinstance(app, ClosingAwareApp) and app.exiting):
        return False  # quitting, or shutting down (its widgets are being closed)
    if not screen.is_attached or screen in _closed_while_mounting:
        return False
    return not (screen._closing or screen._closed or screen._pruning)


def remove_once_mounted(screen: Screen[Any], remove: Callable[[], AwaitRemove]) -> AwaitRemove:
    """Remove ``screen`` by calling ``remove`` (Textual's ``Widget.remove``) — at once
    if it is mounted, else once its mount has finished, so none of its widgets is left
    half built. Meanwhile :func:`still_live` says it is closed."""
    if screen.is_mounted:
        return remove()
    _closed_while_mounting.add(screen)

    async def when_mounted() -> None:
        await AwaitMount(screen, [screen])
        if screen.is_running:
            await remove()

    return AwaitRemove([asyncio.create_task(when_mounted())])

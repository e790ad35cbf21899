"""The command palette (ctrl+p): Textual's, with Enter acting on the whole list for the
text typed.

Textual's palette fills its list as its providers answer, a batch every quarter of a
second, and shows the list of the text typed before until the first batch for the new
text is in; Enter picks the top row of what is shown. So ``ctrl+p Kuusi`` and Enter in
one burst opened whatever answered first ("Search everything for …", or a row of the
text before), not the client Kuusi, whose name is found once the records are read.
Here Enter in the query is acted on behind the keys typed before it and ahead of those
typed after it (Textual looked its binding up only once it had bubbled to the app, by
when the keys behind it were in the query), and while the providers are still
answering it waits until every one has answered for the text typed, then picks the top
row of the complete list. Keys typed behind that Enter wait with it and go on to
whatever it opens (a form, a section), in order. If the providers take longer than
:data:`ENTER_WAIT_SECONDS`, Enter acts on the list as it is then."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.command import Command, CommandInput, CommandList, CommandPalette
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from pulsetui.tui.lifecycle import Readiness

if TYPE_CHECKING:
    from pulsetui.tui.lifecycle import ClosingAwareApp

# the longest Enter waits for slow providers (a search index still being built)
ENTER_WAIT_SECONDS = 5.0


class PulsePalette(Readiness, CommandPalette):
    """The command palette whose Enter waits for every provider's answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "enter_typed", show=False, priority=True)
    ]

    def __init__(self) -> None:
        # no fixed id: opened again in the burst that closed it, the palette still
        # leaving holds "--command-palette" until it is gone (a duplicate id stopped the
        # app); it is known by its class ("--textual-command-palette"), as Textual asks
        super().__init__()
        self._enter_waiting = False
        self._enter_timer: Timer | None = None
        self._searched = ""  # the text the latest search was started for
        self._entered = ""  # the text in the query when Enter was typed
        self.rows_shown()  # keys typed behind ctrl+p go to the query once it is open

    def _gathering(self) -> bool:
        """Whether the providers are still answering for the text typed."""
        return any(
            worker.node is self
            and worker.group == self._GATHER_COMMANDS_GROUP
            and not worker.is_finished
            for worker in self.app.workers
        )

    def action_enter_typed(self) -> None:
        """Enter in the query, acted on as it arrives (a priority key): the keys typed
        behind it are held from now on, and Enter itself is queued behind the keys typed
        before it, which the query field has not taken in yet."""
        field = self.query_one(CommandInput)
        if self.focused is not field:
            raise SkipAction()  # Enter in the list picks the row, as Textual's does
        if self._enter_waiting:
            return
        self._enter_waiting = True
        self._ready = asyncio.Event()  # keys typed from now on wait for what Enter opens
        cast("ClosingAwareApp", self.app).hold_keys_until_ready(self)
        # behind each key in the field, then behind the change it reported on its way
        # up to this palette (where it starts the search for the text typed)
        path = list(field.ancestors_with_self)
        hops = path[: path.index(self) + 1]

        def step(index: int) -> None:
            if index == len(hops):
                self._enter_once_gathered()
            else:
                hops[index].call_later(step, index + 1)

        step(0)

    @on(Input.Changed)
    def _search_started(self, event: Input.Changed) -> None:
        # runs before Textual's handler, which starts the search for this text
        self._searched = event.value.strip()

    def _complete(self) -> bool:
        """Whether the list shown is the whole answer for the text in the query."""
        return self._searched == self._entered and not self._gathering()

    def _enter_once_gathered(self) -> None:
        # every key typed before Enter is in the query now; the searches they start
        # may still be on their way here
        self._entered = self.query_one(CommandInput).value.strip()
        if self._complete():
            self._enter_now()
        else:
            self._enter_timer = self.set_timer(ENTER_WAIT_SECONDS, self._enter_now)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if (
            self._enter_waiting
            and worker.group == self._GATHER_COMMANDS_GROUP
            and event.state in (WorkerState.SUCCESS, WorkerState.CANCELLED, WorkerState.ERROR)
            and self._enter_timer is not None
            and self._complete()
        ):
            self._enter_now()

    def _enter_now(self) -> None:
        """Enter, acted on now: the top row (or the one chosen) of the list shown."""
        if not self._enter_waiting:
            return
        self._enter_waiting = False
        if self._enter_timer is not None:
            self._enter_timer.stop()
            self._enter_timer = None
        commands = self.query_one(CommandList)
        index = commands.highlighted
        option = commands.get_option_at_index(index) if index is not None else None
        if self._list_visible and isinstance(option, Command):
            # as Textual's Enter on a highlighted row, at once rather than by a message:
            # the command is queued before the keys typed behind Enter are let go
            self._cancel_gather_commands()
            self.app.post_message(CommandPalette.Closed(option_selected=True))
            self.dismiss()
            self.app.call_later(option.hit.command)
        else:
            self._select_or_command()
        # once what Enter runs has run: the keys typed behind Enter go on
        self.app.call_later(self.rows_shown)

"""The pulse form's history pane: the consultant's earlier conversations, one at a time,
each in full (answers, notes, follow-ups and what became of them), walked with chords
from wherever the typing is — the pane never takes the focus, so the notes keep it.

Stepping reads on: the next key scrolls a long conversation a page further before it
moves to the next older one, and the last page of the oldest wraps round to the newest
(so one chord reaches everything on terminals that send no ctrl+up). What is shown
comes from :func:`pulsetui.service.views.pulse_history.pulse_history` for the app's
audience: in a call nothing of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static

from pulsetui.service.views.pulse_history import HistoryEntry, pulse_history
from pulsetui.tui import keys
from pulsetui.tui.screens.freshness import data_state
from pulsetui.tui.widgets.literal import one_line
from pulsetui.tui.widgets.pulse_record import conversation_text

if TYPE_CHECKING:
    from pulsetui.tui.app import PulseApp

# the meeting's chords that walk its agenda walk the history
HISTORY_BINDINGS: list[BindingType] = [
    replace(keys.binding(keys.BY_ID["next_item"]), description="Older"),
    replace(keys.binding(keys.BY_ID["previous_item"]), description="Newer"),
]
HISTORY_ACTIONS = ("next_item", "previous_item")


class PulseHistoryPane(VerticalScroll):
    """Earlier conversations with one consultant (but ``besides()``, the one held now),
    scrolled under its ``head`` (a line placed above it: see :func:`past_column`)."""

    def __init__(self, consultant: str, besides: Callable[[], str | None], **kwargs: Any):
        kwargs.setdefault("id", "history-scroll")
        # walked with chords only: taking the focus would take it from the notes
        super().__init__(can_focus=False, **kwargs)
        self.consultant = consultant
        self._besides = besides
        self.entries: tuple[HistoryEntry, ...] = ()
        self.index = 0  # the conversation shown, 0 = the newest
        self._empty = "No earlier conversation."
        self._read_for: tuple[Any, ...] | None = None
        self.scroll_bars_placed: tuple[bool, bool] | None = None  # see LaidOutOnce
        # read as the pane is made: shown in the form's first frame, no layout after it
        self._read()
        self.head = Static(self._head_text(), id="history-head", markup=False)
        self._body_text = Static(self._body(), id="history-body", markup=False)

    @property
    def _app(self) -> PulseApp:
        return cast("PulseApp", self.app)

    def compose(self) -> ComposeResult:
        yield self._body_text

    def _get_scrollable_region(self, region: Region) -> Region:
        # ``region``: the pane's room, as laid out now. Whether the conversation needs
        # a scroll bar is known here, so the first frame has it: found after drawing,
        # it would lay the form out and draw it once more as it opens.
        if self.styles.overflow_y == "auto" and region:
            body = self._body_text
            gutter = body.styles.gutter
            width = region.width - gutter.width
            lines = body.get_content_height(region.size, region.size, width) + gutter.height
            bar = self.styles.scrollbar_size_vertical
            shown = bar > 0 and lines > region.height
            self.set_reactive(Widget.show_vertical_scrollbar, shown)
            self.scroll_bars_placed = (shown, self.show_horizontal_scrollbar)
        return super()._get_scrollable_region(region)

    def on_mount(self) -> None:
        self.call_after_refresh(self._head)  # "more below" is known once laid out
        self.watch(self.app, "call_mode", self._audience_changed, init=False)

    def _audience_changed(self, _on: bool) -> None:
        self.reload()
        self.screen.refresh_bindings()  # the pane's keys are off in a call

    @property
    def shown(self) -> HistoryEntry | None:
        """The conversation on show, if any."""
        return self.entries[self.index] if self.entries else None

    def _read(self) -> bool:
        """Read the history, staying on the conversation shown; whether that one is gone
        (or none was shown)."""
        app = self._app
        besides = self._besides()
        self._read_for = data_state(app, besides)
        was = self.shown
        # the conversations held before; one merely planned has nothing to read yet
        view = pulse_history(
            app.workspace, app.audience, self.consultant, besides, held_only=True, with_due=False
        )
        if view is None or view.hidden:
            self.entries = ()
            self._empty = (
                "No such consultant." if view is None else "Hidden in call mode (F2 ends it)."
            )
        else:
            self.entries = view.entries
            first = one_line(view.name, 30).split(" ")[0] or "them"
            self._empty = f"No earlier conversation with {first}."
        uids = [entry.uid for entry in self.entries]
        kept = was is not None and was.uid in uids
        self.index = uids.index(was.uid) if was is not None and kept else 0
        return not kept

    def reload(self) -> None:
        """Read the history again, staying on the conversation shown."""
        self._show(to_top=self._read())

    def refresh_if_stale(self) -> None:
        if data_state(self._app, self._besides()) != self._read_for:
            self.reload()

    def _body(self) -> Text:
        entry = self.shown
        if entry is None:
            return Text(self._empty, style="italic")
        return conversation_text(entry, self._app.workspace.today())

    def _show(self, to_top: bool = True) -> None:
        self._body_text.update(self._body())
        if to_top:
            self.scroll_home(animate=False, immediate=True)
        self._head()
        self.call_after_refresh(self._head)  # "more below" is known once laid out

    def _head_text(self, more: bool = False) -> Text:
        if not self.entries:
            return Text("History", style="bold")
        text = Text(f"History {self.index + 1}/{len(self.entries)}", style="bold")
        if more:
            text.append(" · more ↓")
        return text

    def _head(self) -> None:
        if not self.is_mounted:
            return
        # one line whatever it says: no layout
        self.head.update(self._head_text(self.scroll_y < self.max_scroll_y), layout=False)

    def step(self, direction: int) -> None:
        """Read on (``direction`` 1: down, then to the next older conversation) or back
        (-1: up, then to the next newer one), wrapping round at either end."""
        self.refresh_if_stale()
        if not self.entries:
            return
        page = max(self.scrollable_content_region.height - 1, 1)
        if direction > 0 and self.scroll_y < self.max_scroll_y:
            self.scroll_to(y=self.scroll_y + page, animate=False, immediate=True)
        elif direction < 0 and self.scroll_y > 0:
            self.scroll_to(y=max(self.scroll_y - page, 0), animate=False, immediate=True)
        else:
            self.index = (self.index + direction) % len(self.entries)
            self._show()
            return
        self._head()


def past_column(
    consultant: str, besides: Callable[[], str | None], carried: OptionList
) -> ComposeResult:
    """The pulse form's right column, what came before: the history pane above the
    open follow-ups of earlier conversations (``carried``, made by the form)."""
    with Vertical(id="carried-box"):
        pane = PulseHistoryPane(consultant, besides)
        yield pane.head
        yield pane
        yield Label("Open follow-ups", classes="field-label")
        yield carried


class HistorySteps:
    """The pulse form's keys for its history pane (a mixin: the form lists
    ``HISTORY_BINDINGS``). In a call they are off, as the pane is."""

    _pane: PulseHistoryPane | None = None

    def _history_pane(self) -> PulseHistoryPane | None:
        """The form's pane (found once: the footer asks for it at every focus change,
        and a search walks the whole form)."""
        pane = self._pane
        if pane is None or not pane.is_attached:
            screen: Any = self
            found = screen.query(PulseHistoryPane)
            pane = self._pane = cast(PulseHistoryPane, found.first()) if found else None
        return pane

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        base: Any = super()
        if action in HISTORY_ACTIONS:
            screen: Any = self
            if self._history_pane() is None or not screen.pulse_app.audience.sees_private:
                return False
        return cast("bool | None", base.check_action(action, parameters))

    def action_next_item(self) -> None:
        self._step(1)

    def action_previous_item(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        pane = self._history_pane()
        if pane is not None:
            pane.step(direction)

"""A screen laid out once as it opens, not three times.

Textual lays a screen out, draws it, and then asks for the same layout again twice:

- Laying a widget out sets its virtual size, which Textual takes as a reason to lay it
  out once more, to the same sizes.
- When the widgets a screen was built with have mounted, the ``AwaitMount`` that
  waited for them asks the screen for a layout and a full repaint. It does so for a
  screen pushed (``App.push_screen``) and for any code waiting on the screen's mount
  (the app's held keys, :mod:`pulsetui.tui.lifecycle`), while the first layout already
  placed those widgets.

Each costs a layout of the whole screen and a full draw right after its first frame
(about 10 ms for the pulse form at firm-5y). :class:`LaidOutOnce` drops both, and only
those: a scroll bar that came or went still asks for a layout (it takes room), and a
mount of widgets the last layout did not place still lays them out. Everything else
that asks a screen for a layout (a style, a resize, a widget mounted later) is kept.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from textual import messages
from textual._time import get_time
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.widget import AwaitMount, Widget


def _await_mount_code() -> types.CodeType | None:
    """The code of the coroutine ``AwaitMount`` runs when awaited (None if Textual
    stops making one: then nothing is dropped)."""
    for constant in AwaitMount.__await__.__code__.co_consts:
        if isinstance(constant, types.CodeType) and constant.co_name == "await_mount":
            return constant
    return None


AWAIT_MOUNT_CODE = _await_mount_code()

# A widget that works out its scroll bars as it is laid out (before its content is
# placed, in ``_get_scrollable_region``) sets this attribute to the (vertical,
# horizontal) it placed: a scroll bar that differs from those after the layout still
# asks for another, one that matches needs none.
PLACED = "scroll_bars_placed"


class LaidOutOnce(Screen[Any]):
    """Mixed into a screen: no layout asked for again once it was done (see above)."""

    _laid_out_at = float("-inf")  # when the last layout of the whole screen began

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        """Textual's layout, without the second one it asks for at once. What the pass
        itself asked for is dropped, but for a scroll bar that came or went: it takes
        room, and the next layout places it (unless the widget placed it as it was laid
        out: see :data:`PLACED`). The screen's own request is met by the pass whenever
        it was made (Textual lays a screen out as it is shown without clearing it, and
        so laid it out again at the next frame)."""
        if not scroll or self._layout_widgets:  # the whole screen, not a scroll
            self._laid_out_at = get_time()
        before = {}
        for widget in self._placed():
            before[widget] = (
                widget._layout_required,
                widget.show_vertical_scrollbar,
                widget.show_horizontal_scrollbar,
            )
            if getattr(widget, PLACED, None) is not None:
                setattr(widget, PLACED, None)
        super()._refresh_layout(size, scroll)
        for widget in self._placed():
            required, vertical, horizontal = before.get(widget, (False, False, False))
            vertical, horizontal = getattr(widget, PLACED, None) or (vertical, horizontal)
            if (
                widget._layout_required
                and (widget is self or not required)
                and widget.show_vertical_scrollbar == vertical
                and widget.show_horizontal_scrollbar == horizontal
            ):
                widget._layout_required = False

    def _placed(self) -> set[Widget]:
        """The screen and what its last layout placed: every widget arranged, and the
        scroll bars in its map."""
        compositor = self._compositor
        return {self, *compositor.widgets, *compositor._full_map}

    async def _on_layout(self, message: messages.Layout) -> None:
        """A widget's request for a layout that was sent before the last layout began
        is met by it (its containers had forgotten their arrangement when it was sent,
        and a widget that pass did not place is hidden): dropped. Textual's handler
        takes every other (handlers run from this class up, so this one does not call
        it)."""
        if message.time < self._laid_out_at:
            message.stop()
            message.prevent_default()

    def _screen_resized(self, size: Size) -> None:
        """The app's size given again: a screen laid out to that size since nothing
        asked for a layout is not laid out once more (Textual gives a screen its size
        as it opens, just after laying it out)."""
        if size == self._size and not self._layout_required and self._compositor.widgets:
            return
        super()._screen_resized(size)

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> LaidOutOnce:
        if layout and not (regions or recompose) and self._mount_already_laid_out():
            return self
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    def _mount_already_laid_out(self) -> bool:
        """Whether this request is an ``AwaitMount`` of this screen's widgets (or of the
        screen) that the last layout already placed, none of them pending another."""
        if AWAIT_MOUNT_CODE is None or self._layout_required:
            return False
        caller = sys._getframe(2)  # whoever called refresh
        if caller.f_code is not AWAIT_MOUNT_CODE:
            return False
        awaited = caller.f_locals.get("self")
        widgets = getattr(awaited, "_widgets", None)
        if not isinstance(awaited, AwaitMount) or not widgets:
            return False
        placed = self._compositor.widgets
        return all(
            (widget is self or widget in placed) and not widget._layout_required
            for widget in widgets
        )

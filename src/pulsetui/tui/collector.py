"""Python's cyclic collector, paced by the typing: its long passes wait for a pause.

Python collects its youngest objects often and briefly, and every so often the older
ones too: the middle generation after 10 young passes, everything after 10 of those.
In the app those older passes are long, because what a screen builds (its widgets,
their styles, a section's rows) lives in them: a middle pass took 33-50 ms two
seconds after opening a pulse form at firm-5y, and landed on a key typed then. The
benchmark's worst keystroke was that pass, at 2-4x the bare TextArea's.

So while the app runs (Python 3.11-3.13, whose collector has these generations):

- what the opening loaded is frozen (``gc.freeze``): it lives as long as the app;
- the young generation is collected by Python, 20,000 allocations apart rather than
  700 (a screen switch makes tens of thousands of short-lived objects);
- the older generations are collected here, as often as Python would (20 young passes
  to a middle one, 20 middle to a full one), at the first pause of
  :data:`PAUSE_SECONDS` without a key, a paste or a click. A typist who never pauses
  has them anyway once they are :data:`OVERDUE` times late, so garbage cannot build
  up without bound.

Everything is undone when the app ends (several apps run in one test process).
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

from textual import events
from textual.app import App

from pulsetui.service import pacing

YOUNG_THRESHOLD = 20_000  # allocations between two young collections
MIDDLE_EVERY = 20  # young collections between two of the middle generation
FULL_EVERY = 20  # middle collections between two full ones
PAUSE_SECONDS = 0.75  # no key, paste or click for this long: a pause in the typing
CHECK_SECONDS = 0.25  # how often a due collection looks for a pause
OVERDUE = 10  # a collection this many times late runs even while keys come
TYPING_GAP_SECONDS = 0.3  # a key within this long ago: keys are coming (``pacing``)
NEVER = 1 << 30  # Python's own passes of the older generations: not while paced
PACED = sys.version_info < (3, 14)  # 3.14's collector is incremental: left as it is


class PacedCollection(App[Any]):
    """Mixed into the app: the collector paced by the typing (see above)."""

    _last_input = float("-inf")
    _thresholds_before: tuple[int, ...] | None = None

    def start_paced_collection(self) -> None:
        """Freeze what is loaded and take the older collections over (call once, as
        the app mounts); background reads give way while keys come (``pacing``)."""
        pacing.set_typing(self._keys_coming)
        gc.freeze()
        if not PACED or self._thresholds_before is not None:
            return
        self._thresholds_before = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, NEVER, NEVER)
        self.set_interval(CHECK_SECONDS, self.collect_if_due, name="paced collection")

    def stop_paced_collection(self) -> None:
        """Give the collector back as it was (the app is ending)."""
        if pacing.typing_now() == self._keys_coming:
            pacing.set_typing(None)
        gc.unfreeze()
        if self._thresholds_before is not None:
            gc.set_threshold(*self._thresholds_before)
            self._thresholds_before = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste | events.MouseDown):  # not a hover
            self._last_input = time.monotonic()
        await super().on_event(event)

    def input_paused(self, seconds: float = PAUSE_SECONDS) -> bool:
        """Whether no key, paste or click came in the last ``seconds``."""
        return time.monotonic() - self._last_input >= seconds

    def _keys_coming(self) -> bool:
        return not self.input_paused(TYPING_GAP_SECONDS)

    def collect_if_due(self) -> int | None:
        """Collect the older generations if they are due and the typing pauses (or
        they are overdue); the generation collected, if any."""
        if self._thresholds_before is None:
            return None
        _young, middle, full = gc.get_count()
        late = 1 if self.input_paused() else OVERDUE
        if middle < MIDDLE_EVERY * late:
            return None
        generation = 2 if full + 1 >= FULL_EVERY * late else 1
        gc.collect(generation)
        return generation

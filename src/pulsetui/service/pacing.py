"""Giving way to the person typing.

Work read in a thread beside the screen (the search index read from its file) shares
the interpreter with it: each time a key is handled the screen waits for the thread to
hand the interpreter back, and a key typed while 40,000 records are decoded took 30-50
ms to show instead of 10. Such work calls :func:`give_way` between its steps (never
while it holds a lock the screen may need); while the front-end says keys are coming
(:func:`set_typing`), the thread waits, up to :data:`LONGEST_WAIT_SECONDS` at a time,
so the work is done in the pauses. Without a front-end, or on the main thread, it
returns at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

WAIT_STEP_SECONDS = 0.02
LONGEST_WAIT_SECONDS = 5.0  # a typist who never pauses does not hold the work back for ever

_typing: Callable[[], bool] | None = None


def set_typing(typing: Callable[[], bool] | None) -> None:
    """``typing()`` says whether keys are coming now (None: nobody types here)."""
    global _typing
    _typing = typing


def typing_now() -> Callable[[], bool] | None:
    """What :func:`set_typing` was last given."""
    return _typing


def give_way() -> None:
    """Wait while keys are coming (a background thread's step: see above)."""
    typing = _typing
    if typing is None or threading.current_thread() is threading.main_thread():
        return
    deadline = time.monotonic() + LONGEST_WAIT_SECONDS
    while typing() and time.monotonic() < deadline:
        time.sleep(WAIT_STEP_SECONDS)

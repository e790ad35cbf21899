"""Applying ops read from the journal or from another replica to the view, the
replica's clock following them once per batch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulsetui.store.ids import ANON_RID, HybridClock
from pulsetui.store.journal import ReplayStats
from pulsetui.store.view import View
from pulsetui.store.viewfile import DAMAGE

MAX_CLOCK_LEAD_MS = 24 * 3600 * 1000


def apply_loaded(
    view: View,
    clock: HybridClock,
    ops: Iterable[dict[str, Any]],
    stats: ReplayStats,
    new: list[dict[str, Any]] | None = None,
) -> int:
    """Apply ``ops`` to ``view``; returns how many came (a broken op counts in ``stats``;
    ``new`` collects the ops that were applied). A view file found damaged while its
    records are read raises (:data:`viewfile.DAMAGE`): an op is never skipped for it.

    A replica whose clock runs far ahead must not drag ours along (``pulsetui doctor``
    names it); within a day, follow it: the clock moves once, to the latest such op
    applied."""
    apply = view.apply
    limit = clock.now_ms() + MAX_CLOCK_LEAD_MS
    latest = (-1, -1)
    count = 0
    for op in ops:
        count += 1
        try:
            applied = apply(op)
        except DAMAGE:
            raise
        except (KeyError, TypeError, IndexError, ValueError):
            stats.corrupt_lines += 1
            continue
        if applied and new is not None:
            new.append(op)
        if applied and op.get("rid") != ANON_RID:
            wall, counter = op["hlc"]
            if wall <= limit and (wall, counter) > latest:
                latest = (wall, counter)
    if latest[0] >= 0:
        clock.observe(*latest)
    return count

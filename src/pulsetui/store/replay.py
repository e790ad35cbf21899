"""Applying ops read from the journal or from another replica to the view, the
replica's clock following them once per batch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulsetui.store.ids import HybridClock
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
    bad: list[dict[str, Any]] = []
    limit = clock.now_ms() + MAX_CLOCK_LEAD_MS
    count, wall, counter = view.apply_many(ops, bad, new, limit, DAMAGE)
    stats.corrupt_lines += len(bad)
    if wall >= 0:
        clock.observe(wall, counter)
    return count

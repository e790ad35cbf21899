"""Applying ops read from the journal or from another replica to the view, the
replica's clock following them once per batch."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any, Protocol

from pulsetui.store.ids import ANON_RID, HybridClock
from pulsetui.store.journal import ReplayStats
from pulsetui.store.view import View
from pulsetui.store.viewfast import Run
from pulsetui.store.viewfile import DAMAGE

MAX_CLOCK_LEAD_MS = 24 * 3600 * 1000

Op = dict[str, Any]
_rid_of = operator.methodcaller("get", "rid")


class Take(Protocol):
    """``Store.ingesting``'s ``take``: saves and applies ops, returns those that were new."""

    def __call__(
        self, ops: list[Op], encoded: list[bytes] | None = None, runs: list[Run] | None = None
    ) -> list[Op]: ...


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


def runs_of(chunk: list[Op], ops: list[Op], runs: list[Run] | None) -> list[Run] | None:
    """``runs`` (how ``ops`` lie, ``View.unseen``) when they tell how ``chunk`` lies:
    it is all of ``ops``, and they count every op of it."""
    if runs is None or len(chunk) != len(ops) or sum(run[3] for run in runs) != len(ops):
        return None
    return runs


def journalled(ops: list[Op], runs: list[Run] | None = None) -> list[Op]:
    """The ops that go to the journal: all but anonymous answers (``answers``).
    ``runs``: how the ops they were taken from lie (:func:`runs_of`)."""
    if runs is not None and all(run[0] != ANON_RID for run in runs):
        return ops
    if ANON_RID not in map(_rid_of, ops):
        return ops
    return [op for op in ops if op.get("rid") != ANON_RID]

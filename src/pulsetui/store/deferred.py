"""Records of an entity made by ops applied when the entity is first used, not when the
view opens (the anonymous answers, kept in their own file: most commands read none)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

Op = dict[str, Any]


class Deferred:
    """The part of the view that keeps, per entity, the ops to apply on first use.

    ``apply`` and every read of an entity call :meth:`_ready` first (when anything is
    deferred at all), so no reader ever sees the entity without them."""

    def __init__(self) -> None:
        # entity -> the ops that make its records
        self._deferred: dict[str, Callable[[], Iterable[Op]]] = {}
        self._deferred_lock = threading.RLock()
        self._deferring: set[str] = set()

    def apply(self, op: Op) -> bool:
        raise NotImplementedError

    def defer(self, entity: str, ops: Callable[[], Iterable[Op]]) -> None:
        """Apply ``ops()`` when ``entity`` is first read or written, not now."""
        with self._deferred_lock:
            self._deferred[entity] = ops

    def _ready(self, entity: str) -> None:
        """Apply what was deferred for ``entity``: once, by whichever thread comes first
        while the others wait. If ``ops()`` raises, it is tried again at the next use."""
        with self._deferred_lock:
            load = self._deferred.get(entity)
            if load is None or entity in self._deferring:
                return  # done, or being applied by this very thread
            self._deferring.add(entity)
            try:
                for op in load():
                    self.apply(op)
                del self._deferred[entity]
            finally:
                self._deferring.discard(entity)

    def ready_all(self) -> None:
        """Apply everything deferred."""
        for entity in list(self._deferred):
            self._ready(entity)

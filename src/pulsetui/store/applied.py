"""Exactly which ops of each replica this view has applied.

A replica's ops usually arrive in its own order, but not always: a copied installation
writes under the same replica id, and a device that reads a replica's team stream first
and its personal stream later meets older private ops. So "already applied" is kept
per op, not as a high-water mark: per replica, a sorted array of packed clocks
(8 bytes an op), appended to in the common in-order case and searched by bisection.
"""

from __future__ import annotations

import base64
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator

COUNTER_BITS = 20
COUNTER_MAX = (1 << COUNTER_BITS) - 1
WALL_LIMIT = 1 << 42  # milliseconds: the year 2109; clocks beyond are refused
WALL_UNIT = 1 << COUNTER_BITS


def clock_ok(wall: object, counter: object) -> bool:
    """Whether an op's clock fits the packed form (sane, non-negative integers)."""
    return type(wall) is int and type(counter) is int and 0 <= wall < WALL_LIMIT and counter >= 0


def pack(wall: int, counter: int) -> int:
    """One integer that sorts as ``(wall, counter)`` (both :func:`clock_ok`), the counter
    capped; arithmetic, not ``<<``/``|``/``min``: it runs for every op applied."""
    return wall * WALL_UNIT + (counter if counter < COUNTER_MAX else COUNTER_MAX)


def unpack(key: int) -> tuple[int, int]:
    return key >> COUNTER_BITS, key & COUNTER_MAX


class AppliedOps:
    def __init__(self) -> None:
        self._by_rid: dict[str, array[int]] = {}

    def __contains__(self, item: tuple[str, tuple[int, int]]) -> bool:
        rid, (wall, counter) = item
        keys = self._by_rid.get(rid)
        if not keys or not clock_ok(wall, counter):
            return False
        key = pack(wall, counter)
        if key > keys[-1]:
            return False
        at = bisect_left(keys, key)
        return at < len(keys) and keys[at] == key

    def add(self, rid: str, wall: int, counter: int) -> bool:
        """Record an op; False when it was already recorded."""
        keys = self._by_rid.get(rid)
        if keys is None:
            keys = self._by_rid[rid] = array("q")
        key = pack(wall, counter)
        if not keys or key > keys[-1]:  # the usual case: a replica's next op
            keys.append(key)
            return True
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            return False
        keys.insert(at, key)
        return True

    def by_rid(self) -> dict[str, array[int]]:
        """Each replica's packed clocks, ascending (to look up many ops at once)."""
        return self._by_rid

    def keys_of(self, rid: str) -> array[int]:
        """The packed clocks of ``rid``'s ops, ascending, to append to in place (a
        replica's next op, when its key is above the last)."""
        keys = self._by_rid.get(rid)
        if keys is None:
            keys = self._by_rid[rid] = array("q")
        return keys

    def latest(self, rid: str) -> tuple[int, int] | None:
        keys = self._by_rid.get(rid)
        return unpack(keys[-1]) if keys else None

    def replicas(self) -> Iterator[str]:
        return iter(self._by_rid)

    def count(self, rid: str) -> int:
        return len(self._by_rid.get(rid, ()))

    def to_json(self) -> dict[str, str]:
        out = {}
        for rid, keys in self._by_rid.items():
            data = array("q", keys)
            if sys.byteorder != "little":
                data.byteswap()
            out[rid] = base64.b64encode(data.tobytes()).decode("ascii")
        return out

    @classmethod
    def from_json(cls, data: object) -> AppliedOps:
        """Read :meth:`to_json` output; anything else raises ValueError."""
        if not isinstance(data, dict):
            raise ValueError("applied ops: not an object")
        applied = cls()
        for rid, encoded in data.items():
            if not isinstance(encoded, str):
                raise ValueError("applied ops: an older view format")
            keys = array("q")
            keys.frombytes(base64.b64decode(encoded))
            if sys.byteorder != "little":
                keys.byteswap()
            applied._by_rid[rid] = keys
        return applied

    def arrays(self) -> Iterator[tuple[str, array[int]]]:
        """Each replica's packed clocks, ascending (what a view file stores)."""
        return iter(list(self._by_rid.items()))

    @classmethod
    def from_arrays(cls, by_rid: dict[str, array[int]]) -> AppliedOps:
        """From :meth:`arrays` (each array ascending, as written; a view file's
        checksums vouch for it)."""
        applied = cls()
        applied._by_rid.update(by_rid)
        return applied

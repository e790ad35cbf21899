"""Stamping a save again when another writer of this workspace saved in between.

The ops of one replica must reach the journal in clock order: sync sends a replica's
ops from the clock of the last one it sent on, and an op's id is its replica and clock.
The app and a command (or two threads of one process) write under one replica id, each
stamping its ops as it builds a save; a save that is not after every op of its replica
already taken in (someone saved in between) gets fresh stamps just before it is
appended, under the write lock. The op ids a save names inside itself (a value set over
one created in the same save, a delete that saw it) are renamed with it, and so are the
ids later batches of one change name (``renamed`` is kept across them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pulsetui.store.ids import ANON_RID
from pulsetui.store.ops import Stamp, StoredOp

_REFERENCES = ("pred", "observed")


def out_of_order(ops: Sequence[StoredOp], latest: Callable[[str], tuple[int, int] | None]) -> bool:
    """Whether some op is not after the latest op of its replica already applied."""
    for op in ops:
        if op.get("rid") == ANON_RID:
            continue
        last = latest(op["rid"])
        if last is not None and tuple(op["hlc"]) <= last:
            return True
    return False


def renaming(ops: Sequence[StoredOp], renamed: dict[str, str]) -> list[StoredOp]:
    """``ops`` with the ids they refer to renamed (ops of earlier batches restamped)."""
    if not renamed:
        return list(ops)
    out = []
    for op in ops:
        if any(ref in op and any(i in renamed for i in op[ref]) for ref in _REFERENCES):
            op = dict(op)
            for ref in _REFERENCES:
                if ref in op:
                    op[ref] = [renamed.get(i, i) for i in op[ref]]
        out.append(op)
    return out


def restamp(
    ops: Sequence[StoredOp], stamp: Callable[[], Stamp], renamed: dict[str, str]
) -> list[StoredOp]:
    """Fresh stamps for every timed op, in order; ``renamed`` learns old id -> new id."""
    out = []
    for op in ops:
        if op.get("rid") != ANON_RID:
            fresh = stamp()
            op = dict(op)  # the keys stay in the journal's order
            renamed[op["id"]] = fresh.id
            op["id"], op["hlc"], op["rid"] = fresh.id, [fresh.wall, fresh.counter], fresh.rid
        out.append(op)
    return renaming(out, renamed)

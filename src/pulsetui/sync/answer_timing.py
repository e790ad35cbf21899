"""When this workspace's own eNPS answers leave for the team's inbox.

Whoever can list the shared folder sees when each file appeared (its change time
cannot be set back). An answer that appeared in the same pass as this workspace's
segment, or seconds from it, would be linked to this workspace by that time alone. So
an answer is held here (in the private sync state) for a random while from the pass
that first sees it, ``HOLD_MIN_MS`` to ``HOLD_MAX_MS`` but not past the end of its
round's closing day when that comes sooner, and is then dropped in a pass that writes
no segment to that folder and comes at least ``QUIET_MS`` after this workspace's last
segment there; after a drop, segments wait ``QUIET_MS`` too. The answer file itself
holds no time, and its modification time is a fixed date.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable

from pulsetui.store.ops import StoredOp
from pulsetui.sync.state import FolderState

HOLD_MIN_MS = 15 * 60 * 1000
HOLD_MAX_MS = 6 * 3600 * 1000
QUIET_MS = 10 * 60 * 1000

_random = secrets.SystemRandom()


def schedule(
    fs: FolderState,
    answers: Iterable[StoredOp],
    now_ms: int,
    closes_of: Callable[[StoredOp], dt.date | None],
) -> None:
    """Give each answer not yet held a random moment from which it may be dropped."""
    for op in answers:
        if op["uid"] in fs.held:
            continue
        longest = HOLD_MAX_MS
        closes = closes_of(op)
        if closes is not None:
            end = dt.datetime.combine(closes + dt.timedelta(days=1), dt.time())
            longest = min(longest, max(HOLD_MIN_MS, int(end.timestamp() * 1000) - now_ms))
        fs.held[op["uid"]] = now_ms + _random.randint(HOLD_MIN_MS, max(HOLD_MIN_MS, longest))


def due(fs: FolderState, answers: Iterable[StoredOp], now_ms: int, wrote: bool) -> list[StoredOp]:
    """The held answers that may be dropped in this pass (none when this pass wrote a
    segment here or the last one is less than ``QUIET_MS`` old)."""
    if wrote or now_ms - fs.last_segment_ms < QUIET_MS:
        return []
    return [op for op in answers if fs.held.get(op["uid"], now_ms + 1) <= now_ms]


def segments_wait(fs: FolderState, now_ms: int) -> int:
    """Minutes that new segments still wait after this workspace's last drop (0: none)."""
    left = fs.last_drop_ms + QUIET_MS - now_ms
    return 0 if left <= 0 else -(-left // 60_000)

"""Lays the demo's changes down on the days they happened.

The builder writes the firm story by story (one client's meetings, then the next
client's), each change at its own simulated moment. Judgements that read when a
change was made — a client's move on the 2x2 grid since last quarter, the day
invoices were marked unpaid — read it from the change's clock, so the journal must
hold each change stamped with its own moment and, as every journal does, in clock
order. :class:`Recorder` notes each save with its simulated moment as it is
committed; :func:`relaid` sorts the saves by that moment (a change never before
one it builds on) and stamps them again in that order; :func:`rewrite_journal` puts
them in place of the journal written while building.

A moment later than the machine's clock is stamped at the machine's clock (a demo
dated ahead of the machine), so changes made afterwards still come after it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pulsetui.store.fsutil import ensure_private_dir
from pulsetui.store.ids import ANON_RID, new_replica_id, op_id
from pulsetui.store.journal import Journal
from pulsetui.store.store import VIEW_NAME

Op = dict[str, Any]


class Recorder:
    """A store listener keeping every save with the simulated moment it was made."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock
        self.saves: list[tuple[dt.datetime, list[Op]]] = []

    def __call__(self, ops: list[Op]) -> None:
        self.saves.append((self.clock(), [dict(op) for op in ops]))


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def relaid(
    saves: Iterable[tuple[dt.datetime, list[Op]]], rid: str, now_ms: int | None = None
) -> list[list[Op]]:
    """The saves in the order their moments came, each op stamped with its moment
    (ops of one moment one after another); references between ops follow the new ids.
    A save that builds on a later one (it replaces a value written later that day)
    goes right after it."""
    cap = now_ms if now_ms is not None else int(time.time() * 1000)
    written: list[tuple[int, int, list[Op]]] = []
    moment_of: dict[str, int] = {}
    for index, (moment, ops) in enumerate(saves):
        at = _ms(moment)
        for op in ops:
            for ref in (*op.get("pred", ()), *op.get("observed", ())):
                at = max(at, moment_of.get(ref, at))
        for op in ops:
            moment_of[op["id"]] = at
        written.append((at, index, ops))
    written.sort(key=lambda item: (item[0], item[1]))
    new_ids: dict[str, str] = {}
    wall, counter = 0, 0
    laid = []
    for at, _, ops in written:
        save = []
        for op in ops:
            if op.get("rid") == ANON_RID:
                save.append(op)  # an anonymous answer carries no time
                continue
            stamp = min(at, cap)
            wall, counter = (stamp, 0) if stamp > wall else (wall, counter + 1)
            new = dict(op, id=op_id(rid, wall, counter), hlc=[wall, counter], rid=rid)
            new_ids[op["id"]] = new["id"]
            for field in ("pred", "observed"):
                if field in new:
                    new[field] = [new_ids.get(ref, ref) for ref in new[field]]
            save.append(new)
        laid.append(save)
    return laid


def rewrite_journal(home: Path, saves: list[list[Op]]) -> None:
    """Replace the workspace's journal (the store closed) with these saves; the view
    is rebuilt from it when the store next opens."""
    with contextlib.suppress(FileNotFoundError):
        (home / VIEW_NAME).unlink()
    shutil.rmtree(home / "journal")
    ensure_private_dir(home / "journal")
    Journal(home / "journal").write_new(new_replica_id(), saves)

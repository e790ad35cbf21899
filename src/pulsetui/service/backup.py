"""The complete backup of a workspace (``pulsetui backup FILE``) and restoring one
(``pulsetui restore FILE``).

A backup holds the workspace's whole history, not a snapshot of its records: every op
of the journal (own and ingested, private pulses and every eNPS answer included, also
of rounds still below the minimum group), the manager signed in, and the replica ids
the ops were written under. Restoring replays those ops into an empty workspace, so
the records, their conflicts, deleted records that can still be undone and the state
of any past week (the weekly report's ``--week``) all come back as they were.

The file is JSON Lines, one op per line, between a header and a trailer::

    {"format": "pulsetui-backup", "version": 1, "created": ..., "replica": RID,
     "previous_replicas": [...], "me": UID-or-null}
    {op} ...
    {"end": "pulsetui-backup", "ops": N, "sha256": HEX of every byte before this line}

A file whose trailer is missing or does not match (cut short, edited) is refused whole,
before anything is written. The restored workspace is a new installation with a new
replica id; it carries on the backup's replica ids (``previous_rids`` in
``replica.json``), so sync publishes any of their ops the team has not got yet, and
every op the team has already got is recognised and skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES
from pulsetui.service.workspace import LOCAL_NAME, Workspace
from pulsetui.store.fsutil import atomic_write
from pulsetui.store.journal import ReplayStats
from pulsetui.store.ops import StoredOp, check_op
from pulsetui.store.store import REPLICA_NAME, Store

BACKUP_FORMAT = "pulsetui-backup"
BACKUP_VERSION = 1
MAX_BACKUP_BYTES = 2 << 30
RESTORE_BATCH = 5000


@dataclass(frozen=True)
class Backup:
    """What a backup file holds."""

    created: str
    replica: str
    previous_replicas: tuple[str, ...]
    me: str | None
    ops: tuple[StoredOp, ...]


def take_backup(ws: Workspace) -> Backup:
    """Everything needed to rebuild ``ws``: its journal, who is signed in, its ids."""
    store = ws.store
    replica = orjson.loads((store.home / REPLICA_NAME).read_bytes())
    ops = tuple(store.journal.replay(0, ReplayStats()))
    return Backup(
        created=ws.now().isoformat(timespec="seconds"),
        replica=store.rid,
        previous_replicas=tuple(str(r) for r in replica.get("previous_rids", []) if r),
        me=ws.me,
        ops=ops,
    )


# ---- reading -----------------------------------------------------------------------------


def _bad(message: str) -> InvalidInput:
    return InvalidInput.one("file", message)


def read_backup(data: bytes) -> Backup:
    """Parse and check a whole backup file; :class:`InvalidInput` naming what is wrong."""
    if len(data) > MAX_BACKUP_BYTES:
        raise _bad(f"is larger than {MAX_BACKUP_BYTES >> 30} GiB")
    if not data.endswith(b"\n"):
        raise _bad("is cut short (no end line): it is not a whole pulsetui backup")
    body_end = data.rfind(b"\n", 0, len(data) - 1) + 1
    header_end = data.find(b"\n") + 1
    header, trailer = _json_line(data[:header_end], 1), _json_line(data[body_end:], None)
    if not isinstance(header, dict) or header.get("format") != BACKUP_FORMAT:
        raise _bad(f"is not a pulsetui backup (format must be {BACKUP_FORMAT!r})")
    if header.get("version") != BACKUP_VERSION:
        raise InvalidInput.one(
            "version", f"must be {BACKUP_VERSION} (got {header.get('version')!r})"
        )
    if (
        body_end <= header_end
        or not isinstance(trailer, dict)
        or trailer.get("end") != (BACKUP_FORMAT)
    ):
        raise _bad("is cut short (no end line): it is not a whole pulsetui backup")
    if hashlib.sha256(data[:body_end]).hexdigest() != trailer.get("sha256"):
        raise _bad("does not match its checksum: it was changed or damaged after it was written")
    ops = tuple(_ops(data, header_end, body_end))
    if trailer.get("ops") != len(ops):
        raise _bad(f"holds {len(ops)} changes where its end line says {trailer.get('ops')!r}")
    replica, me = header.get("replica"), header.get("me")
    previous = header.get("previous_replicas", [])
    if not isinstance(replica, str) or not isinstance(previous, list):
        raise _bad("names no replica id in its first line")
    return Backup(
        created=str(header.get("created", "")),
        replica=replica,
        previous_replicas=tuple(str(r) for r in previous),
        me=me if isinstance(me, str) else None,
        ops=ops,
    )


def _json_line(line: bytes, number: int | None) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        where = f"line {number}" if number else "the last line"
        raise _bad(f"{where} is not JSON: it is not a pulsetui backup") from None


def _ops(data: bytes, start: int, end: int) -> Iterator[StoredOp]:
    number = 1
    for line in data[start:end].splitlines():
        number += 1
        op = _json_line(line, number)
        rid = op.get("rid") if isinstance(op, dict) else None
        problem = check_op(op, {rid} if isinstance(rid, str) else set())
        if problem is not None:
            raise _bad(f"line {number} is not a valid change: {problem}")
        yield op


# ---- restoring ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    home: Path
    counts: dict[str, int]
    set_aside: Path | None  # where a replaced workspace was moved


def has_history(home: Path) -> bool:
    """Whether ``home`` holds a workspace with any change in its journal; a folder that
    holds anything else is refused (a restore never writes among other files)."""
    if not home.exists():
        return False
    if not home.is_dir():
        raise InvalidInput.one("home", f"{home} is not a folder")
    if not (home / REPLICA_NAME).exists() and not (home / "journal").exists():
        if any(home.iterdir()):
            raise InvalidInput.one(
                "home", f"{home} holds other files and no pulsetui workspace; pick a new --home"
            )
        return False
    store = Store.open(home)  # takes the lock: refuses a workspace open elsewhere
    try:
        return any(True for _ in store.journal.replay(0, ReplayStats()))
    finally:
        store.close(checkpoint="never")


def restore_backup(
    home: Path, backup: Backup, *, replace: bool = False, now: dt.datetime | None = None
) -> Restored:
    """Rebuild the workspace of ``backup`` at ``home``, which must be empty or new.

    With ``replace`` a workspace already at ``home`` is first moved aside to
    ``<home>.before-restore-<time>`` (never deleted); without it,
    :class:`InvalidInput` says so and nothing changes."""
    set_aside: Path | None = None
    if has_history(home):
        if not replace:
            raise InvalidInput.one(
                "home",
                f"{home} already holds a workspace; restore into an empty --home, "
                "or pass --replace to move that one aside first",
            )
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        set_aside = home.with_name(f"{home.name}.before-restore-{stamp}")
        if os.path.lexists(set_aside):
            raise InvalidInput.one("home", f"{set_aside} exists; try again in a second")
        os.rename(home, set_aside)
    store = Store.open(home)
    try:
        ops = list(backup.ops)
        for start in range(0, len(ops), RESTORE_BATCH):
            store.ingest(ops[start : start + RESTORE_BATCH])
        store.carry_replicas([backup.replica, *backup.previous_replicas])
        if backup.me and store.view.get("manager", backup.me) is not None:
            atomic_write(home / LOCAL_NAME, orjson.dumps({"me": backup.me}))
        counts = {name: store.view.count(name) for name in sorted(ENTITIES)}
    finally:
        store.close(checkpoint="always")
    return Restored(home, {k: n for k, n in counts.items() if n}, set_aside)

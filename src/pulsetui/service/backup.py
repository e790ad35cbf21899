"""The complete backup of a workspace (``pulsetui backup FILE``) and restoring one
(``pulsetui restore FILE``).

A backup holds the workspace's whole history, not a snapshot of its records: every
line of the journal (own and ingested changes, private pulses included), every eNPS
answer this workspace keeps (its answers file: also those of open rounds and of rounds
below the minimum group, and which answers each published round counted), the manager
signed in, and the replica ids the changes were written under. Restoring writes that journal into an
empty workspace and opens it, which rebuilds the view the way every start-up does, so
the records, their conflicts, deleted records that can still be undone and the state
of any past week all come back as they were.

The file is JSON Lines: a header, the journal's lines as they are (each one save: a
change, or a list of changes saved together), and an end line::

    {"format": "pulsetui-backup", "version": 1, "created": ..., "replica": RID,
     "previous_replicas": [...], "me": UID-or-null, "answers": [...], "sealed": {...}}
    {change} or [{change}, ...] ...
    {"end": "pulsetui-backup", "lines": N, "sha256": HEX of every byte before this line}

A journal line that is not a change (damaged on disk; a start-up skips it too) is left
out of the backup. A file whose end line is missing or does not match (cut short,
edited), or that holds anything that is not a valid change, is refused whole before
anything is written. The restored workspace is a new installation with a new replica
id; it carries on the backup's replica ids (``previous_rids`` in ``replica.json``), so
sync publishes any of their changes the team has not got yet, and every change the
team already has is recognised and skipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES
from pulsetui.service.workspace import LOCAL_NAME, Workspace
from pulsetui.store.answers import ANSWERS_NAME, AnswerBox
from pulsetui.store.fsutil import atomic_write, ensure_private_dir
from pulsetui.store.ids import ANON_RID, new_replica_id
from pulsetui.store.journal import JOURNAL_NAME, Journal, JournalLines, ReplayStats
from pulsetui.store.ops import StoredOp, check_op
from pulsetui.store.store import REPLICA_NAME, Store

BACKUP_FORMAT = "pulsetui-backup"
BACKUP_VERSION = 1
MAX_BACKUP_BYTES = 2 << 30


@dataclass(frozen=True)
class Backup:
    """What a backup file holds: the header's fields and the journal's lines (read from
    the journal while the file is written when the backup is taken, :class:`JournalSaves`;
    a tuple when read from a file)."""

    created: str
    replica: str
    previous_replicas: tuple[str, ...]
    me: str | None
    lines: Iterable[bytes]  # journal lines without their newline
    answers: tuple[StoredOp, ...] = ()  # the eNPS answers kept, in uid order
    sealed: dict[str, list[str]] = field(default_factory=dict)  # round -> answers counted

    @property
    def skipped(self) -> int:
        """Damaged journal lines left out when it was taken (known once they were read)."""
        return self.lines.skipped if isinstance(self.lines, JournalSaves) else 0


def _is_save(payload: Any) -> bool:
    ops = payload if isinstance(payload, list) else [payload]
    return bool(ops) and all(isinstance(op, dict) and "kind" in op and "uid" in op for op in ops)


class JournalSaves:
    """The saves of a journal as its lines, read from the journal one at a time each time
    they are iterated (a journal of hundreds of MB is never held whole). A line that is
    not a save (damaged on disk; a start-up skips it too) is left out and counted in
    ``skipped``."""

    def __init__(self, lines: JournalLines) -> None:
        self._lines = lines
        self.skipped = 0

    def __iter__(self) -> Iterator[bytes]:
        self.skipped = 0
        for line in self._lines:
            try:
                good = _is_save(orjson.loads(line))
            except orjson.JSONDecodeError:
                good = False
            if good:
                yield line
            else:
                self.skipped += 1

    def close(self) -> None:
        self._lines.close()


def take_backup(ws: Workspace) -> Backup:
    """Everything needed to rebuild ``ws``: its journal as it is now (read when the
    backup is written), who is signed in, its ids."""
    store = ws.store
    replica = orjson.loads((store.home / REPLICA_NAME).read_bytes())
    return Backup(
        created=ws.now().isoformat(timespec="seconds"),
        replica=store.rid,
        previous_replicas=tuple(str(r) for r in replica.get("previous_rids", []) if r),
        me=ws.me,
        lines=JournalSaves(store.journal.lines()),
        answers=tuple(store.answers.in_order()),
        sealed={name: list(uids) for name, uids in store.answers.sealed.items()},
    )


# ---- reading -----------------------------------------------------------------------------


def _bad(message: str) -> InvalidInput:
    return InvalidInput.one("file", message)


def _json_line(line: bytes, where: str) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        raise _bad(f"{where} is not JSON: it is not a pulsetui backup") from None


def read_backup(data: bytes) -> Backup:
    """Check a backup file's header, end line and checksum; :class:`InvalidInput`
    naming what is wrong. The changes themselves are checked as they are restored."""
    if len(data) > MAX_BACKUP_BYTES:
        raise _bad(f"is larger than {MAX_BACKUP_BYTES >> 30} GiB")
    if not data.endswith(b"\n"):
        raise _bad("is cut short (no end line): it is not a whole pulsetui backup")
    header_end = data.find(b"\n") + 1
    body_end = data.rfind(b"\n", 0, len(data) - 1) + 1
    header = _json_line(data[:header_end], "line 1")
    if not isinstance(header, dict) or header.get("format") != BACKUP_FORMAT:
        raise _bad(f"is not a pulsetui backup (format must be {BACKUP_FORMAT!r})")
    if header.get("version") != BACKUP_VERSION:
        raise InvalidInput.one(
            "version", f"must be {BACKUP_VERSION} (got {header.get('version')!r})"
        )
    trailer = _json_line(data[body_end:], "the last line") if body_end >= header_end else None
    if not isinstance(trailer, dict) or trailer.get("end") != BACKUP_FORMAT:
        raise _bad("is cut short (no end line): it is not a whole pulsetui backup")
    if hashlib.sha256(data[:body_end]).hexdigest() != trailer.get("sha256"):
        raise _bad("does not match its checksum: it was changed or damaged after it was written")
    lines = tuple(data[header_end : body_end - 1].split(b"\n")) if body_end > header_end else ()
    if trailer.get("lines") != len(lines):
        raise _bad(f"holds {len(lines)} lines where its end line says {trailer.get('lines')!r}")
    replica, me = header.get("replica"), header.get("me")
    previous = header.get("previous_replicas", [])
    if not isinstance(replica, str) or not isinstance(previous, list):
        raise _bad("names no replica id in its first line")
    return Backup(
        created=str(header.get("created", "")),
        replica=replica,
        previous_replicas=tuple(str(r) for r in previous),
        me=me if isinstance(me, str) else None,
        lines=lines,
        answers=_answers(header.get("answers", [])),
        sealed=_sealed(header.get("sealed", {})),
    )


def _answers(found: Any) -> tuple[StoredOp, ...]:
    """The eNPS answers of the header, each checked as one read from the team's inbox."""
    if not isinstance(found, list):
        raise _bad("holds no list of eNPS answers in its first line")
    for op in found:
        problem = check_op(op, {ANON_RID})
        entity = op.get("entity") if isinstance(op, dict) else None
        spec = ENTITIES.get(entity) if isinstance(entity, str) else None
        if problem is not None or spec is None or spec.scope != "anonymous":
            raise _bad(f"holds an eNPS answer that is not valid: {problem or 'not an answer'}")
    return tuple(found)


def _sealed(found: Any) -> dict[str, list[str]]:
    if not isinstance(found, dict) or not all(isinstance(v, list) for v in found.values()):
        raise _bad("holds no valid record of the answers counted per round")
    return {str(name): [str(uid) for uid in uids] for name, uids in found.items()}


def checked_saves(backup: Backup) -> Iterator[list[StoredOp]]:
    """Each line of the backup as the changes of one save, every one checked as sync
    checks a change from another replica; :class:`InvalidInput` at the first bad one."""
    for number, line in enumerate(backup.lines, start=2):
        payload = _json_line(line, f"line {number}")
        ops = payload if isinstance(payload, list) else [payload]
        if not ops:
            raise _bad(f"line {number} is not a valid change: empty")
        for op in ops:
            rid = op.get("rid") if isinstance(op, dict) else None
            problem = check_op(op, {rid} if isinstance(rid, str) else set())
            if problem is not None:
                raise _bad(f"line {number} is not a valid change: {problem}")
        yield ops


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
    store = Store.open(home, exclusive=True)  # refuses a workspace open elsewhere
    try:
        return any(True for _ in store.journal.replay(0, ReplayStats()))
    finally:
        store.close(checkpoint="never")


def _set_aside(home: Path, now: dt.datetime | None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = home.with_name(f"{home.name}.before-restore-{stamp}")
    if os.path.lexists(aside):
        raise InvalidInput.one("home", f"{aside} exists; try again in a second")
    os.rename(home, aside)
    return aside


def restore_backup(
    home: Path, backup: Backup, *, replace: bool = False, now: dt.datetime | None = None
) -> Restored:
    """Rebuild the workspace of ``backup`` at ``home``, which must be empty or new.

    With ``replace`` a workspace already at ``home`` is first moved aside to
    ``<home>.before-restore-<time>`` (never deleted); without it,
    :class:`InvalidInput` says so and nothing changes. A change that does not pass
    the checks writes nothing."""
    set_aside: Path | None = None
    if has_history(home):
        if not replace:
            raise InvalidInput.one(
                "home",
                f"{home} already holds a workspace; restore into an empty --home, "
                "or pass --replace to move that one aside first",
            )
        set_aside = _set_aside(home, now)
    created = not home.exists()
    journal_dir = home / "journal"
    try:
        ensure_private_dir(journal_dir)
        (journal_dir / JOURNAL_NAME).unlink(missing_ok=True)  # an empty one, by the above
        Journal(journal_dir).write_new(new_replica_id(), checked_saves(backup))
        answers = AnswerBox(home)
        answers.answers = {op["uid"]: op for op in backup.answers}
        answers.sealed = dict(backup.sealed)
        answers.save()
    except BaseException:
        if created:
            shutil.rmtree(home, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                (journal_dir / JOURNAL_NAME).unlink()
                (home / ANSWERS_NAME).unlink()
        raise
    store = Store.open(home, exclusive=True)  # a new installation: rebuilds the view
    try:
        store.carry_replicas([backup.replica, *backup.previous_replicas])
        if backup.me and store.view.get("manager", backup.me) is not None:
            atomic_write(home / LOCAL_NAME, orjson.dumps({"me": backup.me}))
        counts = {name: store.view.count(name) for name in sorted(ENTITIES)}
    finally:
        store.close(checkpoint="always")
    return Restored(home, {k: n for k, n in counts.items() if n}, set_aside)

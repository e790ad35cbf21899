"""Answer slots: how an eNPS answer reaches ``inbox/`` on a server shared by several
Unix users without leaving a file that belongs to the person who answered.

A file belongs to whoever created it, and ``ls -l`` shows that to every member. So
where the folder is shared by several users (:func:`several_users`), each installation
keeps a few empty files of its own in ``inbox/`` (``SLOTS`` of them, random names,
mode 0660 so the group may write them), and an answer is written into an empty slot
that *another* user made: the file stays that user's. The writer locks the slot and
checks that it is still empty before writing, so two answers never share one. The
slot's owner seals it at its next sync (mode 0640, modification time set to a fixed
date), which also sets its change time to that moment: the owner's, not the
answerer's. Readers take an empty file for a free slot and a half-written one for
"not arrived yet".

This departs from "one writer per path" only here, and only on a local file system
shared by users of one machine, where no sync tool copies files around. Elsewhere
(Syncthing, Dropbox, one user) an answer is a new file under a random name
(:func:`pulsetui.sync.inbox.drop`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from pulsetui.store.fsutil import FIXED_MTIME_NS, write_all
from pulsetui.store.ids import ANON_RID
from pulsetui.sync.access import permission_problem
from pulsetui.sync.folder import (
    INBOX,
    INBOX_RE,
    MAX_INBOX_BYTES,
    REPLICAS,
    Refused,
    create_file,
    read_checked,
)
from pulsetui.sync.inbox import Op, decode_answer, encode_answer
from pulsetui.sync.segments import Incomplete

SLOTS = 4
SLOT_MODE = 0o660
SEALED_MODE = 0o640


class NoFreeSlot(Exception):
    """No empty slot of another user in the inbox (yet)."""


def several_users(root: Path) -> bool:
    """Whether other Unix users of this machine share the folder ``root``: it, its
    inbox or a replica folder in it belongs to another user."""
    me = os.geteuid()
    for path in (root, root / INBOX):
        with contextlib.suppress(OSError):
            if os.lstat(path).st_uid != me:
                return True
    with contextlib.suppress(OSError), os.scandir(root / REPLICAS) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_uid != me:
                    return True
    return False


def _listing(inbox: Path) -> list[tuple[str, os.stat_result]]:
    found = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if INBOX_RE.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    found.append((entry.name, entry.stat(follow_symlinks=False)))
    return found


def tend(inbox: Path) -> list[str]:
    """Keep ``SLOTS`` free slots of this user's in the inbox and seal this user's
    slots that hold a whole answer; returns problems."""
    me = os.geteuid()
    try:
        listing = _listing(inbox)
    except OSError:
        why = permission_problem(inbox) or "it cannot be listed"
        return [f"{INBOX}/: {why}; answers cannot be counted or dropped here"]
    free = 0
    for name, st in listing:
        if st.st_uid != me or not stat.S_ISREG(st.st_mode):
            continue
        if st.st_size == 0:
            free += 1
        elif stat.S_IMODE(st.st_mode) != SEALED_MODE:
            _seal(inbox / name)
    for _ in range(SLOTS - free):
        path = inbox / f"{secrets.token_hex(16)}.json"
        try:
            create_file(path, b"", SLOT_MODE)
            os.utime(path, ns=(FIXED_MTIME_NS, FIXED_MTIME_NS), follow_symlinks=False)
        except OSError as exc:
            why = permission_problem(inbox, write=True) or exc.strerror or str(exc)
            return [f"{INBOX}/: cannot make answer slots: {why}"]
    return []


def _seal(path: Path) -> None:
    """Make a filled slot of this user's read-only for the group, with a fixed time."""
    try:
        decode_answer(read_checked(path, MAX_INBOX_BYTES))
    except Incomplete:
        return  # still being written: sealed at a later sync
    except Exception:
        pass
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    with contextlib.suppress(OSError):
        fd = os.open(path, flags)
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.fchmod(fd, SEALED_MODE)
                os.utime(fd, ns=(FIXED_MTIME_NS, FIXED_MTIME_NS))
        finally:
            os.close(fd)


def drop_into_slot(inbox: Path, op: Op) -> str:
    """Write one answer into a free slot made by another user; returns its name.
    :class:`NoFreeSlot` when there is none."""
    import fcntl  # POSIX only, imported where used

    if op.get("rid") != ANON_RID:
        raise ValueError("only anonymous answers go to the inbox")
    data = encode_answer(op)
    me = os.geteuid()
    try:
        listing = _listing(inbox)
    except OSError:
        raise Refused(inbox, permission_problem(inbox) or "cannot be listed") from None
    free = [(n, st) for n, st in listing if st.st_size == 0 and st.st_uid != me]
    secrets.SystemRandom().shuffle(free)
    flags = os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    for name, st in free:
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            continue
        try:
            fd = os.open(inbox / name, flags)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # someone else is writing it
            now = os.fstat(fd)
            if (
                not stat.S_ISREG(now.st_mode)
                or now.st_ino != st.st_ino
                or now.st_size != 0
                or now.st_uid == me
            ):
                continue
            write_all(fd, data)
            os.fsync(fd)
            return name
        finally:
            os.close(fd)
    raise NoFreeSlot

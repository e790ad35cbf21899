"""The anonymous eNPS drop box: ``<shared>/pulsetui/inbox/``.

An eNPS answer carries no author, no replica id and no time beyond its survey round,
so it never goes into a replica's segment (whose name, clock and order would tell who
answered and when). Each answer is one file with a random name, created with
``O_EXCL|O_NOFOLLOW`` under a temp name and renamed into place, with its modification
time set to a fixed date. The file holds a header, the answer's op and the checksum
trailer of a segment, so a half-arrived file is skipped like a segment.

On a server shared by several Unix users, answers go into slots instead, so no file
is the answering person's (see ``slots``). ``inbox/`` is mode 3770 there: every member
of the group reads the answers (every manager counts them) and nobody removes
another's file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from pulsetui.store.fsutil import FIXED_MTIME_NS, fsync_dir
from pulsetui.store.ids import ANON_RID
from pulsetui.store.opcheck import UID_RE
from pulsetui.sync.folder import (
    FILE_MODE,
    INBOX_RE,
    MAX_INBOX_BYTES,
    SYNC_FORMAT,
    SYNC_VERSION,
    TEMP_PREFIX,
    Refused,
    create_file,
    read_checked,
)
from pulsetui.sync.segments import Invalid, decode_header, split_trailer

Op = dict[str, Any]


def encode_answer(op: Op) -> bytes:
    header = {"format": SYNC_FORMAT, "version": SYNC_VERSION, "type": "enps"}
    body = orjson.dumps(header) + b"\n" + orjson.dumps(op) + b"\n"
    sha = hashlib.sha256(body).hexdigest()
    return body + orjson.dumps({"end": SYNC_FORMAT, "sha256": sha, "count": 1}) + b"\n"


def drop(inbox: Path, op: Op) -> str:
    """Drop one anonymous answer into the inbox; returns the random file name."""
    if op.get("rid") != ANON_RID:
        raise ValueError("only anonymous answers go to the inbox")
    name = f"{secrets.token_hex(16)}.json"
    tmp = inbox / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    try:
        create_file(tmp, encode_answer(op), FILE_MODE)
        os.utime(tmp, ns=(FIXED_MTIME_NS, FIXED_MTIME_NS), follow_symlinks=False)
        if os.path.lexists(inbox / name):
            raise FileExistsError(inbox / name)
        os.rename(tmp, inbox / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # the answer is on disk already; a drop box this user may not read cannot be
    # opened to fsync its entry, which is no reason to drop the answer again
    with contextlib.suppress(PermissionError):
        fsync_dir(inbox)
    return name


def decode_answer(data: bytes) -> Op:
    """The op of a complete inbox file (:class:`Incomplete`/:class:`Invalid` otherwise)."""
    body, _ = split_trailer(data)
    lines = body.split(b"\n")[:-1]
    header = decode_header(lines[0])
    if header.get("type") != "enps" or len(lines) != 2:
        raise Invalid("not an eNPS answer")
    try:
        op = orjson.loads(lines[1])
    except orjson.JSONDecodeError:
        raise Invalid("answer is not JSON") from None
    ok = (
        isinstance(op, dict)
        and op.get("rid") == ANON_RID
        and op.get("id") == f"{ANON_RID}:0:0"
        and op.get("hlc") == [0, 0]
        and op.get("entity") == "enps"
        and op.get("kind") == "create"
        and isinstance(op.get("uid"), str)
        and bool(UID_RE.fullmatch(op["uid"]))
        and isinstance(op.get("data"), dict)
        and set(op["data"]) <= {"round", "score", "reason"}
    )
    if not ok:
        raise Invalid("not an anonymous eNPS answer")
    return op


def list_names(inbox: Path) -> list[str] | None:
    """Answer file names in the inbox; None when it cannot be listed."""
    try:
        with os.scandir(inbox) as entries:
            return sorted(e.name for e in entries if INBOX_RE.fullmatch(e.name))
    except (PermissionError, FileNotFoundError, NotADirectoryError):
        return None


def read_new(inbox: Path, seen: Iterable[str]) -> tuple[list[tuple[str, Op]], list[str], bool]:
    """Answers from files not in ``seen``: ([(name, op)], [problems], listed)."""
    known = set(seen)
    found: list[tuple[str, Op]] = []
    problems: list[str] = []
    names = list_names(inbox)
    if names is None:
        return found, problems, False
    for name in names:
        if name in known:
            continue
        try:
            found.append((name, decode_answer(read_checked(inbox / name, MAX_INBOX_BYTES))))
        except Refused as exc:
            problems.append(f"inbox/{name}: refused: {exc.why}")
        except Invalid as exc:
            problems.append(f"inbox/{name}: invalid: {exc}")
        except Exception:  # Incomplete, NewerFormat: read again next time
            continue
    return found, problems, True

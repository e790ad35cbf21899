"""Anonymous eNPS answers of this workspace: ``<home>/answers.json``, apart from the journal.

The journal is in save order, next to ops that carry their time: an answer appended
there would be dated by its neighbours (and told apart from the answers read in from
the team's inbox, which arrive in batches). So every answer this workspace knows, its
own and those read from the inbox alike, is kept in this one file, sorted by its random
uid, rewritten whole (temp file, fsync, rename) with a fixed modification time, and
applied to the view when the store opens. The view file leaves answers out for the same
reason (its doc ids count up in save order).

``sealed`` holds, per round, the uids of the answers counted when the round's results
were published here, so an answer that arrives later never changes a published figure
(the answer is kept; it is only not counted).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.models import ENTITIES
from pulsetui.store.fsutil import atomic_write
from pulsetui.store.ids import ANON_RID
from pulsetui.store.ops import anonymous_op, stored
from pulsetui.store.view import View, public_fields

ANSWERS_NAME = "answers.json"
ANSWERS_FORMAT = 1
FIXED_MTIME_NS = 946_684_800 * 10**9  # 2000-01-01: the file's time tells nothing

StoredOp = dict[str, Any]


class AnswersUnreadable(ValueError):
    """``answers.json`` exists but cannot be read."""


class AnswerBox:
    """The anonymous answers file of one workspace (see the module docstring)."""

    def __init__(self, home: Path) -> None:
        self.path = home / ANSWERS_NAME
        self.answers: dict[str, StoredOp] = {}
        self.sealed: dict[str, list[str]] = {}
        self._seen = _signature(self.path)  # the file as last read or written here

    def load(self) -> list[StoredOp]:
        """Read the file; the answers, in uid order (none when there is no file)."""
        self._seen = _signature(self.path)
        try:
            data = orjson.loads(self.path.read_bytes())
        except FileNotFoundError:
            return []
        except (OSError, orjson.JSONDecodeError) as exc:
            raise AnswersUnreadable(f"{self.path} is unreadable: {exc}") from None
        try:
            answers = [op for op in data["answers"] if _is_answer(op)]
            self.answers = {op["uid"]: op for op in answers}
            self.sealed = {
                str(name): sorted(str(uid) for uid in uids)
                for name, uids in data.get("sealed", {}).items()
            }
        except (KeyError, TypeError, AttributeError) as exc:
            raise AnswersUnreadable(f"{self.path} is not an answers file: {exc}") from None
        return self.in_order()

    def changed(self) -> bool:
        """Whether another process rewrote the file since it was last read or written
        here (its time is fixed, so the file's identity, size and change time tell)."""
        return _signature(self.path) != self._seen

    def reload(self) -> list[StoredOp]:
        """Read the file again, keeping what is held here too; the answers that are new
        here (saved by another process), in uid order. Under the store's write lock."""
        mine, sealed = dict(self.answers), dict(self.sealed)
        self.load()
        fresh = [op for uid, op in self.answers.items() if uid not in mine]
        for uid, op in mine.items():
            self.answers.setdefault(uid, op)
        for name, uids in sealed.items():
            self.sealed.setdefault(name, uids)
        return sorted(fresh, key=lambda op: op["uid"])

    def in_order(self) -> list[StoredOp]:
        """Every answer kept, in uid order (random: it tells nothing)."""
        return [self.answers[uid] for uid in sorted(self.answers)]

    def older_in(self, view: View) -> list[StoredOp]:
        """Answers in ``view`` that this file does not hold: kept by an older version in
        the journal or the view file, to be moved here."""
        return stored(
            [
                anonymous_op(name, doc["uid"], _data(doc))
                for name, spec in ENTITIES.items()
                if spec.scope == "anonymous"
                for doc in view.docs(name)
                if doc["uid"] not in self.answers
            ]
        )

    def add(self, ops: Iterable[StoredOp]) -> list[StoredOp]:
        """Keep new answers (saved before this returns); returns the ones that were new."""
        fresh = [op for op in ops if _is_answer(op) and op["uid"] not in self.answers]
        if fresh:
            for op in fresh:
                self.answers[op["uid"]] = op
            self.save()
        return fresh

    def seal(self, round: str, uids: Iterable[str]) -> None:
        """Record the answers counted in ``round``'s published results."""
        self.sealed[round] = sorted(set(uids))
        self.save()

    def counted(self, round: str) -> set[str] | None:
        """Uids counted in the round's published results; None until they are sealed."""
        found = self.sealed.get(round)
        return None if found is None else set(found)

    def save(self) -> None:
        data = {
            "format": ANSWERS_FORMAT,
            "answers": [self.answers[uid] for uid in sorted(self.answers)],
            "sealed": dict(sorted(self.sealed.items())),
        }
        atomic_write(self.path, orjson.dumps(data))
        os.utime(self.path, ns=(FIXED_MTIME_NS, FIXED_MTIME_NS), follow_symlinks=False)
        self._seen = _signature(self.path)


def _signature(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of the file from the next: it is replaced whole (a new
    inode) and its change time moves, though its modification time is fixed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_ctime_ns


def _data(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in public_fields(doc).items() if k != "uid"}


def _is_answer(op: object) -> bool:
    return (
        isinstance(op, dict)
        and op.get("rid") == ANON_RID
        and op.get("kind") == "create"
        and isinstance(op.get("uid"), str)
    )

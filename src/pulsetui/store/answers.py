"""Anonymous eNPS answers of this workspace: ``<home>/answers.json``, apart from the journal.

The journal is in save order, next to ops that carry their time: an answer appended
there would be dated by its neighbours (and told apart from the answers read in from
the team's inbox, which arrive in batches). So every answer this workspace knows, its
own and those read from the inbox alike, is kept in this one file, sorted by its random
uid, rewritten whole (temp file, fsync, rename) with a fixed modification time, and
applied to the view when the store opens. The view file leaves answers out for the same
reason (its doc ids count up in save order). The file is read when an answer is first
needed (the store hands the view a loader, see ``View.defer``), not at every open.

``sealed`` holds, per round, the uids of the answers counted when the round's results
were published here, so an answer that arrives later never changes a published figure
(the answer is kept; it is only not counted).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.models import ENTITIES
from pulsetui.store.errors import StoreError
from pulsetui.store.fsutil import FIXED_MTIME_NS, atomic_write
from pulsetui.store.ids import ANON_RID
from pulsetui.store.ops import anonymous_op, stored
from pulsetui.store.view import View, public_fields
from pulsetui.store.viewfile import ANONYMOUS

ANSWERS_NAME = "answers.json"
ANSWERS_FORMAT = 1

StoredOp = dict[str, Any]


class AnswersUnreadable(ValueError):
    """``answers.json`` exists but cannot be read."""


class AnswerBox:
    """The anonymous answers file of one workspace (see the module docstring)."""

    def __init__(self, home: Path) -> None:
        self.path = home / ANSWERS_NAME
        self._answers: dict[str, StoredOp] = {}
        self._sealed: dict[str, list[str]] = {}
        self._loaded = False
        self._lock = threading.RLock()
        self._seen = _signature(self.path)  # the file as last read or written here

    @property
    def answers(self) -> dict[str, StoredOp]:
        """uid -> answer, every answer kept (the file is read first if need be)."""
        self._read_once()
        return self._answers

    @answers.setter
    def answers(self, value: dict[str, StoredOp]) -> None:
        """Replace every answer kept (a restore; the file is not read, its sealed
        rounds start empty when it was not); :meth:`save` writes them."""
        with self._lock:
            self._answers, self._loaded = value, True

    @property
    def sealed(self) -> dict[str, list[str]]:
        self._read_once()
        return self._sealed

    @sealed.setter
    def sealed(self, value: dict[str, list[str]]) -> None:
        """Replace the sealed rounds (a restore); :meth:`save` writes them."""
        with self._lock:
            if not self._loaded:
                self._answers, self._loaded = {}, True
            self._sealed = value

    @property
    def loaded(self) -> bool:
        """Whether the file has been read here (until then no answer is in the view)."""
        return self._loaded

    def _read_once(self) -> None:
        """Read the file if it has not been read. Raises :class:`AnswersUnreadable`
        (again at each call) while it cannot be read."""
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self._seen = _signature(self.path)
                    self._answers, self._sealed = _read(self.path)
                    self._loaded = True

    def load(self) -> list[StoredOp]:
        """The answers, in uid order (none when there is no file)."""
        self._read_once()
        return [self._answers[uid] for uid in sorted(self._answers)]

    def ops_of(self, entity: str) -> list[StoredOp]:
        """The answers of one entity, in uid order; a :class:`StoreError` when the file
        cannot be read."""
        try:
            return [op for op in self.load() if op.get("entity") == entity]
        except AnswersUnreadable as exc:
            raise StoreError(str(exc)) from None

    def changed(self) -> bool:
        """Whether another process rewrote the file since it was last read or written
        here (its time is fixed, so the file's identity, size and change time tell)."""
        return _signature(self.path) != self._seen

    def reload(self) -> list[StoredOp]:
        """Read the file again, keeping what is held here too; the answers that are new
        here (saved by another process; every one when the file was not read here
        before), in uid order. Under the store's write lock."""
        with self._lock:
            mine, sealed = (self._answers, self._sealed) if self._loaded else ({}, {})
            self._seen = _signature(self.path)
            answers, now_sealed = _read(self.path)
            fresh = [op for uid, op in answers.items() if uid not in mine]
            for uid, op in mine.items():
                answers.setdefault(uid, op)
            for name, uids in sealed.items():
                now_sealed.setdefault(name, uids)
            self._answers, self._sealed, self._loaded = answers, now_sealed, True
        return sorted(fresh, key=lambda op: op["uid"])

    def in_order(self) -> list[StoredOp]:
        """Every answer kept, in uid order (random: it tells nothing)."""
        return self.load()

    def older_in(self, view: View) -> list[StoredOp]:
        """Answers in ``view`` that this file does not hold: kept by an older version in
        the journal or the view file, to be moved here."""
        self._read_once()
        return stored(
            [
                anonymous_op(name, doc["uid"], _data(doc))
                for name, spec in ENTITIES.items()
                if spec.scope == "anonymous"
                for doc in view.docs(name)
                if doc["uid"] not in self._answers
            ]
        )

    def add(self, ops: Iterable[StoredOp]) -> list[StoredOp]:
        """Keep new answers (saved before this returns); returns the ones that were new."""
        with self._lock:
            answers = self.answers
            fresh = [op for op in ops if _is_answer(op) and op["uid"] not in answers]
            if fresh:
                for op in fresh:
                    answers[op["uid"]] = op
                self.save()
        return fresh

    def seal(self, round: str, uids: Iterable[str]) -> None:
        """Record the answers counted in ``round``'s published results."""
        with self._lock:
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


def give_answers(box: AnswerBox, view: View, readonly: bool) -> None:
    """Hand ``view`` the answers, to apply when an answer is first needed. Answers that
    older versions kept in the journal or the view file move to the answers file now."""
    if not any(view.count(name) for name in ANONYMOUS):
        defer_answers(box, view)
        return
    for name in sorted(ANONYMOUS):
        for op in box.ops_of(name):
            view.apply(op)
    older = box.older_in(view)
    if older and not readonly:
        box.add(older)


def defer_answers(box: AnswerBox, view: View) -> None:
    for name in sorted(ANONYMOUS):
        view.defer(name, functools.partial(box.ops_of, name))


def _read(path: Path) -> tuple[dict[str, StoredOp], dict[str, list[str]]]:
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return {}, {}
    except (OSError, orjson.JSONDecodeError) as exc:
        raise AnswersUnreadable(f"{path} is unreadable: {exc}") from None
    try:
        answers = {op["uid"]: op for op in data["answers"] if _is_answer(op)}
        sealed = {
            str(name): sorted(str(uid) for uid in uids)
            for name, uids in data.get("sealed", {}).items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise AnswersUnreadable(f"{path} is not an answers file: {exc}") from None
    return answers, sealed


def _data(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in public_fields(doc).items() if k != "uid"}


def _is_answer(op: object) -> bool:
    return (
        isinstance(op, dict)
        and op.get("rid") == ANON_RID
        and op.get("kind") == "create"
        and isinstance(op.get("uid"), str)
    )

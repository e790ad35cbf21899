"""Building a save: the ops of one change to one or more records, ready to commit.

The service never stamps ops or works out what they replace; it says what changes::

    store.edit("client", uid).create({"name": "Acme"}).commit()
    store.edit("agreement", uid).set("status", "done").append("history", entry).commit()

    change = store.change()                 # several records in one save
    change.record("client", keep).set("notes", joined)
    change.record("client", drop).delete()
    change.commit()

Each op is stamped from the store's clock as it is added. A ``set`` or ``resolve``
replaces the field's current values (its ``pred``) and a ``delete`` names every value
of the record it has seen (its ``observed``): both are read from the view, and from the
ops added earlier to the same change, so two writes of one field in a change chain up.
Nothing is saved until :meth:`Change.commit`: the ops go into one journal line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulsetui.store.ops import (
    Op,
    anonymous_op,
    append_op,
    create_op,
    delete_op,
    set_op,
    stored,
)

if TYPE_CHECKING:
    from pulsetui.store.store import Store


class Change:
    """One save under construction (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._ops: list[Op] = []
        # values written in this change, not yet in the view: (entity, uid, field) -> op ids
        self._heads: dict[tuple[str, str, str], list[str]] = {}
        # op ids in this change that a delete of the record must have seen
        self._seen: dict[tuple[str, str], list[str]] = {}
        self._committed = False

    def record(self, entity: str, uid: str) -> RecordEdit:
        """Changes to one record, added to this save."""
        return RecordEdit(self, entity, uid)

    @property
    def ops(self) -> tuple[Op, ...]:
        return tuple(self._ops)

    def __len__(self) -> int:
        return len(self._ops)

    def commit(self, batch: int = 0) -> None:
        """Save the ops: in one journal line, or with ``batch`` in saves of at most
        that many ops (a bulk import, where one line per record would be wasteful).
        A change is saved once."""
        if self._committed:
            raise RuntimeError("this change has been saved already")
        ops = stored(self._ops)
        renamed: dict[str, str] = {}  # ids restamped in an earlier batch (``restamp``)
        if batch <= 0:
            self._store.commit(ops, renamed)
        else:
            for start in range(0, len(ops), batch):
                self._store.commit(ops[start : start + batch], renamed)
        self._committed = True

    # ---- what the record edits call -----------------------------------------------------

    def _add(self, op: Op) -> None:
        if self._committed:
            raise RuntimeError("this change has been saved already; start a new one")
        self._ops.append(op)
        if op["kind"] != "append" and op["kind"] != "delete":
            self._seen.setdefault((op["entity"], op["uid"]), []).append(op["id"])

    def _current(self, entity: str, uid: str, field: str) -> list[str]:
        mine = self._heads.get((entity, uid, field))
        if mine is not None:
            return list(mine)
        return [opid for opid, _ in self._store.view.heads(entity, uid, field)]

    def _create(self, entity: str, uid: str, data: dict[str, Any], anonymous: bool) -> None:
        if anonymous:
            op = anonymous_op(entity, uid, data)
        else:
            op = create_op(self._store.stamp(), entity, uid, data)
        self._add(op)
        for field in data:
            self._heads[(entity, uid, field)] = [op["id"]]

    def _set(self, entity: str, uid: str, field: str, value: Any, mode: str) -> None:
        current = self._current(entity, uid, field)
        concurrent = mode == "concurrent"
        pred = [] if concurrent else current
        op = set_op(self._store.stamp(), entity, uid, field, value, pred, resolve=mode == "resolve")
        self._add(op)
        self._heads[(entity, uid, field)] = [*current, op["id"]] if concurrent else [op["id"]]

    def _append(self, entity: str, uid: str, field: str, value: Any) -> None:
        self._add(append_op(self._store.stamp(), entity, uid, field, value))

    def _delete(self, entity: str, uid: str) -> None:
        observed = set(self._store.view.observed(entity, uid))
        observed.update(self._seen.get((entity, uid), ()))
        self._add(delete_op(self._store.stamp(), entity, uid, sorted(observed)))


class RecordEdit:
    """Changes to one record within a :class:`Change`; every method returns the edit,
    so calls chain, and :meth:`commit` saves the whole change."""

    __slots__ = ("change", "entity", "uid")

    def __init__(self, change: Change, entity: str, uid: str) -> None:
        self.change, self.entity, self.uid = change, entity, uid

    def create(self, data: dict[str, Any]) -> RecordEdit:
        """Create the record with these fields (not ``uid``, not append-only lists)."""
        self.change._create(self.entity, self.uid, data, anonymous=False)
        return self

    def create_anonymous(self, data: dict[str, Any]) -> RecordEdit:
        """Create an anonymous answer: no replica id and no time go with it (eNPS)."""
        self.change._create(self.entity, self.uid, data, anonymous=True)
        return self

    def set(self, field: str, value: Any) -> RecordEdit:
        """A new value of ``field``, replacing every value it has now."""
        self.change._set(self.entity, self.uid, field, value, "set")
        return self

    def resolve(self, field: str, value: Any) -> RecordEdit:
        """Settle a conflicted field: one value replacing all of its concurrent ones."""
        self.change._set(self.entity, self.uid, field, value, "resolve")
        return self

    def set_concurrent(self, field: str, value: Any) -> RecordEdit:
        """A value that replaces none: it stands beside the current ones as a conflict
        (restoring a conflict from an export)."""
        self.change._set(self.entity, self.uid, field, value, "concurrent")
        return self

    def append(self, field: str, value: Any) -> RecordEdit:
        """Add one entry to the append-only list ``field``."""
        self.change._append(self.entity, self.uid, field, value)
        return self

    def delete(self) -> RecordEdit:
        """Delete the record as it is now; an edit made elsewhere meanwhile keeps it."""
        self.change._delete(self.entity, self.uid)
        return self

    def record(self, entity: str, uid: str) -> RecordEdit:
        """Changes to another record, in the same save."""
        return self.change.record(entity, uid)

    def commit(self, batch: int = 0) -> None:
        """Save the whole change (see :meth:`Change.commit`)."""
        self.change.commit(batch)

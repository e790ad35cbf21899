"""The op schema: what every kind of change looks like, how one is made, how one is checked.

An op is one JSON object, stored as it is in the journal and in sync segments::

    {"id": "<rid>:<wall>:<counter>", "hlc": [wall, counter], "rid": "<rid>",
     "entity": "<record kind>", "uid": "<record uid>", "kind": "<op kind>", ...}

followed by the fields of its kind:

- ``create``:  ``data`` (the record's fields, without ``uid``);
- ``set``:     ``field``, ``value``, ``pred`` (the op ids of the values it replaces);
- ``resolve``: the same as ``set``; it settles a conflict (``pred`` names every head);
- ``append``:  ``field``, ``value`` (one entry added to an append-only list);
- ``delete``:  ``observed`` (the op ids its author had seen of the record).

An anonymous eNPS answer is a ``create`` under the replica id ``anon`` with the clock
``[0, 0]``: it names no author and no time.

The constructors below build ops of this replica (typed, in the key order the journal has
always had) and refuse anything :func:`check_op` would refuse on another replica, so a
bad op never reaches a journal or a shared folder. Ops read back from disk or from
another replica are plain dicts (:data:`StoredOp`); :func:`check_op` says whether one
may be applied.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, TypedDict, TypeVar, cast

from pulsetui.domain.models import ENTITIES
from pulsetui.store.ids import ANON_RID, op_id
from pulsetui.store.opcheck import FIELD_RE as FIELD_RE
from pulsetui.store.opcheck import OPID_RE as OPID_RE
from pulsetui.store.opcheck import UID_RE as UID_RE
from pulsetui.store.opcheck import StoredOp as StoredOp
from pulsetui.store.opcheck import check_ops as check_ops


class Stamp(NamedTuple):
    """Who made an op and when: a replica id and its hybrid logical clock."""

    rid: str
    wall: int
    counter: int

    @property
    def id(self) -> str:
        return op_id(self.rid, self.wall, self.counter)


ANONYMOUS = Stamp(ANON_RID, 0, 0)


class CreateOp(TypedDict):
    id: str
    hlc: list[int]
    rid: str
    entity: str
    uid: str
    kind: Literal["create"]
    data: dict[str, Any]


class SetOp(TypedDict):
    id: str
    hlc: list[int]
    rid: str
    entity: str
    uid: str
    kind: Literal["set", "resolve"]
    field: str
    value: Any
    pred: list[str]


class AppendOp(TypedDict):
    id: str
    hlc: list[int]
    rid: str
    entity: str
    uid: str
    kind: Literal["append"]
    field: str
    value: Any


class DeleteOp(TypedDict):
    id: str
    hlc: list[int]
    rid: str
    entity: str
    uid: str
    kind: Literal["delete"]
    observed: list[str]


Op = CreateOp | SetOp | AppendOp | DeleteOp
T = TypeVar("T", CreateOp, SetOp, AppendOp, DeleteOp)


def create_op(stamp: Stamp, entity: str, uid: str, data: dict[str, Any]) -> CreateOp:
    """A new record with these fields."""
    op: CreateOp = {
        "id": stamp.id,
        "hlc": [stamp.wall, stamp.counter],
        "rid": stamp.rid,
        "entity": entity,
        "uid": uid,
        "kind": "create",
        "data": data,
    }
    return _checked(op)


def anonymous_op(entity: str, uid: str, data: dict[str, Any]) -> CreateOp:
    """An anonymous answer (eNPS): a create that names no replica and no time."""
    return create_op(ANONYMOUS, entity, uid, data)


def set_op(
    stamp: Stamp,
    entity: str,
    uid: str,
    field: str,
    value: Any,
    pred: list[str],
    *,
    resolve: bool = False,
) -> SetOp:
    """A new value of ``field`` replacing the values whose op ids are ``pred``.

    ``resolve`` marks it as the settling of a conflict (``pred`` names every head)."""
    op: SetOp = {
        "id": stamp.id,
        "hlc": [stamp.wall, stamp.counter],
        "rid": stamp.rid,
        "entity": entity,
        "uid": uid,
        "kind": "resolve" if resolve else "set",
        "field": field,
        "value": value,
        "pred": pred,
    }
    return _checked(op)


def append_op(stamp: Stamp, entity: str, uid: str, field: str, value: Any) -> AppendOp:
    """One entry added to the append-only list ``field``."""
    op: AppendOp = {
        "id": stamp.id,
        "hlc": [stamp.wall, stamp.counter],
        "rid": stamp.rid,
        "entity": entity,
        "uid": uid,
        "kind": "append",
        "field": field,
        "value": value,
    }
    return _checked(op)


def delete_op(stamp: Stamp, entity: str, uid: str, observed: list[str]) -> DeleteOp:
    """The record is gone while every value it has is among ``observed``."""
    op: DeleteOp = {
        "id": stamp.id,
        "hlc": [stamp.wall, stamp.counter],
        "rid": stamp.rid,
        "entity": entity,
        "uid": uid,
        "kind": "delete",
        "observed": observed,
    }
    return _checked(op)


def stored(ops: list[Op]) -> list[StoredOp]:
    """The same ops, as the journal and the view take them (no copy)."""
    return cast(list[StoredOp], ops)


def _checked(op: T) -> T:
    problem = check_op(op, {op["rid"]})
    if problem is not None or op["entity"] not in ENTITIES:
        raise ValueError(f"{op['entity']} {op['uid']}: {problem or 'unknown record kind'}")
    return op


# ---- checking ops from elsewhere (``opcheck``) ---------------------------------------


def check_op(op: object, rids: set[str]) -> str | None:
    """Why ``op`` must not be applied, or None.

    ``rids`` are the replica ids the op may carry (a segment's own and those it carries)."""
    found = check_ops((op,), rids)
    return None if found is None else found[1]

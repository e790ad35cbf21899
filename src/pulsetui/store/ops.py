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

import re
from collections.abc import Iterable
from typing import Any, Literal, NamedTuple, TypedDict, TypeVar, cast

from pulsetui.domain.models import ENTITIES
from pulsetui.store.applied import clock_ok
from pulsetui.store.ids import ANON_RID, op_id
from pulsetui.store.records import META_KEYS

# used with fullmatch, in ASCII: no trailing newline, no fullwidth digits or look-alikes
UID_RE = re.compile(r"[0-9A-Za-z_-]{1,64}", re.ASCII)
OPID_RE = re.compile(r"[0-9A-Za-z_-]{1,64}:[0-9]{1,16}:[0-9]{1,9}", re.ASCII)
FIELD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}", re.ASCII)

StoredOp = dict[str, Any]
"""An op as the journal, the view and sync hold it: a plain JSON object."""


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


# ---- checking ops from elsewhere ---------------------------------------------------------

_FIELDS_OK: set[str] = set()  # field names found good, up to _FIELDS_KEPT of them
_FIELDS_KEPT = 4096
# not fields an op may write: the record's identity and the view's bookkeeping (a set of
# ``uid`` would show one record under two uids)
_RESERVED = frozenset({"uid", *META_KEYS})
_REF_FIELDS = {name: spec.refs for name, spec in ENTITIES.items()}
_PLAIN = (str, int, float, bool)
_uid_ok = UID_RE.fullmatch
_opid_ok = OPID_RE.fullmatch
_NO_PRED: list[str] = []  # stands for a missing ``pred`` (never changed)


def _field_ok(name: object) -> bool:
    if type(name) is not str:
        return False
    if name in _FIELDS_OK:
        return True
    if FIELD_RE.fullmatch(name) and name not in _RESERVED:
        if len(_FIELDS_OK) < _FIELDS_KEPT:
            _FIELDS_OK.add(name)
        return True
    return False


def _ids_ok(ids: object) -> bool:
    if type(ids) is not list:
        return False
    if len(ids) == 1:  # the usual edit: it replaces one value
        return type(ids[0]) is str and _opid_ok(ids[0]) is not None
    return all(type(item) is str and _opid_ok(item) for item in ids)


def check_op(op: object, rids: set[str]) -> str | None:
    """Why ``op`` must not be applied, or None.

    ``rids`` are the replica ids the op may carry (a segment's own and those it carries)."""
    found = check_ops((op,), rids)
    return None if found is None else found[1]


def check_ops(
    ops: Iterable[object], rids: set[str], rising: dict[str, list[int]] | None = None
) -> tuple[int, str] | None:
    """The first of ``ops`` that must not be applied (its place, from 0) and why, or None.

    With ``rising`` (each replica's last clock so far, updated here), an op that is
    good but whose clock is not above its replica's last one is refused too ("clock
    does not rise"). One loop for all the ops of a segment, lean: it runs for every op
    read, hundreds of thousands in a first sync."""
    fields_ok, uid_ok, opid_ok = _FIELDS_OK, _uid_ok, _opid_ok
    at = -1
    for op in ops:
        at += 1
        if type(op) is not dict:
            return at, "not an object"
        get = op.get
        rid = get("rid")
        if type(rid) is not str or rid not in rids:
            return at, f"op of replica {rid!r} in another replica's segment"
        hlc = get("hlc")
        if type(hlc) is not list or len(hlc) != 2:
            return at, "bad clock"
        wall, counter = hlc
        if not clock_ok(wall, counter):
            return at, "bad clock"
        if get("id") != f"{rid}:{wall}:{counter}":
            return at, "op id does not match its replica and clock"
        uid = get("uid")
        if type(get("entity")) is not str or type(uid) is not str or not uid_ok(uid):
            return at, "bad entity or uid"
        kind = get("kind")
        if kind == "set" or kind == "resolve":
            field = get("field")
            if (type(field) is not str or field not in fields_ok) and not _field_ok(field):
                return at, f"bad {kind}"
            if "value" not in op:
                return at, f"bad {kind}"
            pred = get("pred", _NO_PRED)
            if type(pred) is not list:
                return at, f"bad {kind} predecessors"
            if len(pred) == 1:  # the usual edit: it replaces one value
                if type(pred[0]) is not str or not opid_ok(pred[0]):
                    return at, f"bad {kind} predecessors"
            elif not _ids_ok(pred):
                return at, f"bad {kind} predecessors"
            value = op["value"]
            if (
                value is not None
                and type(value) not in _PLAIN
                and field in _REF_FIELDS.get(op["entity"], ())
            ):
                return at, "bad reference"
        elif kind == "create":
            data = get("data")
            if type(data) is not dict:
                return at, "bad create data"
            if not fields_ok.issuperset(data):
                for key in data:
                    if not _field_ok(key):
                        return at, "bad create data"
            for ref in _REF_FIELDS.get(op["entity"], ()):
                value = data.get(ref)
                if value is not None and type(value) not in _PLAIN:
                    return at, "bad reference"
        elif kind == "append":
            field = get("field")
            if (type(field) is not str or field not in fields_ok) and not _field_ok(field):
                return at, "bad append"
            if "value" not in op:
                return at, "bad append"
        elif kind == "delete":
            if not _ids_ok(get("observed", [])):
                return at, "bad delete"
        elif type(kind) is not str:
            return at, "no kind"
        if rising is not None:
            before = rising.get(rid)
            if before is not None and hlc <= before:
                return at, "clock does not rise"
            rising[rid] = hlc
    return None

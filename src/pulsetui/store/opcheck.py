"""Checking ops from elsewhere (another replica's segment, a backup): whether each may
be applied, and if not, why.

An op must be an object of a replica it may come from, with a sane clock, its id made
of its replica and clock, a record kind and a uid, and the fields of its kind (see
``ops``); no field it writes may be the record's identity or the view's bookkeeping, and
a reference field holds a plain value. This module needs nothing of the domain but each
record kind's reference fields, which a caller may pass (a helper process reading
segments gets them from the app, see ``sync.readahead``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulsetui.store.applied import WALL_LIMIT
from pulsetui.store.records import META_KEYS

# used with fullmatch, in ASCII: no trailing newline, no fullwidth digits or look-alikes
UID_RE = re.compile(r"[0-9A-Za-z_-]{1,64}", re.ASCII)
OPID_RE = re.compile(r"[0-9A-Za-z_-]{1,64}:[0-9]{1,16}:[0-9]{1,9}", re.ASCII)
FIELD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}", re.ASCII)

StoredOp = dict[str, Any]
"""An op as the journal, the view and sync hold it: a plain JSON object."""

Refs = Mapping[str, tuple[str, ...]]  # record kind -> its reference fields

_FIELDS_OK: set[str] = set()  # field names found good, up to _FIELDS_KEPT of them
_FIELDS_KEPT = 4096
# not fields an op may write: the record's identity and the view's bookkeeping (a set of
# ``uid`` would show one record under two uids)
_RESERVED = frozenset({"uid", *META_KEYS})
_PLAIN = (str, int, float, bool)
_uid_ok = UID_RE.fullmatch
_opid_ok = OPID_RE.fullmatch
_NO_PRED: list[str] = []  # stands for a missing ``pred`` (never changed)


@functools.cache
def entity_refs() -> dict[str, tuple[str, ...]]:
    """Each record kind's reference fields, as the domain defines them."""
    from pulsetui.domain.models import ENTITIES

    return {name: spec.refs for name, spec in ENTITIES.items()}


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
    return all(type(item) is str and _opid_ok(item) for item in ids)


def check_ops(
    ops: Iterable[object],
    rids: set[str],
    rising: dict[str, list[int]] | None = None,
    refs: Refs | None = None,
) -> tuple[int, str] | None:
    """The first of ``ops`` that must not be applied (its place, from 0) and why, or None.

    ``rids`` are the replica ids the ops may carry (a segment's own and those it
    carries). With ``rising`` (each replica's last clock so far, updated here), an op
    that is good but whose clock is not above its replica's last one is refused too
    ("clock does not rise"). ``refs``: each record kind's reference fields (by default
    the domain's). One loop for all the ops of a segment, lean: it runs for every op
    read, hundreds of thousands in a first sync."""
    fields_ok, uid_ok, opid_ok = _FIELDS_OK, _uid_ok, _opid_ok
    field_ok, ids_ok = _field_ok, _ids_ok
    ref_fields = entity_refs() if refs is None else refs
    last_rid: object = None  # the replica of the op before, and its clock
    last_hlc: list[int] | None = None
    for at, op in enumerate(ops):
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
        if (  # applied.clock_ok, inline
            type(wall) is not int
            or type(counter) is not int
            or not 0 <= wall < WALL_LIMIT
            or counter < 0
        ):
            return at, "bad clock"
        if get("id") != f"{rid}:{wall}:{counter}":
            return at, "op id does not match its replica and clock"
        uid = get("uid")
        entity = get("entity")
        if type(entity) is not str or type(uid) is not str or not uid_ok(uid):
            return at, "bad entity or uid"
        kind = get("kind")
        if kind == "set" or kind == "resolve":
            field = get("field")
            if (type(field) is not str or field not in fields_ok) and not field_ok(field):
                return at, f"bad {kind}"
            if "value" not in op:
                return at, f"bad {kind}"
            pred = get("pred", _NO_PRED)
            if type(pred) is not list:
                return at, f"bad {kind} predecessors"
            if len(pred) == 1:  # the usual edit: it replaces one value
                if type(pred[0]) is not str or not opid_ok(pred[0]):
                    return at, f"bad {kind} predecessors"
            elif not ids_ok(pred):
                return at, f"bad {kind} predecessors"
            value = op["value"]
            if (
                value is not None
                and type(value) not in _PLAIN
                and field in ref_fields.get(entity, ())
            ):
                return at, "bad reference"
        elif kind == "create":
            data = get("data")
            if type(data) is not dict:
                return at, "bad create data"
            if not fields_ok.issuperset(data):
                for key in data:
                    if not field_ok(key):
                        return at, "bad create data"
            for ref in ref_fields.get(entity, ()):
                value = data.get(ref)
                if value is not None and type(value) not in _PLAIN:
                    return at, "bad reference"
        elif kind == "append":
            field = get("field")
            if (type(field) is not str or field not in fields_ok) and not field_ok(field):
                return at, "bad append"
            if "value" not in op:
                return at, "bad append"
        elif kind == "delete":
            if not ids_ok(get("observed", [])):
                return at, "bad delete"
        elif type(kind) is not str:
            return at, "no kind"
        if rising is not None:
            if rid != last_rid:  # the replica's last clock, kept here while it lasts
                if last_hlc is not None:
                    rising[last_rid] = last_hlc  # type: ignore[index]
                last_rid, last_hlc = rid, rising.get(rid)
            if last_hlc is not None and hlc <= last_hlc:
                return at, "clock does not rise"
            last_hlc = hlc
    if rising is not None and last_hlc is not None:
        rising[last_rid] = last_hlc  # type: ignore[index]
    return None

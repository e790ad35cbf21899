"""The materialised view: current values of every record, built by applying ops.

Merge rules (a small CRDT; any order of replicas, any duplication, same result):

- every field is a multi-value register. A ``set`` names the op ids it replaces
  (``pred``); the heads left are the field's values. The shown value is the head with
  the greatest ``(hlc, rid)``; when several heads remain, all are kept as a conflict
  until a ``resolve`` (a set whose ``pred`` names them all) settles it;
- ``create`` counts as a set of each of its fields;
- ``delete`` names the op ids its author had seen (``observed``); the record is gone
  only while every head is among them, so a concurrent edit survives;
- ``append`` adds to an append-only list (an agreement's status history).

Ops already applied are recognised (exactly, per op id) and skipped, so a replica's
ops may arrive in any order.

Records are plain dicts with a few bookkeeping keys (see ``records``); the op kinds
and their fields are those of ``ops``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from pulsetui.domain.models import ENTITIES
from pulsetui.store.applied import AppliedOps, clock_ok
from pulsetui.store.deferred import Deferred
from pulsetui.store.heads import all_head_ids, heads_of, store_heads
from pulsetui.store.ids import ANON_RID, op_key, split_op_id
from pulsetui.store.records import META_KEYS, Doc, RecordTable, UidIndex
from pulsetui.store.refindex import RefIndex
from pulsetui.store.viewfast import ShortWays

FORMAT = 2  # 2: applied ops kept exactly, per op

Op = dict[str, Any]


class ViewStorage(Storage):
    """A TinyDB storage over the in-memory view; TinyDB is used for queries only."""

    def __init__(self, view: View) -> None:
        self._view = view

    def read(self) -> dict[str, Any]:
        return self._view.tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise PermissionError("the pulsetui view changes only through ops")


class OtherViewFormat(ValueError):
    """A view written by another version of pulsetui: rebuilt from the journal."""


class View(Deferred, ShortWays):
    def __init__(self) -> None:
        self.tables: dict[str, RecordTable] = {name: RecordTable() for name in ENTITIES}
        self._ids: dict[str, UidIndex] = {name: UidIndex(self.tables[name]) for name in ENTITIES}
        self._next_id: dict[str, int] = defaultdict(lambda: 1)
        self.pending: set[tuple[str, str]] = set()  # (op id, field) replaced before arrival
        # reference indexes: entity -> field -> value -> doc ids
        self.refs: dict[str, dict[str, RefIndex]] = {
            name: {field: RefIndex() for field in spec.refs} for name, spec in ENTITIES.items()
        }
        self.conflicted: dict[str, set[str]] = defaultdict(set)
        self.revived: dict[str, set[str]] = defaultdict(set)
        self.skipped = 0  # ops of unknown entities or kinds, kept in the journal
        self._db: TinyDB | None = None
        # read from a view file on first use (see ``viewfile``): deleted records and
        # the ids of applied ops are needed only once an op is applied
        self._hidden: dict[str, dict[str, Doc]] | None = {name: {} for name in ENTITIES}
        self._applied: AppliedOps | None = AppliedOps()
        self._load_hidden: Callable[[], dict[str, dict[str, Doc]]] | None = None
        self._load_applied: Callable[[], AppliedOps] | None = None
        self._lazy_lock = threading.Lock()
        Deferred.__init__(self)  # an entity's ops applied on its first use (``defer``)

    @property
    def hidden(self) -> dict[str, dict[str, Doc]]:
        """entity -> uid -> records deleted or not yet created."""
        if self._hidden is None:
            with self._lazy_lock:
                if self._hidden is None and self._load_hidden is not None:
                    self._hidden = self._load_hidden()
        assert self._hidden is not None
        return self._hidden

    @property
    def applied(self) -> AppliedOps:
        if self._applied is None:
            with self._lazy_lock:
                if self._applied is None and self._load_applied is not None:
                    self._applied = self._load_applied()
        assert self._applied is not None
        return self._applied

    @applied.setter
    def applied(self, value: AppliedOps) -> None:
        self._applied = value

    def attach_lazy(
        self,
        hidden: Callable[[], dict[str, dict[str, Doc]]],
        applied: Callable[[], AppliedOps],
    ) -> None:
        """Deleted records and applied op ids are in a view file, read on first use."""
        self._hidden, self._load_hidden = None, hidden
        self._applied, self._load_applied = None, applied

    # ---- reading -----------------------------------------------------------------

    def get(self, entity: str, uid: str) -> Doc | None:
        if entity in self._deferred:
            self._ready(entity)
        doc_id = self._ids[entity].get(uid)
        return None if doc_id is None else self.tables[entity].doc(doc_id)

    def raw(self, entity: str, uid: str) -> Doc | None:
        """The record even when deleted or not yet created."""
        return self.get(entity, uid) or self.hidden[entity].get(uid)

    def docs(self, entity: str) -> Iterable[Doc]:
        if entity in self._deferred:
            self._ready(entity)
        return self.tables[entity].values()

    def ordered(
        self,
        entity: str,
        key: Callable[[Doc], tuple[str, ...]],
        refs: dict[str, Any] | None = None,
    ) -> Iterator[Doc]:
        """Current records (those holding ``refs``' values) sorted by ``key``, read one at
        a time: a first pass keeps one string and a doc id per record, not the records."""
        if entity in self._deferred:
            self._ready(entity)
        table = self.tables[entity]
        if refs:
            (field, value), *rest = refs.items()
            found = (
                (doc_id, table.doc(doc_id)) for doc_id in tuple(self.refs[entity][field].get(value))
            )
            pairs: Iterable[tuple[int, Doc | None]] = (
                (doc_id, doc)
                for doc_id, doc in found
                if doc is not None and all(doc.get(f) == v for f, v in rest)
            )
        else:
            pairs = table.pairs()
        order = sorted((_sort_string(key(doc)), doc_id) for doc_id, doc in pairs if doc is not None)
        for _, doc_id in order:
            doc = table.doc(doc_id)
            if doc is not None:
                yield doc

    def docs_by_uid(self, entity: str) -> Iterator[Doc]:
        """Every current record in uid order, read one at a time."""
        if entity in self._deferred:
            self._ready(entity)
        return self.tables[entity].by_uid()

    def count(self, entity: str) -> int:
        if entity in self._deferred:
            self._ready(entity)
        return len(self.tables[entity])

    def by_ref(self, entity: str, field: str, value: str) -> Iterator[Doc]:
        if entity in self._deferred:
            self._ready(entity)
        table = self.tables[entity]
        for doc_id in tuple(self.refs[entity][field].get(value)):
            doc = table.doc(doc_id)
            if doc is not None:
                yield doc

    @property
    def db(self) -> TinyDB:
        """TinyDB over the view, for ad-hoc queries (``view.db.table('client')``)."""
        self.ready_all()
        if self._db is None:
            self._db = TinyDB(self, storage=ViewStorage)
        return self._db

    def heads(self, entity: str, uid: str, field: str) -> list[tuple[str, Any]]:
        doc = self.raw(entity, uid)
        return [] if doc is None else heads_of(doc, field)

    def observed(self, entity: str, uid: str) -> list[str]:
        """Every op id a delete of this record right now would have seen."""
        doc = self.raw(entity, uid)
        if doc is None:
            return []
        ids = {doc["_c"]} if doc.get("_c") else set()
        ids.update(all_head_ids(doc))
        return sorted(ids)

    def conflicts(self, entity: str, uid: str) -> dict[str, list[tuple[str, Any]]]:
        doc = self.raw(entity, uid)
        if doc is None:
            return {}
        return {
            field: [(opid, value) for opid, value in heads]
            for field, heads in doc.get("_h", {}).items()
            if isinstance(heads, list)
        }

    def is_applied(self, opid: str) -> bool:
        rid, hlc = split_op_id(opid)
        return rid != ANON_RID and (rid, hlc) in self.applied

    # ---- applying ------------------------------------------------------------------

    def apply(self, op: Op) -> bool:
        """Apply one op; False when it was a duplicate or could not be applied."""
        entity = op.get("entity")
        if entity not in ENTITIES:
            self.skipped += 1
            return False
        if entity in self._deferred:
            self._ready(entity)
        rid = op["rid"]
        if rid != ANON_RID:
            wall, counter = op["hlc"]
            if not clock_ok(wall, counter):
                self.skipped += 1
                return False
            if not (self._applied or self.applied).add(rid, wall, counter):
                return False
        return self._apply_new(entity, op)

    def _apply_new(self, entity: str, op: Op) -> bool:
        """Apply an op not applied before (recorded as applied by the caller)."""
        rid = op["rid"]
        uid = op["uid"]
        doc_id = self._ids[entity].get(uid)
        kind = op["kind"]
        doc: Doc | None
        if doc_id is not None:
            table = self.tables[entity]
            doc = table.docs.get(doc_id) or table.materialise(doc_id)
            if "_d" not in doc:  # a current record no delete has touched: done in place?
                if kind == "set" or kind == "resolve":
                    if self._set_in_place(entity, doc, doc_id, op):
                        return True
                elif kind == "append" and self._append_in_place(entity, doc, doc_id, op):
                    return True
        else:
            doc = self.hidden[entity].get(uid)
            if doc is None and kind == "create" and self._create_unseen(entity, uid, op):
                return True
        if doc is None:
            doc = {"uid": uid}
            self.hidden[entity][uid] = doc
        elif doc_id is not None:
            self._unindex(entity, doc, doc_id)
        if kind == "create":
            if doc.get("_c") or (rid == ANON_RID and doc_id is not None):
                if doc_id is not None:
                    self._index(entity, doc, doc_id)
                return False
            doc["_c"] = op["id"]
            for field, value in op["data"].items():
                self._set(doc, field, op["id"], value, ())
        elif kind in ("set", "resolve"):
            self._set(doc, op["field"], op["id"], op["value"], op.get("pred", ()))
        elif kind == "append":
            entries = doc.setdefault("_a", {}).setdefault(op["field"], [])
            entries.append([op["id"], op["value"]])
            entries.sort(key=lambda entry: op_key(entry[0]))
            doc[op["field"]] = [value for _, value in entries]
        elif kind == "delete":
            doc["_d"] = sorted(set(doc.get("_d", ())) | set(op.get("observed", ())))
        else:
            self.skipped += 1
        self._place(entity, doc)
        return True

    def _set(self, doc: Doc, field: str, opid: str, value: Any, pred: Iterable[str]) -> None:
        # An op that a later op (already applied) replaced never becomes a head, but
        # what it replaced still goes: otherwise its own predecessors would linger.
        pending = self.pending
        superseded = False
        if pending and (opid, field) in pending:
            superseded = True
            pending.discard((opid, field))
        current = heads_of(doc, field)
        if pred:
            replaced = set(pred)
            current_ids = {head for head, _ in current}
            for old in replaced - current_ids:
                if not self.is_applied(old):
                    pending.add((old, field))
            heads = [(head, val) for head, val in current if head not in replaced]
        else:
            heads = current
        if not superseded:
            heads.append((opid, value))
        if heads:
            store_heads(doc, field, heads)

    def _place(self, entity: str, doc: Doc) -> None:
        uid = doc["uid"]
        alive = bool(doc.get("_c"))
        revived = False
        if alive and doc.get("_d"):
            observed = set(doc["_d"])
            unseen = [head for head in all_head_ids(doc) if head not in observed]
            if doc["_c"] not in observed:
                unseen.append(doc["_c"])
            alive = bool(unseen)
            revived = alive
        (self.revived[entity].add if revived else self.revived[entity].discard)(uid)
        if isinstance(doc.get("_h"), dict) and any(isinstance(v, list) for v in doc["_h"].values()):
            self.conflicted[entity].add(uid)
        else:
            self.conflicted[entity].discard(uid)
        ids = self._ids[entity]
        if alive:
            self.hidden[entity].pop(uid, None)
            doc_id = ids.get(uid)
            if doc_id is None:
                doc_id = self._next_id[entity]
                self._next_id[entity] += 1
                ids[uid] = doc_id
                self.tables[entity].put(doc_id, doc)
            self._index(entity, doc, doc_id)
        else:
            gone = ids.pop(uid, None)
            if gone is not None:
                self.tables[entity].remove(gone)
            self.hidden[entity][uid] = doc

    def _index(self, entity: str, doc: Doc, doc_id: int, fresh: bool = False) -> None:
        """Index a record (``fresh``: a doc id never indexed before)."""
        for field, index in self.refs[entity].items():
            value = doc.get(field)
            if value is not None:
                index.add(value, doc_id, fresh)

    def _unindex(self, entity: str, doc: Doc, doc_id: int) -> None:
        for field, index in self.refs[entity].items():
            value = doc.get(field)
            if value is not None:
                index.discard(value, doc_id)

    # ---- persistence (the plain layout of the first view files: ``viewplain``) ----------

    def to_data(self, meta: dict[str, Any]) -> dict[str, Any]:
        """The view in TinyDB's file layout: one table per entity, plus bookkeeping."""
        from pulsetui.store.viewplain import to_plain

        self.ready_all()
        return to_plain(self, meta)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> tuple[View, dict[str, Any]]:
        from pulsetui.store.viewplain import from_plain

        return from_plain(cls(), data)


def _sort_string(key: tuple[str, ...]) -> str:
    """One string that sorts as the tuple ``key`` does (a NUL in a part is written
    NUL SOH, and NUL NUL ends each part): one object per record instead of several."""
    return "".join(str(part).replace("\x00", "\x00\x01") + "\x00\x00" for part in key)


def public_fields(doc: Doc) -> dict[str, Any]:
    """The record's own fields, without bookkeeping."""
    return {key: value for key, value in doc.items() if key not in META_KEYS}

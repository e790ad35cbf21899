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

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from pulsetui.domain.models import ENTITIES
from pulsetui.store.applied import AppliedOps, clock_ok
from pulsetui.store.ids import ANON_RID, op_key, split_op_id
from pulsetui.store.records import META_KEYS, Doc, RecordTable

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


class View:
    def __init__(self) -> None:
        self.tables: dict[str, RecordTable] = {name: RecordTable() for name in ENTITIES}
        self.hidden: dict[str, dict[str, Doc]] = {name: {} for name in ENTITIES}
        self._ids: dict[str, dict[str, int]] = {name: {} for name in ENTITIES}
        self._next_id: dict[str, int] = defaultdict(lambda: 1)
        self.applied = AppliedOps()
        self.pending: set[tuple[str, str]] = set()  # (op id, field) replaced before arrival
        # reference indexes: entity -> field -> value -> uids (lists: a few bytes per
        # entry where a set costs dozens, and the lists stay short)
        self.refs: dict[str, dict[str, dict[Any, list[str]]]] = {
            name: {field: {} for field in spec.refs} for name, spec in ENTITIES.items()
        }
        self.conflicted: dict[str, set[str]] = defaultdict(set)
        self.revived: dict[str, set[str]] = defaultdict(set)
        self.skipped = 0  # ops of unknown entities or kinds, kept in the journal
        self._db: TinyDB | None = None

    # ---- reading -----------------------------------------------------------------

    def get(self, entity: str, uid: str) -> Doc | None:
        doc_id = self._ids[entity].get(uid)
        return None if doc_id is None else self.tables[entity].doc(doc_id)

    def raw(self, entity: str, uid: str) -> Doc | None:
        """The record even when deleted or not yet created."""
        return self.get(entity, uid) or self.hidden[entity].get(uid)

    def docs(self, entity: str) -> Iterable[Doc]:
        return self.tables[entity].values()

    def count(self, entity: str) -> int:
        return len(self.tables[entity])

    def by_ref(self, entity: str, field: str, value: str) -> Iterator[Doc]:
        for uid in tuple(self.refs[entity][field].get(value, ())):
            doc = self.get(entity, uid)
            if doc is not None:
                yield doc

    @property
    def db(self) -> TinyDB:
        """TinyDB over the view, for ad-hoc queries (``view.db.table('client')``)."""
        if self._db is None:
            self._db = TinyDB(self, storage=ViewStorage)
        return self._db

    def heads(self, entity: str, uid: str, field: str) -> list[tuple[str, Any]]:
        doc = self.raw(entity, uid)
        return [] if doc is None else _heads(doc, field)

    def observed(self, entity: str, uid: str) -> list[str]:
        """Every op id a delete of this record right now would have seen."""
        doc = self.raw(entity, uid)
        if doc is None:
            return []
        ids = {doc["_c"]} if doc.get("_c") else set()
        ids.update(_all_head_ids(doc))
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
        rid = op["rid"]
        if rid != ANON_RID:
            wall, counter = op["hlc"]
            if not clock_ok(wall, counter):
                self.skipped += 1
                return False
            if not self.applied.add(rid, wall, counter):
                return False
        uid = op["uid"]
        doc_id = self._ids[entity].get(uid)
        was_visible = doc_id is not None
        doc: Doc | None
        if doc_id is not None:
            doc = self.tables[entity].materialise(doc_id)
        else:
            doc = self.hidden[entity].get(uid)
        if doc is None:
            doc = {"uid": uid}
            self.hidden[entity][uid] = doc
        elif was_visible:
            self._unindex(entity, doc)
        kind = op["kind"]
        if kind == "create":
            if doc.get("_c") or (rid == ANON_RID and was_visible):
                if was_visible:
                    self._index(entity, doc)
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
        superseded = (opid, field) in self.pending
        self.pending.discard((opid, field))
        replaced = set(pred)
        current = _heads(doc, field)
        current_ids = {head for head, _ in current}
        for old in replaced - current_ids:
            if not self.is_applied(old):
                self.pending.add((old, field))
        heads = [(head, val) for head, val in current if head not in replaced]
        if not superseded:
            heads.append((opid, value))
        if heads:
            _store_heads(doc, field, heads)

    def _place(self, entity: str, doc: Doc) -> None:
        uid = doc["uid"]
        alive = bool(doc.get("_c"))
        revived = False
        if alive and doc.get("_d"):
            observed = set(doc["_d"])
            unseen = [head for head in _all_head_ids(doc) if head not in observed]
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
            if uid not in ids:
                doc_id = self._next_id[entity]
                self._next_id[entity] += 1
                ids[uid] = doc_id
                self.tables[entity].put(doc_id, doc)
            self._index(entity, doc)
        else:
            gone = ids.pop(uid, None)
            if gone is not None:
                self.tables[entity].remove(gone)
            self.hidden[entity][uid] = doc

    def _index(self, entity: str, doc: Doc) -> None:
        for field, index in self.refs[entity].items():
            value = doc.get(field)
            if value is not None:
                bucket = index.get(value)
                if bucket is None:
                    index[value] = [doc["uid"]]
                elif doc["uid"] not in bucket:
                    bucket.append(doc["uid"])

    def _unindex(self, entity: str, doc: Doc) -> None:
        for field, index in self.refs[entity].items():
            value = doc.get(field)
            if value is not None:
                bucket = index.get(value)
                if bucket is not None and doc["uid"] in bucket:
                    bucket.remove(doc["uid"])
                    if not bucket:
                        del index[value]

    # ---- persistence ------------------------------------------------------------------

    def to_data(self, meta: dict[str, Any]) -> dict[str, Any]:
        """The view in TinyDB's file layout: one table per entity, plus bookkeeping."""
        data: dict[str, Any] = {name: dict(table.items()) for name, table in self.tables.items()}
        hidden = {
            f"{entity}/{uid}": doc
            for entity, docs in self.hidden.items()
            for uid, doc in docs.items()
        }
        data["_hidden"] = {"1": {"docs": hidden}} if hidden else {}
        data["_meta"] = {
            "1": {
                **meta,
                "format": FORMAT,
                "applied": self.applied.to_json(),
                "pending": sorted([opid, field] for opid, field in self.pending),
                "next_id": dict(self._next_id),
                "skipped": self.skipped,
            }
        }
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> tuple[View, dict[str, Any]]:
        view = cls()
        meta = data["_meta"]["1"]
        if meta.get("format") != FORMAT:
            raise OtherViewFormat(f"written in view format {meta.get('format')!r}, not {FORMAT}")
        intern: dict[str, str] = {}
        for entity in ENTITIES:
            table = data.get(entity, {})
            ids = view._ids[entity]
            docs = view.tables[entity].docs
            ref_fields = ENTITIES[entity].refs
            for key, doc in table.items():
                doc_id = int(key)
                for field in ref_fields:
                    value = doc.get(field)
                    if value is not None:
                        doc[field] = intern.setdefault(value, value)
                ids[doc["uid"]] = doc_id
                docs[doc_id] = doc
                view._index(entity, doc)
                if isinstance(doc.get("_h"), dict) and any(
                    isinstance(v, list) for v in doc["_h"].values()
                ):
                    view.conflicted[entity].add(doc["uid"])
                if doc.get("_d"):
                    view.revived[entity].add(doc["uid"])
        hidden = data.get("_hidden", {}).get("1", {}).get("docs", {})
        for key, doc in hidden.items():
            entity, uid = key.split("/", 1)
            if entity in view.hidden:
                view.hidden[entity][uid] = doc
        view.applied = AppliedOps.from_json(meta.get("applied", {}))
        view.pending = {(opid, field) for opid, field in meta.get("pending", [])}
        view._next_id.update({k: int(v) for k, v in meta.get("next_id", {}).items()})
        for entity, ids in view._ids.items():  # never hand out an id that is in use
            if ids:
                view._next_id[entity] = max(view._next_id[entity], max(ids.values()) + 1)
        view.skipped = meta.get("skipped", 0)
        return view, meta


def _heads(doc: Doc, field: str) -> list[tuple[str, Any]]:
    stored = doc.get("_h", {}).get(field)
    if stored is None:
        if field in doc and doc.get("_c") and field not in META_KEYS and field != "uid":
            return [(doc["_c"], doc[field])]
        return []
    if isinstance(stored, str):
        return [(stored, doc.get(field))]
    return [(head, value) for head, value in stored]


def _store_heads(doc: Doc, field: str, heads: list[tuple[str, Any]]) -> None:
    winner = max(heads, key=lambda head: op_key(head[0]))
    doc[field] = winner[1]
    h = doc.setdefault("_h", {})
    if len(heads) == 1:
        if heads[0][0] == doc.get("_c"):
            h.pop(field, None)
        else:
            h[field] = heads[0][0]
    else:
        h[field] = [[head, value] for head, value in sorted(heads, key=lambda x: op_key(x[0]))]
    if not h:
        del doc["_h"]


def _all_head_ids(doc: Doc) -> list[str]:
    ids: list[str] = []
    for stored in doc.get("_h", {}).values():
        if isinstance(stored, str):
            ids.append(stored)
        else:
            ids.extend(head for head, _ in stored)
    return ids


def public_fields(doc: Doc) -> dict[str, Any]:
    """The record's own fields, without bookkeeping."""
    return {key: value for key, value in doc.items() if key not in META_KEYS}

"""The plain view file of the first format: every record in TinyDB's layout and the
bookkeeping in ``_meta`` (still read; a checkpoint writes the indexed layout of
``viewfile`` instead)."""

from __future__ import annotations

from typing import Any

from pulsetui.domain.models import ENTITIES
from pulsetui.store.applied import AppliedOps
from pulsetui.store.view import FORMAT, OtherViewFormat, View


def to_plain(view: View, meta: dict[str, Any]) -> dict[str, Any]:
    """The view in TinyDB's file layout: one table per entity, plus bookkeeping."""
    data: dict[str, Any] = {name: dict(table.items()) for name, table in view.tables.items()}
    hidden = {
        f"{entity}/{uid}": doc for entity, docs in view.hidden.items() for uid, doc in docs.items()
    }
    data["_hidden"] = {"1": {"docs": hidden}} if hidden else {}
    data["_meta"] = {
        "1": {
            **meta,
            "format": FORMAT,
            "applied": view.applied.to_json(),
            "pending": sorted([opid, field] for opid, field in view.pending),
            "next_id": dict(view._next_id),
            "skipped": view.skipped,
        }
    }
    return data


def from_plain(view: View, data: dict[str, Any]) -> tuple[View, dict[str, Any]]:
    """Fill the empty ``view`` from the plain layout; the view and the file's meta."""
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
            view._index(entity, doc, doc_id)
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

"""A field's heads: the values of a multi-value register (see ``view``).

A record keeps its heads compactly: none stored when the only head is the create op
(the value is the field itself), the op id as a string when one later op wrote it, a
list of ``[op id, value]`` pairs, oldest first, while concurrent values remain (a
conflict). The shown value is the head with the greatest ``(hlc, rid)``.
"""

from __future__ import annotations

from typing import Any

from pulsetui.store.ids import op_key
from pulsetui.store.records import META_KEYS, Doc


def heads_of(doc: Doc, field: str) -> list[tuple[str, Any]]:
    stored = doc.get("_h", {}).get(field)
    if stored is None:
        if field in doc and doc.get("_c") and field not in META_KEYS and field != "uid":
            return [(doc["_c"], doc[field])]
        return []
    if isinstance(stored, str):
        return [(stored, doc.get(field))]
    return [(head, value) for head, value in stored]


def store_heads(doc: Doc, field: str, heads: list[tuple[str, Any]]) -> None:
    winner = heads[0] if len(heads) == 1 else max(heads, key=lambda head: op_key(head[0]))
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


def all_head_ids(doc: Doc) -> list[str]:
    ids: list[str] = []
    for stored in doc.get("_h", {}).values():
        if isinstance(stored, str):
            ids.append(stored)
        else:
            ids.extend(head for head, _ in stored)
    return ids

"""Both versions of a field sync met twice (edited on two replicas at once): ours, the
one written on this replica, against the newest from elsewhere — what the conflict
dialog shows before :meth:`Workspace.resolve` settles it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from pulsetui.domain.models import ENTITIES
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import split_op_id


@dataclass(frozen=True)
class Versions:
    """The two sides of one conflicted field."""

    field: str
    mine: Any
    theirs: Any
    mine_is_ours: bool  # False when neither value was written on this replica


def versions_of(ws: Workspace, kind: str, uid: str) -> list[Versions]:
    """Each conflicted field of a record: our value and the newest other value."""
    found = []
    rid = ws.store.rid
    for field, heads in sorted(ws.store.view.conflicts(kind, uid).items()):
        if len(heads) < 2:
            continue
        ours = [value for opid, value in heads if split_op_id(opid)[0] == rid]
        others = [value for opid, value in heads if split_op_id(opid)[0] != rid]
        if ours and others:
            found.append(Versions(field, ours[-1], others[-1], True))
        else:  # both from elsewhere: the shown one against the other newest
            found.append(Versions(field, heads[-1][1], heads[-2][1], False))
    return found


def record_title(ws: Workspace, kind: str, uid: str) -> str:
    """What names a record in a notice: its name, text or date (its uid when gone)."""
    doc = ws.doc(kind, uid) or {}
    return str(doc.get(ENTITIES[kind].title_field, uid))


def merged_text(mine: Any, theirs: Any) -> str:
    """A starting point for "edit merged": both texts, one after the other."""
    return f"{as_text(mine)}\n\n{as_text(theirs)}".strip("\n")


def as_text(value: Any) -> str:
    """A field's value as text to show or edit (lists and objects as JSON)."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return str(value)

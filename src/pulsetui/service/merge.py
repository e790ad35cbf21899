"""Two records of one company or person, made under the same name on two replicas
before they synced: find them, and merge one into the other in a single save.

Merging moves every reference (engagements, meetings, agenda items, agreements, NPS
answers, touchpoints, requests, ...) from the dropped record to the kept one, joins
their contacts and notes, and deletes the dropped record. The kept record's own
fields win; nothing the dropped one held is thrown away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES, Record
from pulsetui.domain.names import name_key
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import split_op_id

MERGEABLE = ("client", "consultant", "manager")


def duplicates(ws: Workspace, kind: str) -> list[list[Record]]:
    """Groups of two or more current records of ``kind`` with the same name."""
    if kind not in MERGEABLE:
        raise InvalidInput.one("kind", f"only {', '.join(MERGEABLE)} can be merged")
    groups: dict[str, list[Record]] = {}
    record: Record
    for record in ws.list(kind):
        groups.setdefault(name_key(str(getattr(record, "name", ""))), []).append(record)
    return [sorted(group, key=lambda r: r.uid) for group in groups.values() if len(group) > 1]


def same_name_groups(ws: Workspace, kind: str) -> dict[str, list[str]]:
    """uid -> the uids of every current record of ``kind`` with the same name (itself
    included), for records that share their name with another. Reads raw records."""
    groups: dict[str, list[str]] = {}
    for doc in ws.docs(kind):
        groups.setdefault(name_key(str(doc.get("name", ""))), []).append(doc["uid"])
    found: dict[str, list[str]] = {}
    for uids in groups.values():
        if len(uids) > 1:
            for uid in uids:
                found[uid] = sorted(uids)
    return found


@dataclass(frozen=True)
class MergeCandidate:
    """One of the records sharing a name, as the merge dialog describes it."""

    uid: str
    name: str
    created: str  # "created 2026-11-20 10:00 UTC on replica 0a1b2c3d", or "created: unknown"
    manager: str  # the manager's name, "" when none
    contacts: int
    has_notes: bool
    references: dict[str, int]  # what refers to it, by kind (plural) -> count


def merge_candidate(ws: Workspace, kind: str, uid: str) -> MergeCandidate | None:
    """A record as the merge dialog shows it; None when it is gone."""
    doc = ws.doc(kind, uid)
    if doc is None:
        return None
    manager = ws.doc("manager", str(doc.get("manager") or "")) if doc.get("manager") else None
    contacts = doc.get("contacts")
    return MergeCandidate(
        uid=uid,
        name=str(doc.get("name", "")),
        created=created_on(doc),
        manager=str(manager.get("name", "")) if manager else "",
        contacts=len(contacts) if isinstance(contacts, list) else 0,
        has_notes=bool(doc.get("notes")),
        references={ENTITIES[k].plural: n for k, n in ws.referrers(kind, uid).items()},
    )


def created_on(doc: dict[str, Any]) -> str:
    """When and on which replica a record was created, from its create op id."""
    op = doc.get("_c")
    if not isinstance(op, str):
        return "created: unknown"
    try:
        rid, (wall, _counter) = split_op_id(op)
        when = dt.datetime.fromtimestamp(wall / 1000, tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return "created: unknown"
    return f"created {when:%Y-%m-%d %H:%M} UTC on replica {str(rid)[:8]}"


def _joined_text(kept: str, dropped: str) -> str:
    if not dropped or dropped == kept:
        return kept
    if not kept:
        return dropped
    return f"{kept}\n\n{dropped}"


def _joined_list(kept: list[Any], dropped: list[Any]) -> list[Any]:
    return kept + [item for item in dropped if item not in kept]


def merge(ws: Workspace, kind: str, keep: str, drop: str) -> dict[str, int]:
    """Merge record ``drop`` into ``keep``; returns how many records of each kind moved."""
    if kind not in MERGEABLE:
        raise InvalidInput.one("kind", f"only {', '.join(MERGEABLE)} can be merged")
    if keep == drop:
        raise InvalidInput.one("merge", "a record cannot be merged into itself")
    kept: Record = ws.require(kind, keep)
    dropped: Record = ws.require(kind, drop)
    view = ws.store.view
    change = ws.store.change()

    kept_fields, dropped_fields = kept.fields(), dropped.fields()
    joined_fields: dict[str, Any] = {}
    for field, value in dropped_fields.items():
        mine = kept_fields.get(field)
        if isinstance(value, list) and isinstance(mine, list):
            joined: Any = _joined_list(mine, value)
        elif field == "notes" and isinstance(value, str) and isinstance(mine, str):
            joined = _joined_text(mine, value)
        else:
            continue
        if joined != mine:
            joined_fields[field] = joined
            change.record(kind, keep).set(field, joined)
    ws.validate(kind, {**kept.model_dump(), **joined_fields})

    moved: dict[str, int] = {}
    for spec in ENTITIES.values():
        if kind not in spec.refs:
            continue
        for doc in list(view.by_ref(spec.name, kind, drop)):
            change.record(spec.name, doc["uid"]).set(kind, keep)
            moved[spec.name] = moved.get(spec.name, 0) + 1
    change.record(kind, drop).delete()
    change.commit()
    return moved

"""Restoring a workspace from a JSON backup (``pulsetui import FILE``): the file is
checked whole before anything is written, then every record is created in one change,
with its conflicts, so export -> import -> export is byte-identical
(:mod:`pulsetui.reports.backup` writes the file)."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import ValidationError

from pulsetui.domain.errors import FieldProblem, InvalidInput
from pulsetui.domain.models import ENTITIES, IMPORTED
from pulsetui.service.workspace import EXPORT_FORMAT, EXPORT_VERSION
from pulsetui.store.change import Change
from pulsetui.store.store import Store

MAX_IMPORT_BYTES = 512 * 1024 * 1024


def _problem(where: str, message: str) -> InvalidInput:
    return InvalidInput([FieldProblem(where, message)])


def read_export(data: bytes) -> dict[str, Any]:
    """Parse and check an export file's outer shape."""
    if len(data) > MAX_IMPORT_BYTES:
        raise _problem("file", f"is larger than {MAX_IMPORT_BYTES >> 20} MiB")
    try:
        state = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _problem("file", f"is not JSON: {exc}") from None
    if not isinstance(state, dict) or state.get("format") != EXPORT_FORMAT:
        raise _problem("file", f"is not a pulsetui export (format must be {EXPORT_FORMAT!r})")
    if state.get("version") != EXPORT_VERSION:
        raise _problem("version", f"must be {EXPORT_VERSION} (got {state.get('version')!r})")
    records, conflicts = state.get("records"), state.get("conflicts", {})
    if not isinstance(records, dict) or not isinstance(conflicts, dict):
        raise _problem("records", "must be an object of record lists")
    for name in (*records, *conflicts):
        if name not in ENTITIES:
            raise _problem("records", f"unknown record kind {name!r}")
    return state


def _checked(kind: str, index: int, raw: Any) -> dict[str, Any]:
    spec = ENTITIES[kind]
    if not isinstance(raw, dict):
        raise _problem(f"{kind}[{index}]", "must be an object")
    try:
        record = spec.model.model_validate(raw, context=IMPORTED)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise _problem(f"{kind}[{index}].{where}", first.get("msg", "is invalid")) from None
    if record.uid != raw.get("uid"):
        raise _problem(f"{kind}[{index}].uid", "must be a plain id")
    # the stored JSON is kept as it is (not normalised), so the restore is exact
    return raw


def _change(store: Store, state: dict[str, Any]) -> Change:
    """The whole export as one change: every record created, with its conflicts."""
    change = store.change()
    records: dict[str, list[Any]] = state["records"]
    conflicts: dict[str, dict[str, dict[str, list[Any]]]] = state.get("conflicts", {})
    seen: set[tuple[str, str]] = set()
    for kind in sorted(records):
        spec = ENTITIES[kind]
        items = records[kind]
        if not isinstance(items, list):
            raise _problem(f"records.{kind}", "must be a list")
        for index, raw in enumerate(items):
            doc = _checked(kind, index, raw)
            uid = doc["uid"]
            if (kind, uid) in seen:
                raise _problem(f"{kind}[{index}].uid", f"{uid} appears twice")
            seen.add((kind, uid))
            data = {k: v for k, v in doc.items() if k != "uid" and k not in spec.appends}
            fields_in_conflict = conflicts.get(kind, {}).get(uid, {})
            for field, values in fields_in_conflict.items():
                if field not in data or not isinstance(values, list) or len(values) < 2:
                    raise _problem(f"conflicts.{kind}.{uid}.{field}", "is not a conflict")
                if values[-1] != data[field]:
                    raise _problem(
                        f"conflicts.{kind}.{uid}.{field}", "the last value must be the shown one"
                    )
                data[field] = values[0]
            edit = change.record(kind, uid)
            if spec.scope == "anonymous":
                edit.create_anonymous(data)
            else:
                edit.create(data)
            for field in spec.appends:
                for entry in doc.get(field, []):
                    edit.append(field, entry)
            # concurrent values: sets that replace nothing, oldest first, so that the
            # shown value (the newest head) and the listed order come back the same
            for field, values in sorted(fields_in_conflict.items()):
                for value in values[1:]:
                    edit.set_concurrent(field, value)
    for kind, by_uid in conflicts.items():
        for uid in by_uid:
            if (kind, uid) not in seen:
                raise _problem(f"conflicts.{kind}.{uid}", "names a record the export does not hold")
    return change


def import_state(store: Store, data: bytes) -> dict[str, int]:
    """Restore an export into an empty store; returns records per kind.

    Everything is checked before anything is written: a bad file writes nothing."""
    state = read_export(data)
    if any(store.view.count(name) for name in ENTITIES):
        raise _problem("home", "the workspace is not empty; import into a new --home")
    _change(store, state).commit(batch=5000)
    return {kind: len(items) for kind, items in sorted(state["records"].items()) if items}

"""Form drafts: what was typed into a form that was closed without saving (Esc, or
quitting the app), kept in the workspace folder on this machine so the same form opens
with it again. A draft is no record: it is never synced and leaves no op; saving the
form or emptying it drops it.

A draft is found by its key: the form's kind and what it is about (``agreement:<client
uid>``), so an agreement begun for one client never reopens for another."""

from __future__ import annotations

import threading

import orjson

from pulsetui.service.workspace import Workspace
from pulsetui.store.fsutil import atomic_write

DRAFTS_NAME = "drafts.json"
_writing = threading.Lock()

Fields = dict[str, str]


def _read(ws: Workspace) -> dict[str, Fields]:
    try:
        data = orjson.loads((ws.home / DRAFTS_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(key): {str(k): str(v) for k, v in fields.items()}
        for key, fields in data.items()
        if isinstance(fields, dict)
    }


def load_draft(ws: Workspace, key: str) -> Fields | None:
    """The draft kept under ``key``, if any."""
    return _read(ws).get(key)


def keep_draft(ws: Workspace, key: str, fields: Fields) -> None:
    """Keep ``fields`` (field name to the text typed) as the draft of ``key``; a draft
    with nothing typed in it is dropped instead."""
    with _writing:
        drafts = _read(ws)
        if any(value.strip() for value in fields.values()):
            drafts[key] = dict(fields)
        elif drafts.pop(key, None) is None:
            return
        atomic_write(ws.home / DRAFTS_NAME, orjson.dumps(drafts, option=orjson.OPT_INDENT_2))


def drop_draft(ws: Workspace, key: str) -> None:
    """Forget the draft of ``key`` (the form was saved)."""
    keep_draft(ws, key, {})

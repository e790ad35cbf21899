"""Form drafts: what was typed into a form that was closed without saving (Esc, or
quitting the app), kept in the workspace folder on this machine so the same form opens
with it again. A draft is no record: it is never synced and leaves no op; saving the
form or emptying it drops it.

A draft is found by its key: the form's kind and what it is about (``agreement:<client
uid>``), so an agreement begun for one client never reopens for another. And by who may
see it (:class:`~pulsetui.service.views.audience.Audience`): a draft typed in a call is
kept for that call's client (``call:<client uid>:<key>``), and in a call only such a
draft shows — never one typed outside it, which may name another client or hold
private notes. Outside a call the manager sees every draft, one typed in a call too."""

from __future__ import annotations

import threading

import orjson

from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace
from pulsetui.store.fsutil import atomic_write

DRAFTS_NAME = "drafts.json"
CALL = "call:"  # the drafts typed in a call: call:<client uid>:<key>
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


def _scoped(key: str, audience: Audience) -> str:
    """Where a draft of ``key`` typed for ``audience`` is kept."""
    return f"{CALL}{audience.client or '-'}:{key}" if audience.in_call else key


def _in_calls(drafts: dict[str, Fields], key: str) -> list[str]:
    """The keys of the drafts of ``key`` typed in calls (with any client)."""
    return [k for k in drafts if k.startswith(CALL) and k[len(CALL) :].partition(":")[2] == key]


def load_draft(ws: Workspace, key: str, audience: Audience) -> Fields | None:
    """The draft kept under ``key`` that ``audience`` may see, if any."""
    drafts = _read(ws)
    if audience.in_call:
        return drafts.get(_scoped(key, audience))
    # the manager: one typed in a call too, the one typed last (drafts are kept in the
    # order they were typed)
    mine = [k for k in drafts if k == key or k in _in_calls(drafts, key)]
    return drafts[mine[-1]] if mine else None


def keep_draft(ws: Workspace, key: str, fields: Fields, audience: Audience) -> None:
    """Keep ``fields`` (field name to the text typed) as the draft of ``key`` typed for
    ``audience``; a draft with nothing typed in it is dropped instead. Outside a call it
    replaces the drafts of ``key`` typed in calls (the manager saw them)."""
    with _writing:
        drafts = _read(ws)
        before = dict(drafts)
        if not audience.in_call:
            for stale in _in_calls(drafts, key):
                del drafts[stale]
        scoped = _scoped(key, audience)
        drafts.pop(scoped, None)  # kept again: it goes last, as the one typed last
        if any(value.strip() for value in fields.values()):
            drafts[scoped] = dict(fields)
        if list(drafts.items()) != list(before.items()):
            atomic_write(ws.home / DRAFTS_NAME, orjson.dumps(drafts, option=orjson.OPT_INDENT_2))


def drop_draft(ws: Workspace, key: str, audience: Audience) -> None:
    """Forget the draft of ``key`` (the form was saved)."""
    keep_draft(ws, key, {}, audience)

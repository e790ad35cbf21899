"""A snapshot of Today for the signed-in manager, kept in the workspace
(``<home>/today.json``, 0600), so a start can show Today's rows before it reads any
history: :func:`snapshot_today` is the view as it was last computed, or None.

The snapshot is written when Today is computed (:func:`keep_today`, in the worker
that refreshes the screen, whenever what it shows changed), and it is only ever the
manager's own view. It is shown to nobody else: in a call, signed in as another
manager, on another day, of another journal (a workspace restored or made again over
this one) or from another version of the file there is no snapshot, and the view is
computed as usual. A snapshot older than the data (a sync or a command line edit since)
is what the screen shows until its first refresh, which computes the view from the
records and replaces the snapshot when they differ. It lives only in the workspace's
own folder (0700), never in the shared folder, a backup or an export.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today import TodayView, today_view
from pulsetui.service.workspace import Workspace
from pulsetui.store.fsutil import atomic_write

SNAPSHOT_NAME = "today.json"
SNAPSHOT_FORMAT = 1


def snapshot_path(ws: Workspace) -> Path:
    return ws.home / SNAPSHOT_NAME


def _is_mine(ws: Workspace, audience: Audience) -> bool:
    """Only the signed-in manager's own view is ever written or shown."""
    return not audience.in_call and audience.me is not None and audience.me == ws.me


def snapshot_today(ws: Workspace, audience: Audience) -> TodayView | None:
    """The last Today computed for ``audience``, if it is the signed-in manager and the
    snapshot is of today; None otherwise (compute the view)."""
    if not _is_mine(ws, audience):
        return None
    try:
        data: Any = orjson.loads(snapshot_path(ws).read_bytes())
        if (
            not isinstance(data, dict)
            or data.get("format") != SNAPSHOT_FORMAT
            or data.get("me") != audience.me
            or data.get("journal") != ws.store.journal.journal_id
        ):
            return None
        view = TodayView.from_dict(data["view"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if view.in_call or view.day != ws.today():
        return None
    return view


def save_today(ws: Workspace, audience: Audience, view: TodayView | None = None) -> None:
    """Write the snapshot of ``view`` (computed if not given) for the signed-in manager;
    nothing in a call or for anyone else. A workspace opened read-only is left as it is."""
    if not _is_mine(ws, audience) or ws.store.readonly:
        return
    if view is None:
        view = today_view(ws, audience)
    if view.in_call:
        return
    data = {
        "format": SNAPSHOT_FORMAT,
        "me": audience.me,
        "journal": ws.store.journal.journal_id,  # of this workspace, not one it replaced
        "view": view.as_dict(),
    }
    atomic_write(snapshot_path(ws), orjson.dumps(data))


def keep_today(ws: Workspace, audience: Audience, view: TodayView) -> None:
    """Replace the snapshot with ``view``, just computed for ``audience``, when it
    differs (nothing in a call or for anyone but the signed-in manager)."""
    if _is_mine(ws, audience) and snapshot_today(ws, audience) != view:
        save_today(ws, audience, view)


def refresh_today(ws: Workspace, audience: Audience) -> TodayView:
    """Today computed from the records; the snapshot is replaced when it differs."""
    view = today_view(ws, audience)
    keep_today(ws, audience, view)
    return view

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

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from pulsetui.service.local_file import local_me, system_clock
from pulsetui.service.views.today_model import TodayView
from pulsetui.store.fsutil import atomic_write
from pulsetui.store.journal_header import read_journal_id

if TYPE_CHECKING:
    from pulsetui.service.views.audience import Audience
    from pulsetui.service.workspace import Workspace

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
    return read_snapshot(ws.home, audience.me, ws.store.journal.journal_id, ws.today())


def snapshot_at_start(home: Path) -> tuple[str, TodayView] | None:
    """Before the workspace is opened: the manager who signs in at ``home`` when no
    name is given, and their last Today, if it is of today and of this very journal;
    None otherwise. Reads three small files and loads nothing of the store, so a start
    shows Today's rows at once; once the workspace is open the snapshot is checked
    again with :func:`snapshot_today` (the signed-in manager, the clock)."""
    me = local_me(home)
    if me is None:
        return None
    view = read_snapshot(home, me, read_journal_id(home), system_clock().date())
    return None if view is None else (me, view)


def read_snapshot(
    home: Path, me: str | None, journal_id: str | None, day: dt.date
) -> TodayView | None:
    """The snapshot kept at ``home`` if it is ``me``'s Today of ``day``, written for
    the journal ``journal_id``, outside a call; None otherwise."""
    if me is None:
        return None
    try:
        data: Any = orjson.loads((home / SNAPSHOT_NAME).read_bytes())
        if (
            not isinstance(data, dict)
            or data.get("format") != SNAPSHOT_FORMAT
            or data.get("me") != me
            or data.get("journal") != journal_id
        ):
            return None
        view = TodayView.from_dict(data["view"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if view.in_call or view.day != day:
        return None
    return view


def save_today(ws: Workspace, audience: Audience, view: TodayView | None = None) -> None:
    """Write the snapshot of ``view`` (computed if not given) for the signed-in manager;
    nothing in a call or for anyone else. A workspace opened read-only is left as it is."""
    if not _is_mine(ws, audience) or ws.store.readonly:
        return
    if view is None:
        from pulsetui.service.views.today import today_view

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
    from pulsetui.service.views.today import today_view

    view = today_view(ws, audience)
    keep_today(ws, audience, view)
    return view

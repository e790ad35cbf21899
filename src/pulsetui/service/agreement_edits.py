"""Correcting an agreement: its text, person or due date (and any other field the
command line sets). Every move of the due date is kept: one entry in the agreement's
append-only ``due_moves`` with who moved it, when, from which day to which, saved
together with the new date. A due date in the past or more than a year ahead
(:func:`~pulsetui.domain.agreements.due_to_confirm`) is saved only when confirmed."""

from __future__ import annotations

from typing import Any

from pulsetui.domain.agreements import DueToConfirm as DueToConfirm  # where callers look
from pulsetui.domain.agreements import check_due
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Agreement, DueMove
from pulsetui.service.workspace import Workspace

# what the agreement's own life sets: its status (with the status history) and its day
NOT_EDITED = ("status", "reason", "created", "history", "due_moves", "uid")


def edit_agreement(
    ws: Workspace, uid: str, *, confirmed: bool = False, **changes: Any
) -> Agreement:
    """Save the changed fields of an agreement; a changed due date also adds a due move.
    Raises ``InvalidInput`` naming the field (an empty text, a status field), and
    :class:`DueToConfirm` for a due date to confirm while ``confirmed`` is False.
    Nothing changed: nothing is written."""
    current = ws.require(Agreement, uid)
    for field in changes:
        if field in NOT_EDITED:
            raise InvalidInput.one(field, "is not edited here (the status has its own commands)")
    wanted = ws.validate(Agreement, {**current.model_dump(), **changes})
    appends: dict[str, Any] = {}
    if "due" in changes and wanted.due != current.due:
        check_due(wanted.due, ws.today(), confirmed)
        move = DueMove(at=ws.now(), by=ws.me_name, from_due=current.due, to_due=wanted.due)
        appends["due_moves"] = move.model_dump(mode="json")
    changed = {f: v for f, v in changes.items() if getattr(wanted, f) != getattr(current, f)}
    if not changed:
        return current
    return ws.update_appending(Agreement, uid, changed, appends)

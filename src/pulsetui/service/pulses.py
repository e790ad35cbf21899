"""Pulse conversation use cases that are more than one write."""

from __future__ import annotations

from pulsetui.domain.models import PulseConversation
from pulsetui.domain.pulse_content import has_content
from pulsetui.service.workspace import Workspace


def drop_if_empty(ws: Workspace, uid: str) -> bool:
    """Delete the conversation ``uid`` if it holds nothing (the pulse form created it,
    then everything in it was deleted again); True when it was deleted."""
    record = ws.get(PulseConversation, uid)
    if record is None or has_content(record.model_dump()):
        return False
    ws.delete(PulseConversation, uid)
    return True

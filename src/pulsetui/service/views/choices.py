"""What a picker may offer: the clients and consultants a form lets the user choose,
named, for an audience — in a call only the client in view and the consultants placed
there. Every picker, client field and palette entry of the app takes its choices here."""

from __future__ import annotations

from dataclasses import dataclass

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.consultants import placement
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class Choice:
    """One record a picker offers."""

    uid: str
    name: str


def client_choices(ws: Workspace, audience: Audience) -> list[Choice]:
    """The manager's clients, by name; in a call only the client in view."""
    found = ws.my_clients(audience.me)
    shown = [c for c in found if audience.sees_client(c.uid)]
    return [Choice(c.uid, c.name) for c in sorted(shown, key=lambda c: c.name.casefold())]


def consultant_choices(ws: Workspace, audience: Audience) -> list[Choice]:
    """The manager's consultants, by name; in a call only those placed at the client in
    view (a consultant placed nowhere is no one a call may see)."""
    today = ws.today()
    found = ws.my_consultants(audience.me)
    shown = []
    for person in found:
        placed = placement(ws, person.uid, today)
        if audience.sees_client(placed.client if placed is not None else None):
            shown.append(Choice(person.uid, person.name))
    return sorted(shown, key=lambda c: c.name.casefold())


def may_show(ws: Workspace, audience: Audience, kind: str, uid: str) -> bool:
    """Whether one record may be shown to ``audience`` (opened in a form, named in a
    notice): outside a call any; in a call the client in view, the consultants placed
    there, and the records of that client."""
    if not audience.in_call:
        return True
    if kind == "consultant":
        return any(choice.uid == uid for choice in consultant_choices(ws, audience))
    return audience.sees_client(ws.client_of(kind, uid))

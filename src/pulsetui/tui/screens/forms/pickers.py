"""The choices forms offer for a client, a consultant and a contact, honouring call
mode: in a call only the client in view, its contacts and the consultants placed there
(the :class:`~pulsetui.service.views.audience.Audience` decides)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from pulsetui.domain.models import Client, Consultant, Engagement
from pulsetui.service.views.audience import Audience
from pulsetui.tui.screens.forms.form_base import choices

if TYPE_CHECKING:
    from pulsetui.tui.app import PulseApp


def audience(app: PulseApp) -> Audience:
    ws = app.workspace
    if app.call_mode:
        return Audience.call(app.call_client, ws.me)
    return Audience.manager(ws.me)


def clients(app: PulseApp) -> list[Client]:
    """The clients a form may offer: the manager's own (all when they have none)."""
    ws = app.workspace
    found = ws.my_clients() or sorted(ws.list(Client), key=lambda c: c.name.casefold())
    seen = audience(app)
    return [c for c in found if seen.sees_client(c.uid)]


def client_choices(app: PulseApp) -> list[tuple[Text, str]]:
    return choices((c.name, c.uid) for c in clients(app))


def consultant_choices(app: PulseApp) -> list[tuple[Text, str]]:
    """The manager's consultants (all when they have none); in a call only those placed
    at the client in view."""
    ws = app.workspace
    found = ws.my_consultants() or sorted(ws.list(Consultant), key=lambda c: c.name.casefold())
    seen = audience(app)
    if seen.in_call:
        placed = {e.consultant for e in ws.list(Engagement) if seen.sees_client(e.client)}
        found = [c for c in found if c.uid in placed]
    return choices((c.name, c.uid) for c in found)


def contact_names(app: PulseApp, client: str | None) -> list[str]:
    """The contacts of a client the form may offer (none of a client not in view)."""
    if not client or not audience(app).sees_client(client):
        return []
    record = app.workspace.get(Client, client)
    return [contact.name for contact in record.contacts] if record else []

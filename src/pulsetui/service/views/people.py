"""Who may own an agreement or answer for a client: people, not strings. The client's
contacts (their side) and our colleagues — managers and consultants (our side) — named
once, so "Pekka" typed in a field is matched to "Pekka Kuusinen" by the domain's name
matcher. In a call only the client in view's contacts, the consultants placed there and
the signed-in manager are offered."""

from __future__ import annotations

from dataclasses import dataclass

from pulsetui.domain.enums import Side
from pulsetui.domain.models import Client, Manager
from pulsetui.domain.names import chosen, ranked_fits
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.choices import consultant_choices
from pulsetui.service.workspace import Workspace


@dataclass(frozen=True)
class Person:
    """Someone a field may name, and on which side of an agreement they stand."""

    name: str
    side: str  # a Side value: "client" for the client's contacts, "us" for colleagues
    role: str = ""  # "contact", "consultant" or "manager"


def contacts_of(ws: Workspace, audience: Audience, client: str | None) -> list[Person]:
    """The client's contacts (none for a client the audience may not see)."""
    if client is None or not audience.sees_client(client):
        return []
    found = ws.get(Client, client)
    contacts = found.contacts if found is not None else []
    return [Person(c.name, Side.CLIENT.value, "contact") for c in contacts]


def people_for(ws: Workspace, audience: Audience, client: str | None) -> list[Person]:
    """Everyone an agreement with ``client`` may name: its contacts, then colleagues."""
    people = contacts_of(ws, audience, client)
    people += [
        Person(c.name, Side.US.value, "consultant") for c in consultant_choices(ws, audience)
    ]
    managers = ws.list(Manager)
    if audience.in_call:
        managers = [m for m in managers if m.uid == audience.me]
    people += [Person(m.name, Side.US.value, "manager") for m in managers]
    unique: dict[str, Person] = {}
    for person in people:
        unique.setdefault(person.name, person)
    return list(unique.values())


def matching(people: list[Person], typed: str) -> list[Person]:
    """The people a typed name matches, best first."""
    if not typed.strip():
        return []
    return [
        p for _fit, p in ranked_fits(typed, people, name=lambda p: p.name, uid=lambda p: p.name)
    ]


def person_named(people: list[Person], typed: str) -> Person | None:
    """The one person a typed name means ("Pekka" for "Pekka Kuusinen"), if only one."""
    if not typed.strip():
        return None
    return chosen(ranked_fits(typed, people, name=lambda p: p.name, uid=lambda p: p.name))

"""Setting up and keeping a manager's portfolio, as the forms and the guided first run
do it: the manager's own name, clients (contacts, cadence, judgements), consultants and
where they are placed, engagements, requests and wishes, touchpoints.

The rules a save follows live here, once: a new client or consultant is the signed-in
manager's; a changed lifecycle stage, spiral quarter or main communicator is dated
today; an engagement's manager is its client's; "accepted with a plan" is an accepted
request that is planned; contact rows left without a name are no contacts. Whether a
workspace still needs its first-run setup is decided here too. Nothing here imports a UI
toolkit; every save validates through the workspace and raises ``InvalidInput`` naming
the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import orjson

from pulsetui.domain.enums import RequestStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import (
    Client,
    Consultant,
    Engagement,
    Manager,
    Request,
    Touchpoint,
    visible,
)
from pulsetui.service.workspace import LOCAL_NAME, Workspace
from pulsetui.store.fsutil import atomic_write

SETUP_KEY = "setup"

# the choices a request's status is made from: (choice, stored status, planned)
REQUEST_CHOICES: dict[str, tuple[RequestStatus, bool | None]] = {
    "new": (RequestStatus.NEW, None),
    "accepted_with_plan": (RequestStatus.ACCEPTED, True),
    "accepted_no_plan": (RequestStatus.ACCEPTED, False),
    "rejected": (RequestStatus.REJECTED, None),
    "done": (RequestStatus.DONE, None),
}


# ---- first run --------------------------------------------------------------------------


def needs_setup(ws: Workspace) -> bool:
    """Whether the guided setup should open: the signed-in manager has no clients and
    no consultants yet and has neither finished nor skipped it on this workspace."""
    if ws.store.readonly or ws.me is None:
        return False
    if ws._local().get(SETUP_KEY):  # this machine's own settings of the workspace
        return False
    return not ws.my_clients() and not ws.my_consultants()


def finish_setup(ws: Workspace, how: str = "done") -> None:
    """Remember that the guided setup was finished (``done``) or ``skipped`` here."""
    local = ws._local()
    local[SETUP_KEY] = how
    atomic_write(ws.home / LOCAL_NAME, orjson.dumps(local))


def set_my_name(ws: Workspace, name: str) -> Manager:
    """Rename the signed-in manager (the first question of the setup: who am I)."""
    if ws.me is None:
        raise InvalidInput.one("name", "no manager is signed in on this workspace")
    manager = ws.update(Manager, ws.me, name=name)
    ws.me_name = manager.name
    return manager


# ---- clients ----------------------------------------------------------------------------


def contact_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contacts of a client from the rows of a form: a row without a visible name is
    no contact (unless it holds a role or an e-mail: then its name is missing)."""
    kept = []
    for row in rows:
        name = str(row.get("name", ""))
        other = any(str(row.get(f, "")).strip() for f in ("role", "email"))
        if visible(name) or other:
            kept.append(dict(row))
    return kept


def _dated(fields: dict[str, Any], current: Any, field: str, since: str, today: dt.date) -> None:
    """Date a judgement today when it is set for the first time or changes."""
    if field not in fields:
        return
    before = getattr(current, field, None) if current is not None else None
    if current is None or str(before) != str(fields[field]):
        fields.setdefault(since, today)


def save_client(ws: Workspace, uid: str | None = None, **fields: Any) -> Client:
    """Add (``uid`` None) or change a client; ``contacts`` as rows (see
    :func:`contact_rows`). A new client is the signed-in manager's."""
    current = ws.require(Client, uid) if uid else None
    if "contacts" in fields:
        fields["contacts"] = contact_rows(fields["contacts"])
    today = ws.today()
    _dated(fields, current, "stage", "stage_since", today)
    _dated(fields, current, "spiral", "spiral_since", today)
    if current is None:
        fields.setdefault("manager", ws.me)
        fields.setdefault("started", today)
        return ws.add(Client, **fields)
    return ws.update(Client, current.uid, **fields)


# ---- consultants and engagements ---------------------------------------------------------


def save_consultant(
    ws: Workspace,
    uid: str | None = None,
    *,
    placed_at: str | None = None,
    start: dt.date | None = None,
    **fields: Any,
) -> Consultant:
    """Add or change a consultant; with ``placed_at`` (a client) also place them there
    from ``start`` (today when not given), unless they already work there."""
    if placed_at:
        ws.require(Client, placed_at)  # checked before anything is written
    if uid:
        person = ws.update(Consultant, uid, **fields)
    else:
        fields.setdefault("manager", ws.me)
        person = ws.add(Consultant, **fields)
    if placed_at and not any(
        e.end is None or e.end >= ws.today() for e in placements(ws, person.uid, placed_at)
    ):
        save_engagement(ws, client=placed_at, consultant=person.uid, start=start or ws.today())
    return person


def placements(ws: Workspace, consultant: str, client: str | None = None) -> list[Engagement]:
    """A consultant's engagements (at one client), earliest first."""
    found = ws.list(Engagement, consultant=consultant)
    if client is not None:
        found = [e for e in found if e.client == client]
    return sorted(found, key=lambda e: e.start)


def save_engagement(ws: Workspace, uid: str | None = None, **fields: Any) -> Engagement:
    """Add or change an engagement (a consultant placed at a client). Its manager is the
    client's; a new or changed main communicator is dated today."""
    current = ws.require(Engagement, uid) if uid else None
    client_uid = fields.get("client") or (current.client if current else None)
    if client_uid:
        client = ws.get(Client, str(client_uid))
        if client is not None and (current is None or "client" in fields):
            fields.setdefault("manager", client.manager or ws.me)
    if fields.get("main_communicator", "") or current is not None:
        _dated(fields, current, "main_communicator", "communicator_since", ws.today())
    if current is None:
        fields.setdefault("start", ws.today())
        return ws.add(Engagement, **fields)
    return ws.update(Engagement, current.uid, **fields)


# ---- requests and touchpoints ------------------------------------------------------------


def request_choice(request: Request) -> str:
    """The status choice a request shows (see :data:`REQUEST_CHOICES`)."""
    if request.status == RequestStatus.ACCEPTED:
        return "accepted_with_plan" if request.planned else "accepted_no_plan"
    return request.status.value


def save_request(
    ws: Workspace, uid: str | None = None, *, choice: str = "new", **fields: Any
) -> Request:
    """Add or change a request or wish; ``choice`` is one of :data:`REQUEST_CHOICES`
    ("accepted_with_plan" is accepted and planned)."""
    if choice not in REQUEST_CHOICES:
        listed = ", ".join(REQUEST_CHOICES)
        raise InvalidInput.one("status", f"must be one of {listed} (got {choice!r})")
    status, planned = REQUEST_CHOICES[choice]
    fields["status"] = status
    if planned is not None:
        fields["planned"] = planned
    if uid:
        return ws.update(Request, uid, **fields)
    fields.setdefault("date", ws.today())
    return ws.add(Request, **fields)


def save_touchpoint(ws: Workspace, uid: str | None = None, **fields: Any) -> Touchpoint:
    """Add or change a touchpoint (the contact it reached is optional)."""
    if uid:
        return ws.update(Touchpoint, uid, **fields)
    fields.setdefault("date", ws.today())
    return ws.add(Touchpoint, **fields)

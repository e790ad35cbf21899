"""The agreement log: the agreements of a manager's clients (or of every client),
filtered by text or person, client name, whose, status and due date; open ones first,
soonest due first. In a call only the client in view's agreements.

Every client's agreements can be many (a firm's years of them), so a row holds only the
fields the log shows, and a caller may keep :func:`agreement_rows` of every client
between reads of the same store version and hand them back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pulsetui.domain.agreements import is_due_within, is_overdue
from pulsetui.domain.dates import as_date
from pulsetui.domain.enums import AgreementStatus
from pulsetui.domain.names import chosen, fit, ranked_fits
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

DUE_FILTERS = ("overdue", "week", "none")  # overdue, due this week, no due date
NO_CLIENT_IN_CALL = "Call mode: type one client's name in the client filter to show its agreements."


@dataclass(frozen=True)
class AgreementFilter:
    text: str = ""  # in the agreement's text or its person, any case
    client: str = ""  # a client's name, as typed
    side: str | None = None  # "us" or "client"
    status: str | None = None  # an AgreementStatus value
    due: str | None = None  # one of DUE_FILTERS


@dataclass(frozen=True, slots=True)
class AgreementRow:
    uid: str
    client: str
    side: str  # "us" or "client"
    status: str
    due: dt.date | None
    text: str
    owner: str
    created: dt.date | None
    closed: dt.date | None = None  # when it was last marked done, broken or cancelled

    @property
    def shown_date(self) -> dt.date | None:
        """The day the log lists and orders the row by: its due date while open, the day
        it was closed once closed (its due date if that is unknown)."""
        if self.status == AgreementStatus.OPEN.value:
            return self.due
        return self.closed or self.due


@dataclass(frozen=True)
class AgreementLog:
    rows: tuple[AgreementRow, ...]  # open first, soonest due first
    clients: dict[str, str]  # uid -> name of every client a row names
    day: dt.date
    overdue: int  # rows overdue on ``day``
    note: str  # why nothing is listed, when the audience decides it

    def is_overdue(self, row: AgreementRow) -> bool:
        return is_overdue(row.status, row.due, self.day)

    def client_name(self, row: AgreementRow) -> str:
        return self.clients.get(row.client, "?")


def agreement_rows(ws: Workspace, clients: list[str] | None) -> tuple[AgreementRow, ...]:
    """The agreements of these clients through the client index; None: every client's.
    Read again when a save changes the view while it is read."""
    for _attempt in range(3):
        try:
            if clients is None:
                docs = list(ws.docs("agreement"))
            else:
                docs = [d for uid in clients for d in ws.docs("agreement", client=uid)]
        except RuntimeError:  # the view changed while it was read; read again
            continue
        return tuple(
            AgreementRow(
                str(d["uid"]),
                str(d.get("client", "")),
                str(d.get("side", "")),
                str(d.get("status", "")),
                as_date(d.get("due")),
                str(d.get("text", "")),
                str(d.get("owner", "")),
                as_date(d.get("created")),
                closed_on(d),
            )
            for d in docs
        )
    return ()


def closed_on(doc: dict[str, object]) -> dt.date | None:
    """The day a closed agreement got its status: its last status change."""
    if doc.get("status") == AgreementStatus.OPEN.value:
        return None
    history = doc.get("history")
    last = history[-1] if isinstance(history, list) and history else None
    return as_date(str(last.get("at", ""))[:10]) if isinstance(last, dict) else None


def agreement_filter(
    rows: Sequence[AgreementRow],
    clients: dict[str, str],
    today: dt.date,
    filters: AgreementFilter,
) -> list[AgreementRow]:
    """The rows matching every filter given: open ones first, soonest due first; then
    the closed ones, the most recently closed first."""
    needle = filters.text.strip().casefold()
    wanted: set[str] | None = None
    if filters.client.strip():
        wanted = {uid for uid, name in clients.items() if fit(filters.client, name) is not None}
    found = []
    for row in rows:
        if wanted is not None and row.client not in wanted:
            continue
        if filters.side and row.side != filters.side:
            continue
        if filters.status and row.status != filters.status:
            continue
        if filters.due == "overdue" and not is_overdue(row.status, row.due, today):
            continue
        if filters.due == "week" and not is_due_within(row.status, row.due, today):
            continue
        if filters.due == "none" and row.due is not None:
            continue
        if needle and needle not in row.text.casefold() and needle not in row.owner.casefold():
            continue
        found.append(row)
    open_ = AgreementStatus.OPEN.value
    closed = [r for r in found if r.status != open_]
    found = [r for r in found if r.status == open_]
    found.sort(
        key=lambda r: (
            r.due.isoformat() if r.due else "9999-99-99",
            r.created.isoformat() if r.created else "",
        )
    )
    closed.sort(
        key=lambda r: (
            (r.shown_date or r.created or dt.date.min).isoformat(),
            r.created.isoformat() if r.created else "",
        ),
        reverse=True,
    )
    return found + closed


def agreement_log(
    ws: Workspace,
    audience: Audience,
    filters: AgreementFilter | None = None,
    *,
    every_client: bool = False,
    every_row: Sequence[AgreementRow] | None = None,
) -> AgreementLog:
    """The log for ``audience``: its manager's clients' agreements, or with
    ``every_client`` every client's (``every_row``: :func:`agreement_rows` of every
    client, read earlier for the same store version). In a call only the client in
    view's; a call with no client in view takes the one client the client filter names."""
    filters = filters or AgreementFilter()
    clients = {str(d["uid"]): str(d.get("name", "")) for d in list(ws.docs("client"))}
    note = ""
    rows: Sequence[AgreementRow]
    if audience.in_call:
        only = audience.client
        if only is None:
            only = chosen(ranked_fits(filters.client, clients, name=clients.__getitem__, uid=str))
        if only is not None:
            rows = agreement_rows(ws, [only])
            filters = AgreementFilter(filters.text, "", filters.side, filters.status, filters.due)
        else:
            rows, note = (), NO_CLIENT_IN_CALL
    elif every_client:
        rows = every_row if every_row is not None else agreement_rows(ws, None)
    else:
        me = audience.me
        mine = [str(d["uid"]) for d in list(ws.docs("client", manager=me))] if me else []
        rows = agreement_rows(ws, mine)
    today = ws.today()
    found = agreement_filter(rows, clients, today, filters)
    overdue = sum(is_overdue(r.status, r.due, today) for r in found)
    named = {r.client: clients.get(r.client, "?") for r in found}
    return AgreementLog(tuple(found), named, today, overdue, note)

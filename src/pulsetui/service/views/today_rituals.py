"""The rituals Today reminds the manager of besides pulses and meetings: the weekly
client reports due (clients with an engagement running whose report was not sent) and
the yearly eNPS round. Both are the manager's own business, so neither is shown in a
call."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.cadence import DueInfo, DueState
from pulsetui.service.enps_rounds import next_round_due
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today_items import TodayItem, TodaySection
from pulsetui.service.weekly import reports_due
from pulsetui.service.workspace import Workspace


def report_section(ws: Workspace, audience: Audience) -> TodaySection | None:
    """Weekly client reports due: one row per client, naming the week."""
    if not audience.sees_internal or audience.me is None:
        return None
    items = []
    for due in reports_due(ws, audience.me):
        last = f"last sent for {due.last_sent}" if due.last_sent else "none sent yet"
        items.append(
            TodayItem(
                "report",
                due.client,
                "Weekly report",
                due.client_name,
                f"report of {due.week} not sent ({last})",
                client=due.client,
                opens=("client", due.client),
            )
        )
    return TodaySection("reports", "Weekly report due", tuple(items)) if items else None


def enps_round_text(info: DueInfo, today: dt.date) -> str:
    """``no round opened yet``, ``due in 12 d (last closed 2025-12-01)``,
    ``overdue, 3 d late (last closed 2025-11-20)``."""
    if info.state == DueState.NEVER or info.due_on is None:
        return "no round opened yet"
    days = (info.due_on - today).days
    when = f"due in {days} d" if days > 0 else "due today" if days == 0 else f"{-days} d late"
    if info.state == DueState.OVERDUE:
        when = f"overdue, {when}"
    return f"{when} (last closed {info.last})"


def enps_section(ws: Workspace, audience: Audience) -> TodaySection | None:
    """The yearly eNPS round, once it is due (a month ahead) or if none was opened; for
    a manager with consultants to ask."""
    if not audience.sees_internal or not ws.my_consultants(audience.me):
        return None
    info = next_round_due(ws)
    if not info.needs_action:
        return None
    item = TodayItem(
        "enps_round",
        "next",
        "eNPS round",
        "all consultants",
        enps_round_text(info, ws.today()),
        day=info.due_on if info.state != DueState.NEVER else None,
    )
    return TodaySection("enps", "eNPS round due", (item,))

"""Clients in onboarding on Today: the days left of their first three months, with the
warning the client page gives (a client not engaged by then rarely commits later).
Once the three months are over the onboarding flag says so instead. Our internal
judgement, so never shown in a call."""

from __future__ import annotations

from pulsetui.service.insights.segments import lifecycle
from pulsetui.service.views.audience import Audience, Doc
from pulsetui.service.views.today_items import TodayItem, TodaySection
from pulsetui.service.workspace import Workspace


def onboarding_section(
    ws: Workspace, audience: Audience, clients: list[Doc]
) -> TodaySection | None:
    """One row per client counting down its onboarding, fewest days left first."""
    if not audience.sees_internal:
        return None
    counting = []
    for client in clients:
        uid = str(client["uid"])
        life = lifecycle(ws, uid)
        if life.countdown and life.onboarding_days_left is not None:
            counting.append((life.onboarding_days_left, uid, client, life.countdown))
    counting.sort(key=lambda entry: (entry[0], str(entry[2].get("name", "")).casefold()))
    items = tuple(
        TodayItem(
            "client",
            uid,
            "Onboarding",
            str(client.get("name", "")),
            countdown,
            client=uid,
            opens=("client", uid),
        )
        for _left, uid, client, countdown in counting
    )
    return TodaySection("onboarding", "Onboarding countdown", items) if items else None

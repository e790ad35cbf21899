"""Client NPS read from the workspace: of one client, of a manager's answers or
portfolio, or of everything; per quarter and per year. The maths (counts, score,
interval, directional) is :class:`pulsetui.domain.nps.NpsSummary`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pulsetui.domain.dates import as_date
from pulsetui.domain.nps import (
    NpsCounts,
    NpsSummary,
    previous_quarters,
    quarter_label,
    quarter_of,
)
from pulsetui.domain.nps_path import ContactPath, nps_paths
from pulsetui.service.insights.facts import client_facts
from pulsetui.service.workspace import Workspace

Doc = dict[str, Any]


def _summary(ws: Workspace, docs: Iterable[Doc]) -> NpsSummary:
    counts = NpsCounts.of(int(doc["score"]) for doc in docs)
    return NpsSummary.of(counts, ws.config.thresholds.nps_directional_below)


def _nps_docs(ws: Workspace, client: str | None, manager: str | None) -> Iterable[Doc]:
    if client is not None:
        docs: Iterable[Doc] = ws.docs("nps", client=client)
        if manager is not None:
            docs = (d for d in docs if d.get("manager") == manager)
        return docs
    if manager is not None:
        return ws.docs("nps", manager=manager)
    return ws.docs("nps")


def _in_range(doc: Doc, start: dt.date | None, end: dt.date | None) -> bool:
    day = as_date(doc.get("date"))
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def nps_for(
    ws: Workspace,
    *,
    client: str | None = None,
    manager: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> NpsSummary:
    """NPS of one client, of the answers credited to one manager, or of everything,
    between ``start`` and ``end`` (inclusive; open when None)."""
    docs = [d for d in _nps_docs(ws, client, manager) if _in_range(d, start, end)]
    return _summary(ws, docs)


def nps_portfolio(
    ws: Workspace,
    manager: str | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> NpsSummary:
    """NPS of every client now in a manager's portfolio (whoever was manager when the
    answer was given); ``manager`` None is the signed-in manager."""
    who = manager or ws.me
    docs: list[Doc] = []
    for client in ws.docs("client", manager=who) if who else ():
        docs.extend(d for d in ws.docs("nps", client=client["uid"]) if _in_range(d, start, end))
    return _summary(ws, docs)


def nps_trend(
    ws: Workspace,
    *,
    client: str | None = None,
    manager: str | None = None,
    quarters: int = 4,
) -> list[tuple[str, NpsSummary]]:
    """NPS per calendar quarter for the ``quarters`` quarters ending with the current
    one, oldest first: ``[("2026-Q1", summary), ...]``."""
    periods = previous_quarters(ws.today(), quarters)
    buckets: dict[tuple[int, int], list[Doc]] = {p: [] for p in periods}
    for doc in _nps_docs(ws, client, manager):
        day = as_date(doc.get("date"))
        if day is None:
            continue
        key = quarter_of(day)
        if key in buckets:
            buckets[key].append(doc)
    return [(quarter_label(*p), _summary(ws, buckets[p])) for p in periods]


def nps_by_year(
    ws: Workspace, *, client: str | None = None, manager: str | None = None
) -> list[tuple[str, NpsSummary]]:
    """NPS per calendar year that has answers, oldest first."""
    buckets: dict[int, list[Doc]] = {}
    for doc in _nps_docs(ws, client, manager):
        day = as_date(doc.get("date"))
        if day is not None:
            buckets.setdefault(day.year, []).append(doc)
    return [(str(year), _summary(ws, buckets[year])) for year in sorted(buckets)]


def contact_paths(ws: Workspace, client: str) -> list[ContactPath]:
    """Each contact's NPS answers at a client over time, and where they moved."""
    return nps_paths(client_facts(ws, client).nps)

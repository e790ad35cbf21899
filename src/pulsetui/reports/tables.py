"""CSV exports: client NPS answers, eNPS per round (aggregated, only above the minimum
group, never one answer) and agreements.

Free-text cells that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from pulsetui.domain.nps import classify
from pulsetui.service.insights.enps import all_enps
from pulsetui.service.workspace import Workspace

TABLES = ("nps", "enps", "agreements")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: Any) -> str:
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


def _names(ws: Workspace, kind: str) -> dict[str, str]:
    return {d["uid"]: str(d.get("name", "")) for d in ws.docs(kind)}


def nps_csv(ws: Workspace) -> str:
    """Every client NPS answer, oldest first."""
    clients, managers = _names(ws, "client"), _names(ws, "manager")
    docs = sorted(ws.docs("nps"), key=lambda d: (d["date"], d["uid"]))
    return _csv(
        ["date", "client", "contact", "score", "category", "reason", "manager"],
        (
            [
                d["date"],
                safe_cell(clients.get(d["client"], d["client"])),
                safe_cell(d.get("contact", "")),
                d["score"],
                classify(int(d["score"])),
                safe_cell(d.get("reason", "")),
                safe_cell(managers.get(d.get("manager") or "", "")),
            ]
            for d in docs
        ),
    )


def enps_csv(ws: Workspace) -> str:
    """One row per round: counts and score only when the round is at or above the
    minimum group; below it only n. No answer and no reason is ever written."""
    rows = []
    for result in all_enps(ws):
        rows.append(
            [
                safe_cell(result.round),
                result.n,
                "yes" if result.withheld else "no",
                None if result.score is None else round(result.score, 1),
                result.band,
                result.promoters,
                result.passives,
                result.detractors,
            ]
        )
    return _csv(
        ["round", "n", "withheld", "score", "band", "promoters", "passives", "detractors"], rows
    )


def agreements_csv(ws: Workspace) -> str:
    """Every agreement, by client and due date."""
    clients = _names(ws, "client")
    meetings = {d["uid"]: d["date"] for d in ws.docs("meeting")}
    docs = sorted(
        ws.docs("agreement"),
        key=lambda d: (
            clients.get(d["client"], "").casefold(),
            d.get("due") or "9999-12-31",
            d["uid"],
        ),
    )
    return _csv(
        ["client", "agreement", "side", "owner", "due", "status", "reason", "created", "meeting"],
        (
            [
                safe_cell(clients.get(d["client"], d["client"])),
                safe_cell(d["text"]),
                d["side"],
                safe_cell(d.get("owner", "")),
                d.get("due"),
                d["status"],
                safe_cell(d.get("reason", "")),
                d.get("created"),
                meetings.get(d.get("meeting") or "", ""),
            ]
            for d in docs
        ),
    )


def table_csv(ws: Workspace, table: str) -> str:
    if table == "nps":
        return nps_csv(ws)
    if table == "enps":
        return enps_csv(ws)
    if table == "agreements":
        return agreements_csv(ws)
    raise ValueError(f"unknown table {table!r}")

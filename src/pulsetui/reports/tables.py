"""The tables ``pulsetui export --format csv`` writes: client NPS answers, eNPS per
round (aggregated, only above the minimum group, never one answer) and agreements.

Each is a :class:`~pulsetui.reports.csv_forms.Table` of plain values; how it is
written (plain, for Excel, raw) and which cells are guarded against spreadsheet
formulas is :mod:`pulsetui.reports.csv_forms`.
"""

from __future__ import annotations

from typing import BinaryIO

from pulsetui.domain.nps import classify
from pulsetui.reports.csv_forms import Table, safe_cell, write_csv_to
from pulsetui.service.insights.enps import all_enps
from pulsetui.service.workspace import Workspace

TABLES = ("nps", "enps", "agreements")

__all__ = ["TABLES", "Table", "agreements_table", "enps_table", "nps_table", "safe_cell"]


def _names(ws: Workspace, kind: str) -> dict[str, str]:
    return {d["uid"]: str(d.get("name", "")) for d in ws.docs(kind)}


def nps_table(ws: Workspace) -> Table:
    """Every client NPS answer, oldest first (read one at a time as it is written)."""
    clients, managers = _names(ws, "client"), _names(ws, "manager")
    docs = ws.docs_in_order("nps", lambda d: (d["date"], d["uid"]))
    return Table(
        ("date", "client", "contact", "score", "category", "reason", "manager"),
        (
            (
                d["date"],
                clients.get(d["client"], d["client"]),
                d.get("contact", ""),
                d["score"],
                classify(int(d["score"])),
                d.get("reason", ""),
                managers.get(d.get("manager") or "", ""),
            )
            for d in docs
        ),
    )


def enps_table(ws: Workspace) -> Table:
    """One row per round: counts and score only when the round is at or above the
    minimum group; below it only n. No answer and no reason is ever written."""
    return Table(
        ("round", "n", "withheld", "score", "band", "promoters", "passives", "detractors"),
        tuple(
            (
                result.round,
                result.n,
                "yes" if result.withheld else "no",
                None if result.score is None else round(result.score, 1),
                result.band,
                result.promoters,
                result.passives,
                result.detractors,
            )
            for result in all_enps(ws)
        ),
    )


def agreements_table(ws: Workspace) -> Table:
    """Every agreement, by client and due date (read one at a time as it is written)."""
    clients = _names(ws, "client")
    meetings = {d["uid"]: d["date"] for d in ws.docs("meeting")}
    docs = ws.docs_in_order(
        "agreement",
        lambda d: (
            clients.get(d["client"], "").casefold(),
            d.get("due") or "9999-12-31",
            d["uid"],
        ),
    )
    return Table(
        ("client", "agreement", "side", "owner", "due", "status", "reason", "created", "meeting"),
        (
            (
                clients.get(d["client"], d["client"]),
                d["text"],
                d["side"],
                d.get("owner", ""),
                d.get("due"),
                d["status"],
                d.get("reason", ""),
                d.get("created"),
                meetings.get(d.get("meeting") or "", ""),
            )
            for d in docs
        ),
    )


def write_table_csv(ws: Workspace, table: str, out: BinaryIO, form: str = "plain") -> None:
    """Write one of :data:`TABLES` as CSV in ``form`` (plain, excel or raw) to ``out``,
    each row as it is read."""
    if table == "nps":
        write_csv_to(nps_table(ws), out, form)
    elif table == "enps":
        write_csv_to(enps_table(ws), out, form)
    elif table == "agreements":
        write_csv_to(agreements_table(ws), out, form)
    else:
        raise ValueError(f"unknown table {table!r}")

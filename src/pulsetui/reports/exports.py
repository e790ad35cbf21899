"""One entry point for ``pulsetui export``: the format name to the bytes written."""

from __future__ import annotations

from pulsetui.domain.errors import InvalidInput
from pulsetui.reports.backup import export_json
from pulsetui.reports.ics import meeting_calendar
from pulsetui.reports.tables import TABLES, table_csv
from pulsetui.service.workspace import Workspace


def export_bytes(
    ws: Workspace,
    fmt: str,
    table: str = "nps",
    csv_form: str = "plain",
    include_private: bool = False,
    clients: list[str] | None = None,
) -> bytes:
    """``json`` (the shareable export; :func:`pulsetui.reports.backup.left_out` says what
    it leaves out), ``ics`` (the meeting schedule of ``clients``, default the signed-in
    manager's) or ``csv`` (one table, in
    ``csv_form``: plain, excel or raw)."""
    if fmt == "json":
        return export_json(ws, include_private)
    if fmt == "ics":
        return meeting_calendar(ws, clients)
    if fmt == "csv":
        if table not in TABLES:
            raise InvalidInput.one("table", f"must be one of {', '.join(TABLES)}")
        return table_csv(ws, table, csv_form)
    raise InvalidInput.one("format", "must be json, ics or csv")

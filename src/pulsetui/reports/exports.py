"""One entry point for ``pulsetui export``: the format name to the bytes written."""

from __future__ import annotations

import io
from typing import BinaryIO

from pulsetui.domain.errors import InvalidInput
from pulsetui.reports.backup import write_export_json
from pulsetui.reports.ics import meeting_calendar
from pulsetui.reports.tables import TABLES, write_table_csv
from pulsetui.service.workspace import Workspace


def write_export(
    ws: Workspace,
    out: BinaryIO,
    fmt: str,
    table: str = "nps",
    csv_form: str = "plain",
    include_private: bool = False,
    clients: list[str] | None = None,
) -> None:
    """Write ``json`` (the shareable export, record by record, never held whole;
    :func:`pulsetui.reports.backup.left_out` says what it leaves out), ``ics`` (the
    meeting schedule of ``clients``, default the signed-in manager's) or ``csv`` (one
    table, in ``csv_form``: plain, excel or raw) to ``out``."""
    if fmt == "json":
        write_export_json(ws, out, include_private)
    elif fmt == "ics":
        out.write(meeting_calendar(ws, clients))
    elif fmt == "csv":
        if table not in TABLES:
            raise InvalidInput.one("table", f"must be one of {', '.join(TABLES)}")
        write_table_csv(ws, table, out, csv_form)
    else:
        raise InvalidInput.one("format", "must be json, ics or csv")


def export_bytes(
    ws: Workspace,
    fmt: str,
    table: str = "nps",
    csv_form: str = "plain",
    include_private: bool = False,
    clients: list[str] | None = None,
) -> bytes:
    """What :func:`write_export` writes, as bytes."""
    out = io.BytesIO()
    write_export(ws, out, fmt, table, csv_form, include_private, clients)
    return out.getvalue()

"""One entry point for ``pulsetui export``: the format name to the bytes written."""

from __future__ import annotations

import sys

from pulsetui.domain.errors import InvalidInput
from pulsetui.reports.backup import export_json, withheld_enps_rounds
from pulsetui.reports.ics import meeting_calendar
from pulsetui.reports.tables import TABLES, table_csv
from pulsetui.service.workspace import Workspace


def export_bytes(ws: Workspace, fmt: str, table: str = "nps", csv_form: str = "plain") -> bytes:
    """``json`` (the backup), ``ics`` (the meeting schedule) or ``csv`` (one table, in
    ``csv_form``: plain, excel or raw)."""
    if fmt == "json":
        hidden = withheld_enps_rounds(ws)
        if hidden:
            rounds = ", ".join(f"{name} (n={n})" for name, n in hidden.items())
            print(
                "pulsetui: left out eNPS answers of rounds not published (still open, "
                f"waiting for their results day, or below the minimum group): {rounds}",
                file=sys.stderr,
            )
        return export_json(ws)
    if fmt == "ics":
        return meeting_calendar(ws)
    if fmt == "csv":
        if table not in TABLES:
            raise InvalidInput.one("table", f"must be one of {', '.join(TABLES)}")
        return table_csv(ws, table, csv_form)
    raise InvalidInput.one("format", "must be json, ics or csv")

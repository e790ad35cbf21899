"""The JSON backup written by ``pulsetui export --format json`` (read back by
``pulsetui import FILE``, :mod:`pulsetui.service.restore`).

The export is the workspace's complete current state (every record, every unresolved
conflict) in a deterministic form: the same state gives the same bytes. Importing it
into an empty workspace recreates that state exactly, conflicts included, so
export -> import -> export is byte-identical.

eNPS answers of rounds that are not published (still open, waiting for their results
day, or below the minimum group ``thresholds.enps_min_answers``) are left out of the
export with their round, like everywhere else: a file that leaves the workspace must
not show answers the product itself withholds. They are not lost: they stay in the
workspace and in the shared eNPS drop box, and appear in exports once the round's
results are published.
"""

from __future__ import annotations

from typing import Any

import orjson

from pulsetui.service.enps_rounds import round_states
from pulsetui.service.workspace import Workspace


def withheld_enps_rounds(ws: Workspace) -> dict[str, int]:
    """Rounds whose results are not shown, with their n."""
    return {state.name: state.n for state in round_states(ws) if not state.shown}


def export_state(ws: Workspace) -> dict[str, Any]:
    """The workspace state to back up, without eNPS answers of withheld rounds."""
    state = ws.export_state()
    hidden = withheld_enps_rounds(ws)
    if hidden:
        records = state["records"]
        for kind in ("enps", "enps_round"):
            records[kind] = [r for r in records[kind] if r["round"] not in hidden]
    return state


def export_json(ws: Workspace) -> bytes:
    return orjson.dumps(export_state(ws), option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"

"""What leaves the workspace as JSON: the shareable export (``pulsetui export --format
json``, read back by ``pulsetui import FILE``: :mod:`pulsetui.service.restore`) and the
complete backup file (``pulsetui backup FILE``, read back by ``pulsetui restore FILE``:
:mod:`pulsetui.service.backup`).

The export is the workspace's current records (and their unresolved conflicts) in a
deterministic form: the same state gives the same bytes, and importing it into an
empty workspace recreates that state exactly, so export -> import -> export is
byte-identical. It is the form to share, so it leaves out what the product itself
keeps back: private records (pulse conversations) unless ``include_private`` (and then
only the signed-in manager's own), and eNPS answers of rounds that are not published
(still open, waiting for their results day, or below the minimum group
``thresholds.enps_min_answers``) with their round; those
stay in the workspace and in the shared eNPS drop box, and appear in exports once the
round's results are published. :func:`left_out` says what was left out. The backup
leaves out nothing.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any, BinaryIO

import orjson

from pulsetui.domain.models import ENTITIES
from pulsetui.service.backup import BACKUP_FORMAT, BACKUP_VERSION, Backup
from pulsetui.service.enps_rounds import round_states
from pulsetui.service.workspace import EXPORT_FORMAT, EXPORT_VERSION, Workspace
from pulsetui.store.view import public_fields

WRITE_BATCH = 1 << 20  # bytes of journal lines written (and hashed) at once


def private_kinds() -> list[str]:
    """Record kinds kept to their manager (scope ``private``)."""
    return sorted(name for name, spec in ENTITIES.items() if spec.scope == "private")


def withheld_enps_rounds(ws: Workspace) -> dict[str, int]:
    """Rounds whose results are not shown, with their n."""
    return {state.name: state.n for state in round_states(ws) if not state.shown}


def export_state(ws: Workspace, include_private: bool = False) -> dict[str, Any]:
    """The shareable state: no eNPS answers of withheld rounds, and no private records
    unless ``include_private`` (and then only the signed-in manager's own)."""
    state = ws.export_state()
    hidden = withheld_enps_rounds(ws)
    if hidden:
        records = state["records"]
        for kind in ("enps", "enps_round"):
            records[kind] = [r for r in records[kind] if r["round"] not in hidden]
    for kind in private_kinds():
        if not include_private:
            state["records"].pop(kind, None)
            state["conflicts"].pop(kind, None)
            continue
        mine = list(ws.visible(kind, state["records"][kind]))  # only the manager's own
        state["records"][kind] = mine
        uids = {doc["uid"] for doc in mine}
        found = {u: f for u, f in state["conflicts"].get(kind, {}).items() if u in uids}
        state["conflicts"].pop(kind, None)
        if found:
            state["conflicts"][kind] = found
    return state


def export_json(ws: Workspace, include_private: bool = False) -> bytes:
    """The export as bytes (:func:`write_export_json` into memory)."""
    out = io.BytesIO()
    write_export_json(ws, out, include_private)
    return out.getvalue()


def _json(value: Any, level: int) -> bytes:
    """``value`` as it sits ``level`` levels deep in the export's indented JSON."""
    data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    return data.replace(b"\n", b"\n" + b"  " * level) if level else data


def write_export_json(ws: Workspace, out: BinaryIO, include_private: bool = False) -> None:
    """Write the export: the bytes ``orjson`` gives for :func:`export_state` (sorted keys,
    indented by two), produced one record at a time instead of holding the state."""
    withheld = withheld_enps_rounds(ws)
    view = ws.store.view
    kinds = [k for k in sorted(ENTITIES) if include_private or k not in private_kinds()]
    conflicts: dict[str, dict[str, dict[str, list[Any]]]] = {}
    for name in kinds:
        found = {
            uid: fields
            for uid in sorted(view.conflicted[name])
            if (doc := view.get(name, uid)) is not None
            and ws.sees(name, doc)
            and (fields := ws.conflicts(name, uid))
        }
        if found:
            conflicts[name] = found
    out.write(b'{\n  "conflicts": ' + _json(conflicts, 1))
    out.write(b',\n  "format": ' + _json(EXPORT_FORMAT, 1) + b',\n  "records": {')
    for number, name in enumerate(kinds):
        out.write(b"%s\n    %s: [" % (b"," if number else b"", _json(name, 2)))
        written = 0
        for doc in ws.visible(name, view.docs_by_uid(name)):
            if name in ("enps", "enps_round") and doc.get("round") in withheld:
                continue
            out.write(b"%s\n      %s" % (b"," if written else b"", _json(public_fields(doc), 3)))
            written += 1
        out.write(b"\n    ]" if written else b"]")
    out.write(b'\n  },\n  "version": ' + _json(EXPORT_VERSION, 1) + b"\n}\n")


def left_out(ws: Workspace, include_private: bool = False) -> list[str]:
    """What :func:`export_json` leaves out, in words (empty when nothing)."""
    lines = []
    for kind in private_kinds():
        mine = sum(1 for _ in ws.visible(kind, ws.docs(kind)))
        others = ws.count(kind) - mine
        for n, whose, adds in (
            (0 if include_private else mine, "", "--include-private adds them; "),
            (others, " of other managers", ""),
        ):
            if n:
                label = ENTITIES[kind].label + ("" if n == 1 else "s")
                lines.append(
                    f"left out {n} private {label}{whose} ({adds}pulsetui backup keeps everything)"
                )
    hidden = withheld_enps_rounds(ws)
    if hidden:
        rounds = ", ".join(f"{name} (n={n})" for name, n in hidden.items())
        lines.append(
            "left out eNPS answers of rounds not published (still open, waiting for their "
            f"results day, or below the minimum group): {rounds}"
        )
    return lines


def backup_bytes(backup: Backup) -> bytes:
    """The complete backup file in memory (:func:`write_backup`)."""
    out = io.BytesIO()
    write_backup(backup, out)
    return out.getvalue()


def write_backup(backup: Backup, out: BinaryIO) -> None:
    """Write the complete backup file (format: :mod:`pulsetui.service.backup`): a header,
    the journal's lines, and an end line with their count and the sha256 of every byte
    before it. The lines are written as they are read, about a megabyte at a time."""
    header = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "created": backup.created,
        "replica": backup.replica,
        "previous_replicas": list(backup.previous_replicas),
        "me": backup.me,
        "answers": list(backup.answers),
        "sealed": backup.sealed,
    }
    digest = hashlib.sha256()
    count = 0

    def put(data: bytes) -> None:
        digest.update(data)
        out.write(data)

    put(orjson.dumps(header) + b"\n")
    batch: list[bytes] = []
    size = 0
    for line in backup.lines:
        batch.append(line)
        size += len(line) + 1
        if size >= WRITE_BATCH:
            put(b"\n".join(batch) + b"\n")
            count += len(batch)
            batch, size = [], 0
    if batch:
        put(b"\n".join(batch) + b"\n")
        count += len(batch)
    trailer = {"end": BACKUP_FORMAT, "lines": count, "sha256": digest.hexdigest()}
    out.write(orjson.dumps(trailer) + b"\n")

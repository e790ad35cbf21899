"""Sync findings for ``pulsetui doctor`` and ``pulsetui sync --check``.

:func:`sync_findings` walks the shared (and personal) folder without writing anything
and names every entry sync would skip or refuse: incomplete and invalid segments,
conflict copies, unknown formats, replicas whose clocks are far ahead, segments under
this replica's id that it did not write (a cloned installation), and hostile entries
(symlinks, FIFOs, directories, hard links, oversized files, bad names, temp files);
permission problems, named as such; and folders that other users could replace (the
folder above ``pulsetui/`` among them: group-writable without the sticky bit).
Nothing over the size limit is ever read; a 1 GB sparse file is judged by ``lstat``.
"""

from __future__ import annotations

import os
import stat
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulsetui.store.ids import ANON_RID
from pulsetui.sync.access import permission_problem, replaceable_by_others
from pulsetui.sync.folder import (
    FOLDER_NAME,
    FORMAT_NAME,
    INBOX,
    INBOX_RE,
    MAX_INBOX_BYTES,
    MAX_SEGMENT_BYTES,
    MAX_SMALL_BYTES,
    README_NAME,
    REPLICA_INFO,
    REPLICAS,
    RID_RE,
    SEGMENTS,
    SYNC_FORMAT,
    SYNC_VERSION,
    Refused,
    classify,
    is_junk,
    parse_segment_name,
    read_checked,
    read_format,
)
from pulsetui.sync.inbox import decode_answer
from pulsetui.sync.segments import Incomplete, Invalid, NewerFormat, verify
from pulsetui.sync.slots import several_users
from pulsetui.sync.state import SyncState

CLOCK_AHEAD_MS = 60 * 60 * 1000
SYNCTHING_NAMES = {".stfolder", ".stignore", ".stversions", ".stignore.txt"}


def sync_findings(ws: Any, shared: Path | None, personal: Path | None = None) -> list[str]:
    """Plain-text findings about the sync folders (empty when all is well)."""
    findings: list[str] = []
    written = SyncState(ws.home)
    for label, base in (("shared", shared), ("personal", personal)):
        if base is None:
            continue
        root = Path(base).absolute() / FOLDER_NAME
        mine = written.folder(root).written.get(ws.store.rid, {})
        own = {seq: entry[0] for seq, entry in mine.items() if seq > 0}
        previous = tuple(ws.store.previous_rids())
        findings.extend(
            f"{label} folder: {line}" for line in folder_findings(root, ws.store.rid, own, previous)
        )
    return findings


@dataclass
class _Copies:
    """What the segments tell about copied workspaces: replica id -> numbers with
    several different segments, and replica id -> the ids that carry its changes."""

    twins: dict[str, list[int]] = field(default_factory=dict)
    carriers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def folder_findings(
    root: Path, rid: str, own: dict[int, str], previous: tuple[str, ...] = ()
) -> list[str]:
    """Findings for one ``<dir>/pulsetui`` folder; ``own``: seq -> sha12 written here;
    ``previous``: ids this workspace wrote as before it found a copy of itself."""
    out: list[str] = []
    denied = permission_problem(root)
    if denied:
        return [f"{root}: {denied}"]
    if not root.is_dir() or root.is_symlink():
        return [f"{root} is not a pulsetui sync folder yet (run `pulsetui sync init`)"]
    out.extend(_replaceable(root))
    found = read_format(root)
    if found is None:
        out.append(f"{root}/{FORMAT_NAME} is missing or unreadable (run `pulsetui sync init`)")
    elif found[0] != SYNC_FORMAT or found[1] > SYNC_VERSION:
        out.append(f"{root}: unknown format {found[0]} version {found[1]}: upgrade pulsetui")
    for entry in _entries(root):
        name = entry.name
        if name in (FORMAT_NAME, README_NAME, REPLICAS, INBOX) or name in SYNCTHING_NAMES:
            continue
        out.append(_stray(f"{name}", entry))
    copies = _Copies()
    out.extend(_replicas(root, rid, own, copies))
    out.extend(_twins(copies, rid, previous))
    out.extend(_inbox(root / INBOX))
    return out


def _replaceable(root: Path) -> list[str]:
    """Folders of the sync folder (and the one above it) that others may write in
    without the sticky bit: any of them could move an entry away and put another in
    its place."""
    out = []
    for path, inside in (
        (root.parent, f"{FOLDER_NAME}/ (the whole sync folder)"),
        (root, "FORMAT, replicas/ and inbox/"),
        (root / REPLICAS, "another member's replica folder"),
        (root / INBOX, "another member's answers"),
    ):
        who = replaceable_by_others(path)
        if who:
            out.append(
                f"{path} lets {who} replace {inside} with their own: it is writable for "
                f"them and has no sticky bit; its owner can run `chmod +t {path}`"
            )
    return out


def _twins(copies: _Copies, rid: str, previous: tuple[str, ...]) -> list[str]:
    """Explain each replica id that two copies of one workspace wrote under."""
    out: list[str] = []
    for name, seqs in sorted(copies.twins.items()):
        numbers = ", ".join(str(seq) for seq in seqs)
        line = (
            f"{REPLICAS}/{name}/{SEGMENTS}: different segments numbered {numbers}: two copies "
            "of one workspace (a restored or cloned machine) wrote them before they saw each "
            "other. Sync reads every one of them"
        )
        carriers = sorted(copies.carriers.get(name, ()))
        if carriers:
            line += (
                f"; the copies now write as {', '.join(carriers)} and sent their own changes "
                "again there, so nothing is lost"
            )
        else:
            line += "; each copy takes a new replica id at its next sync and sends them again"
        if name in previous:
            line += f". This workspace was one of the copies; it now writes as {rid}"
        out.append(line)
    return out


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []


def _lstat(entry: os.DirEntry[str]) -> os.stat_result | None:
    try:
        return entry.stat(follow_symlinks=False)
    except OSError:
        return None


def _stray(where: str, entry: os.DirEntry[str]) -> str:
    if is_junk(entry.name):
        return f"{where}: temp or OS file (ignored)"
    return f"{where}: bad name (not a pulsetui file; ignored)"


def _replicas(root: Path, rid: str, own: dict[int, str], copies: _Copies) -> list[str]:
    out: list[str] = []
    replicas = root / REPLICAS
    st = _lstat_path(replicas)
    if st is None:
        return [f"{REPLICAS}/ is missing (run `pulsetui sync init`)"]
    kind = classify(st, 0)
    if kind != "directory":
        return [f"{REPLICAS}: {_kind_text(kind)} where the replicas folder belongs (refused)"]
    now_ms = int(time.time() * 1000)
    for entry in _entries(replicas):
        name = entry.name
        where = f"{REPLICAS}/{name}"
        entry_st = _lstat(entry)
        if entry_st is None:
            continue
        if is_junk(name):
            out.append(f"{where}: temp or OS file (ignored)")
            continue
        if not RID_RE.fullmatch(name) or name == ANON_RID:
            out.append(f"{where}: bad name (not a replica id; ignored)")
            continue
        kind = classify(entry_st, 0)
        if kind != "directory":
            out.append(f"{where}: {_kind_text(kind)} where a replica folder belongs (refused)")
            continue
        out.extend(_replica(replicas / name, name, rid, own, now_ms, copies))
    return out


def _replica(
    folder: Path, name: str, rid: str, own: dict[int, str], now_ms: int, copies: _Copies
) -> list[str]:
    out: list[str] = []
    base = f"{REPLICAS}/{name}"
    for entry in _entries(folder):
        st = _lstat(entry)
        if st is None:
            continue
        where = f"{base}/{entry.name}"
        if entry.name == REPLICA_INFO:
            kind = classify(st, MAX_SMALL_BYTES)
            if kind:
                out.append(f"{where}: {_kind_text(kind)} (refused)")
        elif entry.name == SEGMENTS:
            kind = classify(st, 0)
            if kind != "directory":
                out.append(f"{where}: {_kind_text(kind)} where the segment folder belongs")
            else:
                out.extend(_segments(folder / SEGMENTS, name, rid, own, now_ms, copies))
        else:
            out.append(_stray(where, entry))
    return out


def _segments(
    folder: Path, name: str, rid: str, own: dict[int, str], now_ms: int, copies: _Copies
) -> list[str]:
    out: list[str] = []
    base = f"{REPLICAS}/{name}/{SEGMENTS}"
    shas: dict[int, set[str]] = defaultdict(set)
    newest = 0
    for entry in _entries(folder):
        where = f"{base}/{entry.name}"
        st = _lstat(entry)
        if st is None:
            continue
        if is_junk(entry.name):
            out.append(f"{where}: temp or OS file (ignored)")
            continue
        parsed = parse_segment_name(entry.name)
        if parsed is None:
            out.append(f"{where}: bad name (not a segment name; ignored)")
            continue
        kind = classify(st, MAX_SEGMENT_BYTES)
        if kind:
            out.append(f"{where}: {_kind_text(kind)} (refused)")
            continue
        try:
            segment = verify(read_checked(folder / entry.name, MAX_SEGMENT_BYTES), name, parsed.seq)
        except Refused as exc:
            out.append(f"{where}: {exc.why} (refused)")
            continue
        except Incomplete as exc:
            out.append(f"{where}: incomplete ({exc}); read again on the next sync")
            continue
        except NewerFormat as exc:
            out.append(f"{where}: unknown format ({exc})")
            continue
        except Invalid as exc:
            out.append(f"{where}: invalid ({exc}); not applied")
            continue
        if parsed.conflict:
            out.append(f"{where}: conflict copy made by the sync tool (valid; read like a segment)")
        shas[parsed.seq].add(segment.sha)
        for carried in segment.carries:
            copies.carriers[carried].add(name)
        newest = max(newest, segment.last[0])
        if name == rid and own.get(parsed.seq) != segment.sha[:12]:
            out.append(
                f"{where}: under this replica's id but not written here "
                "(a cloned installation? the next sync takes a new id)"
            )
    twins = [seq for seq, found in sorted(shas.items()) if len(found) > 1]
    if twins:
        copies.twins[name] = twins
    if newest > now_ms + CLOCK_AHEAD_MS:
        hours = (newest - now_ms) / 3_600_000
        out.append(f"{REPLICAS}/{name}: clock is {hours:.1f} hours ahead of this machine")
    return out


def _inbox(folder: Path) -> list[str]:
    st = _lstat_path(folder)
    if st is None:
        return []
    kind = classify(st, 0)
    if kind != "directory":
        return [f"{INBOX}: {_kind_text(kind)} where the eNPS drop box belongs (refused)"]
    out: list[str] = []
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        why = permission_problem(folder) or "it cannot be listed"
        return [f"{INBOX}/: {why}; this workspace cannot count the answers"]
    if not st.st_mode & stat.S_IRGRP and several_users(folder.parent):
        out.append(
            f"{INBOX}/ is write-only for the group (made by an older pulsetui): only its "
            "owner can count answers; the owner can run `pulsetui sync init --group GROUP`"
        )
    for entry in entries:
        where = f"{INBOX}/{entry.name}"
        st_entry = _lstat(entry)
        if st_entry is None:
            continue
        if is_junk(entry.name):
            out.append(f"{where}: temp or OS file (ignored)")
            continue
        if not INBOX_RE.fullmatch(entry.name):
            out.append(f"{where}: bad name (ignored)")
            continue
        kind = classify(st_entry, MAX_INBOX_BYTES)
        if kind:
            out.append(f"{where}: {_kind_text(kind)} (refused)")
            continue
        if st_entry.st_size == 0:
            continue  # a free answer slot (see ``slots``)
        try:
            decode_answer(read_checked(folder / entry.name, MAX_INBOX_BYTES))
        except Refused as exc:
            out.append(f"{where}: {exc.why} (refused)")
        except Incomplete as exc:
            out.append(f"{where}: incomplete ({exc})")
        except NewerFormat as exc:
            out.append(f"{where}: unknown format ({exc})")
        except Invalid as exc:
            out.append(f"{where}: invalid ({exc})")
    return out


def _lstat_path(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _kind_text(kind: str | None) -> str:
    return kind or "regular file"

"""Reading one replica's segments from a folder: the checks every segment passes and
what is said about those that do not (shared by ingest and its read-ahead process).

A replica's segments are read in seq order from the one after the last ingested; a
missing or half-arrived segment stops that replica until it is there. Every valid
segment with a number is read: two copies of one workspace may each have written one
(twins).
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from pulsetui.store.opcheck import Refs
from pulsetui.sync.folder import (
    MAX_SEGMENT_BYTES,
    REPLICAS,
    SEGMENTS,
    Refused,
    entry_names,
    parse_segment_name,
    read_checked,
)
from pulsetui.sync.segments import Incomplete, Invalid, NewerFormat, Segment, decode

SegmentEntry = tuple[int, str, str, bool]  # seq, file name, checksum prefix, conflict copy
Say = Callable[[str, str], None]  # ("waiting" | "problems" | "notes", text)


def segment_listing(seg_dir: Path) -> list[SegmentEntry]:
    """The parsed segment names of a replica's folder (none when it is no folder)."""
    try:
        if not stat.S_ISDIR(os.lstat(seg_dir).st_mode):
            return []
    except OSError:
        return []
    return parsed_names(seg_dir)


def parsed_names(seg_dir: Path) -> list[SegmentEntry]:
    found = []
    for name in entry_names(seg_dir):
        parsed = parse_segment_name(name)
        if parsed is not None:
            found.append((parsed.seq, name, parsed.sha12, parsed.conflict))
    return found


def ready_segments(
    seg_dir: Path,
    rid: str,
    done: int,
    entries: list[SegmentEntry],
    say: Say,
    refs: Refs | None = None,
) -> Iterator[tuple[int, list[Segment]]]:
    """The valid segments of ``rid`` after seq ``done`` (``entries``: the folder's
    listing), consecutive from ``done + 1``: each seq with its segments (usually one),
    decoded as they are taken. What is wrong with a file is said before its seq comes.
    ``refs``: each record kind's reference fields (``decode``)."""
    by_seq: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
    for seq, name, sha12, conflict in entries:
        if seq > done:
            by_seq[seq].append((name, sha12, conflict))
    folder = os.fspath(seg_dir) + os.sep  # names joined as strings: thousands of them
    seq = done + 1
    while seq in by_seq:
        valid: dict[str, Segment] = {}
        for name, sha12, _conflict in sorted(by_seq[seq], key=lambda c: (c[2], c[0])):
            try:
                data = read_checked(folder + name, MAX_SEGMENT_BYTES)
                segment = decode(data, rid, seq, sha12, refs)
            except Incomplete:
                say("waiting", f"{where(rid, name)} has not fully arrived yet")
                continue
            except NewerFormat as exc:
                say("problems", f"{where(rid, name)}: {exc}")
                continue
            except Invalid as exc:
                say("problems", f"{where(rid, name)}: invalid: {exc}")
                continue
            except Refused as exc:
                say("problems", f"{where(rid, name)}: refused: {exc.why}")
                continue
            valid.setdefault(segment.sha, segment)
        if not valid:
            break
        if len(valid) > 1:
            say(
                "notes",
                f"replica {rid} has {len(valid)} different segments numbered {seq}: two "
                "copies of one workspace wrote them before they saw each other; all of "
                "them were read",
            )
        yield seq, [valid[sha] for sha in sorted(valid)]
        seq += 1
    later = [s for s in by_seq if s > seq]
    if later:
        say(
            "waiting",
            f"replica {rid}: segment {seq} is missing; {len(later)} later one(s) wait for it",
        )


def where(rid: str, name: str) -> str:
    return f"{REPLICAS}/{rid}/{SEGMENTS}/{name}"

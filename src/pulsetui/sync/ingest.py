"""Ingest: every other replica's segments and the eNPS inbox, in from a folder.

Each replica's segments are read in seq order from the one after the last ingested;
a missing or half-arrived segment stops that replica until it is there. Every valid
segment with a number is read: two copies of one workspace may each have written one
(twins), and ingest is idempotent per op id, so reading both loses nothing. A replica that
has a personal stream is read only from it. Ops reach the store (``Store.ingesting``:
short turns under the store's own lock, the journal synced once at the end) a few
thousand at a time, as their segments are read, not after the whole folder is read: a
first sync reads hundreds of thousands, and only a chunk of them is held at a time
(firm-year's first join peaked at 384 MB holding them all, 210 MB this way). The sync
state records a replica's segments as read only after the pass, so a pass cut short
reads them again, and ingest skips the ops it already has.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from pulsetui.domain.dates import as_date
from pulsetui.domain.enps import round_phase
from pulsetui.store.ids import ANON_RID
from pulsetui.store.ops import StoredOp
from pulsetui.store.store import INGEST_CHUNK, Store
from pulsetui.sync import inbox as inbox_box
from pulsetui.sync.channel import Channel, SyncReport
from pulsetui.sync.folder import (
    INBOX,
    MAX_SEGMENT_BYTES,
    REPLICAS,
    RID_RE,
    SEGMENTS,
    Refused,
    entry_names,
    is_junk,
    parse_segment_name,
    read_checked,
)
from pulsetui.sync.segments import Incomplete, Invalid, NewerFormat, Segment, decode
from pulsetui.sync.state import FolderState, SyncState

CLOCK_AHEAD_MS = 60 * 60 * 1000  # a replica whose clock is an hour ahead gets reported
LISTING_SETTLE_NS = 2_000_000_000

SegmentEntry = tuple[int, str, str, bool]  # seq, file name, checksum prefix, conflict copy


class Ingester:
    """Reads other replicas' segments into the store; keeps folder listings between
    passes so an unchanged replica costs one ``lstat``."""

    def __init__(self, store: Store, state: SyncState, today: Callable[[], dt.date]) -> None:
        self.store = store
        self.state = state
        self.today = today
        self._listing: dict[str, tuple[int, list[SegmentEntry]]] = {}

    def ingest(self, channel: Channel, fs: FolderState, report: SyncReport, skip: set[str]) -> None:
        """Apply what the folder holds that this workspace has not read; ``skip`` names
        replicas read from elsewhere (their personal stream)."""
        root = channel.root
        own = {self.store.rid}
        rids, problems = list_replicas(root)
        report.problems.extend(problems)
        batch: list[StoredOp] = []
        carried: set[str] = set()
        advanced: dict[str, int] = {}
        now_ms = int(time.time() * 1000)
        mine = {self.store.rid, *self.store.previous_rids()}
        with self.store.ingesting() as take:  # the journal synced once, at the end
            for rid in sorted(rids):
                if rid in own or rid in skip:
                    continue
                done = fs.ingested.get(rid, 0)
                newest = 0
                for segment, last_seq in self._ready_segments(root, rid, done, report):
                    newest = max(newest, segment.last[0])
                    batch.extend(segment.ops)
                    report.segments_read += 1
                    advanced[rid] = last_seq
                    if not mine.isdisjoint((rid, *segment.carries)):
                        self._carried(segment.ops, mine, carried)
                    if len(batch) >= INGEST_CHUNK:
                        report.ingested_ops += len(take(batch))
                        batch = []
                if newest > now_ms + CLOCK_AHEAD_MS:
                    ahead = (newest - now_ms) / 3_600_000
                    report.problems.append(
                        f"replica {rid}: clock is {ahead:.1f} hours ahead of this machine"
                    )
            if batch:
                report.ingested_ops += len(take(batch))
        if carried:
            report.notes.append(
                f"another installation made {len(carried)} change(s) under an id this "
                "workspace wrote as (a copied workspace); they were taken in and are not "
                "sent again as this workspace's own"
            )
        fs.ingested.update(advanced)
        if not channel.personal:
            answers, problems, listed = inbox_box.read_new(root / INBOX, fs.inbox)
            report.problems.extend(problems)
            new_ops = [op for _, op in answers if op["uid"] not in fs.answers]
            if new_ops:
                self.store.ingest(new_ops)
            for name, op in answers:
                fs.inbox.add(name)
                fs.answers.add(op["uid"])
            report.answers_read += len(new_ops)
            if listed:
                self._seal_published_rounds(report)

    def _carried(self, ops: list[StoredOp], mine: set[str], carried: set[str]) -> None:
        """Ops under one of this workspace's ids (``mine``) that it does not have were
        made by a copy of it: they are never sent again as its own, which the sync state
        says before they are taken in. ``carried`` collects their ids."""
        view = self.store.view
        found = {op["id"] for op in ops if op["rid"] in mine and not view.is_applied(op["id"])}
        if found:
            carried |= found
            if found - self.state.not_mine:
                self.state.not_mine |= found
                self.state.save()

    def _seal_published_rounds(self, report: SyncReport) -> None:
        """Record which answers count in each round whose results day has come, now
        that the inbox has been read: a later answer never changes the figures."""
        today = self.today()
        answers = self.store.answers
        view = self.store.view
        for doc in list(view.docs("enps_round")):
            name = str(doc.get("round"))
            closes = as_date(doc.get("closes"))
            if closes is None or answers.counted(name) is not None:
                continue
            if round_phase(closes, today) == "published":
                uids = [a["uid"] for a in view.docs("enps") if a.get("round") == name]
                self.store.seal_answers(name, uids)
                report.notes.append(f"eNPS round {name}: the results are published")

    def _segment_names(self, seg_dir: Path) -> list[SegmentEntry]:
        """Parsed segment names of a folder, re-listed only when the folder changed.

        A listing is reused while the folder's modification time is unchanged and
        older than two seconds (so a change within the clock's resolution is seen)."""
        try:
            st = os.lstat(seg_dir)
        except OSError:
            return []
        if not stat.S_ISDIR(st.st_mode):
            return []
        key = str(seg_dir)
        cached = self._listing.get(key)
        if cached is not None and cached[0] == st.st_mtime_ns:
            return cached[1]
        found = _segment_listing(seg_dir)
        if time.time_ns() - st.st_mtime_ns > LISTING_SETTLE_NS:
            self._listing[key] = (st.st_mtime_ns, found)
        return found

    def _ready_segments(
        self, root: Path, rid: str, done: int, report: SyncReport
    ) -> Iterator[tuple[Segment, int]]:
        """Valid segments of ``rid`` after seq ``done``, consecutive from ``done + 1``,
        each with its seq, decoded one at a time as they are taken."""
        seg_dir = root / REPLICAS / rid / SEGMENTS
        by_seq: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
        for seq, name, sha12, conflict in self._segment_names(seg_dir):
            if seq > done:
                by_seq[seq].append((name, sha12, conflict))
        folder = os.fspath(seg_dir) + os.sep  # names joined as strings: thousands of them
        seq = done + 1
        while seq in by_seq:
            valid: dict[str, Segment] = {}
            for name, sha12, _conflict in sorted(by_seq[seq], key=lambda c: (c[2], c[0])):
                try:
                    data = read_checked(folder + name, MAX_SEGMENT_BYTES)
                    segment = decode(data, rid, seq, sha12)
                except Incomplete:
                    report.waiting.append(f"{_where(rid, name)} has not fully arrived yet")
                    continue
                except NewerFormat as exc:
                    report.problems.append(f"{_where(rid, name)}: {exc}")
                    continue
                except Invalid as exc:
                    report.problems.append(f"{_where(rid, name)}: invalid: {exc}")
                    continue
                except Refused as exc:
                    report.problems.append(f"{_where(rid, name)}: refused: {exc.why}")
                    continue
                valid.setdefault(segment.sha, segment)
            if not valid:
                break
            if len(valid) > 1:
                report.notes.append(
                    f"replica {rid} has {len(valid)} different segments numbered {seq}: two "
                    "copies of one workspace wrote them before they saw each other; all of "
                    "them were read"
                )
            for sha in sorted(valid):
                yield valid[sha], seq
            seq += 1
        later = [s for s in by_seq if s > seq]
        if later:
            report.waiting.append(
                f"replica {rid}: segment {seq} is missing; {len(later)} later one(s) wait for it"
            )


def _where(rid: str, name: str) -> str:
    return f"{REPLICAS}/{rid}/{SEGMENTS}/{name}"


def _segment_listing(seg_dir: Path) -> list[SegmentEntry]:
    found = []
    for name in entry_names(seg_dir):
        parsed = parse_segment_name(name)
        if parsed is not None:
            found.append((parsed.seq, name, parsed.sha12, parsed.conflict))
    return found


def list_replicas(root: Path) -> tuple[list[str], list[str]]:
    """Replica ids with a real directory under ``replicas/``, and problems seen."""
    replicas = root / REPLICAS
    rids: list[str] = []
    problems: list[str] = []
    try:
        with os.scandir(replicas) as entries:
            for entry in entries:
                name = entry.name
                if is_junk(name):
                    continue
                if not RID_RE.fullmatch(name) or name == ANON_RID:
                    problems.append(f"{REPLICAS}/{name!r}: not a replica id; ignored")
                elif not entry.is_dir(follow_symlinks=False):
                    problems.append(f"{REPLICAS}/{name}: not a directory; ignored")
                else:
                    rids.append(name)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        pass
    return sorted(rids), problems

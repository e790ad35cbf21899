"""Ingest: every other replica's segments and the eNPS inbox, in from a folder.

Each replica's segments are read in seq order from the one after the last ingested;
a missing or half-arrived segment stops that replica until it is there. Every valid
segment with a number is read: two copies of one workspace may each have written one
(twins), and ingest is idempotent per op id, so reading both loses nothing. A replica that
has a personal stream is read only from it. Ops reach the store (``Store.ingesting``:
short turns under the store's own lock, the journal synced once at the end) a thousand
or so at a time, as their segments are read, not after the whole folder is read: a
first sync reads hundreds of thousands, and only a chunk of them is held at a time
(firm-year's first join peaked at 384 MB holding them all, 210 MB this way). The sync
state records a replica's segments as read only after the pass, so a pass cut short
reads them again, and ingest skips the ops it already has.

A pass with many segments to read has them read, checked and decoded by a helper
process while this one applies what was read (``readahead``); the segments and what
is said about them are the same either way (``reading``).
"""

from __future__ import annotations

import datetime as dt
import operator
import os
import stat
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from pathlib import Path

from pulsetui.domain.dates import as_date
from pulsetui.domain.enps import round_phase
from pulsetui.store.ids import ANON_RID
from pulsetui.store.ops import StoredOp
from pulsetui.store.replay import Take
from pulsetui.store.store import INGEST_CHUNK, Store
from pulsetui.store.viewfast import Run
from pulsetui.sync import inbox as inbox_box
from pulsetui.sync.channel import Channel, SyncReport
from pulsetui.sync.folder import INBOX, REPLICAS, RID_RE, SEGMENTS, entry_names, is_junk
from pulsetui.sync.readahead import ReadAhead
from pulsetui.sync.reading import SegmentEntry, parsed_names, ready_segments
from pulsetui.sync.segments import Segment
from pulsetui.sync.state import FolderState, SyncState

CLOCK_AHEAD_MS = 60 * 60 * 1000  # a replica whose clock is an hour ahead gets reported
LISTING_SETTLE_NS = 2_000_000_000
_seq_of = operator.itemgetter(0)


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
        rids, problems = list_replicas(root)
        report.problems.extend(problems)
        folders = {  # each replica's segment folder
            rid: root / REPLICAS / rid / SEGMENTS
            for rid in rids
            if rid != self.store.rid and rid not in skip
        }
        ahead = self._read_ahead(root, folders, fs, None if channel.personal else fs.inbox)
        read = None  # the inbox's new answers, when the read-ahead read them
        try:
            self._ingest(folders, fs, report, ahead)
            if ahead is not None and not channel.personal:
                read = ahead.inbox()
        finally:
            if ahead is not None:
                ahead.close()
        if not channel.personal:
            answers, problems, listed = read or inbox_box.read_new(root / INBOX, fs.inbox)
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

    def _ingest(
        self,
        folders: dict[str, Path],
        fs: FolderState,
        report: SyncReport,
        ahead: ReadAhead | None,
    ) -> None:
        """The segments of the replicas of ``folders``, in this order, through the store
        a chunk at a time."""
        batch = _Batch()
        carried: set[str] = set()
        advanced: dict[str, int] = {}
        now_ms = int(time.time() * 1000)
        mine = {self.store.rid, *self.store.previous_rids()}

        def say(kind: str, text: str) -> None:
            getattr(report, kind).append(text)

        def read(rid: str, done: int) -> Iterator[tuple[int, list[Segment]]]:
            seg_dir = folders[rid]
            return ready_segments(seg_dir, rid, done, self._segment_names(seg_dir, done), say)

        with self.store.ingesting() as take:  # the journal synced once, at the end
            for rid in folders:
                done = fs.ingested.get(rid, 0)
                newest = 0
                found = read(rid, done) if ahead is None else ahead.segments(rid, done, say, read)
                for seq, segments in found:
                    for segment in segments:
                        if batch.ops and len(batch.ops) + len(segment.ops) > INGEST_CHUNK:
                            report.ingested_ops += len(batch.take(take))
                        newest = max(newest, segment.last[0])
                        batch.add(rid, segment)
                        report.segments_read += 1
                        if not mine.isdisjoint((rid, *segment.carries)):
                            self._carried(segment.ops, mine, carried)
                    advanced[rid] = seq
                    if len(batch.ops) >= INGEST_CHUNK:
                        report.ingested_ops += len(batch.take(take))
                if newest > now_ms + CLOCK_AHEAD_MS:
                    ahead_by = (newest - now_ms) / 3_600_000
                    report.problems.append(
                        f"replica {rid}: clock is {ahead_by:.1f} hours ahead of this machine"
                    )
            if batch.ops:
                report.ingested_ops += len(batch.take(take))
        if carried:
            report.notes.append(
                f"another installation made {len(carried)} change(s) under an id this "
                "workspace wrote as (a copied workspace); they were taken in and are not "
                "sent again as this workspace's own"
            )
        fs.ingested.update(advanced)

    def _read_ahead(
        self, root: Path, folders: dict[str, Path], fs: FolderState, inbox: set[str] | None
    ) -> ReadAhead | None:
        """A helper process reading segments (and the inbox's new answers after them,
        ``inbox``: the answer files read before), for a pass with many segments."""
        counts = []
        for rid, seg_dir in folders.items():
            done = fs.ingested.get(rid, 0)
            counts.append((rid, done, self._waiting(seg_dir, done)))
        return ReadAhead.start(root, counts, inbox)

    def _waiting(self, seg_dir: Path, done: int) -> int:
        """About how many segments of a folder come after seq ``done``: from the listing
        kept of it, else told by the names alone (they start with the seq)."""
        try:
            st = os.lstat(seg_dir)
        except OSError:
            return 0
        if not stat.S_ISDIR(st.st_mode):
            return 0
        cached = self._listing.get(str(seg_dir))
        if cached is not None and cached[0] == st.st_mtime_ns:  # kept in seq order
            return len(cached[1]) - bisect_right(cached[1], done, key=_seq_of)
        first = f"{done + 1:012d}"
        return sum(1 for name in entry_names(seg_dir) if name >= first)

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

    def _segment_names(self, seg_dir: Path, after: int = 0) -> list[SegmentEntry]:
        """Parsed segment names of a folder after seq ``after``, in seq order, re-listed
        only when the folder changed.

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
            found = cached[1]
        else:
            found = sorted(parsed_names(seg_dir))
            if time.time_ns() - st.st_mtime_ns > LISTING_SETTLE_NS:
                self._listing[key] = (st.st_mtime_ns, found)
        return found[bisect_right(found, after, key=_seq_of) :] if after else found


class _Batch:
    """Ops of segments gathered for the store, with what it may use of their segments:
    the ops as orjson wrote them, and runs of one replica's rising clocks."""

    def __init__(self) -> None:
        self.ops: list[StoredOp] = []
        self.pieces: list[bytes] | None = []
        self.runs: list[Run] | None = []

    def add(self, rid: str, segment: Segment) -> None:
        ops = segment.ops
        if not ops:
            return
        self.ops.extend(ops)
        if self.pieces is not None:
            if segment.raw is None:
                self.pieces = None
            else:
                self.pieces.append(segment.raw)
        if self.runs is not None:
            if segment.carries:
                self.runs = None
            else:
                self.runs.append((rid, segment.first, segment.last, len(ops)))

    def take(self, take: Take) -> list[StoredOp]:
        """Hand the ops to ``take`` (``Store.ingesting``) and start again."""
        new = take(self.ops, self.pieces, self.runs)
        self.ops, self.pieces, self.runs = [], [], []
        return new


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

"""The sync engine: one pass exports this replica's new ops and ingests everyone else's.

API for the front-ends::

    engine = SyncEngine(ws, shared=Path("/srv/team"), personal=Path("~/Sync/me") or None)
    report = engine.run_once()   # -> SyncReport; safe from a worker thread
    status = engine.status()     # -> SyncStatus: last_sync, pending, problems, running
    engine.close()               # stop counting pending ops

``run_once`` takes its own lock (one pass at a time) and touches the store only through
``Store.ingest`` (short, under the store's own lock), so saves made meanwhile are never
held up; run it in a worker, never on the UI thread. ``status`` only reads a snapshot
and never waits for a running pass.

One pass, for each folder (``<shared>/pulsetui`` and, when configured, the personal
folder ``<personal>/pulsetui``):

1. Export: own ops not yet published (clock after the last own segment) go into new
   immutable segments ``replicas/<rid>/seg/<seq>-<sha12>.jsonl``, written under a temp
   name, fsync'd and renamed, so a crash at any moment leaves either no file or a whole
   one. The team folder gets records of scope *team*; the personal folder gets every
   own op (team and *private*), so a manager's devices see one complete, ordered stream
   of each other. Anonymous eNPS answers go to ``inbox/`` (team folder only).
2. Ingest: every other replica's segments in seq order from the one after the last
   ingested; a missing or half-arrived segment stops that replica until it is there.
   A replica that has a personal stream is read only from it.
3. A valid segment under this replica's own id that this workspace did not write means
   a cloned installation: it is reported and this side takes a new replica id.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import stat
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.models import ENTITIES
from pulsetui.store.ids import ANON_RID
from pulsetui.sync import inbox as inbox_box
from pulsetui.sync.folder import (
    DIR_MODE,
    FILE_MODE,
    FOLDER_NAME,
    INBOX,
    MAX_SEGMENT_BYTES,
    REPLICA_INFO,
    REPLICAS,
    RID_RE,
    SEGMENTS,
    SYNC_FORMAT,
    SYNC_VERSION,
    TEMP_PREFIX,
    Refused,
    create_file,
    is_junk,
    is_plain_dir,
    make_dir,
    parse_segment_name,
    publish,
    read_checked,
    read_format,
)
from pulsetui.sync.segments import Incomplete, Invalid, NewerFormat, Segment, decode, encode
from pulsetui.sync.state import FolderState, SyncState

Op = dict[str, Any]
SEGMENT_MAX_OPS = 20_000
SEGMENT_MAX_BYTES = 16 << 20
CLOCK_AHEAD_MS = 60 * 60 * 1000  # a replica whose clock is an hour ahead gets reported


@dataclass
class SyncReport:
    """What one pass did and found."""

    exported_ops: int = 0
    segments_written: list[str] = field(default_factory=list)
    ingested_ops: int = 0
    segments_read: int = 0
    answers_dropped: int = 0
    answers_read: int = 0
    waiting: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    clone: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"sent {self.exported_ops} change(s) in {len(self.segments_written)} segment(s); "
            f"received {self.ingested_ops} new change(s) from {self.segments_read} segment(s)"
        ]
        if self.answers_dropped or self.answers_read:
            out.append(
                f"eNPS inbox: dropped {self.answers_dropped}, read {self.answers_read} answer(s)"
            )
        if self.clone:
            out.append(f"warning: {self.clone}")
        out.extend(f"waiting: {line}" for line in self.waiting)
        out.extend(f"problem: {line}" for line in self.problems)
        return out


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot for a status line."""

    last_sync: dt.datetime | None
    pending: int
    problems: tuple[str, ...]
    running: bool
    waiting: int = 0


@dataclass
class Channel:
    """One folder and what this replica sends to it."""

    root: Path
    personal: bool

    def wants(self, op: Op) -> bool:
        spec = ENTITIES.get(op.get("entity", ""))
        if spec is None or spec.scope == "anonymous":
            return False
        return self.personal or spec.scope == "team"


class SyncEngine:
    def __init__(self, ws: Any, shared: Path | None, personal: Path | None = None) -> None:
        self.ws = ws
        self.store = ws.store
        self.channels: list[Channel] = []
        if personal is not None:
            self.channels.append(Channel(Path(personal).absolute() / FOLDER_NAME, True))
        if shared is not None:
            self.channels.append(Channel(Path(shared).absolute() / FOLDER_NAME, False))
        self.state = SyncState(ws.home)
        self._run_lock = threading.Lock()
        self._status_lock = threading.Lock()
        self._pending = 0
        self._running = False
        self._problems: tuple[str, ...] = ()
        self._waiting = 0
        self._last_sync: dt.datetime | None = None
        self._failed = False
        self._dirty = True  # the state file is written after the first pass
        self._listing: dict[str, tuple[int, list[tuple[int, str, str, bool]]]] = {}
        self.store.listeners.append(self._count_pending)

    def close(self) -> None:
        if self._count_pending in self.store.listeners:
            self.store.listeners.remove(self._count_pending)

    # ---- status ----------------------------------------------------------------------

    def _count_pending(self, ops: list[Op]) -> None:
        rid = self.store.rid
        mine = sum(1 for op in ops if op.get("rid") == rid)
        if mine:
            with self._status_lock:
                self._pending += mine

    def status(self) -> SyncStatus:
        with self._status_lock:
            return SyncStatus(
                self._last_sync, self._pending, self._problems, self._running, self._waiting
            )

    # ---- one pass --------------------------------------------------------------------

    def run_once(self) -> SyncReport:
        """Export own ops, ingest others' and report; one pass at a time."""
        with self._run_lock:
            started = time.perf_counter()
            with self._status_lock:
                self._running = True
                pending_before = self._pending
            report = SyncReport()
            self._failed = False
            collecting = gc.isenabled()
            gc.disable()  # a pass allocates many small dicts that all stay alive
            try:
                personal_rids = self._personal_rids()
                for channel in self.channels:
                    self._sync_channel(channel, report, personal_rids)
            finally:
                if collecting:
                    gc.enable()
                report.seconds = time.perf_counter() - started
                with self._status_lock:
                    self._running = False
                    self._problems = tuple(report.problems)
                    self._waiting = len(report.waiting)
                    if not self._failed:
                        self._pending = max(0, self._pending - pending_before)
                        self._last_sync = dt.datetime.now().replace(microsecond=0)
            return report

    def _personal_rids(self) -> set[str]:
        rids: set[str] = set()
        for channel in self.channels:
            if channel.personal:
                rids.update(list_replicas(channel.root)[0])
        return rids

    def _sync_channel(self, channel: Channel, report: SyncReport, personal_rids: set[str]) -> None:
        root = channel.root
        found = read_format(root)
        if found is None:
            self._failed = True
            report.problems.append(
                f"{root} is not a pulsetui sync folder (no readable FORMAT file); "
                "run `pulsetui sync init` there first"
            )
            return
        if found[0] != SYNC_FORMAT or found[1] > SYNC_VERSION:
            self._failed = True
            report.problems.append(
                f"{root} uses format {found[0]} version {found[1]}; upgrade pulsetui to sync"
            )
            return
        fs = self.state.folder(root)
        self._export(channel, fs, report)
        skip = set() if channel.personal else personal_rids
        before = (fs.journal_id, fs.journal_offset, dict(fs.ingested), len(fs.inbox))
        self._ingest(channel, fs, report, skip)
        after = (fs.journal_id, fs.journal_offset, dict(fs.ingested), len(fs.inbox))
        fs.last_sync_ms = int(time.time() * 1000)
        if after != before or report.segments_written or report.answers_dropped or self._dirty:
            self.state.save()
        self._dirty = False

    # ---- export ----------------------------------------------------------------------

    def _export(self, channel: Channel, fs: FolderState, report: SyncReport) -> None:
        root = channel.root
        seg_dir = self._own_dirs(root)
        if seg_dir is None:
            report.problems.append(
                f"{root}: cannot create this replica's folder under {REPLICAS}/ "
                "(missing, not a directory, or not writable; see `pulsetui sync init`)"
            )
            return
        written = self._reconcile_written(seg_dir, fs)
        clone = self._foreign_segments(seg_dir, written, self.store.rid)
        if clone:
            old = self.store.rid
            new = self.store.replace_replica_id()
            report.clone = (
                f"another installation writes as replica {old} ({clone}); this looks like a "
                f"copied workspace, so this one now uses the new replica id {new}"
            )
            seg_dir = self._own_dirs(root)
            if seg_dir is None:
                return
            written = self._reconcile_written(seg_dir, fs)
        rid = self.store.rid
        cutoffs = {r: _last_hlc(fs.written.get(r, {})) for r in (rid, *self._previous_rids())}
        ops, answers, end = self._outgoing(channel, fs, cutoffs)
        carried = tuple(sorted({op["rid"] for op in ops} - {rid}))
        seq = max(written, default=0)
        for chunk in _chunks(ops):
            seq += 1
            name, data = encode(rid, seq, chunk, carried)
            own = [op for op in chunk if op["rid"] == rid]
            last_own = tuple(own[-1]["hlc"]) if own else cutoffs[rid]
            entry: list[Any] = [name[13:25], last_own[0], last_own[1]]
            written[seq] = entry
            for old in carried:
                old_last = [op for op in chunk if op["rid"] == old]
                if old_last:
                    # seq 0 never names a file: it marks how far ops of a previous id
                    # were carried in this replica's segments
                    fs.written.setdefault(old, {})[0] = ["carried", *old_last[-1]["hlc"]]
            self.state.save()  # record before publishing: a crash leaves no stranger
            publish(seg_dir, name, data, FILE_MODE)
            report.segments_written.append(f"{root.parent.name}/{REPLICAS}/{rid}/{SEGMENTS}/{name}")
            report.exported_ops += len(chunk)
        if answers and not channel.personal:
            box = root / INBOX
            for op in answers:
                try:
                    name = inbox_box.drop(box, op)
                except OSError as exc:
                    report.problems.append(f"cannot drop an eNPS answer into {box}: {exc}")
                    return
                fs.answers.add(op["uid"])
                fs.inbox.add(name)
                report.answers_dropped += 1
        if (fs.journal_id, fs.journal_offset) != end:
            fs.journal_id, fs.journal_offset = end
            self._dirty = True

    def _own_dirs(self, root: Path) -> Path | None:
        rid = self.store.rid
        replicas = root / REPLICAS
        if not is_plain_dir(replicas):
            return None
        replica_dir = replicas / rid
        seg_dir = replica_dir / SEGMENTS
        try:
            make_dir(replica_dir, DIR_MODE)
            make_dir(seg_dir, DIR_MODE)
            if not os.path.lexists(replica_dir / REPLICA_INFO):
                info = {"rid": rid, "name": self.ws.me_name, "format": SYNC_FORMAT}
                create_file(replica_dir / REPLICA_INFO, orjson.dumps(info) + b"\n", FILE_MODE)
        except (OSError, Refused):
            return None
        for folder in (replica_dir, seg_dir):
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)  # a temp file of ours left by a crash
        return seg_dir

    def _reconcile_written(self, seg_dir: Path, fs: FolderState) -> dict[int, list[Any]]:
        """Own segments recorded and present; forget ones recorded but never published."""
        written = fs.written.setdefault(self.store.rid, {})
        present = {
            (parsed.seq, parsed.sha12)
            for name in _names(seg_dir)
            if (parsed := parse_segment_name(name)) is not None and not parsed.conflict
        }
        for seq in [s for s, entry in written.items() if (s, entry[0]) not in present]:
            del written[seq]
        return written

    def _foreign_segments(self, seg_dir: Path, written: dict[int, list[Any]], rid: str) -> str:
        for name in _names(seg_dir):
            parsed = parse_segment_name(name)
            if parsed is None:
                continue
            mine = written.get(parsed.seq)
            if mine is not None and mine[0] == parsed.sha12 and not parsed.conflict:
                continue
            try:
                segment = decode(read_checked(seg_dir / name, MAX_SEGMENT_BYTES), rid, parsed.seq)
            except (Refused, Incomplete, Invalid, NewerFormat):
                continue
            if mine is not None and segment.sha.startswith(mine[0]):
                continue  # a conflict copy of our own segment: same bytes
            return f"segment {name} was not written here"
        return ""

    def _previous_rids(self) -> list[str]:
        try:
            data = orjson.loads((self.store.home / "replica.json").read_bytes())
            return [str(r) for r in data.get("previous_rids", []) if r]
        except (OSError, orjson.JSONDecodeError, AttributeError):
            return []

    def _outgoing(
        self, channel: Channel, fs: FolderState, cutoffs: dict[str, tuple[int, int]]
    ) -> tuple[list[Op], list[Op], tuple[str | None, int]]:
        """Own ops after the cutoffs, and anonymous answers not yet dropped."""
        journal = self.store.journal.path
        jid, offset = fs.journal_id, fs.journal_offset
        needles = [rid.encode() for rid in cutoffs]
        if not channel.personal:
            needles.append(ANON_RID.encode())
        ops: list[Op] = []
        answers: list[Op] = []
        not_mine = self.state.not_mine
        current_id, lines, end = read_journal_tail(journal, jid, offset)
        for line in lines:
            if not any(needle in line for needle in needles):
                continue
            try:
                payload = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            for op in payload if isinstance(payload, list) else [payload]:
                if not isinstance(op, dict):
                    continue
                rid = op.get("rid")
                if rid == ANON_RID:
                    if not channel.personal and op.get("uid") not in fs.answers:
                        answers.append(op)
                    continue
                cutoff = cutoffs.get(rid) if isinstance(rid, str) else None
                if cutoff is None or not channel.wants(op) or op.get("id") in not_mine:
                    continue
                if tuple(op["hlc"]) > cutoff:
                    ops.append(op)
        # own ops first, carried ops of a previous id after (each in clock order)
        return ops, answers, (current_id, end)

    # ---- ingest ----------------------------------------------------------------------

    def _ingest(
        self, channel: Channel, fs: FolderState, report: SyncReport, skip: set[str]
    ) -> None:
        root = channel.root
        own = {self.store.rid}
        rids, problems = list_replicas(root)
        report.problems.extend(problems)
        batch: list[Op] = []
        advanced: dict[str, int] = {}
        now_ms = int(time.time() * 1000)
        for rid in sorted(rids):
            if rid in own or rid in skip:
                continue
            done = fs.ingested.get(rid, 0)
            segments, last_seq = self._ready_segments(root, rid, done, report)
            newest = 0
            for segment in segments:
                newest = max(newest, segment.last[0])
                batch.extend(segment.ops)
                report.segments_read += 1
            if newest > now_ms + CLOCK_AHEAD_MS:
                ahead = (newest - now_ms) / 3_600_000
                report.problems.append(
                    f"replica {rid}: clock is {ahead:.1f} hours ahead of this machine"
                )
            if last_seq > done:
                advanced[rid] = last_seq
        carried_mine = {op["id"] for op in batch if op["rid"] == self.store.rid}
        if carried_mine:
            self.state.not_mine |= carried_mine
            self.state.save()
            report.problems.append(
                f"another installation made {len(carried_mine)} change(s) under this replica's "
                f"id {self.store.rid} (a copied workspace); it has since taken its own id"
            )
        if batch:
            fresh = self.store.ingest(batch)
            report.ingested_ops += len(fresh)
        fs.ingested.update(advanced)
        if not channel.personal:
            answers, problems = inbox_box.read_new(root / INBOX, fs.inbox)
            report.problems.extend(problems)
            new_ops = [op for _, op in answers if op["uid"] not in fs.answers]
            if new_ops:
                self.store.ingest(new_ops)
            for name, op in answers:
                fs.inbox.add(name)
                fs.answers.add(op["uid"])
            report.answers_read += len(new_ops)

    def _segment_names(self, seg_dir: Path) -> list[tuple[int, str, str, bool]]:
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
    ) -> tuple[list[Segment], int]:
        """Valid segments of ``rid`` after seq ``done``, consecutive from ``done + 1``."""
        seg_dir = root / REPLICAS / rid / SEGMENTS
        by_seq: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
        for seq, name, sha12, conflict in self._segment_names(seg_dir):
            if seq > done:
                by_seq[seq].append((name, sha12, conflict))
        ready: list[Segment] = []
        seq = done + 1
        while seq in by_seq:
            valid: dict[str, Segment] = {}
            for name, sha12, _conflict in sorted(by_seq[seq], key=lambda c: (c[2], c[0])):
                path = seg_dir / name
                where = f"{REPLICAS}/{rid}/{SEGMENTS}/{name}"
                try:
                    segment = decode(read_checked(path, MAX_SEGMENT_BYTES), rid, seq, sha12)
                except Incomplete:
                    report.waiting.append(f"{where} has not fully arrived yet")
                    continue
                except NewerFormat as exc:
                    report.problems.append(f"{where}: {exc}")
                    continue
                except Invalid as exc:
                    report.problems.append(f"{where}: invalid: {exc}")
                    continue
                except Refused as exc:
                    report.problems.append(f"{where}: refused: {exc.why}")
                    continue
                valid.setdefault(segment.sha, segment)
            if not valid:
                break
            if len(valid) > 1:
                report.problems.append(
                    f"replica {rid} has {len(valid)} different segments numbered {seq} "
                    "(a copied installation?); using one of them"
                )
            ready.append(valid[min(valid)])
            seq += 1
        later = [s for s in by_seq if s > seq]
        if later:
            report.waiting.append(
                f"replica {rid}: segment {seq} is missing; {len(later)} later one(s) wait for it"
            )
        return ready, seq - 1


LISTING_SETTLE_NS = 2_000_000_000


def _segment_listing(seg_dir: Path) -> list[tuple[int, str, str, bool]]:
    found = []
    for name in _names(seg_dir):
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
                if not RID_RE.match(name) or name == ANON_RID:
                    problems.append(f"{REPLICAS}/{name!r}: not a replica id; ignored")
                elif not entry.is_dir(follow_symlinks=False):
                    problems.append(f"{REPLICAS}/{name}: not a directory; ignored")
                else:
                    rids.append(name)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        pass
    return sorted(rids), problems


def read_journal_tail(
    path: Path, journal_id: str | None, offset: int
) -> tuple[str | None, list[bytes], int]:
    """Complete journal lines after ``offset`` (from the start when the journal changed).

    Returns the journal's id, the lines (without the header) and the offset after them.
    A line still being written (no newline yet) is left for the next pass."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except FileNotFoundError:
        return None, [], 0
    with handle:
        first = handle.readline()
        try:
            header = orjson.loads(first)
            current = str(header["journal"]) if isinstance(header, dict) else None
        except (orjson.JSONDecodeError, KeyError):
            current = None
        size = os.fstat(handle.fileno()).st_size
        if current is None or current != journal_id or offset > size or offset < len(first):
            offset = len(first)
        handle.seek(offset)
        data = handle.read(size - offset)
    cut = data.rfind(b"\n")
    if cut < 0:
        return current, [], offset
    return current, data[: cut + 1].splitlines(), offset + cut + 1


def _names(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return [entry.name for entry in entries]
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []


def _last_hlc(written: dict[int, list[Any]]) -> tuple[int, int]:
    best = (0, 0)
    for entry in written.values():
        if len(entry) >= 3:
            best = max(best, (int(entry[1]), int(entry[2])))
    return best


def _chunks(ops: list[Op]) -> list[list[Op]]:
    chunks: list[list[Op]] = []
    current: list[Op] = []
    size = 0
    for op in ops:
        weight = len(orjson.dumps(op))
        if current and (len(current) >= SEGMENT_MAX_OPS or size + weight > SEGMENT_MAX_BYTES):
            chunks.append(current)
            current, size = [], 0
        current.append(op)
        size += weight
    if current:
        chunks.append(current)
    return chunks

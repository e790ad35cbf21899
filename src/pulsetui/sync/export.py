"""Export: this replica's new ops out to a folder, as immutable segments.

Own ops not yet published (clock after the last own segment) go into new segments
``replicas/<rid>/seg/<seq>-<sha12>.jsonl``, written under a temp name, fsync'd and
renamed, so a crash at any moment leaves either no file or a whole one. The team folder
gets records of scope *team*; the personal folder gets every own op (team and
*private*), so a manager's devices see one complete, ordered stream of each other.
Anonymous eNPS answers go to ``inbox/`` (team folder only).

A valid segment under this replica's own id that this workspace did not write means a
cloned installation: it is reported and this side takes a new replica id.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from pulsetui.store.ids import ANON_RID
from pulsetui.store.journal import JournalCursor
from pulsetui.store.ops import StoredOp
from pulsetui.store.store import Store
from pulsetui.sync import inbox as inbox_box
from pulsetui.sync.channel import Channel, SyncReport
from pulsetui.sync.folder import (
    DIR_MODE,
    FILE_MODE,
    INBOX,
    MAX_SEGMENT_BYTES,
    REPLICA_INFO,
    REPLICAS,
    SEGMENTS,
    SYNC_FORMAT,
    TEMP_PREFIX,
    Refused,
    create_file,
    entry_names,
    is_plain_dir,
    make_dir,
    parse_segment_name,
    publish,
    read_checked,
)
from pulsetui.sync.segments import Incomplete, Invalid, NewerFormat, decode, encode
from pulsetui.sync.state import FolderState, SyncState

SEGMENT_MAX_OPS = 20_000
SEGMENT_MAX_BYTES = 16 << 20


class Exporter:
    """Publishes this replica's ops to the folders; ``me_name`` names the replica in
    its ``replica.json``."""

    def __init__(self, store: Store, state: SyncState, me_name: Callable[[], str]) -> None:
        self.store = store
        self.state = state
        self.me_name = me_name

    def export(self, channel: Channel, fs: FolderState, report: SyncReport) -> bool:
        """Publish what ``channel`` has not got yet; True when the journal was read further."""
        root = channel.root
        seg_dir = self._own_dirs(root)
        if seg_dir is None:
            report.problems.append(
                f"{root}: cannot create this replica's folder under {REPLICAS}/ "
                "(missing, not a directory, or not writable; see `pulsetui sync init`)"
            )
            return False
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
                return False
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
                    return False
                fs.answers.add(op["uid"])
                fs.inbox.add(name)
                report.answers_dropped += 1
        if (fs.journal_id, fs.journal_offset) != (end.journal_id, end.offset):
            fs.journal_id, fs.journal_offset = end.journal_id, end.offset
            return True
        return False

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
                info = {"rid": rid, "name": self.me_name(), "format": SYNC_FORMAT}
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
            for name in entry_names(seg_dir)
            if (parsed := parse_segment_name(name)) is not None and not parsed.conflict
        }
        for seq in [s for s, entry in written.items() if (s, entry[0]) not in present]:
            del written[seq]
        return written

    def _foreign_segments(self, seg_dir: Path, written: dict[int, list[Any]], rid: str) -> str:
        for name in entry_names(seg_dir):
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
    ) -> tuple[list[StoredOp], list[StoredOp], JournalCursor]:
        """Own ops after the cutoffs, and anonymous answers not yet dropped.

        Only journal lines naming one of the wanted replicas are decoded: after a first
        join the journal holds every other replica's history, which need not be parsed."""
        needles = [rid.encode() for rid in cutoffs]
        if not channel.personal:
            needles.append(ANON_RID.encode())
        ops: list[StoredOp] = []
        answers: list[StoredOp] = []
        not_mine = self.state.not_mine
        cursor = JournalCursor(fs.journal_id, fs.journal_offset)
        found, end = self.store.journal.read_tail(cursor, mentioning=needles)
        for op in found:
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
        return ops, answers, end


def _last_hlc(written: dict[int, list[Any]]) -> tuple[int, int]:
    best = (0, 0)
    for entry in written.values():
        if len(entry) >= 3:
            best = max(best, (int(entry[1]), int(entry[2])))
    return best


def _chunks(ops: list[StoredOp]) -> list[list[StoredOp]]:
    chunks: list[list[StoredOp]] = []
    current: list[StoredOp] = []
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

"""Export: this replica's new ops out to a folder, as immutable segments.

Own ops not yet published (clock after the last own segment) go into new segments
``replicas/<rid>/seg/<seq>-<sha12>.jsonl``, written under a temp name, fsync'd and
renamed, so a crash at any moment leaves either no file or a whole one. The team folder
gets records of scope *team*; the personal folder gets every own op (team and
*private*), so a manager's devices see one complete, ordered stream of each other.
Anonymous eNPS answers (kept in the store's answers file, not the journal) go to
``inbox/`` (team folder only), at a moment chosen by ``answer_timing``.

A valid segment under this replica's own id that this workspace did not write means a
copied workspace (a restored laptop, a cloned VM): both copies may have published a
segment with the same number before they saw each other (twins). The side that finds
it takes a new replica id and publishes again, under the new id, every op of its own
from the first segment with a foreign twin on: a reader that read only the other twin
(and moved past that number) still gets them. Readers read every valid twin.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.dates import as_date
from pulsetui.domain.enps import round_uid
from pulsetui.store.ids import ANON_RID
from pulsetui.store.journal import JournalCursor
from pulsetui.store.ops import StoredOp
from pulsetui.store.store import Store
from pulsetui.sync import answer_timing, slots
from pulsetui.sync import inbox as inbox_box
from pulsetui.sync.access import permission_problem
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

    def __init__(
        self,
        store: Store,
        state: SyncState,
        me_name: Callable[[], str],
        now_ms: Callable[[], int],
    ) -> None:
        self.store = store
        self.state = state
        self.me_name = me_name
        self.now_ms = now_ms

    def export(self, channel: Channel, fs: FolderState, report: SyncReport) -> bool:
        """Publish what ``channel`` has not got yet; True when the journal was read further."""
        root = channel.root
        seg_dir, why = self._own_dirs(root)
        if seg_dir is None:
            report.problems.append(f"{root}: cannot create this replica's folder: {why}")
            return False
        written = self._reconcile_written(seg_dir, fs)
        clone = self._foreign_segments(seg_dir, written, self.store.rid)
        if clone is not None:
            seq, name = clone
            old = self.store.rid
            new = self.store.replace_replica_id()
            resent = self._resend_from(fs, old, seq)
            twin = " (a twin of one written here)" if seq in written else ""
            report.clone = (
                f"another installation writes as replica {old}: segment {name} was not written "
                f"here{twin}. This looks like a copied workspace, so this one now uses the new "
                f"replica id {new} and sends again its own changes from segment {seq} on"
                f"{resent}"
            )
            seg_dir, why = self._own_dirs(root)
            if seg_dir is None:
                report.problems.append(f"{root}: cannot create this replica's folder: {why}")
                return False
            written = self._reconcile_written(seg_dir, fs)
        rid = self.store.rid
        cutoffs = {r: _last_hlc(fs.written.get(r, {})) for r in (rid, *self.store.previous_rids())}
        ops, answers, end = self._outgoing(channel, fs, cutoffs)
        now = self.now_ms()
        wait = 0 if channel.personal else answer_timing.segments_wait(fs, now)
        if ops and wait:
            report.waiting.append(
                f"{len(ops)} change(s) wait {wait} more minute(s) before they are sent, "
                "so that they cannot be linked to the eNPS answer sent just before"
            )
            report.deferred += len(ops)
            ops = []
            end = JournalCursor(fs.journal_id, fs.journal_offset)  # read them again
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
            fs.last_segment_ms = now
            self.state.save()  # record before publishing: a crash leaves no stranger
            publish(seg_dir, name, data, FILE_MODE)
            report.segments_written.append(f"{root.parent.name}/{REPLICAS}/{rid}/{SEGMENTS}/{name}")
            report.exported_ops += len(chunk)
        if not channel.personal:
            server = slots.several_users(root)
            if server:
                report.problems.extend(slots.tend(root / INBOX))
            if answers:
                self._drop_answers(root, fs, answers, now, bool(ops), server, report)
        if (fs.journal_id, fs.journal_offset) != (end.journal_id, end.offset):
            fs.journal_id, fs.journal_offset = end.journal_id, end.offset
            return True
        return False

    def _drop_answers(
        self,
        root: Path,
        fs: FolderState,
        answers: list[StoredOp],
        now: int,
        wrote: bool,
        server: bool,
        report: SyncReport,
    ) -> None:
        """Hold new answers for a random while; drop those whose moment has come (into
        another user's slot when several users share the folder: ``slots``)."""
        held = set(fs.held)
        answer_timing.schedule(fs, answers, now, self._closes_of)
        if set(fs.held) != held:
            self.state.save()
        box = root / INBOX
        for op in answer_timing.due(fs, answers, now, wrote):
            try:
                name = slots.drop_into_slot(box, op) if server else inbox_box.drop(box, op)
            except slots.NoFreeSlot:
                report.waiting.append(
                    f"an eNPS answer waits for a free answer slot in {INBOX}/: another "
                    "member's pulsetui makes some at its next sync"
                )
                return
            except Refused as exc:
                report.problems.append(f"cannot drop an eNPS answer into {box}: {exc.why}")
                return
            except OSError as exc:
                why = permission_problem(box, write=True) or exc.strerror or str(exc)
                report.problems.append(f"cannot drop an eNPS answer into {box}: {why}")
                return
            fs.answers.add(op["uid"])
            fs.inbox.add(name)
            fs.held.pop(op["uid"], None)
            fs.last_drop_ms = now
            self.state.save()
            report.answers_dropped += 1

    def _closes_of(self, op: StoredOp) -> dt.date | None:
        """The closing day of an answer's round, when this workspace knows it."""
        name = op.get("data", {}).get("round")
        doc = self.store.view.get("enps_round", round_uid(str(name)))
        return None if doc is None else as_date(doc.get("closes"))

    def _own_dirs(self, root: Path) -> tuple[Path | None, str]:
        """This replica's segment folder, made if need be; or None and why not."""
        rid = self.store.rid
        replicas = root / REPLICAS
        if not is_plain_dir(replicas):
            why = permission_problem(replicas) or f"{replicas} is missing or not a folder"
            return None, f"{why} (see `pulsetui sync init`)"
        replica_dir = replicas / rid
        seg_dir = replica_dir / SEGMENTS
        try:
            make_dir(replica_dir, DIR_MODE)
            make_dir(seg_dir, DIR_MODE)
            if not os.path.lexists(replica_dir / REPLICA_INFO):
                info = {"rid": rid, "name": self.me_name(), "format": SYNC_FORMAT}
                create_file(replica_dir / REPLICA_INFO, orjson.dumps(info) + b"\n", FILE_MODE)
        except Refused as exc:
            return None, exc.why
        except OSError as exc:
            why = permission_problem(replica_dir, write=True) or exc.strerror or str(exc)
            return None, why
        for folder in (replica_dir, seg_dir):
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)  # a temp file of ours left by a crash
        return seg_dir, ""

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

    def _foreign_segments(
        self, seg_dir: Path, written: dict[int, list[Any]], rid: str
    ) -> tuple[int, str] | None:
        """The lowest-numbered valid segment under ``rid`` that this workspace did not
        write (seq, file name), or None."""
        found: tuple[int, str] | None = None
        for name in entry_names(seg_dir):
            parsed = parse_segment_name(name)
            if parsed is None or (found is not None and parsed.seq >= found[0]):
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
            found = (parsed.seq, name)
        return found

    def _resend_from(self, fs: FolderState, old: str, seq: int) -> str:
        """After taking a new id: send again, carried under the new id, every own op of
        ``old`` after the segments below ``seq`` (the rest may sit only in a twin that
        some readers never read). Returns how many segments that covers, for the report."""
        entries = fs.written.setdefault(old, {})
        before = {s: e for s, e in entries.items() if 0 < s < seq}
        again = sorted(s for s in entries if s >= seq)
        # seq 0 marks how far ops of a previous id were carried: from the last segment
        # before the twin on, they are sent again
        entries[0] = ["carried", *_last_hlc(before)]
        # everything below ``seq`` is this workspace's own history: no need to read it back
        fs.ingested[old] = max(fs.ingested.get(old, 0), seq - 1)
        # the journal is scanned again from the start for them (once)
        fs.journal_id, fs.journal_offset = None, 0
        self.state.save()
        if not again:
            return ""
        return f" (segment(s) {', '.join(str(s) for s in again)} written here)"

    def _outgoing(
        self, channel: Channel, fs: FolderState, cutoffs: dict[str, tuple[int, int]]
    ) -> tuple[list[StoredOp], list[StoredOp], JournalCursor]:
        """Own ops after the cutoffs, and anonymous answers not yet dropped.

        Only journal lines naming one of the wanted replicas are decoded: after a first
        join the journal holds every other replica's history, which need not be parsed."""
        needles = [rid.encode() for rid in cutoffs]
        ops: list[StoredOp] = []
        answers: list[StoredOp] = []
        if not channel.personal:
            kept = self.store.answers.answers
            answers = [kept[uid] for uid in sorted(kept) if uid not in fs.answers]
        not_mine = self.state.not_mine
        cursor = JournalCursor(fs.journal_id, fs.journal_offset)
        found, end = self.store.journal.read_tail(
            cursor, mentioning=needles, keep=lambda op: op.get("rid") in cutoffs
        )
        for op in found:
            rid = op.get("rid")
            if rid == ANON_RID:
                continue  # answers saved by an older version: moved to the answers file
            cutoff = cutoffs.get(rid) if isinstance(rid, str) else None
            if cutoff is None or not channel.wants(op) or op.get("id") in not_mine:
                continue
            if tuple(op["hlc"]) > cutoff:
                ops.append(op)
        # own ops first, carried ops of a previous id after (each in clock order)
        return ops, answers, end


def _last_hlc(written: dict[int, list[Any]]) -> tuple[int, int]:
    """How far ops of a replica id have been sent: the ``carried`` mark (seq 0) of a
    previous id when there is one, else the last op of the segments written."""
    mark = written.get(0)
    if mark is not None and len(mark) >= 3:
        return int(mark[1]), int(mark[2])
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

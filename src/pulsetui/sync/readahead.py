"""Read-ahead for a large pass: a helper process reads, checks and decodes the segments
while this process applies what it has read so far.

A first join reads tens of thousands of segments; reading, checksumming and checking
every op is half of its work, and can run on another processor beside the applying.
The helper is a fresh interpreter (``python -m pulsetui.sync.readahead``, never a fork:
the app's process has threads), started only for a pass with at least
:data:`MIN_SEGMENTS` segments to read (starting one costs a tenth of a second), on a
machine with more than one processor. This process reads the first replicas itself
(:data:`HEAD_START` segments) while the helper starts.

The helper is given the folder and each of its replicas' last segment read, reads them
in that order exactly as ingest does in process (``reading``), and writes back what it
found in frames: the events (each seq's segments, and what is said of files that are not
read) and the ops of those segments as one JSON list, written by orjson from the checked
ops. This process parses that list once per frame; the journal is written from those
very bytes when every op of a chunk is new (they are what encoding the ops again gives).

The helper only reads; it never touches the workspace, and it dies with the pass. When
it cannot be started, stops, or writes anything unexpected, the replica it was reading
is read on from where it stopped, and every later one, in this process: the pass is the
same either way.
"""

from __future__ import annotations

import contextlib
import gc
import os
import queue
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from pulsetui.store.background import start_module
from pulsetui.store.opcheck import entity_refs
from pulsetui.sync.folder import INBOX, REPLICAS, SEGMENTS
from pulsetui.sync.inbox import Op, read_new
from pulsetui.sync.reading import Say, ready_segments, segment_listing
from pulsetui.sync.segments import Segment

PROTOCOL = 1
MIN_SEGMENTS = 1000  # a pass reading fewer segments reads them in process
HEAD_START = 600  # segments read in process while the helper starts
FRAME_OPS = 1024  # the helper writes a frame once it holds this many ops
FRAMES_QUEUED = 8  # frames the helper holds while this process is busy
PIPE_BYTES = 1 << 20  # the pipe's buffer, where the system lets it be set (Linux)
HEAD = struct.Struct("<II")  # the lengths of a frame's events and of its ops
SAID = ("waiting", "problems", "notes")  # what may be said of a file (``reading.Say``)

Reader = Callable[[str, int], Iterator[tuple[int, list[Segment]]]]
Answers = tuple[list[tuple[str, Op]], list[str], bool]  # what ``inbox.read_new`` gives


def _cores() -> int:
    """The processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


CORES = _cores()


class Broken(Exception):
    """The helper stopped, or wrote what this process does not expect."""


class ReadAhead:
    """The helper process of one pass, from this side."""

    def __init__(self, process: subprocess.Popen[bytes], rids: set[str]) -> None:
        self._process: subprocess.Popen[bytes] | None = process
        self._rids = rids  # the replicas it reads
        self._events: deque[list[Any]] = deque()
        self._ops: list[Any] = []
        self._body = b""
        self._op_at = 0
        self._byte_at = 0

    @classmethod
    def start(
        cls, root: Path, replicas: list[tuple[str, int, int]], inbox: Iterable[str] | None = None
    ) -> ReadAhead | None:
        """A helper for a pass over ``replicas`` of ``root`` (id, last seq read, segments
        waiting; in the order they are taken) if it has enough to read, else None (also
        when none can be started). The first replicas, up to :data:`HEAD_START`
        segments, are left to this process, which reads them while the helper starts.
        With ``inbox`` (the answer files read before) it reads the new answers after."""
        if CORES < 2:
            return None  # a helper would only take turns with this process
        waiting = [count for _, _, count in replicas]
        ahead = 0
        here = 0
        while ahead < len(replicas) and here < HEAD_START:
            here += waiting[ahead]
            ahead += 1
        if sum(waiting[ahead:]) < MIN_SEGMENTS:
            return None
        process = start_module(__name__, output=True, feed=True)
        if process is None:
            return None
        if process.stdout is not None:
            _grow_pipe(process.stdout.fileno())
        given = [(rid, done) for rid, done, _ in replicas[ahead:]]
        job = {
            "protocol": PROTOCOL,
            "root": os.fspath(root),
            "replicas": given,
            "refs": entity_refs(),
            "frame": FRAME_OPS,
            "inbox": None if inbox is None else sorted(inbox),
        }
        try:
            assert process.stdin is not None
            process.stdin.write(orjson.dumps(job))
            process.stdin.close()
        except OSError:
            _end(process)
            return None
        return cls(process, {rid for rid, _ in given})

    def segments(
        self, rid: str, done: int, say: Say, read: Reader
    ) -> Iterator[tuple[int, list[Segment]]]:
        """What ``ready_segments`` gives for ``rid`` after ``done`` (the replicas asked
        for in the order the helper was given them); should the helper fail, the rest
        as ``read(rid, last seq taken)`` gives it."""
        last = done
        if self._process is not None and rid in self._rids:
            try:
                while True:
                    event = self._next()
                    tag = event[0]
                    if tag == "g" and event[1] == rid:
                        last = event[2]
                        yield last, self._segments(rid, last, event[3])
                    elif tag == "m" and event[1] in SAID:
                        say(event[1], str(event[2]))
                    elif tag == "e" and event[1] == rid:
                        return
                    else:
                        raise Broken(f"unexpected {tag!r}")
            except (Broken, OSError, ValueError, TypeError, IndexError):
                self.close()
        yield from read(rid, last)

    def inbox(self) -> Answers | None:
        """What ``inbox.read_new`` gives, read by the helper after the segments (when it
        was asked to); None when it was not, or stopped before."""
        if self._process is None:
            return None
        try:
            event = self._next()
            if event[0] != "i":
                raise Broken(f"unexpected {event[0]!r}")
            answers = [(str(name), op) for name, op in event[1]]
            return answers, [str(problem) for problem in event[2]], bool(event[3])
        except (Broken, OSError, ValueError, TypeError, IndexError):
            self.close()
            return None

    def _segments(self, rid: str, seq: int, entries: list[list[Any]]) -> list[Segment]:
        found = []
        body, ops = self._body, self._ops
        for sha, first, last, carries, count, size in entries:
            at, pos = self._op_at, self._byte_at
            raw = body[pos : pos + size]
            if len(raw) != size:
                raise Broken("a frame ends early")
            self._op_at = at + count
            if size:
                self._byte_at = pos + size + 1  # and the comma
            taken = ops[at : at + count]
            if len(taken) != count:
                raise Broken("a frame ends early")
            found.append(
                Segment(rid, seq, sha, taken, tuple(first), tuple(last), tuple(carries), raw)
            )
        return found

    def _next(self) -> list[Any]:
        while not self._events:
            self._read_frame()
        return self._events.popleft()

    def _read_frame(self) -> None:
        process = self._process
        if process is None or process.stdout is None:
            raise Broken("no helper")
        out = process.stdout
        head = out.read(HEAD.size)
        if len(head) != HEAD.size:
            raise Broken("the helper stopped")
        events_size, body_size = HEAD.unpack(head)
        events = out.read(events_size)
        body = out.read(body_size)
        if len(events) != events_size or len(body) != body_size:
            raise Broken("the helper stopped mid-frame")
        self._events.extend(orjson.loads(events))
        self._ops = orjson.loads(body) if body else []
        self._body, self._op_at, self._byte_at = body, 0, 1  # after the "["

    def close(self) -> None:
        """Stop the helper (if it still runs) and wait for it."""
        process, self._process = self._process, None
        if process is not None:
            _end(process)


def _grow_pipe(fd: int) -> None:
    """Let a frame pass the pipe in fewer turns, where its buffer can be grown."""
    try:
        import fcntl  # POSIX only, imported where used
    except ImportError:
        return
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _end(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    if process.poll() is None:
        with contextlib.suppress(OSError):
            process.kill()
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        process.wait(timeout=10)


# ---- the helper's side ---------------------------------------------------------------


class _Frames:
    """Events and ops gathered for the next frame; whole frames are written by a thread
    of their own, a few queued at most, so reading goes on while this process's
    reader is busy applying."""

    def __init__(self, out: IO[bytes], size: int) -> None:
        self.size = size  # a frame is written once it holds this many ops
        self.events: list[list[Any]] = []
        self.pieces: list[bytes] = []
        self.count = 0
        self._queue: queue.Queue[list[bytes] | None] = queue.Queue(FRAMES_QUEUED)
        self._failed = False
        self._writer = threading.Thread(target=self._write, args=(out,), daemon=True)
        self._writer.start()

    def say(self, kind: str, text: str) -> None:
        self.events.append(["m", kind, text])

    def seq(self, rid: str, seq: int, segments: list[Segment]) -> None:
        entries = []
        for segment in segments:
            ops = segment.ops
            piece = orjson.dumps(ops)[1:-1] if ops else b""
            if piece:
                self.pieces.append(piece)
            entries.append(
                [segment.sha, segment.first, segment.last, segment.carries, len(ops), len(piece)]
            )
            self.count += len(ops)
        self.events.append(["g", rid, seq, entries])
        if self.count >= self.size:
            self.flush()

    def flush(self) -> None:
        if self._failed:
            raise BrokenPipeError("this process's reader is gone")
        events = orjson.dumps(self.events)
        body = b"[" + b",".join(self.pieces) + b"]" if self.pieces else b""
        self._queue.put([HEAD.pack(len(events), len(body)), events, body])
        self.events, self.pieces, self.count = [], [], 0

    def close(self) -> None:
        """Wait until every frame is written."""
        self._queue.put(None)
        self._writer.join()

    def _write(self, out: IO[bytes]) -> None:
        while (frame := self._queue.get()) is not None:
            if not self._failed:
                try:
                    out.writelines(frame)
                    out.flush()
                except OSError:
                    self._failed = True


def serve(job: dict[str, Any], out: IO[bytes]) -> None:
    """Read the job's replicas in order and write what was found to ``out``."""
    root = Path(job["root"])
    refs = {str(name): tuple(fields) for name, fields in job["refs"].items()}
    frames = _Frames(out, int(job["frame"]))
    for rid, done in job["replicas"]:
        seg_dir = root / REPLICAS / rid / SEGMENTS
        entries = segment_listing(seg_dir)
        for seq, segments in ready_segments(seg_dir, rid, done, entries, frames.say, refs):
            frames.seq(rid, seq, segments)
        frames.events.append(["e", rid])
    if job["inbox"] is not None:
        answers, problems, listed = read_new(root / INBOX, job["inbox"])
        frames.events.append(["i", answers, problems, listed])
    frames.events.append(["d"])
    frames.flush()
    frames.close()


def main() -> None:
    gc.disable()  # the ops of a segment are dropped as soon as it is written back
    job = orjson.loads(sys.stdin.buffer.read())
    if not isinstance(job, dict) or job.get("protocol") != PROTOCOL:
        sys.exit(2)
    serve(job, sys.stdout.buffer)


if __name__ == "__main__":
    main()

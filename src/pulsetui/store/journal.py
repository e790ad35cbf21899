"""The append-only journal: every op this workspace has applied, one JSON line per save.

A save appends one line (one op, or a list of ops saved together) and fsyncs it
before it is acknowledged. The first line names the journal (a random id) so a view
can tell whether the offset it covers belongs to this very journal. A torn last line
(a crash mid-write) is cut off when the journal is next opened for writing, or by the
next save of any process (under the workspace's write lock, ``locks``).

This module is the only reader and writer of that format. Readers: :meth:`Journal.replay`
(start-up, from a byte offset), :meth:`Journal.read_tail` (sync: the ops after a
:class:`JournalCursor`, never half a line, even while the app is appending) and
:meth:`Journal.lines` (a backup: the lines as they are, read while they are written out).
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from pulsetui.store.fsutil import open_private_append, sync_to_disk, write_all, write_new_file
from pulsetui.store.journal_header import JOURNAL_NAME, journal_id_of
from pulsetui.store.ops import StoredOp

JOURNAL_FORMAT = 1
READ_CHUNK = 1 << 20


@dataclass
class ReplayStats:
    lines: int = 0
    ops: int = 0
    corrupt_lines: int = 0
    torn_tail_bytes: int = 0


@dataclass(frozen=True)
class JournalCursor:
    """How far a reader has got: which journal, and the byte offset after the last line
    it read (0: nothing read yet)."""

    journal_id: str | None = None
    offset: int = 0


class Journal:
    def __init__(self, folder: Path) -> None:
        self.path = folder / JOURNAL_NAME
        self._fd: int | None = None
        self.journal_id: str | None = None

    # ---- header ---------------------------------------------------------------------

    def read_header(self) -> str | None:
        try:
            with open(self.path, "rb") as handle:
                first = handle.readline()
        except FileNotFoundError:
            return None
        found = journal_id_of(first)
        if found is not None:
            self.journal_id = found
        return found

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    # ---- writing --------------------------------------------------------------------

    def open_for_append(self, new_id: str) -> None:
        """Open for appending; cut a torn tail; write the header of a new journal."""
        exists = self.path.exists() and self.size() > 0
        if exists:
            self._cut_torn_tail()
            if self.read_header() is None:
                raise ValueError(f"{self.path}: first line is not a pulsetui journal header")
        self._fd = open_private_append(self.path)
        if not exists:
            self.journal_id = new_id
            write_all(self._fd, _header(new_id))
            sync_to_disk(self._fd)

    def write_new(self, new_id: str, saves: Iterable[Sequence[StoredOp]]) -> None:
        """Write a whole new journal at once: the header and one line per save, synced
        once (a generated workspace). An existing journal is never replaced."""
        data = b"".join([_header(new_id), *(_line(ops) for ops in saves)])
        write_new_file(self.path, data)
        self.journal_id = new_id

    def _cut_torn_tail(self) -> int:
        end, size = self.complete_end()
        if end < size:
            with open(self.path, "rb+") as handle:
                handle.truncate(end)
                handle.flush()
                sync_to_disk(handle.fileno())
        return size - end

    def complete_end(self) -> tuple[int, int]:
        """Where the last complete line ends, and the size: the bytes between them are
        a line a writer is still writing, or one torn by a crash."""
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed by the with below
        except FileNotFoundError:
            return 0, 0
        with handle:
            return _complete_end(handle)

    def cut_at(self, end: int) -> None:
        """Cut what follows ``end`` (a line torn by a writer that was killed); only
        under the write lock, when no live writer can be mid-line."""
        if self._fd is None:
            raise RuntimeError("journal is not open for writing")
        os.ftruncate(self._fd, end)
        sync_to_disk(self._fd)

    def append(
        self, ops: Sequence[StoredOp], durable: bool = True, encoded: list[bytes] | None = None
    ) -> int:
        """Append one save, durably unless ``durable`` is False (then :meth:`sync` must
        follow before the save is acknowledged); returns the journal size after it.
        ``encoded``: the ops as orjson writes them, in comma-joined pieces (the line is
        made of them, not encoded again)."""
        if self._fd is None:
            raise RuntimeError("journal is not open for writing")
        write_all(self._fd, _line(ops) if encoded is None else _joined(ops, encoded))
        if durable:
            sync_to_disk(self._fd)
        return os.fstat(self._fd).st_size

    def sync(self) -> None:
        """Make every line appended so far durable."""
        if self._fd is None:
            raise RuntimeError("journal is not open for writing")
        sync_to_disk(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    # ---- reading --------------------------------------------------------------------

    def replay(self, offset: int, stats: ReplayStats, end: int | None = None) -> Iterator[StoredOp]:
        """Yield the ops stored after byte ``offset`` (0: from the start), up to the line
        boundary ``end`` when given (what a background checkpoint was asked to cover)."""
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed by the with below
        except FileNotFoundError:
            return
        with handle:
            handle.seek(offset)
            position = offset
            if offset == 0:
                position += len(handle.readline())  # the header
            for line in handle:
                if end is not None and position >= end:
                    break
                if not line.endswith(b"\n"):
                    stats.torn_tail_bytes += len(line)
                    break
                position += len(line)
                yield from _ops_of(line, stats)

    def read_tail(
        self,
        cursor: JournalCursor,
        mentioning: Sequence[bytes] = (),
        keep: Callable[[StoredOp], bool] | None = None,
    ) -> tuple[list[StoredOp], JournalCursor]:
        """The ops after ``cursor``, and the cursor to resume from.

        Only whole lines are read: one still being written (or torn by a crash) is left
        for the next call. A cursor of another journal (the workspace was rebuilt) or
        beyond this one's end starts again from the first op. With ``mentioning``, only
        lines holding one of those byte strings are decoded (a cheap filter for a reader
        that wants a few replicas' ops; it still checks each op it gets). With ``keep``,
        only the ops it keeps are returned (the others are never held all at once)."""
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed by the with below
        except FileNotFoundError:
            return [], JournalCursor()
        stats = ReplayStats()
        ops: list[StoredOp] = []
        with handle:
            first = handle.readline()
            current = journal_id_of(first)
            size = os.fstat(handle.fileno()).st_size
            offset = cursor.offset
            if current is None or current != cursor.journal_id or not len(first) <= offset <= size:
                offset = len(first)
            handle.seek(offset)
            left = size - offset
            pending = b""  # the start of a line the next chunk ends
            while left > 0:  # in chunks: a first sync's journal is hundreds of MB
                chunk = handle.read(min(READ_CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                data = pending + chunk
                cut = data.rfind(b"\n")
                if cut < 0:
                    pending = data
                    continue
                whole = data[: cut + 1]
                lines = _lines_with(whole, mentioning) if mentioning else whole.splitlines()
                for line in lines:
                    found = _ops_of(line, stats)
                    ops.extend(found if keep is None else filter(keep, found))
                offset += cut + 1
                pending = data[cut + 1 :]
        return ops, JournalCursor(current, offset)

    def lines(self) -> JournalLines:
        """Every complete line after the header as the journal holds it now (see
        :class:`JournalLines`); :class:`FileNotFoundError` when there is no journal."""
        return JournalLines(self.path)

    def ends_line_at(self, offset: int) -> bool:
        """Whether ``offset`` falls just after a newline (a line boundary)."""
        if offset == 0:
            return True
        try:
            with open(self.path, "rb") as handle:
                handle.seek(offset - 1)
                return handle.read(1) == b"\n"
        except OSError:
            return False


class JournalLines:
    """The journal's lines after its header, without their newline, up to ``end`` (where
    its last complete line ended when they were taken: a line still being written is not
    a save yet). They are read from the file in chunks each time they are iterated, never
    held whole; the file is opened when they are taken, so lines appended, or a journal
    moved aside, meanwhile change nothing."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self._closer = weakref.finalize(self, _close_quietly, self._fd)
        with open(self._fd, "rb", closefd=False) as handle:
            self.end = _complete_end(handle)[0]

    def __iter__(self) -> Iterator[bytes]:
        position, pending, header = 0, b"", True
        while position < self.end:
            chunk = os.pread(self._fd, min(READ_CHUNK, self.end - position), position)
            if not chunk:
                raise OSError(f"the journal ends before byte {self.end}: it was cut short")
            position += len(chunk)
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()  # the start of a line the next chunk ends
            if header and lines:
                header = False
                del lines[0]
            yield from lines

    def close(self) -> None:
        self._closer()


def _complete_end(handle: BinaryIO) -> tuple[int, int]:
    """Where the last complete line of an open journal ends, and its size."""
    size = os.fstat(handle.fileno()).st_size
    back = min(size, 4096)
    while back:
        handle.seek(size - back)
        chunk = handle.read(back)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            return size - back + cut + 1, size
        if back == size:
            break
        back = min(size, back * 4)
    return 0, size


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def _header(journal_id: str) -> bytes:
    return orjson.dumps({"journal": journal_id, "format": JOURNAL_FORMAT}) + b"\n"


def _line(ops: Sequence[StoredOp]) -> bytes:
    """One save as a journal line: a lone op as itself, several as a list."""
    return orjson.dumps(ops[0] if len(ops) == 1 else ops) + b"\n"


def _joined(ops: Sequence[StoredOp], pieces: list[bytes]) -> bytes:
    """What :func:`_line` makes of ``ops``, from their encoded ``pieces``."""
    body = b",".join(pieces)
    return body + b"\n" if len(ops) == 1 else b"".join((b"[", body, b"]\n"))


def _ops_of(line: bytes, stats: ReplayStats) -> Iterator[StoredOp]:
    """The ops of one complete journal line; what is not an op is counted as corrupt."""
    stats.lines += 1
    try:
        payload = orjson.loads(line)
    except orjson.JSONDecodeError:
        stats.corrupt_lines += 1
        return
    for op in payload if isinstance(payload, list) else [payload]:
        if isinstance(op, dict) and "kind" in op and "uid" in op:
            stats.ops += 1
            yield op
        else:
            stats.corrupt_lines += 1


def _lines_with(data: bytes, needles: Sequence[bytes]) -> list[bytes]:
    """The lines of ``data`` (whole lines, each ending in a newline) that hold one of
    ``needles``, in order, without their newline. Found by searching the bytes, not by
    looking at every line: a first sync reads a journal of hundreds of megabytes for the
    few lines of one replica, and a loop over every line would hold the interpreter
    (and the app's keystrokes) for seconds."""
    starts: set[int] = set()
    for needle in needles:
        at = data.find(needle) if needle else -1
        while at >= 0:
            starts.add(data.rfind(b"\n", 0, at) + 1)
            at = data.find(needle, data.find(b"\n", at) + 1)
    return [data[start : data.find(b"\n", start)] for start in sorted(starts)]

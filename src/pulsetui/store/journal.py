"""The append-only journal: every op this workspace has applied, one JSON line per save.

A save appends one line (one op, or a list of ops saved together) and fsyncs it
before it is acknowledged. The first line names the journal (a random id) so a view
can tell whether the offset it covers belongs to this very journal. A torn last line
(a crash mid-write) is cut off when the journal is next opened for writing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pulsetui.store.fsutil import open_private_append, write_all

JOURNAL_NAME = "ops.jsonl"
JOURNAL_FORMAT = 1


@dataclass
class ReplayStats:
    lines: int = 0
    ops: int = 0
    corrupt_lines: int = 0
    torn_tail_bytes: int = 0


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
        try:
            header = orjson.loads(first)
        except orjson.JSONDecodeError:
            return None
        if isinstance(header, dict) and "journal" in header:
            self.journal_id = str(header["journal"])
            return self.journal_id
        return None

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
            header = {"journal": new_id, "format": JOURNAL_FORMAT}
            write_all(self._fd, orjson.dumps(header) + b"\n")
            os.fsync(self._fd)

    def _cut_torn_tail(self) -> int:
        size = self.size()
        if size == 0:
            return 0
        with open(self.path, "rb+") as handle:
            back = min(size, 1 << 20)
            while True:
                handle.seek(size - back)
                chunk = handle.read(back)
                cut = chunk.rfind(b"\n")
                if cut >= 0 or back == size:
                    break
                back = min(size, back * 4)
            keep = size - back + cut + 1 if cut >= 0 else 0
            if keep < size:
                handle.truncate(keep)
                handle.flush()
                os.fsync(handle.fileno())
            return size - keep

    def append(self, ops: list[dict[str, Any]]) -> int:
        """Append one save durably; returns the journal size after it."""
        if self._fd is None:
            raise RuntimeError("journal is not open for writing")
        payload = ops[0] if len(ops) == 1 else ops
        write_all(self._fd, orjson.dumps(payload) + b"\n")
        os.fdatasync(self._fd)
        return os.fstat(self._fd).st_size

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    # ---- reading --------------------------------------------------------------------

    def replay(self, offset: int, stats: ReplayStats) -> Iterator[dict[str, Any]]:
        """Yield the ops stored after byte ``offset`` (0: from the start)."""
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed by the with below
        except FileNotFoundError:
            return
        with handle:
            handle.seek(offset)
            if offset == 0:
                handle.readline()  # the header
            for line in handle:
                if not line.endswith(b"\n"):
                    stats.torn_tail_bytes += len(line)
                    break
                stats.lines += 1
                try:
                    payload = orjson.loads(line)
                except orjson.JSONDecodeError:
                    stats.corrupt_lines += 1
                    continue
                items = payload if isinstance(payload, list) else [payload]
                for op in items:
                    if isinstance(op, dict) and "kind" in op and "uid" in op:
                        stats.ops += 1
                        yield op
                    else:
                        stats.corrupt_lines += 1

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

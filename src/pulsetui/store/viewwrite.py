"""Writing the view file (its layout: :mod:`pulsetui.store.viewfile`) atomically: temp
file, sync, rename, sync the folder. Anonymous eNPS answers are left out (they live in
``answers.json``, see ``answers``): their tables are written empty.

Records nothing changed since the view was read are copied from the file they are in,
in runs, with ``copy_file_range`` where the kernel has it (Linux; mostly a kernel copy),
else (macOS, the BSDs) by reading and writing; so are reference indexes nothing changed.
That file's records' checksum is checked first: a damaged file is never copied into a
new one (:class:`DamagedSource`).
"""

from __future__ import annotations

import base64
import os
import secrets
import zlib
from array import array
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson

from pulsetui.store import viewfile
from pulsetui.store.fsutil import FILE_MODE, fsync_dir, sync_to_disk
from pulsetui.store.records import GONE, RecordTable
from pulsetui.store.refindex import RefIndex
from pulsetui.store.view import FORMAT, View
from pulsetui.store.viewfile import (
    ANONYMOUS,
    CHUNK,
    EAGER,
    HEADER,
    HEADER_LEN,
    INDEX_PREFIX,
    LEN_BITS,
    LEN_MASK,
    TRAILER,
    Span,
    ViewFileError,
    ViewSource,
    array_bytes,
    crc_of,
    pack,
)


class DamagedSource(ViewFileError):
    """The view file records would be copied from fails its records' checksum."""

    def __init__(self, source: ViewSource) -> None:
        super().__init__(f"{source.path}: the records' checksum does not match")
        self.source = source


class _Out:
    """A buffered writer on a raw fd that knows its position and can copy file ranges."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.position = 0
        # the kernel's copy between files: Linux only; None once it has refused
        self.kernel_copy = getattr(os, "copy_file_range", None)

    def write(self, data: bytes) -> None:
        self.buffer += data
        self.position += len(data)
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        view = memoryview(self.buffer)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        view.release()
        self.buffer.clear()

    def copy(self, source: ViewSource, offset: int, length: int) -> None:
        self.flush()
        left = length
        while left:
            got = 0
            if self.kernel_copy is not None:
                try:
                    got = self.kernel_copy(source.fd, self.fd, left, offset)
                except OSError:  # another file system, an old kernel
                    self.kernel_copy = None
            if got <= 0:
                got = os.write(self.fd, source.pread(min(left, CHUNK), offset))
            offset += got
            left -= got
        self.position += length

    def section(self, name: str, text: bytes, first: bool) -> Span:
        """A named base64 string of ``_sections``; returns its span."""
        self.write(b'%s%s:"' % (b"" if first else b",", orjson.dumps(name)))
        start = self.position
        self.write(text)
        end = self.position
        self.write(b'"')
        return (start, end, zlib.crc32(text))

    def copied_section(self, name: str, source: ViewSource, span: Sequence[int]) -> Span:
        """A section copied as it is from the file the view was read from."""
        start, end, crc = (int(x) for x in span)
        self.write(b',%s:"' % orjson.dumps(name))
        at = self.position
        self.copy(source, start, end - start)
        self.write(b'"')
        return (at, at + end - start, crc)


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def write(path: Path, view: View, meta: dict[str, Any]) -> None:
    """Write ``view`` to ``path`` atomically: temp file, sync, rename, sync the folder."""
    for source in _sources(view):
        if not source.verified():
            raise DamagedSource(source)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(tmp, flags, FILE_MODE)
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            _write(_Out(fd), view, meta)
            sync_to_disk(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _sources(view: View) -> set[ViewSource]:
    """The files this view still copies from (records or untouched indexes)."""
    found = set()
    for entity, table in view.tables.items():
        if isinstance(table.source, ViewSource) and (
            table.lazy or any(ref.untouched() for ref in view.refs[entity].values())
        ):
            found.add(table.source)
    return found


def _write(out: _Out, view: View, meta: dict[str, Any]) -> None:
    out.write(HEADER % (0, 0, 0, 0))
    tables: dict[str, Any] = {}
    rows: dict[str, tuple[array[int], array[int], list[bytes]]] = {}
    for number, (entity, table) in enumerate(view.tables.items()):
        out.write(b'%s"%s":' % (b"," if number else b"", entity.encode()))
        out.flush()
        start = out.position
        anonymous = entity in ANONYMOUS
        rows[entity] = _write_table(out, RecordTable() if anonymous else table)
        out.flush()
        ids = rows[entity][0]
        tables[entity] = {
            "count": len(ids),
            "max_id": ids[-1] if ids else 0,
            "next_id": 1 if anonymous else view._next_id[entity],
            "span": [start, out.position, crc_of(out.fd, start, out.position)]
            if entity in EAGER
            else None,
            "conflicted": [] if anonymous else sorted(view.conflicted[entity]),
            "revived": [] if anonymous else sorted(view.revived[entity]),
        }
    hidden = {
        f"{entity}/{uid}": doc
        for entity, docs in view.hidden.items()
        if entity not in ANONYMOUS
        for uid, doc in docs.items()
    }
    hidden_span = None
    if hidden:
        out.write(b',"_hidden":{"1":{"docs":')
        data = orjson.dumps(hidden)
        hidden_span = [out.position, out.position + len(data), zlib.crc32(data)]
        out.write(data + b"}}")
    else:
        out.write(b',"_hidden":{}')
    out.write(b',"_sections":{"1":{')
    sections: dict[str, Any] = {}
    for number, (entity, (ids, locs, uids)) in enumerate(rows.items()):
        order = sorted(range(len(uids)), key=uids.__getitem__)
        ends = array("q", accumulate(len(uids[row]) for row in order))
        sections[entity] = {
            "ids": out.section(f"{entity}.ids", _b64(array_bytes(ids)), number == 0),
            "locs": out.section(f"{entity}.locs", _b64(array_bytes(locs)), False),
            "uids": out.section(
                f"{entity}.uids", _b64(b"".join(map(uids.__getitem__, order))), False
            ),
            "uid_ends": out.section(f"{entity}.uid_ends", _b64(array_bytes(ends)), False),
            "uid_rows": out.section(
                f"{entity}.uid_rows", _b64(array_bytes(array("q", order))), False
            ),
        }
        del order, ends
    refs: dict[str, dict[str, Any]] = {}
    for entity, fields in view.refs.items():
        source = view.tables[entity].source
        refs[entity] = {
            field: _write_refs(
                out, f"{entity}.refs.{field}", RefIndex() if entity in ANONYMOUS else index, source
            )
            for field, index in fields.items()
        }
    applied = {
        rid: out.section(f"applied.{rid}", _b64(array_bytes(keys)), False)
        for rid, keys in view.applied.arrays()
    }
    out.write(b"}}")
    directory = {
        "format": FORMAT,
        "meta": meta,
        "tables": tables,
        "sections": sections,
        "refs": refs,
        "hidden": hidden_span,
        "applied": applied,
        "pending": sorted([opid, field] for opid, field in view.pending),
        "skipped": view.skipped,
        "entities": viewfile.KNOWN_ENTITIES,  # looked up when written (a test plays an older one)
    }
    out.write(b"," + INDEX_PREFIX)
    out.flush()
    index_at = out.position
    raw_index = orjson.dumps(directory)
    out.write(raw_index + TRAILER)
    out.flush()
    data_crc = crc_of(out.fd, HEADER_LEN, index_at)
    header = HEADER % (index_at, len(raw_index), zlib.crc32(raw_index), data_crc)
    os.pwrite(out.fd, header, 0)


def _write_refs(out: _Out, name: str, index: RefIndex, source: object) -> dict[str, Span]:
    parts = ("values", "ids", "ends")
    spans = index.file_sections
    if index.untouched() and isinstance(source, ViewSource) and spans is not None:
        return {part: out.copied_section(f"{name}.{part}", source, spans[part]) for part in parts}
    values: list[Any] = []
    ids = array("q")
    ends = array("q")
    for value, members in sorted(index.groups(), key=lambda group: str(group[0])):
        if members:
            values.append(value)
            ids.extend(sorted(members))
            ends.append(len(ids))
    texts = (orjson.dumps(values), array_bytes(ids), array_bytes(ends))
    return {
        part: out.section(f"{name}.{part}", _b64(text), False)
        for part, text in zip(parts, texts, strict=True)
    }


def _write_table(out: _Out, table: RecordTable) -> tuple[array[int], array[int], list[bytes]]:
    """The table's records in doc id order; their doc ids, new locations and uids."""
    ids = array("q")
    locs = array("q")
    uids: list[bytes] = []
    file_rows = table.file
    source = table.source if isinstance(table.source, ViewSource) else None
    in_memory = sorted(table.docs)
    out.write(b"{")
    run_start = run_end = -1  # a range of file records being copied as one
    next_memory = 0

    def record_in_memory(doc_id: int) -> None:
        nonlocal run_start
        if run_start >= 0:
            out.copy(source, run_start, run_end - run_start)  # type: ignore[arg-type]
            run_start = -1
        doc = table.docs[doc_id]
        data = orjson.dumps(doc)
        out.write(b'%s"%d":' % (b"," if ids else b"", doc_id))
        ids.append(doc_id)
        uids.append(doc["uid"].encode("utf-8"))
        locs.append(pack(out.position, len(data)))
        out.write(data)

    if file_rows is not None and source is not None and file_rows.live:
        file_uids = file_rows.uids().by_row()
        for row, doc_id in enumerate(file_rows.ids):
            loc = file_rows.locs[row]
            if loc == GONE:
                continue
            while next_memory < len(in_memory) and in_memory[next_memory] < doc_id:
                record_in_memory(in_memory[next_memory])
                next_memory += 1
            key = b'%s"%d":' % (b"," if ids else b"", doc_id)
            offset, length = loc >> LEN_BITS, loc & LEN_MASK
            if run_start >= 0 and offset == run_end + len(key):
                run_end = offset + length
            else:
                if run_start >= 0:
                    out.copy(source, run_start, run_end - run_start)
                out.write(key)
                run_start, run_end = offset, offset + length
            ids.append(doc_id)
            uids.append(file_uids[row])
            locs.append(pack(out.position + (offset - run_start), length))
    for doc_id in in_memory[next_memory:]:
        record_in_memory(doc_id)
    if run_start >= 0:
        out.copy(source, run_start, run_end - run_start)  # type: ignore[arg-type]
    out.write(b"}")
    return ids, locs, uids

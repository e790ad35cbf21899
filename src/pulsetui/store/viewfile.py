"""The view file: the materialised view as a TinyDB JSON file that opens without parsing
every record.

The file is plain TinyDB JSON (one table per entity, doc id -> record) laid out so the
store can find things in it::

    {"_meta":{"1":{"format":2,"index":"<index offset>:<length>:<crc32>:<data crc32>"}},
     "manager":{"1":{...},"2":{...}},
     ...one table per entity...
     "_hidden":{"1":{"docs":{"<entity>/<uid>":{...}}}},
     "_index":{"1":{...}}}

Anonymous eNPS answers are left out (they live in ``answers.json``, see ``answers``).

The header has a fixed width, so it is filled in after the rest is written. The
``_index`` document holds the store's bookkeeping (journal position, applied clocks,
pending replacements) and, per entity, every record's uid, doc id and byte location
plus the reference indexes. Opening reads the header and the index, checks both
checksums, and reads the small reference tables (managers, consultants, clients, ...);
the long history tables (pulses, meetings, agendas, ...) stay on disk until a record
is read or changed. A checkpoint copies untouched records from the file it was opened
from: with ``copy_file_range`` where the kernel has it (Linux), so it is mostly a kernel
copy, else (macOS, the BSDs) by reading and writing.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import os
import secrets
import weakref
import zlib
from array import array
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.models import ENTITIES
from pulsetui.store.applied import AppliedOps
from pulsetui.store.fsutil import FILE_MODE, fsync_dir, sync_to_disk
from pulsetui.store.records import Doc, RecordTable
from pulsetui.store.view import FORMAT, OtherViewFormat, View

KNOWN_ENTITIES = sorted(ENTITIES)  # kept in the file: the record kinds it could apply

FILE_FORMAT = 2
HEADER = b'{"_meta":{"1":{"format":2,"index":"%014d:%012d:%010d:%010d"}},'
HEADER_LEN = len(HEADER % (0, 0, 0, 0))
HEADER_PREFIX = HEADER.split(b"%")[0]
INDEX_PREFIX = b'"_index":{"1":'
TRAILER = b"}}"  # closes the _index table and the file
# Anonymous answers are kept in ``answers.json`` in no order, never here: the doc ids of
# a table count up in save order, which would date each answer.
ANONYMOUS = frozenset(name for name, spec in ENTITIES.items() if spec.scope == "anonymous")
# Tables small enough, and scanned whole often enough, to read at open.
EAGER = frozenset({"manager", "consultant", "client", "engagement", "flag_ack", "enps"})
_LEN_BITS = 32
_LEN_MASK = (1 << _LEN_BITS) - 1
_CHUNK = 8 << 20


class ViewFileError(ValueError):
    """The view file is damaged or not in the indexed format."""


def is_indexed(head: bytes) -> bool:
    return head.startswith(HEADER_PREFIX)


def _pack(offset: int, length: int) -> int:
    if length > _LEN_MASK:
        raise ValueError("a record is larger than 4 GiB")
    return (offset << _LEN_BITS) | length


def _b64(values: array) -> str:
    return base64.b64encode(values.tobytes()).decode("ascii")


def _unb64(text: str, typecode: str) -> array:
    values = array(typecode)
    values.frombytes(base64.b64decode(text))
    return values


# ---- reading ------------------------------------------------------------------------------


class ViewSource:
    """An open view file that lazy records are read from (by ``pread``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        self._closer = weakref.finalize(self, _close_quietly, self.fd)

    def pread(self, length: int, offset: int) -> bytes:
        data = os.pread(self.fd, length, offset)
        if len(data) != length:
            raise ViewFileError(f"{self.path} ends early")
        return data

    def read(self, loc: int) -> Doc:
        doc: Doc = orjson.loads(self.pread(loc & _LEN_MASK, loc >> _LEN_BITS))
        return doc

    def close(self) -> None:
        self._closer()


def _crc(fd: int, start: int, end: int) -> int:
    """CRC-32 of the bytes ``start:end``, read in chunks (the file is not mapped)."""
    value = 0
    position = start
    while position < end:
        chunk = os.pread(fd, min(_CHUNK, end - position), position)
        if not chunk:
            raise ViewFileError("the view file ends early")
        value = zlib.crc32(chunk, value)
        position += len(chunk)
    return value


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def read(path: Path) -> tuple[View, dict[str, Any]]:
    """Load a view file: the indexed layout lazily, an older plain one in full."""
    with open(path, "rb") as handle:
        head = handle.read(HEADER_LEN)
    if is_indexed(head):
        return load(path)
    return View.from_data(orjson.loads(path.read_bytes()))


def load(path: Path) -> tuple[View, dict[str, Any]]:
    """Open an indexed view file; raises :class:`ViewFileError` if it is damaged."""
    source = ViewSource(path)
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of new containers, none of them in a cycle
    try:
        return _load(source)
    except (ViewFileError, OtherViewFormat):
        source.close()
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        source.close()
        raise ViewFileError(f"{path}: {type(exc).__name__}: {exc}") from None
    finally:
        if collecting:
            gc.enable()


def _load(source: ViewSource) -> tuple[View, dict[str, Any]]:
    size = os.fstat(source.fd).st_size
    head = source.pread(HEADER_LEN, 0) if size >= HEADER_LEN else b""
    if not is_indexed(head) or not head.endswith(b'"}},'):
        raise ViewFileError("not an indexed view file")
    fields = head[len(HEADER_PREFIX) : -4].split(b":")
    index_at, index_len, index_crc, data_crc = (int(x) for x in fields)
    if index_at + index_len + len(TRAILER) != size:
        raise ViewFileError(f"the file is {size} bytes, its index says otherwise")
    raw_index = source.pread(index_len, index_at)
    if (
        zlib.crc32(raw_index) != index_crc
        or source.pread(len(TRAILER), size - len(TRAILER)) != TRAILER
    ):
        raise ViewFileError("the index checksum does not match")
    if _crc(source.fd, HEADER_LEN, index_at) != data_crc:
        raise ViewFileError("the records' checksum does not match")
    index = orjson.loads(raw_index)
    if index.get("format") != FORMAT:
        raise OtherViewFormat(f"written in view format {index.get('format')!r}, not {FORMAT}")
    view = View()
    intern: dict[Any, Any] = {}
    for entity, entry in index["tables"].items():
        if entity not in view.tables:
            raise ViewFileError(f"unknown table {entity!r}")
        uids = entry["uids"]
        if isinstance(uids, str):
            uids = uids.split("\n") if uids else []
        doc_ids = _unb64(entry["ids"], "q").tolist()
        locs = _unb64(entry["locs"], "q")
        if not len(uids) == len(doc_ids) == len(locs):
            raise ViewFileError(f"the index of {entity!r} is inconsistent")
        view._ids[entity] = dict(zip(uids, doc_ids, strict=True))
        table = view.tables[entity]
        if entity in EAGER and uids:
            start, end = entry["span"]
            docs = orjson.loads(source.pread(end - start, start))
            table.docs = {int(key): doc for key, doc in docs.items()}
            if len(table.docs) != len(uids):
                raise ViewFileError(f"table {entity!r} does not match its index")
        else:
            table.lazy = dict(zip(doc_ids, locs, strict=True))
            table.source = source
        refs = view.refs[entity]
        for field, groups in entry["refs"].items():
            index_of_field = refs[field]
            for value, rows in groups:
                key = intern.setdefault(value, value)
                index_of_field[key] = list(map(uids.__getitem__, _unb64(rows, "l")))
        view.conflicted[entity].update(entry["conflicted"])
        view.revived[entity].update(entry["revived"])
        view._next_id[entity] = int(entry["next_id"])
    hidden_span = index.get("hidden")
    if hidden_span:
        start, end = hidden_span
        for key, doc in orjson.loads(source.pread(end - start, start)).items():
            entity, uid = key.split("/", 1)
            if entity in view.hidden:
                view.hidden[entity][uid] = doc
    view.applied = AppliedOps.from_json(index["applied"])
    view.pending = {(opid, field) for opid, field in index["pending"]}
    view.skipped = index.get("skipped", 0)
    if view.skipped and index.get("entities") != KNOWN_ENTITIES:
        # written by a version that knew fewer record kinds: the ops it skipped may be
        # of kinds this one knows, so the view is rebuilt and they are applied
        raise OtherViewFormat("it skipped changes of record kinds known now")
    return view, index["meta"]


# ---- writing ------------------------------------------------------------------------------


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
        if len(self.buffer) >= _CHUNK:
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
                got = os.write(self.fd, source.pread(min(left, _CHUNK), offset))
            offset += got
            left -= got
        self.position += length


def write(path: Path, view: View, meta: dict[str, Any]) -> None:
    """Write ``view`` to ``path`` atomically: temp file, fsync, rename, fsync dir."""
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


def _write(out: _Out, view: View, meta: dict[str, Any]) -> None:
    out.write(HEADER % (0, 0, 0, 0))
    tables: dict[str, Any] = {}
    for number, (entity, table) in enumerate(view.tables.items()):
        out.write(b'%s"%s":' % (b"," if number else b"", entity.encode()))
        if entity in ANONYMOUS:
            tables[entity] = _write_table(out, View(), entity, RecordTable())
        else:
            tables[entity] = _write_table(out, view, entity, table)
    hidden = {
        f"{entity}/{uid}": doc
        for entity, docs in view.hidden.items()
        if entity not in ANONYMOUS
        for uid, doc in docs.items()
    }
    hidden_span = None
    if hidden:
        out.write(b',"_hidden":{"1":{"docs":')
        start = out.position
        out.write(orjson.dumps(hidden))
        hidden_span = [start, out.position]
        out.write(b"}}")
    else:
        out.write(b',"_hidden":{}')
    index = {
        "format": FORMAT,
        "meta": meta,
        "tables": tables,
        "hidden": hidden_span,
        "applied": view.applied.to_json(),
        "pending": sorted([opid, field] for opid, field in view.pending),
        "skipped": view.skipped,
        "entities": KNOWN_ENTITIES,
    }
    out.write(b"," + INDEX_PREFIX)
    out.flush()
    index_at = out.position
    raw_index = orjson.dumps(index)
    out.write(raw_index + TRAILER)
    out.flush()
    data_crc = _crc(out.fd, HEADER_LEN, index_at)
    header = HEADER % (index_at, len(raw_index), zlib.crc32(raw_index), data_crc)
    os.pwrite(out.fd, header, 0)


def _write_table(out: _Out, view: View, entity: str, table: RecordTable) -> dict[str, Any]:
    ids = view._ids[entity]
    uid_of = {doc_id: uid for uid, doc_id in ids.items()}
    uids: list[str] = []
    doc_ids = array("q")
    locs = array("q")
    start = out.position
    out.write(b"{")
    source = table.source if isinstance(table.source, ViewSource) else None
    lazy = table.lazy
    run_start = run_end = -1  # a range of lazy records being copied as one
    for row, doc_id in enumerate(sorted(table.ids())):
        key = b'%s"%d":' % (b"," if row else b"", doc_id)
        uids.append(uid_of[doc_id])
        doc_ids.append(doc_id)
        loc = lazy.get(doc_id)
        if loc is not None and source is not None:
            offset, length = loc >> _LEN_BITS, loc & _LEN_MASK
            if run_start >= 0 and offset == run_end + len(key):
                run_end = offset + length
            else:
                if run_start >= 0:
                    out.copy(source, run_start, run_end - run_start)
                out.write(key)
                run_start, run_end = offset, offset + length
            locs.append(_pack(out.position + (offset - run_start), length))
            continue
        if run_start >= 0:
            out.copy(source, run_start, run_end - run_start)  # type: ignore[arg-type]
            run_start = -1
        data = orjson.dumps(table.doc(doc_id))
        out.write(key)
        locs.append(_pack(out.position, len(data)))
        out.write(data)
    if run_start >= 0:
        out.copy(source, run_start, run_end - run_start)  # type: ignore[arg-type]
    out.write(b"}")
    row_of = {uid: row for row, uid in enumerate(uids)}
    refs = {
        field: [
            [value, _b64(array("l", sorted(row_of[uid] for uid in members if uid in row_of)))]
            for value, members in sorted(index.items(), key=lambda item: str(item[0]))
            if members
        ]
        for field, index in view.refs[entity].items()
    }
    return {
        "uids": uids if any("\n" in uid for uid in uids) else "\n".join(uids),
        "ids": _b64(doc_ids),
        "locs": _b64(locs),
        "span": [start, out.position],
        "refs": refs,
        "conflicted": sorted(view.conflicted[entity]),
        "revived": sorted(view.revived[entity]),
        "next_id": view._next_id[entity],
    }

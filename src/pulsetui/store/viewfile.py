"""The view file: the materialised view as a TinyDB JSON file that opens without reading
its records.

The file is plain TinyDB JSON (one table per entity, doc id -> record) laid out so the
store can find things in it::

    {"_meta":{"1":{"format":3,"index":"<index at>:<length>:<crc32>:<records crc32>"}},
     "manager":{"1":{...},"2":{...}},
     ...one table per entity...
     "_hidden":{"1":{"docs":{"<entity>/<uid>":{...}}}},
     "_sections":{"1":{"pulse.ids":"<base64>","pulse.refs.consultant.values":"...",...}},
     "_index":{"1":{...the directory...}}}

Anonymous eNPS answers are left out (they live in ``answers.json``, see ``answers``).

The header has a fixed width, so it is filled in after the rest is written. The
directory (``_index``) is small: the store's bookkeeping (journal position, pending
replacements), per entity the number of records, the largest doc id, conflicted and
revived uids, and where each section lies with its CRC-32. Sections are base64 strings:
per entity the doc ids and the byte locations of its records (arrays in row order) and
their uids (sorted, back to back, with where each ends and its row), per reference
field the values and their groups of doc ids, per replica the applied op clocks.

Opening reads the header and the directory (checking its checksum) and the small
reference tables (managers, consultants, clients, ...; each checked). Everything else
is read when first used, each section checked then: the long history tables (pulses,
meetings, agendas, ...) stay on disk until a record is read or changed. The records'
checksum covers every byte before the directory; it is checked by ``pulsetui doctor``,
by the app in the background, and before a checkpoint copies records out of the file
(:mod:`pulsetui.store.viewwrite`), never on the way to the first screen.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import os
import sys
import threading
import weakref
import zlib
from array import array
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.models import ENTITIES
from pulsetui.store.applied import AppliedOps
from pulsetui.store.records import Doc, FileRows, SortedUids
from pulsetui.store.refindex import Packed
from pulsetui.store.view import FORMAT, OtherViewFormat, View

KNOWN_ENTITIES = sorted(ENTITIES)  # kept in the file: the record kinds it could apply

FILE_FORMAT = 3
HEADER = b'{"_meta":{"1":{"format":3,"index":"%014d:%012d:%010d:%010d"}},'
HEADER_LEN = len(HEADER % (0, 0, 0, 0))
HEADER_PREFIX = HEADER.split(b"%")[0]
# the layout before this one (one large index read at every open): rebuilt
OLDER_HEADER_PREFIX = b'{"_meta":{"1":{"format":2,"index":"'
INDEX_PREFIX = b'"_index":{"1":'
TRAILER = b"}}"  # closes the _index table and the file
# Anonymous answers are kept in ``answers.json`` in no order, never here: the doc ids of
# a table count up in save order, which would date each answer.
ANONYMOUS = frozenset(name for name, spec in ENTITIES.items() if spec.scope == "anonymous")
# Tables small enough, and scanned whole often enough, to read at open.
EAGER = frozenset({"manager", "consultant", "client", "engagement", "flag_ack", "enps"})
LEN_BITS = 32
LEN_MASK = (1 << LEN_BITS) - 1
CHUNK = 8 << 20

Span = tuple[int, int, int]  # start, end, CRC-32 of the bytes between


class ViewFileError(ValueError):
    """The view file is damaged or not in the indexed format."""


class SectionDamaged(RuntimeError):
    """A part of the view file read after opening fails its checksum. Not a
    ``ValueError``: whatever was reading (applying an op, a list) stops with it rather
    than taking it for bad input. The next start finds the file set aside or rebuilds."""


# What reading a view file's records or sections after opening raises when it is damaged
# (a record that is not JSON, a file cut short, a section failing its checksum).
DAMAGE = (ViewFileError, SectionDamaged, orjson.JSONDecodeError)


def is_indexed(head: bytes) -> bool:
    return head.startswith(HEADER_PREFIX)


def is_older_indexed(head: bytes) -> bool:
    return head.startswith(OLDER_HEADER_PREFIX)


def pack(offset: int, length: int) -> int:
    """A record's location: where it starts and how long it is, in one integer."""
    if length > LEN_MASK:
        raise ValueError("a record is larger than 4 GiB")
    return (offset << LEN_BITS) | length


def int_array(data: bytes) -> array[int]:
    values = array("q")
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def array_bytes(values: array[int]) -> bytes:
    if sys.byteorder != "little":
        values = array("q", values)
        values.byteswap()
    return values.tobytes()


# ---- reading ------------------------------------------------------------------------------


class ViewSource:
    """An open view file that records and sections are read from (by ``pread``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        self._closer = weakref.finalize(self, _close_quietly, self.fd)
        self.records_end = 0  # where the records' checksum ends (the directory's start)
        self.records_crc = 0
        self._verified: bool | None = None
        self._verify_lock = threading.Lock()

    def pread(self, length: int, offset: int) -> bytes:
        data = os.pread(self.fd, length, offset)
        if len(data) != length:
            raise ViewFileError(f"{self.path} ends early")
        return data

    def read(self, loc: int) -> Doc:
        doc: Doc = orjson.loads(self.pread(loc & LEN_MASK, loc >> LEN_BITS))
        return doc

    def checked(self, span: Any) -> bytes:
        """The bytes of a span (checked at open to lie in the file), after checking
        their CRC-32."""
        start, end, crc = span
        try:
            data = self.pread(end - start, start)
        except (OSError, ViewFileError) as exc:
            raise SectionDamaged(f"{self.path}: bytes {start}:{end}: {exc}") from None
        if zlib.crc32(data) != crc:
            raise SectionDamaged(f"{self.path}: the checksum of bytes {start}:{end} does not match")
        return data

    def section(self, span: Any) -> bytes:
        """A base64 section, checked and decoded."""
        data = self.checked(span)
        try:
            return base64.b64decode(data, validate=True)
        except ValueError:
            raise SectionDamaged(f"{self.path}: a section is not base64") from None

    def verified(self) -> bool:
        """Whether the records' checksum matches (computed once, by any thread)."""
        with self._verify_lock:
            if self._verified is None:
                try:
                    crc = crc_of(self.fd, HEADER_LEN, self.records_end)
                except (OSError, ViewFileError):  # cut short since it was opened
                    crc = None
                self._verified = crc == self.records_crc
            return self._verified

    def close(self) -> None:
        self._closer()


def crc_of(fd: int, start: int, end: int) -> int:
    """CRC-32 of the bytes ``start:end``, read in chunks (both calls let other threads run)."""
    value = 0
    position = start
    while position < end:
        chunk = os.pread(fd, min(CHUNK, end - position), position)
        if not chunk:
            raise ViewFileError("the view file ends early")
        value = zlib.crc32(chunk, value)
        position += len(chunk)
    return value


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def read(path: Path) -> tuple[View, dict[str, Any]]:
    """Load a view file: the indexed layout lazily, an older plain one in full (an
    older indexed layout raises :class:`OtherViewFormat`: it is rebuilt)."""
    with open(path, "rb") as handle:
        head = handle.read(HEADER_LEN)
    if is_indexed(head) or is_older_indexed(head):
        return load(path)
    return View.from_data(orjson.loads(path.read_bytes()))


def load(path: Path) -> tuple[View, dict[str, Any]]:
    """Open an indexed view file; raises :class:`ViewFileError` if it is damaged.

    The records themselves are not checked here (see :meth:`ViewSource.verified`)."""
    source = ViewSource(path)
    collecting = gc.isenabled()
    gc.disable()  # thousands of new containers, none of them in a cycle
    try:
        return _load(source)
    except (ViewFileError, OtherViewFormat):
        source.close()
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, SectionDamaged) as exc:
        source.close()
        raise ViewFileError(f"{path}: {type(exc).__name__}: {exc}") from None
    finally:
        if collecting:
            gc.enable()


def read_directory(source: ViewSource) -> dict[str, Any]:
    """Check the header and return the directory; the source learns where the records'
    checksum applies."""
    size = os.fstat(source.fd).st_size
    head = source.pread(HEADER_LEN, 0) if size >= HEADER_LEN else b""
    if is_older_indexed(head):
        raise OtherViewFormat("an older layout of the view file")
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
    source.records_end, source.records_crc = index_at, data_crc
    directory: dict[str, Any] = orjson.loads(raw_index)
    if directory.get("format") != FORMAT:
        raise OtherViewFormat(f"written in view format {directory.get('format')!r}, not {FORMAT}")
    return directory


def _span(value: Any, end: int) -> Span:
    """A span of the directory, checked to lie in the file before the directory."""
    start, stop, crc = value
    if not all(type(x) is int for x in value) or not HEADER_LEN <= start <= stop <= end:
        raise ViewFileError(f"a section lies outside the file ({value!r})")
    return (start, stop, crc)


def _spans(value: Any, names: tuple[str, ...], end: int) -> dict[str, Span]:
    return {name: _span(value[name], end) for name in names}


ROW_SECTIONS = ("ids", "locs", "uids", "uid_ends", "uid_rows")
REF_SECTIONS = ("values", "ids", "ends")


def _load(source: ViewSource) -> tuple[View, dict[str, Any]]:
    directory = read_directory(source)
    end = source.records_end
    view = View()
    # every span is checked now, so what is read later can only fail its checksum
    sections = {e: _spans(spans, ROW_SECTIONS, end) for e, spans in directory["sections"].items()}
    refs = {
        entity: {field: _spans(spans, REF_SECTIONS, end) for field, spans in fields.items()}
        for entity, fields in directory["refs"].items()
    }
    hidden = _span(directory["hidden"], end) if directory["hidden"] else None
    applied = {str(rid): _span(span, end) for rid, span in directory["applied"].items()}
    for entity, entry in directory["tables"].items():
        if entity not in view.tables:
            raise ViewFileError(f"unknown table {entity!r}")
        table = view.tables[entity]
        count, max_id = int(entry["count"]), int(entry["max_id"])
        if entity in EAGER and count:
            docs = orjson.loads(source.checked(_span(entry["span"], end)))
            table.docs = {int(key): doc for key, doc in docs.items()}
            if len(table.docs) != count:
                raise ViewFileError(f"table {entity!r} does not match its index")
        elif count:
            table.attach(source, count, max_id, _rows_loader(source, sections[entity], count))
        for field, spans in refs.get(entity, {}).items():
            if field not in view.refs[entity]:
                raise ViewFileError(f"unknown reference {entity}.{field}")
            view.refs[entity][field].attach(_refs_loader(source, spans), spans)
        view.conflicted[entity].update(entry["conflicted"])
        view.revived[entity].update(entry["revived"])
        view._next_id[entity] = int(entry["next_id"])
    view.attach_lazy(_hidden_loader(source, hidden), _applied_loader(source, applied))
    view.pending = {(opid, field) for opid, field in directory["pending"]}
    view.skipped = directory.get("skipped", 0)
    if view.skipped and directory.get("entities") != KNOWN_ENTITIES:
        # written by a version that knew fewer record kinds: the ops it skipped may be
        # of kinds this one knows, so the view is rebuilt and they are applied
        raise OtherViewFormat("it skipped changes of record kinds known now")
    return view, directory["meta"]


def _rows_loader(source: ViewSource, spans: dict[str, Any], count: int) -> Any:
    def load_uids() -> SortedUids:
        return SortedUids(
            source.section(spans["uids"]),
            int_array(source.section(spans["uid_ends"])),
            int_array(source.section(spans["uid_rows"])),
        )

    def load() -> FileRows:
        ids = int_array(source.section(spans["ids"]))
        locs = int_array(source.section(spans["locs"]))
        if len(ids) != count:
            raise ViewFileError("a table does not match its index")
        return FileRows(ids, locs, load_uids)

    return load


def _refs_loader(source: ViewSource, spans: dict[str, Any]) -> Any:
    def load() -> Packed:
        values = orjson.loads(source.section(spans["values"]))
        ids = int_array(source.section(spans["ids"]))
        return Packed(values, ids, int_array(source.section(spans["ends"])))

    return load


def _hidden_loader(source: ViewSource, span: Any) -> Any:
    def load() -> dict[str, dict[str, Doc]]:
        hidden: dict[str, dict[str, Doc]] = {name: {} for name in ENTITIES}
        if span:
            for key, doc in orjson.loads(source.checked(span)).items():
                entity, uid = key.split("/", 1)
                if entity in hidden:
                    hidden[entity][uid] = doc
        return hidden

    return load


def _applied_loader(source: ViewSource, spans: dict[str, Any]) -> Any:
    def load() -> AppliedOps:
        return AppliedOps.from_arrays(
            {rid: int_array(source.section(span)) for rid, span in spans.items()}
        )

    return load


def check_records(path: Path) -> str | None:
    """What is wrong with the view file at ``path``, its records included; None if
    nothing is (``pulsetui doctor``)."""
    try:
        source = ViewSource(path)
    except OSError as exc:
        return str(exc)
    try:
        read_directory(source)
        return None if source.verified() else "the records' checksum does not match"
    except (ViewFileError, OtherViewFormat, OSError, ValueError, KeyError, TypeError) as exc:
        return str(exc)[:200]
    finally:
        source.close()

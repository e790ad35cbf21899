"""Op segments: the immutable files one replica writes into the shared folder.

A segment is JSON lines::

    {"format": "pulsetui-sync", "version": 1, "type": "segment", "rid": ..., "seq": N,
     "count": K, "first": [wall, counter], "last": [wall, counter]}
    <op>
    ...
    {"end": "pulsetui-sync", "sha256": "<hex of every byte before this line>", "count": K}

Its name is ``<seq:012d>-<sha256[:12]>.jsonl``. A file whose trailer is missing or does
not parse is "not arrived yet" (:class:`Incomplete`); one whose checksum or content is
wrong is :class:`Invalid`; one of a later format is :class:`NewerFormat`. Only a file
that passes every check is decoded, so no reader ever applies half of a segment.

Each op is checked before the view sees it (``store.opcheck.check_ops``: the shape of its
kind, its id matching its replica and clock, no field that would touch the view's
bookkeeping) and clocks must rise strictly within the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import orjson

from pulsetui.store.opcheck import UID_RE, Refs, StoredOp, check_ops
from pulsetui.sync.folder import SYNC_FORMAT, SYNC_VERSION, segment_name

Op = StoredOp
CHECK_CHUNK = 256  # ops read one at a time (``verify``), checked together


class SegmentError(Exception):
    """A segment that must not be applied (yet)."""


class Incomplete(SegmentError):
    """No valid trailer: still arriving, read again later."""


class Invalid(SegmentError):
    """Complete but wrong: bad checksum, bad header, bad op."""


class NewerFormat(SegmentError):
    """Written by a later pulsetui: kept unapplied until this one is upgraded."""

    def __init__(self, version: object) -> None:
        super().__init__(f"format version {version}; upgrade pulsetui to read it")
        self.version = version


@dataclass
class Segment:
    rid: str
    seq: int
    sha: str
    ops: list[Op]
    first: tuple[int, int] = (0, 0)
    last: tuple[int, int] = (0, 0)
    carries: tuple[str, ...] = field(default_factory=tuple)
    # the ops as orjson writes them, comma-joined, when they came so (``readahead``)
    raw: bytes | None = None


def encode(rid: str, seq: int, ops: list[Op], carries: tuple[str, ...] = ()) -> tuple[str, bytes]:
    """The file name and bytes of a segment holding ``ops`` (in clock order)."""
    header: dict[str, Any] = {
        "format": SYNC_FORMAT,
        "version": SYNC_VERSION,
        "type": "segment",
        "rid": rid,
        "seq": seq,
        "count": len(ops),
        "first": list(ops[0]["hlc"]) if ops else [0, 0],
        "last": list(ops[-1]["hlc"]) if ops else [0, 0],
    }
    if carries:
        header["carries"] = list(carries)
    # one buffer, grown in place: a segment is up to 16 MB, and a list of its lines,
    # their join and the join plus the trailer would each hold all of it at once
    data = bytearray(orjson.dumps(header))
    data += b"\n"
    for op in ops:
        data += orjson.dumps(op)
        data += b"\n"
    sha = hashlib.sha256(data).hexdigest()
    data += orjson.dumps({"end": SYNC_FORMAT, "sha256": sha, "count": len(ops)})
    data += b"\n"
    return segment_name(seq, sha), bytes(data)


def split_trailer(data: bytes) -> tuple[bytes, str]:
    """The checked body and its sha256; :class:`Incomplete` / :class:`Invalid` otherwise."""
    end, sha = _body_end(data)
    return data[:end], sha


def _body_end(data: bytes) -> tuple[int, str]:
    """Where the body (every line before the trailer) ends, and its checked sha256."""
    if not data.endswith(b"\n"):
        raise Incomplete("no trailer yet (the file does not end with a complete line)")
    cut = data.rfind(b"\n", 0, len(data) - 1)
    if cut < 0:
        raise Incomplete("no trailer yet (a single line)")
    try:
        trailer = orjson.loads(data[cut + 1 : -1])
    except orjson.JSONDecodeError:
        raise Incomplete("no trailer yet (the last line is not one)") from None
    if not isinstance(trailer, dict) or trailer.get("end") != SYNC_FORMAT:
        raise Incomplete("no trailer yet (the last line is not one)")
    sha = trailer.get("sha256")
    actual = hashlib.sha256(memoryview(data)[: cut + 1]).hexdigest()
    if sha != actual:
        raise Invalid("checksum mismatch (damaged or altered)")
    return cut + 1, actual


def decode_header(line: bytes) -> dict[str, Any]:
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise Invalid("header is not JSON") from None
    if not isinstance(header, dict) or header.get("format") != SYNC_FORMAT:
        raise Invalid("header does not name the pulsetui-sync format")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Invalid("header has no valid version")
    if version > SYNC_VERSION:
        raise NewerFormat(version)
    return header


def peek_header(data: bytes) -> dict[str, Any]:
    """The header of a complete segment, without checking its ops."""
    body, _ = split_trailer(data)
    return decode_header(body[: body.index(b"\n")])


def decode(
    data: bytes,
    rid: str,
    seq: int | None = None,
    sha12: str | None = None,
    refs: Refs | None = None,
) -> Segment:
    """Check a whole segment of replica ``rid`` and return its ops (``refs``: each record
    kind's reference fields, by default the domain's)."""
    end, sha = _body_end(data)
    start = data.index(b"\n")  # the header's end
    header, count, carries = _check_header(data[:start], rid, seq, sha12, sha)
    body = data[start + 1 : end - 1]  # the op lines, without the last one's newline
    found = body.count(b"\n") + 1 if end > start + 1 else 0
    if count != found:
        raise Invalid(f"header counts {count!r} ops, the file holds {found}")
    try:  # the lines as one JSON list: one parse, no object per line
        ops = orjson.loads(b"".join((b"[", body.replace(b"\n", b","), b"]")))
    except orjson.JSONDecodeError:
        raise Invalid("an op line is not JSON") from None
    if len(ops) != count:
        raise Invalid("an op line holds more than one value")
    first, last = _check_ops(ops, {rid, *carries}, refs)
    return Segment(rid, int(header["seq"]), sha, ops, first, last, carries)


def verify(data: bytes, rid: str, seq: int | None = None, sha12: str | None = None) -> Segment:
    """Check a whole segment as :func:`decode` does, one op at a time, and keep none of
    them (``ops`` is empty): what ``pulsetui sync --check`` needs, in the memory of one
    op rather than all of a segment's (up to 16 MB of them)."""
    end, sha = _body_end(data)
    start = data.index(b"\n")
    header, count, carries = _check_header(data[:start], rid, seq, sha12, sha)
    found = data.count(b"\n", start + 1, end)
    if count != found:
        raise Invalid(f"header counts {count!r} ops, the file holds {found}")
    first, last = _check_ops(_each_op(data, start + 1, end), {rid, *carries})
    return Segment(rid, int(header["seq"]), sha, [], first, last, carries)


def _each_op(data: bytes, start: int, end: int) -> Iterator[object]:
    """The op of each line between ``start`` and ``end``, parsed one at a time."""
    view = memoryview(data)  # a line is parsed where it lies, not copied out
    while start < end:
        stop = data.index(b"\n", start, end)
        line = view[start:stop]
        try:
            yield orjson.loads(line)
        except orjson.JSONDecodeError:
            try:  # what decode says of it, reading every line as one list
                several = len(orjson.loads(b"[" + bytes(line) + b"]")) > 1
            except orjson.JSONDecodeError:
                several = False
            why = "an op line holds more than one value" if several else "an op line is not JSON"
            raise Invalid(why) from None
        start = stop + 1


def _check_header(
    line: bytes, rid: str, seq: int | None, sha12: str | None, sha: str
) -> tuple[dict[str, Any], object, tuple[str, ...]]:
    """The header, its count of ops and the replica ids it carries, checked against
    the file's name and place."""
    header = decode_header(line)
    if header.get("type") != "segment":
        raise Invalid("not a segment")
    if header.get("rid") != rid:
        raise Invalid(f"written for replica {header.get('rid')!r}, found under {rid!r}")
    if seq is not None and header.get("seq") != seq:
        raise Invalid(f"header says seq {header.get('seq')!r}, the name says {seq}")
    if sha12 is not None and not sha.startswith(sha12):
        raise Invalid("the checksum in the name does not match the content")
    carries = header.get("carries", [])
    if not isinstance(carries, list) or not all(
        isinstance(c, str) and UID_RE.fullmatch(c) for c in carries
    ):
        raise Invalid("bad list of carried replica ids")
    return header, header.get("count"), tuple(carries)


def _check_ops(
    ops: Iterable[Any], allowed: set[str], refs: Refs | None = None
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Check each op (``check_ops``) and that clocks rise within each replica; the first
    and the last op's clock ((0, 0) for none). The first problem in line order is raised.
    Ops that come one at a time (``verify``) are checked a few hundred at once."""
    rising: dict[str, list[int]] = {}  # each replica's last clock, [wall, counter]
    first: list[int] | None = None
    hlc: list[int] = [0, 0]
    number = 2  # the line of the first op (the header is line 1)
    chunks = [ops] if isinstance(ops, list) else _chunks(iter(ops), CHECK_CHUNK)
    for chunk in chunks:
        found = check_ops(chunk, allowed, rising, refs)
        if found is not None:
            raise Invalid(f"line {number + found[0]}: {found[1]}")
        if chunk:
            if first is None:
                first = chunk[0]["hlc"]
            hlc = chunk[-1]["hlc"]  # checked: two integers
            number += len(chunk)
    if first is None:
        return (0, 0), (0, 0)
    return (first[0], first[1]), (hlc[0], hlc[1])


def _chunks(ops: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(ops, size)):
        yield chunk
